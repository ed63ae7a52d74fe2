"""Prompt files: the Markdown-aware reader (engine/extract/markdown.py)."""

from __future__ import annotations

import glob
import textwrap

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from promptcoach.engine.extract import document_kind, extract_prompts
from promptcoach.engine.model import Prompt
from promptcoach.engine.settings import Settings
from testkit.markdown import markdown_prompts

SETTINGS = Settings()


def texts(doc: str) -> list[str]:
    return [p.text for p in markdown_prompts(textwrap.dedent(doc))]


def kinds(doc: str) -> list[tuple[str, str]]:
    return [(p.text, p.kind) for p in markdown_prompts(textwrap.dedent(doc))]


def assert_segments_map(doc: str, prompts: list[Prompt]) -> None:
    """Every segment is a verbatim copy of the document; separators are newlines."""
    for prompt in prompts:
        rebuilt = []
        previous_end = 0
        for segment in prompt.segments:
            assert segment.length > 0
            piece = prompt.text[segment.text_start : segment.text_start + segment.length]
            assert doc[segment.doc_start : segment.doc_start + segment.length] == piece
            if rebuilt:
                assert prompt.text[previous_end : segment.text_start] == "\n"
            rebuilt.append(piece)
            previous_end = segment.text_start + segment.length
        assert "\n".join(rebuilt) == prompt.text
        assert prompt.segments[0].text_start == 0 and previous_end == len(prompt.text)


# -- blocks that are not prompts ---------------------------------------------------
def test_paragraphs_are_prompts_and_headings_are_not() -> None:
    assert kinds(
        """\
        # Title
        Make a posts table
        with `authorId`.

        ## Second
        Another paragraph.
        """
    ) == [("Make a posts table\nwith `authorId`.", "paragraph"), ("Another paragraph.", "paragraph")]


def test_setext_headings_are_not_prompts() -> None:
    assert texts("Heading one\n===========\n\nHeading two\n---\n\nBody text.\n") == ["Body text."]


def test_thematic_break_ends_a_paragraph() -> None:
    assert texts("First.\n***\nSecond.\n") == ["First.", "Second."]


@pytest.mark.parametrize("opener,closer", [("---", "---"), ("---", "..."), ("+++", "+++")])
def test_front_matter_is_skipped(opener: str, closer: str) -> None:
    doc = f"{opener}\ntitle: Make a table\ntags: [a]\n{closer}\nThe prompt.\n"
    assert texts(doc) == ["The prompt."]


def test_front_matter_only_at_the_very_start() -> None:
    assert texts("Intro.\n\n---\nkey: value\n\nEnd.\n") == ["Intro.", "key: value", "End."]


def test_unterminated_front_matter_is_a_thematic_break() -> None:
    assert texts("---\nNot front matter after all.\n") == ["Not front matter after all."]


def test_front_matter_after_bom() -> None:
    doc = "\ufeff---\na: 1\n---\nPrompt here.\n"
    prompts = markdown_prompts(doc)
    assert [p.text for p in prompts] == ["Prompt here."]
    assert_segments_map(doc, prompts)


def test_fenced_code_is_not_a_prompt() -> None:
    assert texts(
        """\
        Before.
        ```python
        # ai: this is code
        print("x")
        ```
        ~~~~
        ```
        still code inside a tilde fence
        ~~~~
        After.
        """
    ) == ["Before.", "After."]


def test_closing_fence_must_be_as_long_as_the_opening() -> None:
    assert texts("````\ncode\n```\nstill code\n````\nText.\n") == ["Text."]


def test_unterminated_fence_runs_to_the_end() -> None:
    assert texts("Text.\n```\ncode\n\nmore code\n") == ["Text."]


def test_backtick_fence_info_with_a_backtick_is_not_a_fence() -> None:
    assert texts("``` not `a` fence\nText.\n") == ["``` not `a` fence\nText."]


def test_fence_inside_a_list_item_closes_with_the_item() -> None:
    assert kinds(
        """\
        - Item with code:
          ```
          code
        - Next item
        """
    ) == [("Item with code:", "list-item"), ("Next item", "list-item")]


def test_indented_code_is_not_a_prompt_but_indented_continuation_is() -> None:
    assert texts("Paragraph\n    continued by an indented line.\n\n    indented code\n\nText.\n") == [
        "Paragraph\ncontinued by an indented line.",
        "Text.",
    ]


def test_html_blocks_are_not_prompts() -> None:
    assert texts(
        """\
        <!-- a comment
        spanning lines -->
        Text one.

        <div>
        html until a blank line
        </div>

        <script>
        let x = 1;

        </script>
        Text two <b>with inline html</b>.
        """
    ) == ["Text one.", "Text two <b>with inline html</b>."]


def test_html_comment_interrupts_a_paragraph() -> None:
    assert texts("Line one\n<!-- promptcoach-disable-next-line -->\nLine two\n") == ["Line one", "Line two"]


def test_xml_style_sections_are_read_inside() -> None:
    assert kinds(
        """\
        <instructions>
        Use Prisma for the schema.
        </instructions>
        <rules>
        - Keep secrets in env vars
        </rules>
        """
    ) == [("Use Prisma for the schema.", "paragraph"), ("Keep secrets in env vars", "list-item")]


def test_link_reference_definitions_are_not_prompts_but_footnotes_are() -> None:
    assert texts('[docs]: https://example.com "Docs"\n[x]: <a b>\n\n[^1]: A footnote.\n') == ["[^1]: A footnote."]


def test_tables_are_skipped() -> None:
    assert texts(
        """\
        Intro line.
        | Command | Effect |
        | :------ | -----: |
        | make    | build  |
        trailing row without pipes

        After the table.
        """
    ) == ["Intro line.", "After the table."]


def test_pipe_text_without_a_delimiter_row_is_a_paragraph() -> None:
    assert texts("a | b\nnot a table\n") == ["a | b\nnot a table"]


# -- lists and quotes ---------------------------------------------------------------
def test_list_items_are_prompts_with_markers_stripped() -> None:
    assert kinds(
        """\
        - dash item
        * star item
        + plus item
        1. ordered dot
        2) ordered paren
        - [ ] open task
        - [x] done task
        """
    ) == [
        ("dash item", "list-item"),
        ("star item", "list-item"),
        ("plus item", "list-item"),
        ("ordered dot", "list-item"),
        ("ordered paren", "list-item"),
        ("open task", "list-item"),
        ("done task", "list-item"),
    ]


def test_nested_items_are_their_own_prompts_and_lazy_lines_belong_to_the_item() -> None:
    assert kinds(
        """\
        - Create the posts table
        with a lazy continuation line
          and an indented one
          - nested: add an index
            on created_at
        - sibling
        """
    ) == [
        ("Create the posts table\nwith a lazy continuation line\nand an indented one", "list-item"),
        ("nested: add an index\non created_at", "list-item"),
        ("sibling", "list-item"),
    ]


def test_second_paragraph_of_an_item_is_a_paragraph() -> None:
    assert kinds("1. First paragraph.\n\n   Second paragraph.\n\nOutside.\n") == [
        ("First paragraph.", "list-item"),
        ("Second paragraph.", "paragraph"),
        ("Outside.", "paragraph"),
    ]


def test_ordered_item_other_than_one_cannot_interrupt_a_paragraph() -> None:
    assert texts("The year was\n2019. A good year.\n") == ["The year was\n2019. A good year."]
    assert texts("Steps:\n1. first\n") == ["Steps:", "first"]


def test_empty_item_with_content_on_the_next_line() -> None:
    assert kinds("-\n  content below the marker\n") == [("content below the marker", "list-item")]


def test_tabs_after_markers_and_before_nested_items() -> None:
    doc = "-\tTab after marker\n\t- nested by a tab\n"
    prompts = markdown_prompts(doc)
    assert [(p.text, p.kind) for p in prompts] == [("Tab after marker", "list-item"), ("nested by a tab", "list-item")]
    assert_segments_map(doc, prompts)


def test_block_quotes() -> None:
    assert kinds(
        """\
        > Send a welcome email
        > with SendGrid.
        lazy continuation
        >
        > Second quote paragraph.
        > - a list in a quote
        >> nested quote
        """
    ) == [
        ("Send a welcome email\nwith SendGrid.\nlazy continuation", "quote"),
        ("Second quote paragraph.", "quote"),
        ("a list in a quote", "list-item"),
        ("nested quote", "quote"),
    ]


def test_quote_inside_a_list_item() -> None:
    assert kinds("- > quoted in an item\n") == [("quoted in an item", "quote")]


def test_inline_code_keeps_its_backticks() -> None:
    assert texts("Add `authorId` and ``a ` b`` fields.\n") == ["Add `authorId` and ``a ` b`` fields."]


# -- positions ----------------------------------------------------------------------
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_breaks(newline: str) -> None:
    doc = newline.join(["First line", "second line", "", "- item", "  more", ""])
    prompts = markdown_prompts(doc)
    assert [p.text for p in prompts] == ["First line\nsecond line", "item\nmore"]
    assert_segments_map(doc, prompts)


def test_trailing_blanks_are_not_part_of_a_prompt() -> None:
    doc = "Hard break  \nnext\t\n"
    prompts = markdown_prompts(doc)
    assert prompts[0].text == "Hard break\nnext"
    assert_segments_map(doc, prompts)


def test_segments_map_to_document_offsets() -> None:
    doc = "> - [ ] quoted 😀 task\n>   continued\n\n1. one\n   two\n"
    prompts = markdown_prompts(doc)
    assert [p.text for p in prompts] == ["quoted 😀 task\ncontinued", "one\ntwo"]
    assert_segments_map(doc, prompts)
    first = prompts[0]
    assert doc[first.start : first.end] == "quoted 😀 task\n>   continued"
    assert first.doc_span(7, 8) == (doc.index("😀"), doc.index("😀") + 1)


def test_empty_and_blank_documents() -> None:
    assert markdown_prompts("") == []
    assert markdown_prompts("\n\n   \n") == []


# -- fast paths agree with the general parser ----------------------------------------
def general_path_prompts(doc: str) -> list[Prompt]:
    return markdown_prompts(doc, fast=False)


_LINES = st.sampled_from(
    [
        "",
        "  ",
        "Plain text",
        "more text",
        "- item",
        "* star",
        "+ plus",
        "1. one",
        "3) three",
        "  - nested",
        "    - deeper",
        "  continuation",
        "    indented",
        "\tTabbed",
        "> quote",
        ">> deep",
        "> - quoted item",
        "```",
        "~~~",
        "```ts",
        "# Heading",
        "===",
        "---",
        "***",
        "| a | b |",
        "|---|---|",
        "<!-- c -->",
        "<!--",
        "-->",
        "<div>",
        "<rules>",
        "[x]: http://a",
        "- [ ] task",
        "-",
        "1.",
        "  ```",
        "     code",
        "lazy `code` line",
        "😀 emoji",
        "text  ",
    ]
)


@hsettings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_fast_paths_match_the_general_parser(lines: list[str], newline: str) -> None:
    doc = newline.join(lines)
    fast = markdown_prompts(doc)
    assert fast == general_path_prompts(doc)
    assert_segments_map(doc, fast)


CORPUS = sorted(glob.glob("/work/shared/corpus/cursorrules/*"))


@pytest.mark.skipif(not CORPUS, reason="corpus not present")
def test_corpus_fast_and_general_paths_agree() -> None:
    for path in CORPUS:
        with open(path, encoding="utf-8", errors="replace") as handle:
            doc = handle.read()
        fast = markdown_prompts(doc)
        assert fast == general_path_prompts(doc), path
        assert_segments_map(doc, fast)


# -- which documents are prompt files ---------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "posts.prompt.md",
        "dir/a.prompt",
        "a.prompt.txt",
        "x.instructions.md",
        ".github/copilot-instructions.md",
        "AGENTS.md",
        "sub/CLAUDE.md",
        ".cursorrules",
        "app/.cursorrules",
        ".cursor/rules/db.mdc",
        "prompts/api/posts.md",
        "prompts/x.md",
    ],
)
def test_default_prompt_files(path: str) -> None:
    assert document_kind(path, None, SETTINGS) == "prompt"


def test_prompt_language_ids_make_a_prompt_file() -> None:
    for language_id in ("prompt", "instructions", "chatmode"):
        assert document_kind("untitled-1", language_id, SETTINGS) == "prompt"


def test_excluded_prompt_file_is_read_only_when_named() -> None:
    assert document_kind("node_modules/x/AGENTS.md", None, SETTINGS) is None
    assert document_kind("node_modules/x/AGENTS.md", None, SETTINGS, explicit=True) == "prompt"


def test_markdown_that_is_not_a_prompt_file_is_source() -> None:
    assert document_kind("README.md", None, SETTINGS) == "source"
    assert document_kind("README.md", "markdown", SETTINGS) == "source"
    assert document_kind("README.md", None, SETTINGS, explicit=True) == "prompt"
    assert document_kind("notes.txt", None, SETTINGS) is None
    assert document_kind("notes.txt", None, SETTINGS, explicit=True) == "prompt"
    assert document_kind("LICENSE", None, SETTINGS, explicit=True) == "prompt"
    assert document_kind("app.py", None, SETTINGS, explicit=True) == "source"


def test_cursorrules_and_prompt_files_use_the_markdown_reader() -> None:
    doc = "# Rules\n\n- Use Prisma\n\n```\ncode\n```\n"
    for path in (".cursorrules", "task.prompt", "task.prompt.txt", "README.md"):
        found = [p.text for p in extract_prompts(doc, path, settings=SETTINGS, explicit=True)]
        assert found == ["Use Prisma"], path


def test_custom_include_globs() -> None:
    custom = Settings(include=("docs/**/*.md",), exclude=("docs/drafts/**",))
    assert document_kind("docs/a/b.md", None, custom) == "prompt"
    assert document_kind("docs/drafts/b.md", None, custom) is None
    assert document_kind("AGENTS.md", None, custom) == "source"


def test_inline_html_comments_are_not_part_of_a_prompt() -> None:
    doc = (
        "Make a posts table.  <!-- promptcoach-disable-line -->\n\n"
        "*   Add user login. <!-- promptcoach-disable-line vague-term -->\n\n"
        "Add login with Clerk. <!-- a note -->\nKeep sessions short.\n\n"
        "Keep `<!-- this -->` as code, <!-- and this --> in a line.\n"
    )
    prompts = markdown_prompts(doc)
    assert [p.text for p in prompts] == [
        "Make a posts table.",
        "Add user login.",
        "Add login with Clerk.\nKeep sessions short.",
        "Keep `<!-- this -->` as code, <!-- and this --> in a line.",
    ]
    assert_segments_map(doc, prompts)
    assert prompts[0].end == doc.index("  <!--")  # the range stops before the comment
    assert markdown_prompts("Text <!-- never closed\n") == markdown_prompts("Text <!-- never closed\n", fast=False)
    assert markdown_prompts("Text <!-- never closed\n")[0].text == "Text <!-- never closed"


def test_runs_of_line_end_comments_go_whole_and_fast() -> None:
    import time

    doc = "Make a table <!-- a --><!-- b -->\n\n> - Make a list <!-- x -->\n>   with `a <!-- y -->\n"
    prompts = markdown_prompts(doc)
    assert [p.text for p in prompts] == ["Make a table", "Make a list\nwith `a"]
    assert_segments_map(doc, prompts)
    long = "".join("word <!-- x -->\n" for _ in range(16000))
    started = time.perf_counter()
    (prompt,) = markdown_prompts(long)
    assert time.perf_counter() - started < 2.0  # one pass, not one per comment
    assert prompt.text == "\n".join(["word"] * 16000)
    assert_segments_map(long, [prompt])
