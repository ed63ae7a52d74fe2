"""Marked comments in source code become prompts.

A prompt starts at a comment (or a line of a block comment) whose text begins
with a marker (``prompt:``, ``ai:``, ``@ai``, ``TODO(ai):`` by default, any
case). It continues over

* line comments: the following comments of the same token on the very next
  lines, each alone on its line, up to a blank comment line, a line of code or
  another marker;
* block comments: the following lines of the same comment, up to a blank line,
  another marker or the end of the comment (so a doc block's ``@param`` section
  after a blank line is not part of the prompt).

Comment tokens, ``*`` gutters, the marker and surrounding blanks are stripped;
segments keep every character's document offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from promptcoach.engine import regexcache
from promptcoach.engine.extract.build import build_prompt, line_spans
from promptcoach.engine.extract.lexer import Comment, Syntax
from promptcoach.engine.model import Prompt, Segment

_NEXT_LINE = regexcache.compile(r"(?:\r\n|\r|\n)[ \t]*")
_BLANKS = " \t\f\v\ufeff"


class Markers:
    """The configured markers compiled: one regex to find them anywhere (a quick
    pre-check) and one to match them at the start of a comment's text."""

    def __init__(self, markers: tuple[str, ...]) -> None:
        ordered = sorted(markers, key=len, reverse=True)
        self.names = ordered
        alternatives = []
        for index, marker in enumerate(ordered):
            pattern = re.escape(marker)
            if marker and (marker[-1].isalnum() or marker[-1] == "_"):
                pattern += r"(?!\w):?"  # "@ai" but not "@aim"; "@ai:" strips the colon too
            alternatives.append(f"(?P<m{index}>{pattern})")
        self.at_start = re.compile("(?:" + "|".join(alternatives) + r")[ \t]*", re.I) if ordered else None
        self.anywhere = re.compile("|".join(re.escape(m) for m in ordered), re.I) if ordered else None
        self._lowered = tuple(m.lower() for m in ordered)

    def finder(self, text: str) -> Callable[[int, int], bool]:
        """``occurs(start, end)``: may a marker occur in ``text[start:end]``? Uses one
        lower-cased copy of the text (offsets agree unless lowering changed its length)."""
        anywhere = self.anywhere
        if anywhere is None:
            return lambda start, end: False
        lowered = text.lower()
        if len(lowered) != len(text):
            return lambda start, end: anywhere.search(text, start, end) is not None
        names = self._lowered
        return lambda start, end: any(lowered.find(name, start, end) >= 0 for name in names)

    def match(self, text: str, start: int, end: int) -> tuple[str, int] | None:
        """``(marker, offset after it and its blanks)`` when ``text[start:end]`` begins with one."""
        if self.at_start is None:
            return None
        found = self.at_start.match(text, start, end)
        if found is None:
            return None
        group = found.lastgroup
        assert group is not None  # every alternative is a group m<index>
        return self.names[int(group[1:])], found.end()


@lru_cache(maxsize=16)
def compile_markers(markers: tuple[str, ...]) -> Markers:
    return Markers(tuple(m for m in markers if m))


def marked_prompts(text: str, syntax: Syntax, markers: Markers) -> list[Prompt]:
    may_hold_marker = markers.finder(text)
    if not may_hold_marker(0, len(text)):
        return []  # the common case: nothing to lex
    return _marked_runs(text, _comment_lines(text, syntax.scan(text), may_hold_marker), markers)


def _comment_lines(
    text: str, comments: list[Comment], may_hold_marker: Callable[[int, int], bool]
) -> list[tuple[int, int, bool]]:
    """``(start, end, continues_previous)`` of each comment line's text, tokens and
    gutters stripped. A line continues the previous one inside a block comment, or
    when both are line comments of the same token on consecutive lines."""
    lines: list[tuple[int, int, bool]] = []
    previous: Comment | None = None
    for comment in comments:
        if not comment.block:
            start = _line_body_start(text, comment)
            joins = previous is not None and _continues(text, previous, comment)
            lines.append((start, _rstrip(text, start, comment.body_end), joins))
        elif may_hold_marker(comment.body_start, comment.body_end):
            lines.extend((start, end, index > 0) for index, (start, end) in enumerate(_block_lines(text, comment)))
        previous = comment
    return lines


def _marked_runs(text: str, lines: list[tuple[int, int, bool]], markers: Markers) -> list[Prompt]:
    """A prompt per line that starts with a marker, with the lines continuing it up
    to a blank line or the next marker."""
    prompts: list[Prompt] = []
    index = 0
    while index < len(lines):
        start, end, _ = lines[index]
        index += 1
        found = markers.match(text, start, end)
        if found is None:
            continue
        marker, after = found
        spans = [(after, end)]
        while index < len(lines) and lines[index][2]:
            start, end, _ = lines[index]
            if end <= start:
                following = _list_after_blanks(text, lines, index)
                if following is not None:
                    index = following  # blank comment lines, then the prompt's list of specifics
                    continue
            if end <= start or markers.match(text, start, end):
                break
            spans.append((start, end))
            index += 1
        prompt = build_prompt(text, spans, "comment", marker)
        if prompt is None:  # a bare marker: an empty prompt, at the end of the marker
            prompt = Prompt("", (Segment(0, after, 0),), "comment", marker)
        prompts.append(prompt)
    return prompts


_LIST_ITEM = regexcache.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]")


def _list_after_blanks(text: str, lines: list[tuple[int, int, bool]], index: int) -> int | None:
    """The index of the list item that the blank comment lines from ``index`` lead to in the
    same comment (``# prompt: Add login:`` / ``#`` / ``#   - GitHub OAuth``: the list joins
    the prompt), else None."""
    while index < len(lines) and lines[index][2]:
        start, end, _ = lines[index]
        if end > start:
            return index if _LIST_ITEM.match(text, start, end) is not None else None
        index += 1
    return None


def _continues(text: str, previous: Comment, following: Comment) -> bool:
    """Is ``following`` a line comment of the same token alone on the next line?"""
    return (
        not following.block
        and not previous.block
        and following.opener == previous.opener
        and _NEXT_LINE.fullmatch(text, previous.end, following.start) is not None
    )


def _line_body_start(text: str, comment: Comment) -> int:
    """Skip repeats of the token's last character (``///``, ``##``, ``--- ``), a ``!``
    (``//!``) and blanks after a line comment's token."""
    pos = comment.body_start
    end = comment.body_end
    repeat = comment.opener[-1]
    while pos < end and text[pos] == repeat:
        pos += 1
    if pos < end and text[pos] == "!":
        pos += 1
    while pos < end and text[pos] in _BLANKS:
        pos += 1
    return pos


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _BLANKS:
        end -= 1
    return end


def _block_lines(text: str, comment: Comment) -> list[tuple[int, int]]:
    """The text of each line of a block comment without blanks and ``*`` gutters."""
    gutter = comment.gutter
    lines = []
    for start, end in line_spans(text, comment.body_start, comment.body_end):
        while start < end and text[start] in _BLANKS:
            start += 1
        if gutter:
            while start < end and text[start] == gutter:
                start += 1
            while start < end and text[start] in _BLANKS:
                start += 1
        lines.append((start, _rstrip(text, start, end)))
    if gutter and lines:  # "text **/": drop trailing decoration before the closer
        start, end = lines[-1]
        while end > start and text[end - 1] == gutter:
            end -= 1
        lines[-1] = (start, _rstrip(text, start, end))
    return lines
