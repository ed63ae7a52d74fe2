"""The Markdown parser's line scanner: the unconsumed rest of one line, its indent
in columns (tabs to multiples of 4) and the blanks and markers it passes.
"""

from __future__ import annotations

from promptcoach.engine import regexcache

BLANKS = " \t\f\v"
BLANK_RUN = regexcache.compile(r"[ \t]*")
# characters that may begin a block marker, a setext underline, a table row ...
SPECIAL_FIRST = frozenset("<>-+*#=~`|[_:0123456789")


class Line:
    """The unconsumed rest of one line: ``text[pos:end]`` at visual column ``column``."""

    __slots__ = ("text", "pos", "end", "column", "_indent")

    def __init__(self, text: str, pos: int, end: int) -> None:
        self.text = text
        self.pos = pos
        self.end = end
        self.column = 0
        self._indent: tuple[int, int, int] | None = None

    def indent(self) -> tuple[int, int, int]:
        """(indent width in columns, offset and column of the first non-blank)."""
        if self._indent is None:
            self._indent = self._measure_indent()
        return self._indent

    def _measure_indent(self) -> tuple[int, int, int]:
        text, pos, column = self.text, self.pos, self.column
        run = BLANK_RUN.match(text, pos, self.end)
        assert run is not None  # (the pattern matches the empty string, as below)
        first = run.end()
        if text.find("\t", pos, first) < 0:
            return first - pos, first, column + first - pos
        while pos < self.end:
            char = text[pos]
            if char == " ":
                column += 1
            elif char == "\t":
                column += 4 - column % 4
            else:
                break
            pos += 1
        return column - self.column, pos, column

    def advance_to(self, pos: int, column: int) -> None:
        self.pos, self.column = pos, column
        self._indent = None

    def pass_quote_marker(self, pos: int, column: int) -> None:
        """Consume the ``>`` at ``pos`` (column ``column``) and one blank after it."""
        content = quote_content(self.text, pos, self.end)
        if content is not None:  # the usual case: no blanks left
            self.pos, self.column = content, column + content - pos
            self._indent = (0, content, self.column)
            return
        self.advance_to(pos + 1, column + 1)
        self.advance_columns(1)

    def advance_columns(self, count: int) -> None:
        """Consume up to ``count`` columns of blanks (a tab that straddles counts whole)."""
        indent, self._indent = self._indent, None
        target = self.column + count
        if self.text.startswith(" " * count, self.pos):
            self.pos += count
            self.column = target
            if indent is not None and count >= 0:
                # spaces only: the first non-blank stays where it was (no re-measuring
                # of the blanks left for each of many list items a line goes into)
                self._indent = (indent[0] - count, indent[1], indent[2])
            return
        while self.pos < self.end and self.column < target and self.text[self.pos] in " \t":
            if self.text[self.pos] == "\t":
                self.column += 4 - self.column % 4
            else:
                self.column += 1
            self.pos += 1

    def is_blank(self) -> bool:
        return self.indent()[1] >= self.end

    def rest(self, pos: int) -> str:
        return self.text[pos : self.end]

    def thematic_break_span(self, char: str) -> tuple[int, int]:
        """(first, last): the rest of the line from an offset ``p`` (not before
        ``self.pos``) that holds ``char`` (one of ``*-_``) is a thematic break
        (``THEMATIC`` of :mod:`.markdown_leaves`) exactly when ``first <= p <= last``:
        from ``first`` on the line holds only ``char`` and blanks, and ``last`` is its
        third ``char`` from the end.
        A line that opens n list items asks at each marker: with this span, worked out
        once, each answer costs O(1), not a scan of the rest of the line."""
        text, end = self.text, self.end
        first = self.pos + len(text[self.pos : end].rstrip(char + " \t"))
        last = end
        for _ in range(3):
            last = text.rfind(char, first, last)
            if last < 0:
                return (1, 0)  # fewer than three: never
        return (first, last)


def quote_content(text: str, marker: int, end: int) -> int | None:
    """Where the content after the ``>`` at ``marker`` starts when the usual case holds:
    a non-blank after the marker and at most one space (None otherwise)."""
    content = marker + 2 if text.startswith(" ", marker + 1) else marker + 1
    return content if content < end and text[content] not in " \t" else None
