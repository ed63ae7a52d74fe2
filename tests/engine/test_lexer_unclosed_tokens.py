"""The lexer on tokens that do not close: JavaScript regex literals with an open
``[class]``, Swift raw-string openers (runs of ``#``) and ``<script`` tags with no
``>``. These inputs used to be re-read from every candidate start; the comments
found must be the same as reading each candidate on its own."""

from __future__ import annotations

from promptcoach.engine.extract import extract_prompts
from promptcoach.engine.extract.languages import language_table
from promptcoach.engine.settings import Settings

SETTINGS = Settings()


def texts(source: str, path: str) -> list[str]:
    return [p.text for p in extract_prompts(source, path, settings=SETTINGS)]


def comment_bodies(source: str, syntax: str) -> list[str]:
    return [source[c.body_start : c.body_end] for c in language_table().syntax(syntax).scan(source)]


# -- JavaScript regex literals ------------------------------------------------------
def test_unclosed_regex_class_at_end_of_line_hides_nothing_after_it() -> None:
    source = "const a = /[abc\n// prompt: add a users table\n"
    assert texts(source, "app.ts") == ["add a users table"]


def test_a_comment_after_an_unclosed_class_on_the_same_line_is_found() -> None:
    assert comment_bodies("const a = /[ // seen\n", "javascript") == [" seen"]


def test_many_unclosed_classes_on_one_line() -> None:
    source = "x = " + "=/[" * 5000 + " // tail\n// prompt: add a posts table\n"
    assert comment_bodies(source, "javascript") == [" tail", " prompt: add a posts table"]


def test_a_regex_without_class_still_closes_after_an_unclosed_one() -> None:
    # /"/ is a regex literal: its quote must not open a string that hides the comment
    assert comment_bodies('x = /[ (/"/) // seen\n', "javascript") == [" seen"]


def test_tokens_that_start_after_an_unclosed_class_may_run_past_its_line() -> None:
    source = "x = /[ `\n// inside a template\n` // one\ny = /[ /* two\n three */ // four\n"
    assert comment_bodies(source, "javascript") == [" one", " two\n three ", " four"]


def test_regex_literals_with_classes_on_the_next_line() -> None:
    source = 'a = /[\nb = /["]/; // prompt: second\nc = /[/]/ + /\\[/ // third\n'
    assert comment_bodies(source, "javascript") == [" prompt: second", " third"]


def test_an_escaped_closing_bracket_keeps_the_class_open() -> None:
    # open class: no regex, so the quote opens a string that runs to the end of the line
    assert comment_bodies('x = /[\\]"/ // hidden\n', "javascript") == []
    assert comment_bodies('x = /[\\]]"/ // seen\n', "javascript") == [" seen"]


# -- Swift raw strings --------------------------------------------------------------
def test_swift_raw_string_with_many_hashes() -> None:
    hashes = "#" * 300
    source = f'let s = {hashes}"a "# // not a comment "{hashes[1:]} still"{hashes} // prompt: real\n'
    assert comment_bodies(source, "swift") == [" prompt: real"]


def test_a_run_of_hashes_without_a_quote_opens_nothing() -> None:
    source = "#" * 5000 + ' // first\n#if DEBUG // second\nlet s = #"// no"# // third\n'
    assert comment_bodies(source, "swift") == [" first", " second", " third"]


def test_an_unclosed_swift_raw_string_runs_to_the_end() -> None:
    assert comment_bodies('let s = ###"abc\n// inside"##\n// inside too\n', "swift") == []


# -- HTML <script> and <style> ------------------------------------------------------
def test_script_tags_that_never_end_hide_no_comment() -> None:
    source = "<!-- prompt: a -->\n" + "<script a=1\n" * 50 + "<!-- prompt: b\n"
    assert texts(source, "page.html") == ["a", "b"]


def test_an_unclosed_script_tag_reaches_the_next_angle_bracket() -> None:
    # the tag ends at the '>' of the comment closer: the comment is inside the tag
    source = "<script src=x\n<!-- prompt: hidden -->\n// seen\n</script>\n<!-- prompt: after -->\n"
    assert comment_bodies(source, "html") == [" seen", " prompt: after "]


def test_script_and_style_regions_after_an_unclosed_tag_elsewhere() -> None:
    source = "<script>// one\n</script><style>/* two */</style>\n<style a=1\n<!-- three"
    assert comment_bodies(source, "html") == [" one", " two ", " three"]
