"""UTF-16 / UTF-8 columns computed without walking the line prefix (issue 16) agree with
counting the prefix, at every offset, on lines with astral characters at several columns."""

from __future__ import annotations

import pytest

from promptcoach.engine.positions import CodeUnits, LineIndex, Position, utf16_length
from promptcoach.lsp.convert import PositionMapper
from promptcoach.output.report import _Positions

EMOJI = "\U0001f600"  # two UTF-16 units, four UTF-8 bytes


def counted(text: str, encoding: str) -> int:
    """The reference: code units of ``text`` counted character by character."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return sum(1 if ord(ch) < 0x80 else 2 if ord(ch) < 0x800 else 3 if ord(ch) < 0x10000 else 4 for ch in text)
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def reference_positions(text: str, encoding: str = "utf-16") -> list[tuple[int, int]]:
    """(line, column) of every offset 0..len(text), lines broken after LF, CRLF and lone CR,
    columns counted character by character from the line start."""
    positions = [(0, 0)]
    line, column = 0, 0
    for offset in range(1, len(text) + 1):
        previous = text[offset - 1]
        if previous in "\r\n" and not text.startswith("\r\n", offset - 1):
            line, column = line + 1, 0
        else:
            column += counted(previous, encoding)
        positions.append((line, column))
    return positions


# A long line (many blocks) with astral characters at the first column, mid-line,
# on block boundaries and at the end; CJK (3-byte UTF-8) and accents (2 bytes) between.
LONG_LINE = EMOJI + "é a " * 40 + EMOJI * 3 + "x" * 125 + EMOJI + "中文 stuff " * 30 + EMOJI
DOCUMENTS = [
    EMOJI + " make it " + EMOJI + " work\n" + "ascii only line\n" + "x" * 300 + EMOJI + "\n",
    LONG_LINE + "\r\n" + LONG_LINE + "\r" + "plain\n" + LONG_LINE,
    "ascii " * 100 + "\n" + "é" * 400,
    EMOJI * 500,
    "a\ud83dz lone surrogate " * 20 + EMOJI,
]


@pytest.mark.parametrize("text", DOCUMENTS)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_mapper_positions_match_counting_the_prefix(text, encoding):
    if encoding == "utf-8" and "\ud83d" in text:
        pytest.skip("a lone surrogate has no UTF-8 form to compare with")
    mapper = PositionMapper(text, encoding)
    for offset, (line, character) in enumerate(reference_positions(text, encoding)):
        assert mapper.position(offset) == {"line": line, "character": character}, offset


@pytest.mark.parametrize("text", DOCUMENTS)
def test_line_index_and_report_positions_match_counting_the_prefix(text):
    index = LineIndex(text)
    positions = _Positions(text)
    for offset, (line, character) in enumerate(reference_positions(text)):
        assert index.position(offset) == Position(line, character), offset
        assert positions.position(offset) == (line, character), offset


def test_positions_queried_out_of_order_and_past_the_ends():
    text = "x" + LONG_LINE
    mapper = PositionMapper(text)
    offsets = list(range(len(text) + 1))
    expected = {offset: mapper.position(offset) for offset in offsets}
    for offset in reversed(offsets):
        assert mapper.position(offset) == expected[offset]
    assert mapper.position(-5) == {"line": 0, "character": 0}
    assert mapper.position(len(text) + 9) == expected[len(text)]
    assert expected[len(text)]["character"] == utf16_length(text)


def test_astral_characters_at_several_columns():
    line = "ab" + EMOJI + "c" * 200 + EMOJI + EMOJI + "d" + "é" * 150 + EMOJI
    text = "first\n" + line + "\n"
    mapper = PositionMapper(text)
    start = len("first\n")
    first = line.index(EMOJI)
    second = line.index(EMOJI, first + 1)
    last = line.rindex(EMOJI)
    assert mapper.position(start + first) == {"line": 1, "character": 2}
    assert mapper.position(start + first + 1) == {"line": 1, "character": 4}
    assert mapper.position(start + second) == {"line": 1, "character": 204}
    assert mapper.position(start + second + 2) == {"line": 1, "character": 208}
    assert mapper.position(start + last) == {"line": 1, "character": 209 + 150}
    assert mapper.position(start + len(line)) == {"line": 1, "character": 209 + 150 + 2}
    assert PositionMapper(text, "utf-8").position(start + last) == {"line": 1, "character": 2 + 4 + 200 + 8 + 1 + 300}


def test_code_units_of_spans_across_blocks():
    text = ("é" + EMOJI + "abc") * 100
    for encoding in ("utf-16", "utf-8", "utf-32"):
        units = CodeUnits(text, encoding)
        for start in range(0, len(text), 37):
            for end in range(start, len(text) + 1, 53):
                assert units.count(start, end) == counted(text[start:end], encoding)


def test_ascii_text_needs_no_table():
    units = CodeUnits("x" * 1000)
    assert units.count(3, 900) == 897
    assert units._extra_before_block == []
