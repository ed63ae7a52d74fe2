"""Spans of a prompt's text that the rules read: quoted parts (skipped), sentences and
clauses (a finding's reach), and the case of a replacement."""

from __future__ import annotations

import re
from bisect import bisect_right

from promptcoach.engine import regexcache

# `code`, "double", 'single' quoted text, or the opening curly quote of “curly” text: a
# curly span is closed by a different character than it opens with, so its end is
# looked up by :func:`quoted_spans` (a regex branch “[^”\n]*” would scan to the end of
# the line from every unclosed “ on it).
_QUOTED_OR_CURLY_OPENER = regexcache.compile(r"`[^`\n]*`|\"[^\"\n]*\"|“|(?<!\w)'[^'\n]*'(?!\w)")
_SENTENCE_END = regexcache.compile(r"(?<![.!?;])[.!?;]+(?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
_CLAUSE_END = regexcache.compile(r"(?<![.!?;,:])[.!?;,:]+(?=\s|$)|\n|\s(?=but\s|although\s|though\s|however\s)")


class QuotedSpans:
    """Spans of `code`, "double" and 'single' quoted text, for skipping matches inside them."""

    def __init__(self, text: str) -> None:
        self.spans = quoted_spans(text) if ("`" in text or '"' in text or "'" in text or "“" in text) else []
        self._starts = [start for start, _ in self.spans]

    def covers(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, start) - 1
        return index >= 0 and self.spans[index][1] >= end


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quoted span, left to right: what ``finditer`` of the
    regex with the branch “[^”\n]*” gives, where a “ opens a span up to the first ” after
    it when no line break comes first, and is no quote otherwise. The next ” and the
    next line break are looked up once and reused for every “ before them, so a line of
    unclosed “ costs one pass, not one scan to the line's end each."""
    spans: list[tuple[int, int]] = []
    beyond = len(text) + 1  # "no such character ahead"
    close = line_end = -1  # the first ” and line break after the last “ looked at
    position = 0
    while True:
        match = _QUOTED_OR_CURLY_OPENER.search(text, position)
        if match is None:
            return spans
        start = match.start()
        if text[start] != "“":  # only the bare “ branch starts with one
            spans.append(match.span())
            position = match.end()
            continue
        if close <= start:
            close = _find_after(text, "”", start, beyond)
        if line_end <= start:
            line_end = _find_after(text, "\n", start, beyond)
        if close < line_end:
            spans.append((start, close + 1))
            position = close + 1
        else:
            position = start + 1


def _find_after(text: str, char: str, start: int, missing: int) -> int:
    """The index of the first ``char`` after ``start``, else ``missing``."""
    found = text.find(char, start + 1)
    return missing if found < 0 else found


def _split(text: str, boundary: re.Pattern[str]) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in boundary.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence (ends at . ! ? ; a blank line or a list item)."""
    return _split(text, _SENTENCE_END)


def clauses(text: str) -> list[tuple[int, int]]:
    """Finer than :func:`sentences`: also split at commas, colons and "but"."""
    return _split(text, _CLAUSE_END)


def match_case(original: str, replacement: str) -> str:
    """``replacement`` capitalised like the first letter of ``original`` (only its first
    character is read: pass ``text[start:start + 1]``, not a copy of the text's rest)."""
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement
