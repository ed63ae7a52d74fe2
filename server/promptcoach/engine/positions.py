"""Positions in a document: Python string offsets <-> LSP (line, UTF-16 character).

The engine works with offsets into the document string; everything that leaves the
engine (JSON, SARIF, LSP) uses 0-based lines and UTF-16 code units, as LSP does.
Line breaks are LF, CRLF and lone CR, as in the LSP specification.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

from promptcoach.engine import regexcache

_LINE_BREAK = regexcache.compile(r"\r\n|\r|\n")
_PLUS_ONE = (1).__add__


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts. Without a CR, from the lengths of
    ``str.split`` (no Python code runs per line: a file of a million short lines)."""
    if "\r" in text:
        starts = [0]
        starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
        return starts
    starts = list(accumulate(map(_PLUS_ONE, map(len, text.split("\n"))), initial=0))
    starts.pop()  # (past the end)
    return starts


class Position(NamedTuple):
    line: int
    character: int  # UTF-16 code units

    def to_json(self) -> dict[str, int]:
        return {"line": self.line, "character": self.character}


class Range(NamedTuple):
    start: Position
    end: Position

    def to_json(self) -> dict[str, dict[str, int]]:
        return {"start": self.start.to_json(), "end": self.end.to_json()}


def utf16_length(text: str) -> int:
    """Number of UTF-16 code units of ``text``."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _extra_units(text: str, encoding: str) -> int:
    """Code units of ``text`` in ``encoding`` beyond one per character (UTF-16 counts a
    lone surrogate as one unit, as LSP clients do; UTF-32 has none)."""
    if encoding == "utf-32" or text.isascii():
        return 0
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass")) - len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2 - len(text)


class CodeUnits:
    """Code units (UTF-16 by default; also ``utf-8`` and ``utf-32``) of spans of one text.

    Counting a whole line prefix for every position made many findings on one long
    non-ASCII line quadratic (issue 16). Instead the extra units before every
    :attr:`BLOCK`-th character are summed once, on the first query of a span longer
    than a block, and a span costs at most two partial blocks, however long it is (one
    when it starts where the previous span did: the positions of one line share their
    line start). An ASCII text (or UTF-32) needs no table: every span's count is its length.
    """

    BLOCK = 128

    __slots__ = ("text", "encoding", "_extra_before_block", "_last_start")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self._extra_before_block: list[int] | None = None  # [k]: extra units of text[: k * BLOCK]
        self._last_start = (-1, 0)  # (offset, its extra units): spans of one line share their start

    def count(self, start: int, end: int) -> int:
        """Code units of ``text[start:end]`` (``start <= end``, both within the text)."""
        if end - start <= self.BLOCK:
            return end - start + _extra_units(self.text[start:end], self.encoding)
        table = self._extra_before_block
        if table is None:
            table = self._extra_before_block = _extra_units_before_blocks(self.text, self.encoding, self.BLOCK)
        if not table:
            return end - start
        last_start, extra_before_start = self._last_start
        if last_start != start:
            extra_before_start = self._extra_before(start, table)
            self._last_start = (start, extra_before_start)
        return end - start + self._extra_before(end, table) - extra_before_start

    def _extra_before(self, offset: int, table: list[int]) -> int:
        block_start = offset - offset % self.BLOCK
        return table[offset // self.BLOCK] + _extra_units(self.text[block_start:offset], self.encoding)


def _extra_units_before_blocks(text: str, encoding: str, block: int) -> list[int]:
    """Running totals of extra code units at every ``block``-th offset; empty when
    the text has none (ASCII, or UTF-32)."""
    if encoding == "utf-32" or text.isascii():
        return []
    totals = [0]
    total = 0
    for block_start in range(0, len(text) - block + 1, block):
        total += _extra_units(text[block_start : block_start + block], encoding)
        totals.append(total)
    return totals


class LineIndex:
    """Maps offsets of one document to LSP positions and back."""

    __slots__ = ("text", "line_starts", "_utf16")

    def __init__(self, text: str) -> None:
        self._set(text, line_starts(text))

    @classmethod
    def from_line_starts(cls, text: str, line_starts: list[int]) -> LineIndex:
        """An index of ``text`` whose line starts the caller has computed already."""
        index = cls.__new__(cls)
        index._set(text, line_starts)
        return index

    def _set(self, text: str, line_starts: list[int]) -> None:
        self.text = text
        self.line_starts = line_starts
        self._utf16 = CodeUnits(text)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def line_text(self, line: int) -> str:
        """The text of ``line`` without its line break."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.line_starts[line]
        return Position(line, self._utf16.count(start, offset))

    def range(self, start: int, end: int) -> Range:
        return Range(self.position(start), self.position(end))

    def offset(self, position: Position) -> int:
        """Offset of an LSP position; positions past a line's end clamp to it."""
        if position.line < 0:
            return 0
        if position.line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[position.line]
        line = self.line_text(position.line)
        if line.isascii():
            return start + min(max(position.character, 0), len(line))
        units = 0
        for index, ch in enumerate(line):
            if units >= position.character:
                return start + index
            units += 2 if ord(ch) > 0xFFFF else 1
        return start + len(line)
