"""Suppression lookups through the per-rule line index (issue 16: one lookup per
finding instead of a pass over every directive) give what testing each directive
gives, and the editor's "Disable" fix finds comments and directives by position."""

from __future__ import annotations

import itertools

from promptcoach.engine.model import Finding
from promptcoach.engine.suppress import Suppressions, disable_line_fix
from promptcoach.engine.suppress_directives import comments

RULES = ("missing-detail", "vague-term", "other")


def directive_lines() -> str:
    """Directives of every kind, with and without rules, on lines between prose."""
    parts = ["<!-- promptcoach-disable-file vague-term -->\n"]
    for number, (kind, rules) in enumerate(
        itertools.product(("line", "next-line"), ("", "missing-detail", "other, x"))
    ):
        parts.append(
            f"text {number} <!-- promptcoach-disable-{kind} {rules} -->\n"
            if kind == "line"
            else f"<!-- promptcoach-disable-{kind} {rules} -->\n"
        )
        parts.append(f"prose {number}\n\n")
    return "".join(parts)


def test_index_agrees_with_every_directive_for_every_line_span():
    text = directive_lines()
    suppressions = Suppressions.parse(text, "p.prompt.md")
    line_count = text.count("\n") + 1
    for rule in RULES:
        for first in range(line_count):
            for last in range(first, line_count):
                expected = any(d.covers(rule, first, last) for d in suppressions.directives)
                assert suppressions.index.covers(rule, first, last) == expected, (rule, first, last)


def test_many_directives_above_a_paragraph_of_findings():
    directives = "<!-- promptcoach-disable-line missing-detail -->\n\n" * 50
    text = directives + "".join(f"do stuff {i}\n" for i in range(50))
    findings = [
        Finding("missing-detail", "warning", "m", text.index(f"do stuff {i}\n"), text.index(f"do stuff {i}\n") + 8)
        for i in range(50)
    ]
    assert Suppressions.parse(text, "p.prompt.md").filter(findings) == findings
    covered = text.replace("do stuff 7\n", "do stuff 7 <!-- promptcoach-disable-line -->\n")
    start = covered.index("do stuff 7")
    assert Suppressions.parse(covered, "p.prompt.md").filter([Finding("x", "warning", "m", start, start + 8)]) == []


def test_directives_in_fenced_code_are_ignored_between_real_ones():
    text = (
        "```\n<!-- promptcoach-disable-file -->\n```\n"
        "<!-- promptcoach-disable-next-line a -->\nx\n"
        "~~~~\n<!-- promptcoach-disable-file -->\n~~~\n<!-- still fenced -->\n~~~~\n"
        "<!-- promptcoach-disable-next-line b -->\ny\n"
        "```\n<!-- promptcoach-disable-file --> unclosed fence\n"
    )
    rules = [sorted(d.rules) for d in Suppressions.parse(text, "p.prompt.md").directives]
    assert rules == [["a"], ["b"]]
    assert len(comments(text, "p.prompt.md", None)) == 2


def test_next_line_directives_of_one_block_comment():
    text = (
        "/*\n * promptcoach-disable-next-line a\n * prompt: one\n"
        " * promptcoach-disable-next-line b\n *\n */\nconst x = 1; // prompt: two\n"
    )
    first, second = Suppressions.parse(text, "a.ts").directives
    assert first.line == 2  # the next line of the comment holds text
    assert second.line == 6  # only gutter and the closing token follow: the line after the comment


def test_disable_fix_extends_the_first_next_line_directive_of_the_line():
    text = (
        "<!-- promptcoach-disable-next-line x -->\n<!-- promptcoach-disable-line y -->\nA\n"
        "<!-- promptcoach-disable-next-line vague-term -->\nMake a posts table.\n"
    )
    start = text.index("Make")
    fix = disable_line_fix(text, Finding("missing-detail", "warning", "m", start, start + 4), path="p.prompt.md")
    [edit] = fix.edits
    assert text[: edit.start].endswith("promptcoach-disable-next-line vague-term")
    assert edit.new_text == " missing-detail"


def test_disable_fix_inside_and_after_block_comments():
    text = "/* one */\n/**\n * prompt: make a posts table\n */\n// prompt: add login\n"
    inside = text.index("make a posts table")
    fix = disable_line_fix(text, Finding("missing-detail", "warning", "m", inside, inside + 4), path="a.js")
    assert fix.edits[0].new_text == " * promptcoach-disable-next-line missing-detail\n"
    after = text.index("add login")
    fix = disable_line_fix(text, Finding("missing-detail", "warning", "m", after, after + 3), path="a.js")
    assert fix.edits[0].new_text == "// promptcoach-disable-next-line missing-detail\n"


def test_disable_fix_prefix_in_a_block_comment_without_gutter_and_with_cr_breaks():
    text = "/*\r\t  prompt: make a posts table\r*/\r"
    start = text.index("make")
    fix = disable_line_fix(text, Finding("missing-detail", "warning", "m", start, start + 4), path="a.js")
    assert fix.edits[0].new_text == "\t  promptcoach-disable-next-line missing-detail\r"


def test_disable_fix_keeps_quote_markers_of_a_long_markdown_line():
    text = "> > " + "make stuff " * 300 + "\n"
    start = text.rindex("stuff")
    fix = disable_line_fix(text, Finding("vague-term", "warning", "m", start, start + 5), path="p.prompt.md")
    assert fix.edits[0].new_text == "> > <!-- promptcoach-disable-next-line vague-term -->\n"


def test_rules_silenced_on_a_prompt_are_not_run_and_nothing_changes(monkeypatch):
    """A rule a directive covers on some line of a prompt does not run on it (each of its
    findings there would be suppressed); the analysis is what running it gives."""
    from promptcoach.engine.analyze import Engine

    prompts = (
        "<!-- promptcoach-disable-next-line vague-term -->\nmake the posts table somehow\n\n"
        "make the users table somehow <!-- promptcoach-disable-line -->\n\n"
        "<!-- promptcoach-disable-next-line missing-detail, x -->\nadd a users API etc\n\n"
        "add a posts API etc\n"
    )
    silenced = Suppressions.parse(prompts, "p.prompt.md").silenced
    assert [
        sorted(silenced(p.prompt, ("vague-term", "missing-detail")))
        for p in Engine().analyze(prompts, "p.prompt.md").prompts
    ] == [["vague-term"], ["missing-detail", "vague-term"], ["missing-detail"], []]

    def findings(text):
        analysis = Engine().analyze(text, "p.prompt.md")
        return [[(f.rule, f.start, f.end, f.message, repr(f.fixes)) for f in p.findings] for p in analysis.prompts]

    texts = (prompts, directive_lines() + prompts)
    skipped = [findings(text) for text in texts]
    monkeypatch.setattr(Suppressions, "silenced", lambda self, prompt, rules: frozenset())
    assert [findings(text) for text in texts] == skipped
