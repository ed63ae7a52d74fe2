"""Positions in a document: Python string offsets <-> LSP (line, UTF-16 character).

The engine works with offsets into the document string; everything that leaves the
engine (JSON, SARIF, LSP) uses 0-based lines and UTF-16 code units, as LSP does.
Line breaks are LF, CRLF and lone CR, as in the LSP specification.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    character: int  # UTF-16 code units

    def to_json(self) -> dict:
        return {"line": self.line, "character": self.character}


@dataclass(frozen=True, slots=True)
class Range:
    start: Position
    end: Position

    def to_json(self) -> dict:
        return {"start": self.start.to_json(), "end": self.end.to_json()}


def utf16_length(text: str) -> int:
    """Number of UTF-16 code units of ``text``."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class LineIndex:
    """Maps offsets of one document to LSP positions and back."""

    __slots__ = ("text", "line_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
        self.line_starts = starts

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
        return Position(line, utf16_length(self.text[start:offset]))

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
