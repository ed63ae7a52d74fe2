"""The rule registry, rule metadata, severity overrides and the rules YAML loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rules_helpers import context

from promptcoach.engine.model import SEVERITIES
from promptcoach.engine.rules import RULES, check_rule_texts, docs_url, get_rule, rule_ids, run_rules
from promptcoach.engine.rules.pages import RULES_DIR, load_rule_texts
from promptcoach.engine.settings import Settings
from promptcoach.engine.yamldata import DataError

ROOT = Path(__file__).resolve().parents[2]
VAGUE = "Add the user login stuff, etc."


OURS = ("missing-detail", "vague-term", "hardcoded-secret", "plaintext-password", "empty-prompt")


def test_every_rule_has_metadata_and_a_docs_page():
    check_rule_texts()
    assert set(OURS) <= set(rule_ids())
    for rule in RULES:
        assert rule.severity in SEVERITIES
        assert rule.title and rule.summary
        assert (
            rule.docs_url
            == f"https://github.com/promptcoach/promptcoach/blob/main/server/promptcoach/knowledge/rules/{rule.id}.md"
        )
        page = ROOT / "server" / "promptcoach" / "knowledge" / "rules" / f"{rule.id}.md"
        assert page.is_file(), page
        text = page.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert text.startswith(f"# {rule.id}")
        if rule.id not in OURS:
            continue
        for section in ("## What it checks", "## Why", "## Examples", "## Fix", "## Configuration"):
            assert section in text, (rule.id, section)
    assert docs_url("vague-term").endswith("/vague-term.md")
    assert docs_url("no-such-rule") is None
    assert get_rule("missing-detail").severity == "warning"


def test_default_severities():
    expected = {
        "missing-detail": "warning",
        "vague-term": "information",
        "hardcoded-secret": "warning",
        "plaintext-password": "warning",
        "empty-prompt": "warning",
    }
    assert {rule.id: rule.severity for rule in RULES if rule.id in OURS} == expected


def test_severity_override_changes_every_finding_of_the_rule():
    settings = Settings(severities={"vague-term": "error"})
    found = [f for f in run_rules(context(VAGUE, settings=settings)) if f.rule == "vague-term"]
    assert len(found) == 2 and {f.severity for f in found} == {"error"}


def test_off_disables_a_rule_and_leaves_the_others():
    ctx = context(VAGUE, settings=Settings(severities={"vague-term": "off"}))
    rules = {f.rule for f in run_rules(ctx)}
    assert "vague-term" not in rules
    assert "missing-detail" in rules  # an authentication prompt with nothing named


def test_unknown_severity_value_falls_back_to_the_default():
    ctx = context(VAGUE, settings=Settings(severities={"vague-term": "loud"}))
    assert {f.severity for f in run_rules(ctx) if f.rule == "vague-term"} == {"information"}


def test_findings_are_ordered_by_position():
    found = run_rules(context("Add the stuff and hardcode the Stripe key, etc."))
    assert [f.start for f in found] == sorted(f.start for f in found)


def _copy_rules(tmp_path: Path) -> Path:
    for path in RULES_DIR.glob("*.md"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_builtin_rule_pages_load_from_a_copy(tmp_path):
    texts = load_rule_texts(_copy_rules(tmp_path))
    assert set(texts.rules) == set(rule_ids())
    assert texts.section("vague_terms")
    assert texts.rules["vague-term"].documentation.startswith("# vague-term\n")
    assert "---" not in texts.rules["vague-term"].documentation.split("\n", 1)[0]


def test_schema_error_names_the_page_and_its_line(tmp_path):
    directory = _copy_rules(tmp_path)
    path = directory / "vague-term.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == "severity: information")
    lines[index] = lines[index].replace("information", "loud")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_rule_texts(directory)
    assert str(caught.value).startswith(f"knowledge/rules/vague-term.md:{index + 1}:")


def test_a_page_without_front_matter_is_an_error(tmp_path):
    directory = _copy_rules(tmp_path)
    (directory / "vague-term.md").write_text("# vague-term\n\nNo front matter.\n", encoding="utf-8")
    with pytest.raises(DataError, match="vague-term.md:1: a rule page starts with front matter"):
        load_rule_texts(directory)
    (directory / "vague-term.md").write_text("---\ntitle: x\n", encoding="utf-8")
    with pytest.raises(DataError, match="no closing line"):
        load_rule_texts(directory)


def test_a_page_is_named_after_a_rule_id(tmp_path):
    directory = _copy_rules(tmp_path)
    (directory / "Vague Term.md").write_text((directory / "vague-term.md").read_text(encoding="utf-8"))
    with pytest.raises(DataError, match="named after its rule id"):
        load_rule_texts(directory)


def test_a_section_defined_twice_is_an_error(tmp_path):
    directory = _copy_rules(tmp_path)
    extra = "---\ntitle: Extra\nseverity: hint\nsummary: x\nmessages: {m: x}\nempty_prompt:\n  placeholders: [todo]\n---\n# zz-extra\n"
    (directory / "zz-extra.md").write_text(extra, encoding="utf-8")
    with pytest.raises(DataError, match="defined in two files"):
        load_rule_texts(directory)


def test_vague_term_entry_needs_a_replacement_or_placeholder(tmp_path):
    directory = _copy_rules(tmp_path)
    path = directory / "vague-term.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("vague_terms:\n")
    broken = text[:start] + "vague_terms:\n  - phrases: [stuff]\n    explanation: which?\n---\n# vague-term\n"
    path.write_text(broken, encoding="utf-8")
    line = broken[:start].count("\n") + 2
    with pytest.raises(DataError) as caught:
        load_rule_texts(directory)
    assert f"vague-term.md:{line}" in str(caught.value)


def test_cached_findings_are_moved_to_each_prompt_position():
    from promptcoach.engine.model import Prompt, Segment
    from promptcoach.engine.rules import RuleContext

    text = "Add the user login stuff."
    first = context(text, prefix="A\n\n", suffix="\n")
    second = context(text, prefix="Some longer heading\n\n", suffix="\n")
    for ctx in (first, second, first):
        found = [f for f in run_rules(ctx) if f.rule == "vague-term"]
        assert [ctx.document_text[f.start : f.end] for f in found] == ["stuff"]
        edit = found[0].fixes[0].edits[0]
        assert ctx.document_text[edit.start : edit.end] == "stuff"
    # findings are fresh objects: changing one does not leak into the next analysis
    found = run_rules(first)
    found[0].fixes = ()
    assert all(f.fixes for f in run_rules(first))
    # a prompt split over two comment lines maps through its segments
    document = "// prompt: Add the user\n// login stuff.\n"
    prompt = Prompt("Add the user\nlogin stuff.", (Segment(0, 11, 12), Segment(13, 27, 12)), "comment", "prompt:")
    ctx = RuleContext(prompt, first.classification, first.knowledge, first.settings, document)
    (vague,) = [f for f in run_rules(ctx) if f.rule == "vague-term"]
    assert document[vague.start : vague.end] == "stuff"


def test_cache_respects_a_different_classification():
    from promptcoach.engine.model import Classification

    text = "Add user login."
    assert [f.rule for f in run_rules(context(text))] == ["missing-detail"]
    assert run_rules(context(text, classification=Classification(None))) == []


def _gate_samples() -> list[str]:
    """Prompts with and without findings: the rule tests' positives and negatives, the
    labeled set, and the knowledge base's own examples."""
    import yaml
    from test_rules_secrets import PASSWORD_NEGATIVES, PASSWORD_POSITIVES, SECRET_NEGATIVES, SECRET_POSITIVES
    from test_rules_vague_term import POSITIVES as VAGUE_POSITIVES

    labeled = yaml.safe_load((ROOT / "tests" / "data" / "labeled_prompts.yaml").read_text(encoding="utf-8"))
    return [
        *(text for text, _ in SECRET_POSITIVES + PASSWORD_POSITIVES),
        *SECRET_NEGATIVES,
        *PASSWORD_NEGATIVES,
        *(text for text, _ in VAGUE_POSITIVES),
        *(item["text"] for item in labeled),
        VAGUE,
        "TODO",
        "...",
    ]


def test_a_rules_gate_never_hides_a_finding(tmp_path):
    """A gate is a necessary condition: wherever the rule's check finds something, the
    gate lets the prompt through (and the samples have findings of every gated rule),
    with and without a project stack."""
    from test_stack import node_app

    from promptcoach.engine.phrases import text_words
    from promptcoach.engine.stack import EMPTY_STACK, detect_stack

    stack = detect_stack(node_app(tmp_path))
    samples = [*_gate_samples(), "Create a Mongoose schema for blog posts with a title and an author."]
    gated = [rule for rule in RULES if rule.gate is not None and rule.scope == "prompt"]
    assert {rule.id for rule in gated} >= {
        "vague-term",
        "hardcoded-secret",
        "plaintext-password",
        "empty-prompt",
        "missing-detail",
    }
    with_findings = set()
    for text in samples:
        for project in (EMPTY_STACK, stack):
            ctx = context(text)
            ctx.stack = project
            for rule in gated:
                if list(rule.check(ctx, rule.severity)):
                    with_findings.add(rule.id)
                    assert rule.gate(ctx, text_words(text)), (rule.id, text)
    assert with_findings == {rule.id for rule in gated}


def test_the_runner_skips_a_rule_whose_gate_says_no():
    from promptcoach.engine.rules.base import Rule
    from promptcoach.engine.rules.runner import RuleCache, run_rules_on

    calls = []
    rule = Rule(
        "vague-term",
        lambda ctx, severity: calls.append(ctx.prompt.text) or [],
        gate=lambda ctx, words: "stuff" in words,
    )
    run_rules_on((rule,), context("Add a posts table."), RuleCache())
    assert calls == []
    run_rules_on((rule,), context("Add the login stuff."), RuleCache())
    assert calls == ["Add the login stuff."]


def test_a_rule_that_reads_the_document_runs_every_time_and_is_merged_in_order():
    from promptcoach.engine.model import Finding
    from promptcoach.engine.rules.base import Rule
    from promptcoach.engine.rules.runner import RuleCache, run_rules_on

    seen = []

    def whole_document(ctx, severity):
        seen.append(ctx.document_text)
        return [Finding("missing-detail", severity, "at the start", ctx.prompt.start, ctx.prompt.start + 1)]

    def pure(ctx, severity):
        return [Finding("vague-term", severity, "at the end", ctx.prompt.end - 1, ctx.prompt.end)]

    rules = (Rule("vague-term", pure), Rule("missing-detail", whole_document, uses_document=True))
    cache = RuleCache()
    for _ in range(2):
        ctx = context("Add a posts table.", prefix="Intro.\n\n")
        found = run_rules_on(rules, ctx, cache)
        assert [f.message for f in found] == ["at the start", "at the end"]  # by position
    assert seen == ["Intro.\n\nAdd a posts table."] * 2  # not cached: it saw the document both times


def test_the_empty_prompt_gate_lets_every_placeholder_through():
    """Its gate reads the words: a short prompt with a word no placeholder has is never
    read, so placeholders written with edge punctuation, underscores, other cases and
    spacing must all pass (random ones too); other short prompts need not."""
    import random

    from promptcoach.engine.phrases import text_words
    from promptcoach.engine.rules.empty_prompt import RULE, _placeholders

    def gate_and_check(text: str) -> tuple[bool, bool]:
        ctx = context(text)
        return RULE.gate(ctx, text_words(text)), bool(RULE.check(ctx, "warning"))

    for text in ("_TODO_", "TODO_", "**TBD**", "N/A", "  fill   ME in!! ", "(wip)", "-- Lorem Ipsum --"):
        assert gate_and_check(text) == (True, True), text
    assert gate_and_check("make item 0 somehow") == (False, False)
    assert gate_and_check("todo 1") == (False, False)
    pieces = [
        *sorted(_placeholders()),
        "_",
        "__",
        "*",
        "…",
        " ",
        "-",
        "1",
        "item",
        "İ",
        "K",
        "ſ",
        "\u0345",
        "TODO",
        "Fill",
    ]
    assert gate_and_check("todo\u0345") == (True, True)  # a mark the check strips, which case folding makes a letter
    chance = random.Random(16)
    for _ in range(5000):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(1, 4)))
        gate, found = gate_and_check(text)
        assert gate or not found, text
