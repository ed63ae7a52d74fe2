"""The Markdown block parser stays linear in the length of a line however deeply the
line nests list items and quotes, and HTML comments at line ends are found in one
pass (issue 16: '- ' * n + 'x', '<!-- ' * n)."""

from __future__ import annotations

import re
import time

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from promptcoach.engine.extract.build import _line_end_comment_runs, without_html_comments
from promptcoach.engine.extract.markdown import markdown_blocks
from promptcoach.engine.extract.markdown_model import MAX_PATH
from promptcoach.engine.model import Prompt, Segment
from testkit.markdown import markdown_prompts


def summary(text: str, fast: bool = True) -> list[tuple]:
    return [
        (b.kind, b.start, b.end, b.prompt.text if b.prompt else None, len(b.path), b.item)
        for b in markdown_blocks(text, fast)
    ]


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


# -- a line nested n deep -----------------------------------------------------------
def test_a_list_nested_on_one_line_is_one_item_deep_inside() -> None:
    assert summary("- - - - - x") == [("text", 10, 11, "x", 5, True)]
    assert summary("- 1. * + 2) x\n") == [("text", 12, 13, "x", 5, True)]
    assert summary("- > - x\n") == [("text", 6, 7, "x", 3, True)]
    assert summary(">>> x\n") == [("text", 4, 5, "x", 3, False)]
    assert summary(">>>\t    x\n") == []  # indented code three quotes deep


def test_thematic_breaks_among_nested_markers() -> None:
    assert summary("- - - -") == [("break", 0, 7, None, 0, False)]  # the whole line is a break
    assert summary("- - - * * *\nafter\n")[0] == ("break", 0, 11, None, 0, False)  # a break two items deep
    assert summary("- - * - x") == [("text", 8, 9, "x", 4, True)]  # mixed: markers, no break
    assert summary("- -  \t- x") == []  # five columns after a marker: indented code, no prompt
    for fast in (True, False):
        assert summary("- " * 3000 + "* * *", fast) == [("break", 0, 6005, None, 0, False)]


def test_deep_one_line_lists_parse_in_linear_time() -> None:
    for line in (
        "- " * 60000 + "x",
        "- 1. * + 2) " * 12000 + "x\n",
        "> " * 60000 + "x\n",
        ">" * 120000 + " x\n",
        "> - " * 30000 + "x\n",
    ):
        blocks, seconds = timed(markdown_blocks, line)
        assert [b.prompt.text for b in blocks] == ["x"]
        assert len(blocks[0].path) == MAX_PATH  # the path keeps the outermost and the innermost
        assert seconds < 2.0, seconds  # quadratic took minutes at this size


def test_lines_that_go_back_into_a_deep_list_are_linear() -> None:
    depth = 30000
    doc = "- " * depth + "x\n" + " " * (2 * depth) + "y\n"  # indented into every item
    for fast in (True, False):  # the general path matches the items one by one
        blocks, seconds = timed(markdown_blocks, doc, fast)
        assert [(b.prompt.text, b.item) for b in blocks] == [("x\ny", True)]
        assert seconds < 2.0, seconds


def test_blank_lines_after_a_deep_list_with_a_quote_inside_are_linear() -> None:
    depth, blanks = 20000, 20000
    doc = "- " * depth + "> x\n" + "\n" * blanks + "after\n"
    blocks, seconds = timed(markdown_blocks, doc)
    assert [(b.prompt.text, b.prompt.kind) for b in blocks] == [("x", "quote"), ("after", "paragraph")]
    assert markdown_prompts(doc) == markdown_prompts(doc, fast=False)
    assert seconds < 2.0, seconds
    doc = "> " + "- " * depth + "x\n" + ">\n" * blanks + "> after\n"  # blank after the quote marker
    for fast in (True, False):
        blocks, seconds = timed(markdown_blocks, doc, fast)
        assert [(b.prompt.text, len(b.path)) for b in blocks] == [("x", MAX_PATH), ("after", 1)]
        assert seconds < 2.0, seconds


# -- HTML comments that end a line ----------------------------------------------------------
# The definition the one-pass finder follows (a regex that tries every '<!--' to the line end).
_REFERENCE = re.compile(r"(?<!-->)(?:<!--(?:(?!-->)[^\n])*-->[ \t]*)+(?=\n|$)")


@hsettings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["<!--", "-->", "<!-->", " ", "\t", "\n", "a", "-", "<", ">", "!"]), max_size=30))
def test_line_end_comment_runs_follow_the_reference(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _line_end_comment_runs(text) == [m.span() for m in _REFERENCE.finditer(text)]


def test_line_end_comment_runs_examples() -> None:
    assert _line_end_comment_runs("a <!-- x --> <!-- y -->\nb") == [(2, 23)]
    assert _line_end_comment_runs("a <!-- <!-- x -->") == [(2, 17)]  # from the first opener
    assert _line_end_comment_runs("a --><!-- x -->") == []  # an opener right after '-->' starts nothing
    assert _line_end_comment_runs("<!-->x -->") == [(0, 10)]  # '<!-->' does not close itself
    assert _line_end_comment_runs("a <!-- x --> b\n<!-- y -->") == [(15, 25)]  # only the line-end one


def prompt_of(text: str) -> Prompt:
    return Prompt(text, (Segment(0, 0, len(text)),), "paragraph")


def test_many_unclosed_comment_openers_stay_and_cost_one_pass() -> None:
    text = "Make it fast " + "<!-- " * 200000
    prompt, seconds = timed(without_html_comments, prompt_of(text))
    assert prompt.text == text
    assert seconds < 2.0, seconds
    closed = "Make it fast " + "<!-- " * 200000 + "-->" + " " * 200000 + "x"  # one closer, then no line end
    prompt, seconds = timed(without_html_comments, prompt_of(closed))
    assert prompt.text == closed
    assert seconds < 2.0, seconds
    cut = without_html_comments(prompt_of("Make it fast " + "<!-- " * 1000 + "-->"))
    assert cut.text == "Make it fast"
