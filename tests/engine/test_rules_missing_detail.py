"""missing-detail: thresholds, severities, message, data and the fixes' edits."""

from __future__ import annotations

import re

import pytest
from test_rules_helpers import apply, findings

from promptcoach.engine.analyze import Engine
from promptcoach.engine.knowledge import builtin_knowledge
from promptcoach.engine.model import Classification
from promptcoach.engine.settings import Settings

DB = ("technology", "models", "fields", "types", "constraints", "relationships")
POSTS = "Make a posts table."


def schema(present: tuple[str, ...]) -> Classification:
    return Classification("database-schema", present, tuple(d for d in DB if d not in present))


def missing_detail(text: str = POSTS, present: tuple[str, ...] = ("models",), **kwargs):
    return findings(text, "missing-detail", classification=schema(present), **kwargs)


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ((), "warning"),
        (("models",), "warning"),
        (("models", "fields"), "warning"),  # 2/6 < 1/2
        (("technology", "models", "fields"), "information"),  # exactly half
        (DB[:5], "information"),
    ],
)
def test_severity_follows_the_threshold(present, expected):
    (found,) = missing_detail(present=present)
    assert found.severity == expected


def test_complete_prompt_gets_nothing():
    assert missing_detail(present=DB) == []


def test_custom_threshold():
    settings = Settings(threshold=0.25)
    assert missing_detail(present=("models", "fields"), settings=settings)[0].severity == "information"
    assert missing_detail(present=("models",), settings=settings)[0].severity == "warning"
    settings = Settings(threshold=1.0)
    assert missing_detail(present=DB[:5], settings=settings)[0].severity == "warning"


def test_severity_override_applies_below_threshold_and_caps_at_information_above():
    settings = Settings(severities={"missing-detail": "error"})
    assert missing_detail(present=("models",), settings=settings)[0].severity == "error"
    assert missing_detail(present=DB[:4], settings=settings)[0].severity == "information"
    settings = Settings(severities={"missing-detail": "hint"})
    assert missing_detail(present=("models",), settings=settings)[0].severity == "hint"
    assert missing_detail(present=DB[:4], settings=settings)[0].severity == "hint"
    assert missing_detail(settings=Settings(severities={"missing-detail": "off"})) == []


def test_no_category_and_non_backend_categories_get_nothing():
    assert findings("Center the logo in the header.", "missing-detail", classification=Classification(None)) == []
    frontend = Classification("frontend", (), ("anything",))
    assert findings("Center the logo.", "missing-detail", classification=frontend) == []
    unknown = Classification("no-such-category", (), ("x",))
    assert findings("Center the logo.", "missing-detail", classification=unknown) == []


def test_message_and_data_name_the_missing_details():
    (found,) = missing_detail()
    assert found.message == (
        "Database schema & migrations prompt names 1 of 6 key details; missing: database technology, "
        "field names, data types, constraints, relationships."
    )
    assert found.data == {
        "category": "database-schema",
        "present": ["models"],
        "missing": ["technology", "fields", "types", "constraints", "relationships"],
        "score": {"present": 1, "total": 6},
    }
    assert (found.start, found.end) == (0, len(POSTS))


def test_one_add_fix_per_missing_detail_after_the_preferred_expansion():
    (found,) = missing_detail()
    titles = [fix.title for fix in found.fixes]
    assert titles[0] == "Expand into a specific Database schema & migrations prompt"
    assert found.fixes[0].preferred and found.fixes[0].kind == "quickfix"
    assert titles[1:] == [
        "Add database technology",
        "Add field names",
        "Add data types",
        "Add constraints",
        "Add relationships",
    ]
    assert not any(fix.preferred for fix in found.fixes[1:])


def _add_fix(found, detail_title: str):
    return next(fix for fix in found.fixes if fix.title == f"Add {detail_title}")


def test_add_fix_appends_the_clause_at_the_end_of_the_prompt():
    prefix, suffix = "# Schema\n\n", "\n\nNext paragraph.\n"
    ctx_text = prefix + POSTS + suffix
    (found,) = missing_detail(prefix=prefix, suffix=suffix)
    fields = builtin_knowledge().category("database-schema").detail("fields").clause
    result = apply(ctx_text, _add_fix(found, "field names").edits)
    assert result == prefix + POSTS + fields.render() + suffix
    assert result == "# Schema\n\nMake a posts table. It has the fields <field names>.\n\nNext paragraph.\n"


def test_add_fix_closes_an_unfinished_sentence_first():
    text = "add a comments table to the prisma schema"
    found = findings(text, "missing-detail", classification=schema(("technology", "models")))
    result = apply(text, _add_fix(found[0], "field names").edits)
    assert result == "add a comments table to the prisma schema. It has the fields <field names>."


def test_add_fix_at_the_start_lowercases_the_old_first_word():
    (found,) = missing_detail()
    result = apply(POSTS, _add_fix(found, "database technology").edits)
    assert result == "Using <ORM or schema language>, make a posts table."
    # a prompt that does not start with a task verb gets the clause as a sentence of its own
    found = findings(
        "API to get posts.",
        "missing-detail",
        classification=Classification(
            "api-endpoint", (), ("framework", "route", "method", "success", "errors", "security")
        ),
    )
    fix = next(f for f in found[0].fixes if f.title.startswith("Add framework"))
    assert apply("API to get posts.", fix.edits) == "API to get posts. Build it with <framework and routing style>."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Google login for the app.",
            "Google login for the app. Use <auth provider or library>.",
        ),  # a name keeps its case
        ("Can you add a users table?", "Can you add a users table? Use <ORM or schema language>."),
        ("Let users sign in with Google.", "Using <auth provider or library>, let users sign in with Google."),
    ],
)
def test_a_start_clause_joins_only_a_prompt_that_starts_with_a_task_verb(text, expected):
    found = findings(text, "missing-detail")
    fix = next(f for f in found[0].fixes if f.title.startswith(("Add auth provider", "Add database technology")))
    assert apply(text, fix.edits) == expected


def test_an_open_ending_becomes_the_end_of_a_sentence():
    text = "Make a products table with name, price and tags:"
    found = findings(text, "missing-detail")
    fix = next(f for f in found[0].fixes if f.title.startswith("Add data types"))
    assert apply(text, fix.edits).startswith("Make a products table with name, price and tags. Types: ")


def test_add_fix_snippet_has_a_choice_list_or_tab_stop():
    (found,) = missing_detail()
    snippet = _add_fix(found, "database technology").edits[0].snippet
    assert re.fullmatch(r"Using \$\{1\|Prisma,[^|]+\|\}, m", snippet)
    types = _add_fix(found, "data types").edits[0].snippet
    assert types.startswith(" Types: ${1|") and types.endswith("|}.")


def test_expand_fix_replaces_the_whole_prompt_with_one_line():
    document = "// prompt: Make a posts table\n// with a title.\nint main;\n"
    analysis = Engine().analyze(document, "schema.c")
    (prompt,) = analysis.prompts
    found = [f for f in prompt.findings if f.rule == "missing-detail"]
    assert found, "a schema prompt with missing details"
    expand = found[0].fixes[0]
    result = apply(document, expand.edits)
    first, rest = result.split("\n", 1)
    assert (
        first.startswith("// prompt: ") and "make a posts table with a title." in first
    )  # kept as written, on one line
    assert rest == "int main;\n"
    assert "\n" not in expand.edits[0].new_text and "${1" in expand.edits[0].snippet


def test_each_add_fix_is_independent_of_the_others():
    (found,) = missing_detail(present=())
    for fix in found.fixes[1:]:
        assert len(fix.edits) == 1
        result = apply(POSTS, fix.edits)
        assert "make a posts table" in result.lower() and "<" in result


def test_the_expansion_is_worked_out_only_when_its_fix_is_read(monkeypatch):
    """The expand fix is deferred (it costs more than the rest of the analysis, and an
    editor asks for it only when it is picked); read, it is the expansion, placed where
    the prompt sits, also after a cached analysis moves the prompt."""
    from promptcoach.engine import expand as expand_module
    from promptcoach.engine.model import DeferredFix
    from promptcoach.engine.rules.runner import CACHE

    calls = []
    real = expand_module.expand
    monkeypatch.setattr(expand_module, "expand", lambda *args, **kw: calls.append(args[0]) or real(*args, **kw))
    CACHE.clear()
    engine = Engine()
    for earlier, document in enumerate(("Make a posts table.\n", "# Schema\n\nMake a posts table.\n")):
        (prompt,) = engine.analyze(document, "schema.prompt.md").prompts
        (found,) = [f for f in prompt.findings if f.rule == "missing-detail"]
        fix = found.fixes[0]
        assert isinstance(fix, DeferredFix) and fix.preferred and fix.title.startswith("Expand")
        assert len(calls) == earlier  # the analysis itself worked nothing out
        (edit,) = fix.edits
        assert (edit.start, edit.end) == (prompt.prompt.start, prompt.prompt.end)
        assert "`Post`" in edit.new_text and "${1" in edit.snippet
    assert calls == ["Make a posts table."]  # once: the second document's fix is the first one's, moved


def test_deferred_fixes_move_and_map_their_edits_when_read():
    from promptcoach.engine.model import DeferredFix, Edit

    made = []
    fix = DeferredFix("Expand", lambda: made.append(1) or (Edit(0, 4, "new", "${1:new}"),), preferred=True)
    moved = fix.moved(10).mapped(lambda edits: tuple(e._replace(new_text=e.new_text.upper()) for e in edits))
    assert made == []
    assert moved.edits == (Edit(10, 14, "NEW", "${1:new}"),) and fix.edits == (Edit(0, 4, "new", "${1:new}"),)
    assert made == [1] and moved.edits is moved.edits  # worked out once, then kept
    assert fix.moved(0) is fix and (moved.title, moved.preferred, moved.safe, moved.kind) == (
        "Expand",
        True,
        False,
        "quickfix",
    )
    assert fix.moved(3).moved(4).edits == (Edit(7, 11, "new", "${1:new}"),) and made == [1]


def test_no_expand_fix_when_the_category_has_nothing_to_expand_into():
    from promptcoach.engine.knowledge import KnowledgeBase

    builtin = builtin_knowledge()
    blank = KnowledgeBase(
        tuple(c._replace(template=" ") if c.id == "database-schema" else c for c in builtin.categories),
        builtin.common_words,
    )
    (prompt,) = Engine(knowledge=blank).analyze(POSTS + "\n", "schema.prompt.md").prompts
    (found,) = [f for f in prompt.findings if f.rule == "missing-detail"]
    assert found.fixes and not any(fix.title.startswith("Expand") for fix in found.fixes)


@pytest.mark.parametrize(
    "text",
    [
        "How do I add a foreign key in Drizzle?",
        "Why does my Prisma migration fail with P3009?",
        "What's the best way to paginate the posts API?",
    ],
)
def test_questions_get_nothing(text):
    assert findings(text, "missing-detail") == []


@pytest.mark.parametrize(
    "text",
    [
        "Can you add a `deleted_at` column to the accounts table?",  # a polite request asks for work
        "How to: make a posts table.",  # not a question
    ],
)
def test_requests_that_look_like_questions_are_still_checked(text):
    assert findings(text, "missing-detail")


def test_expanding_a_lead_and_list_rewrites_the_lead_line_only():
    from promptcoach.engine.analyze import Engine

    text = "Create a comments table for the blog:\n\n- each comment has a body\n- it belongs to a post\n"
    [prompt] = Engine().analyze(text, "c.prompt.md").prompts
    [finding] = [f for f in prompt.findings if f.rule == "missing-detail"]
    [expand] = [fix for fix in finding.fixes if fix.title.startswith("Expand")]
    [edit] = expand.edits
    assert text[edit.start : edit.end] == "Create a comments table for the blog:"
    assert "\n" not in edit.new_text and "- each comment has a body" in text[edit.end :]
