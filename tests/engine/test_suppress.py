"""Inline suppression comments and the "Disable <rule> for this line" quick fix."""

from __future__ import annotations

import pytest

from promptcoach.engine.model import Finding
from promptcoach.engine.suppress import Suppressions, disable_line_fix
from promptcoach.engine.suppress_directives import comment_style


def finding_at(text: str, needle: str, rule: str = "missing-detail") -> Finding:
    start = text.index(needle)
    return Finding(rule, "warning", "message", start, start + len(needle))


def kept(text: str, path: str, *needles_and_rules) -> list[str]:
    findings = [finding_at(text, needle, rule) for needle, rule in needles_and_rules]
    return [text[f.start : f.end] + "/" + f.rule for f in Suppressions.parse(text, path).filter(findings)]


def apply(text: str, fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text


MARKDOWN = """\
# Prompts

<!-- promptcoach-disable-next-line missing-detail -->
Make a posts table.

API to get posts. <!-- promptcoach-disable-line -->

<!--
  promptcoach-disable-next-line vague-prompt, missing-detail -- kept short on purpose
-->
Add user login.

Get stock price data.
"""


class TestMarkdown:
    def test_next_line_with_rule(self):
        assert kept(
            MARKDOWN, "p.prompt.md", ("Make a posts table.", "missing-detail"), ("Make a posts table.", "other")
        ) == ["Make a posts table./other"]

    def test_same_line_without_rules_disables_every_rule(self):
        assert kept(MARKDOWN, "p.prompt.md", ("API to get posts.", "missing-detail"), ("API to get posts.", "x")) == []

    def test_multi_line_comment_applies_after_the_comment_with_reason(self):
        assert kept(
            MARKDOWN,
            "p.prompt.md",
            ("Add user login.", "missing-detail"),
            ("Add user login.", "vague-prompt"),
            ("Add user login.", "stack-mismatch"),
        ) == ["Add user login./stack-mismatch"]

    def test_unsuppressed_prompt_kept(self):
        assert kept(MARKDOWN, "p.prompt.md", ("Get stock price data.", "missing-detail")) == [
            "Get stock price data./missing-detail"
        ]

    def test_directive_in_fenced_code_or_prose_is_ignored(self):
        text = "Mention promptcoach-disable-file in prose.\n\n```md\n<!-- promptcoach-disable-file -->\n```\n\nMake a posts table.\n"
        assert Suppressions.parse(text, "p.prompt.md").directives == ()
        assert kept(text, "p.prompt.md", ("Make a posts table.", "missing-detail")) == [
            "Make a posts table./missing-detail"
        ]

    def test_file_directive(self):
        text = "<!-- promptcoach-disable-file missing-detail -->\n\nMake a posts table.\n\nAPI to get posts.\n"
        assert kept(
            text, "AGENTS.md", ("Make a posts table.", "missing-detail"), ("API to get posts.", "stack-mismatch")
        ) == ["API to get posts./stack-mismatch"]

    def test_directive_above_a_multi_line_prompt_covers_the_whole_prompt(self):
        from promptcoach.engine.model import Prompt, Segment

        text = "<!-- promptcoach-disable-next-line -->\nMake a posts table\nwith Mongoose.\n"
        start = text.index("Make")
        prompt = Prompt(text[start:-1], (Segment(0, start, len(text) - 1 - start),), "paragraph")
        finding = finding_at(text, "Mongoose", "stack-mismatch")  # on the prompt's second line
        assert Suppressions.parse(text, "p.prompt.md").filter([finding]) == [finding]
        assert Suppressions.parse(text, "p.prompt.md").filter([finding], prompt) == []

    def test_rule_ids_are_case_insensitive_and_comma_separated(self):
        text = "<!-- promptcoach-disable-next-line Missing-Detail,stack-mismatch -->\nMake a posts table.\n"
        [directive] = Suppressions.parse(text, "x.prompt.md").directives
        assert directive.rules == {"missing-detail", "stack-mismatch"} and directive.line == 1


class TestCode:
    PYTHON = """\
def handler():
    # promptcoach-disable-next-line missing-detail
    # prompt: make a posts table
    x = "promptcoach-disable-file"  # prompt: add login  promptcoach-disable-line
    # prompt: get stock price data
"""

    def test_python_comments(self):
        assert kept(
            self.PYTHON,
            "app.py",
            ("make a posts table", "missing-detail"),
            ("add login", "missing-detail"),
            ("get stock price data", "missing-detail"),
        ) == ["get stock price data/missing-detail"]

    def test_directive_in_a_string_is_not_a_directive(self):
        assert [d.kind for d in Suppressions.parse(self.PYTHON, "app.py").directives] == ["next-line", "line"]

    def test_block_comment_next_line(self):
        text = "/*\n * promptcoach-disable-next-line\n */\n// ai: make a posts table\n"
        assert kept(text, "a.ts", ("make a posts table", "missing-detail")) == []

    def test_language_id_wins_over_file_name(self):
        text = "-- promptcoach-disable-next-line\n-- prompt: make a posts table\n"
        assert kept(text, "untitled", ("make a posts table", "x")) == ["make a posts table/x"]
        findings = [finding_at(text, "make a posts table")]
        assert Suppressions.parse(text, "untitled", "sql").filter(findings) == []


class TestCommentStyle:
    @pytest.mark.parametrize(
        "path, expected",
        [
            ("x.prompt.md", "<!-- body -->"),
            ("AGENTS.md", "<!-- body -->"),
            (".cursorrules", "<!-- body -->"),
            ("a.py", "# body"),
            ("a.ts", "// body"),
            ("a.sql", "-- body"),
            ("a.css", "/* body */"),
            ("a.html", "<!-- body -->"),
            ("a.rb", "# body"),  # not =begin/=end, which must start a line
        ],
    )
    def test_styles(self, path, expected):
        assert comment_style(path).wrap("body") == expected


class TestDisableLineFix:
    def test_markdown_inserts_above_the_prompt(self):
        text = "# T\n\nMake a posts table.\n"
        fix = disable_line_fix(text, finding_at(text, "posts table"), path="p.prompt.md")
        assert fix.title == "Disable missing-detail for this line"
        fixed = apply(text, fix)
        assert fixed == "# T\n\n<!-- promptcoach-disable-next-line missing-detail -->\nMake a posts table.\n"
        assert Suppressions.parse(fixed, "p.prompt.md").filter([finding_at(fixed, "posts table")]) == []

    def test_anchor_is_the_prompt_start_and_quote_markers_are_kept(self):
        from promptcoach.engine.model import Prompt, Segment

        text = "> Make a posts table\n> with Mongoose.\n"
        prompt = Prompt("Make a posts table\nwith Mongoose.", (Segment(0, 2, 18), Segment(19, 23, 14)), "quote")
        fix = disable_line_fix(text, finding_at(text, "Mongoose", "stack-mismatch"), prompt=prompt, path="p.prompt.md")
        assert (
            apply(text, fix)
            == "> <!-- promptcoach-disable-next-line stack-mismatch -->\n> Make a posts table\n> with Mongoose.\n"
        )

    def test_crlf_and_indentation_in_code(self):
        text = "def f():\r\n    # prompt: make a posts table\r\n"
        fixed = apply(text, disable_line_fix(text, finding_at(text, "make a posts table"), path="a.py"))
        assert (
            fixed
            == "def f():\r\n    # promptcoach-disable-next-line missing-detail\r\n    # prompt: make a posts table\r\n"
        )

    def test_inside_a_block_comment_the_gutter_is_reused(self):
        text = "/**\n * prompt: make a posts table\n */\n"
        fixed = apply(text, disable_line_fix(text, finding_at(text, "make a posts table"), path="a.js"))
        assert fixed == "/**\n * promptcoach-disable-next-line missing-detail\n * prompt: make a posts table\n */\n"
        assert Suppressions.parse(fixed, "a.js").filter([finding_at(fixed, "make a posts table")]) == []

    def test_adds_the_rule_to_an_existing_directive(self):
        text = "<!-- promptcoach-disable-next-line vague-prompt -- reason -->\nMake a posts table.\n"
        fixed = apply(text, disable_line_fix(text, finding_at(text, "Make"), path="p.prompt.md"))
        assert (
            fixed
            == "<!-- promptcoach-disable-next-line vague-prompt missing-detail -- reason -->\nMake a posts table.\n"
        )

    def test_nothing_to_do_when_already_disabled(self):
        text = "<!-- promptcoach-disable-next-line -->\nMake a posts table.\n"
        assert disable_line_fix(text, finding_at(text, "Make"), path="p.prompt.md") is None


def test_a_file_directive_after_front_matter_covers_the_file():
    text = "---\ndescription: x\n---\n<!-- promptcoach-disable-file missing-detail -->\n\nMake a posts table.\n"
    assert kept(text, "p.prompt.md", ("Make", "missing-detail"), ("posts", "vague-term")) == ["posts/vague-term"]


def test_parse_without_directives_is_cheap_and_empty():
    assert not Suppressions.parse("Make a posts table.\n" * 1000, "p.prompt.md")


# --------------------------------------------------------------------------- through the engine


def test_engine_applies_suppressions_and_offers_the_disable_fix():
    from promptcoach.engine.analyze import Engine

    text = (
        "Make a posts table.\n\n"
        "<!-- promptcoach-disable-next-line missing-detail -->\n"
        "API to get posts.\n\n"
        "<!-- promptcoach-disable-next-line vague-term -->\n"
        "Add user login.\n"
    )
    analysis = Engine().analyze(text, "prompts/app.prompt.md")
    by_prompt = {p.prompt.text: [f.rule for f in p.findings] for p in analysis.prompts}
    assert "missing-detail" in by_prompt["Make a posts table."]
    assert "missing-detail" not in by_prompt["API to get posts."]
    assert "missing-detail" in by_prompt["Add user login."]  # another rule was disabled there
    [first] = [f for f in analysis.prompts[0].findings if f.rule == "missing-detail"]
    disable = [fix for fix in first.fixes if fix.title == "Disable missing-detail for this line"]
    assert len(disable) == 1
    fixed = apply(text, disable[0])
    again = Engine().analyze(fixed, "prompts/app.prompt.md")
    assert "missing-detail" not in [f.rule for f in again.prompts[0].findings]
    [login] = [p for p in analysis.prompts if p.prompt.text == "Add user login."]
    [login_finding] = [f for f in login.findings if f.rule == "missing-detail"]
    extend = [fix for fix in login_finding.fixes if fix.title.startswith("Disable")][0]
    assert apply(text, extend).count("promptcoach-disable-next-line vague-term missing-detail") == 1


def test_engine_file_directive_in_code():
    from promptcoach.engine.analyze import Engine

    text = "# promptcoach-disable-file\n\n# prompt: make a posts table\nx = 1\n"
    analysis = Engine().analyze(text, "app.py")
    assert analysis.prompts and all(p.findings == [] for p in analysis.prompts)
