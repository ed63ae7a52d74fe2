"""Prompts in prompt files, read the way a Markdown (CommonMark/GFM) renderer would.

One prompt is one paragraph, one list item's first paragraph (nested items are
their own prompts; lazy continuation lines belong to the item) or one paragraph
of a block quote. Not prompts: front matter (``---`` YAML or ``+++`` TOML at the
very start), fenced code (``` and ~~~; an unterminated fence runs to the end of
its container), indented code, ATX and setext headings, thematic breaks, HTML
blocks, link reference definitions and GFM tables.

Decisions where prompt files differ from web pages:

* HTML blocks follow CommonMark kinds 1-6 (comments, ``<script>``/``<pre>``/
  ``<style>``, processing instructions, declarations, CDATA and the known HTML
  block tags such as ``<div>`` or ``<details>``, which end at a blank line).
  Other tags alone on a line -- the XML-style sections prompt writers use,
  ``<rules>`` ... ``</rules>`` -- are skipped as lines, and the Markdown between
  them is read normally, so the instructions inside are prompts.
* Tables are reference data (commands, mappings), not requests: the whole table
  is skipped.

The parser works line by line with a stack of open containers (quotes, list
items), like CommonMark's block phase, and keeps only what prompts need.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import count
from typing import NamedTuple, cast

from promptcoach.engine.extract.build import build_prompt, line_spans, without_html_comments
from promptcoach.engine.model import Prompt

_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
_LIST_MARKER = re.compile(r"([-+*]|(\d{1,9})[.)])(?=[ \t]|$)")
_THEMATIC = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_TASK_BOX = re.compile(r"\[[ xX]\](?:[ \t]+|$)")
_LINK_DEFINITION = re.compile(
    r"\[(?!\^)(?:[^\]\\]|\\.)+\]:[ \t]*(?:<[^>]*>|\S+)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$"
)
_TAG_LINE = re.compile(r"(?:</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>[ \t]*)+$")
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|"
    "dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|"
    "iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|"
    "summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
# (start pattern, end pattern or None for "ends at a blank line"); CommonMark kinds 1-6
_HTML_BLOCKS = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I),
        re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    ),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(rf"</?(?:{_BLOCK_TAGS})(?:[\s>]|/>|$)", re.I), None),
)
_BLANKS = " \t\f\v"
_BLANK_RUN = re.compile(r"[ \t]*")
_QUOTE_RUN = re.compile(r">+")
# characters that may begin a block marker, a setext underline, a table row ...
_SPECIAL_FIRST = frozenset("<>-+*#=~`|[_:0123456789")
_CONTAINER_FIRST = frozenset(">-+*0123456789")
# "<spaces><marker><1-4 spaces><a character that starts nothing special>"
_SIMPLE_ITEM = re.compile(r"( *)([-+*]|(\d{1,9})[.)])( {1,4})(?=[^ \t<>\-+*#=~`|\[_:0-9])")
_STRUCTURAL_FIRST = frozenset("`~#*-_<")


MAX_PATH = 32  # containers named in a Block's path (see _BlockParser._path)
_SERIAL = count(1)  # container ids: Block.path tells which blocks share a list item


class _Quote:
    __slots__ = ("id",)

    def __init__(self) -> None:
        self.id = next(_SERIAL)


class _Item:
    __slots__ = ("content_column", "blocks", "id")

    def __init__(self, content_column: int) -> None:
        self.content_column = content_column
        self.blocks = 0  # leaf blocks started in this item so far
        self.id = next(_SERIAL)


class Block(NamedTuple):
    """One block of a prompt file, as :mod:`.grouping` needs it to join blocks into
    whole prompts: a paragraph (``prompt``), fenced code, a heading or a thematic break."""

    kind: str  # "text" | "code" | "heading" | "break"
    start: int  # document span
    end: int
    prompt: Prompt | None = None  # "text": the paragraph
    path: tuple[int, ...] = ()  # ids of the containers (list items, quotes) it is in, outermost first
    item: bool = False  # "text": the first paragraph of a list item
    title: str = ""  # "heading": its text


class _Paragraph:
    __slots__ = ("spans", "kind")

    def __init__(self, kind: str) -> None:
        self.spans: list[tuple[int, int]] = []
        self.kind = kind


class _Fence:
    __slots__ = ("char", "length")

    def __init__(self, char: str, length: int) -> None:
        self.char = char
        self.length = length


class _Html:
    __slots__ = ("end",)

    def __init__(self, end: re.Pattern[str] | None) -> None:
        self.end = end


class _Table:
    __slots__ = ()


class _Line:
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
        run = _BLANK_RUN.match(text, pos, self.end)
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
        content = _quote_content(self.text, pos, self.end)
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
        (``_THEMATIC``) exactly when ``first <= p <= last``: from ``first`` on the line
        holds only ``char`` and blanks, and ``last`` is its third ``char`` from the end.
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


def _quote_content(text: str, marker: int, end: int) -> int | None:
    """Where the content after the ``>`` at ``marker`` starts when the usual case holds:
    a non-blank after the marker and at most one space (None otherwise)."""
    content = marker + 2 if text.startswith(" ", marker + 1) else marker + 1
    return content if content < end and text[content] not in " \t" else None


def markdown_prompts(text: str, fast: bool = True) -> list[Prompt]:
    """Every paragraph of a prompt file as a prompt of its own. ``fast=False`` turns
    the shortcuts for common lines off, so tests can check that they change nothing."""
    return [block.prompt for block in markdown_blocks(text, fast) if block.kind == "text" and block.prompt is not None]


def markdown_blocks(text: str, fast: bool = True) -> list[Block]:
    """The blocks of a prompt file in document order (see :class:`Block`)."""
    return _parse(text, fast)[0]


def section_blocks(text: str, last: bool = False) -> tuple[list[Block], bool]:
    """The blocks of one section of a prompt file: ``text`` from a top-level ATX heading
    up to (not including) the next one. Also whether the section ends *closed*: no
    fenced code or HTML block is open at its end, so the next heading is a heading in
    the whole document too, and the section's blocks are those the whole document has
    there (the editor re-reads only the section an edit touched). ``last``: the section
    runs to the end of the document."""
    if last:  # the document's end: read as the whole document reads it
        return _parse(text, True, section=True)
    body = text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith(("\n", "\r")) else text
    return _parse(body, True, section=True)


def _parse(text: str, fast: bool, section: bool = False) -> tuple[list[Block], bool]:
    lines = line_spans(text)
    start = 1 if text.startswith("\ufeff") else 0
    lines[0] = (start, lines[0][1])
    parser = _BlockParser(text, fast)
    feed = parser.feed
    blank_run = _BLANK_RUN.match
    # The hot loop: plain paragraph lines, blank lines and fenced code outside any
    # container are handled here, everything else by the block parser.
    for line_start, line_end in lines[0 if section else _front_matter_lines(text, lines) :]:
        if fast and not parser.containers:
            leaf = parser.leaf
            if line_start == line_end:  # an empty line (a run of them costs little)
                if leaf is None or type(leaf) is _Paragraph:
                    if leaf is not None:
                        parser.close_leaf()
                    continue
                pos = line_start
            else:
                run = blank_run(text, line_start, line_end)
                assert run is not None
                pos = run.end()
            if leaf is None or type(leaf) is _Paragraph:
                if pos >= line_end:
                    parser.close_leaf()
                    continue
                if text[pos] not in _SPECIAL_FIRST and (
                    leaf is not None or (pos - line_start < 4 and text.find("\t", line_start, pos) < 0)
                ):
                    span = (pos, pos + len(text[pos:line_end].rstrip(_BLANKS)))
                    if leaf is None:
                        parser.start_paragraph(span)
                    else:
                        leaf.spans.append(span)
                    continue
            elif type(leaf) is _Fence and (pos >= line_end or text[pos] != leaf.char):
                continue  # a code line
        feed(line_start, line_end)
    closed = type(parser.leaf) not in (_Fence, _Html)
    parser.line_start = len(text)
    parser.close_leaf()
    return parser.blocks, closed


def _front_matter_lines(text: str, lines: list[tuple[int, int]]) -> int:
    """Number of lines taken by front matter at the start (0 when there is none)."""
    first = text[lines[0][0] : lines[0][1]].rstrip()
    closers = _FRONT_MATTER.get(first)
    if closers is None:
        return 0
    for index in range(1, len(lines)):
        if text[lines[index][0] : lines[index][1]].rstrip() in closers:
            return index + 1
    return 0  # unterminated: a thematic break, not front matter


def _html_block(rest: str) -> tuple[bool, re.Pattern[str] | None]:
    for start, end in _HTML_BLOCKS:
        if start.match(rest):
            return True, end
    return False, None


def _fence_opening(rest: str) -> re.Match[str] | None:
    match = _FENCE.match(rest)
    if match and match.group(1)[0] == "`" and "`" in match.group(2):
        return None
    return match


def _starts_block(rest: str) -> bool:
    """Would this line (after its indent) interrupt a paragraph instead of continuing it?"""
    return bool(
        rest.startswith(">")
        or _ATX.match(rest)
        or _THEMATIC.match(rest)
        or _fence_opening(rest)
        or _html_block(rest)[0]
        or _TAG_LINE.match(rest)
        or (_LIST_MARKER.match(rest) and rest[0] in "-+*" and rest[1:].strip())
    )


def _item_content(text: str, marker_end: int, marker_column: int, end: int) -> tuple[int, int, bool]:
    """(offset, column) where a list item's content starts, its marker ending at
    ``marker_end`` (column ``marker_column``) on a line ending at ``end``, and whether
    the item is empty on this line. CommonMark: the content starts after the 1-4
    blanks that follow the marker, or after one blank when more (indented code) or
    nothing follow."""
    run = _BLANK_RUN.match(text, marker_end, end)
    assert run is not None
    blanks_end = run.end()
    empty = blanks_end >= end
    if text.find("\t", marker_end, blanks_end) < 0:  # spaces only: a column per character
        spaces = blanks_end - marker_end
        if not empty and spaces <= 4:
            return blanks_end, marker_column + spaces, False
        step = 1 if spaces else 0
        return marker_end + step, marker_column + step, empty
    after = _Line(text, marker_end, end)
    after.column = marker_column
    spaces, content_pos, content_column = after.indent()
    if empty or spaces > 4:
        after.advance_columns(1)
    else:
        after.advance_to(content_pos, content_column)
    return after.pos, after.column, empty


_Leaf = _Paragraph | _Fence | _Html | _Table


class _BlockParser:
    def __init__(self, text: str, fast: bool = True) -> None:
        self.text = text
        self.fast = fast
        self.containers: list[_Quote | _Item] = []
        self.leaf: _Leaf | None = None
        self.leaf_depth = 0  # number of containers the leaf lives in
        self.only_items = True  # no quote among the containers
        self.quote_indices: list[int] = []  # where the quotes are among the containers
        self.blocks: list[Block] = []
        self.line_start = self.line_end = 0  # the line being read
        self.fence_start = 0  # where the open fence (if any) started

    # -- one line -------------------------------------------------------------
    def feed(self, start: int, end: int) -> None:
        self.line_start, self.line_end = start, end
        if self._fast_path(start, end):
            return
        line = _Line(self.text, start, end)
        matched = self._match_containers(line)
        all_matched = matched == len(self.containers)
        if all_matched and isinstance(self.leaf, (_Fence, _Html)) and self.leaf_depth == matched:
            self._continue_raw_leaf(line)
            return
        opened = self._open_containers(line, matched)
        if not opened and not all_matched and self._lazy_continuation(line):
            return
        if not all_matched:
            if self.leaf_depth > matched:
                self.close_leaf()
            self._close_containers(matched)
        if opened:
            self.close_leaf()
            self._add_containers(opened)
        self._leaf_line(line, task_box=bool(opened) and isinstance(opened[-1], _Item))

    def _close_containers(self, kept: int) -> None:
        """Close all but the outermost ``kept`` containers."""
        del self.containers[kept:]
        quotes = self.quote_indices
        del quotes[bisect_left(quotes, kept) :]
        self.only_items = not quotes

    def _add_containers(self, opened: list[_Quote | _Item]) -> None:
        base = len(self.containers)
        self.quote_indices += [base + index for index, container in enumerate(opened) if type(container) is _Quote]
        self.containers.extend(opened)
        self.only_items = not self.quote_indices

    def _fast_path(self, start: int, end: int) -> bool:
        """Handle the commonest lines without the general machinery (a test checks
        that both give the same prompts)."""
        if not self.fast:
            return False
        leaf_type = type(self.leaf)
        run = _BLANK_RUN.match(self.text, start, end)
        assert run is not None
        pos = run.end()
        if not self.containers:
            if self.leaf is not None and leaf_type is not _Paragraph:
                return False
            return self._heading_or_fence(start, pos, end) or self._simple_list_item(start, end)
        if not self.only_items:
            return False
        if leaf_type is not _Fence and leaf_type is not _Html and pos >= end:
            self.close_leaf()  # list items go on over blank lines; a paragraph ends
            return True
        if (
            (leaf_type is _Paragraph or leaf_type is _Fence)
            and self.leaf_depth == len(self.containers)
            and self._inside_item(start, pos, end)
        ):
            return True
        if leaf_type is _Fence or leaf_type is _Html:
            return False
        return self._heading_or_fence(start, pos, end) or self._simple_list_item(start, end)

    def _heading_or_fence(self, start: int, pos: int, end: int) -> bool:
        """Fast path for an ATX heading or a fence opening among list items: it closes
        the items it is not indented into and starts its block. ``pos``: the first
        non-blank of the line."""
        text = self.text
        if pos >= end or text[pos] not in "#`~" or text.find("\t", start, pos) >= 0:
            return False
        matched, indent_in_parent = self._items_matched(pos - start)
        if indent_in_parent > 3:
            return False
        if text[pos] == "#":
            if not _ATX.match(text, pos, end):
                return False
            self.close_leaf()
            del self.containers[matched:]
            self._section_break("heading", text[pos:end])
            self._start_leaf(None)
            return True
        else:
            fence = _fence_opening(text[pos:end])
            if fence is None:
                return False
            leaf = _Fence(fence.group(1)[0], len(fence.group(1)))
        self.close_leaf()
        del self.containers[matched:]
        self._start_leaf(leaf)
        return True

    def _items_matched(self, indent: int) -> tuple[int, int]:
        """How many of the open list items a line indented by ``indent`` spaces
        continues, and its indent inside the innermost of them."""
        containers = cast("list[_Item]", self.containers)  # the fast paths run among list items only
        matched = 0
        while matched < len(containers) and containers[matched].content_column <= indent:
            matched += 1
        return matched, indent - (containers[matched - 1].content_column if matched else 0)

    def _inside_item(self, start: int, pos: int, end: int) -> bool:
        """Fast path inside list items (no quotes): a code line of a fence or a
        paragraph line indented to the innermost item's content."""
        leaf = self.leaf
        is_fence = type(leaf) is _Fence
        text = self.text
        if pos >= end:
            return is_fence  # a blank line inside a fence; a paragraph ends (slow path)
        item = cast(_Item, self.containers[-1])  # (self.only_items)
        if pos - start < item.content_column or text.find("\t", start, pos) >= 0:
            return False
        if is_fence:
            assert isinstance(leaf, _Fence)
            if text[pos] != leaf.char:
                return True  # a code line
            rest = text[pos:end]
            if (
                pos - start - item.content_column <= 3
                and rest.startswith(leaf.char * leaf.length)
                and not rest.strip(leaf.char).strip()
            ):
                self._end_fence(end)  # the closing fence
                return True
            return False
        if text[pos] in _SPECIAL_FIRST:
            return False
        assert isinstance(leaf, _Paragraph)
        leaf.spans.append((pos, self._rstrip(pos, end)))
        return True

    def _simple_list_item(self, start: int, end: int) -> bool:
        """Fast path for the commonest list line, ``<spaces><marker> <plain text>``,
        among list items only; anything unusual takes the general path."""
        match = _SIMPLE_ITEM.match(self.text, start, end)
        if match is None:
            return False
        indent = len(match.group(1))
        containers = self.containers
        matched, indent_in_parent = self._items_matched(indent)
        if indent_in_parent > 3:
            return False  # indented code or paragraph continuation: general path
        ordinal = match.group(3)
        if (
            ordinal not in (None, "1")
            and isinstance(self.leaf, _Paragraph)
            and self.leaf_depth == matched == len(containers)
        ):
            return False  # cannot interrupt a paragraph: general path
        self.close_leaf()
        del containers[matched:]
        item = _Item(indent + len(match.group(2)) + len(match.group(4)))
        containers.append(item)
        content = match.end()
        paragraph = _Paragraph("list-item")
        paragraph.spans.append((content, self._rstrip(content, end)))
        self._start_leaf(paragraph)
        return True

    def _match_containers(self, line: _Line) -> int:
        containers = self.containers
        matched = 0
        while matched < len(containers):
            if line.is_blank():
                return self._next_quote(matched)
            container = containers[matched]
            width, pos, column = line.indent()
            if isinstance(container, _Quote):
                if width > 3 or self.text[pos] != ">":
                    break
                line.pass_quote_marker(pos, column)
            else:
                if column < container.content_column:
                    break
                line.advance_columns(container.content_column - line.column)
            matched += 1
        return matched

    def _next_quote(self, index: int) -> int:
        """The index of the first quote from ``index`` on among the containers (their
        number if there is none): a blank (rest of a) line continues every list item
        up to there, each in O(1) however deep the list."""
        quotes = self.quote_indices
        at = bisect_left(quotes, index)
        return quotes[at] if at < len(quotes) else len(self.containers)

    def _open_containers(self, line: _Line, matched: int) -> list[_Quote | _Item]:
        """The containers (quotes, list items) whose markers start the rest of ``line``,
        which is advanced past them. Linear in the length of the line however many it
        opens: each marker costs O(1) (the thematic-break test reads a span worked out
        once per line, and the commonest markers skip the general machinery)."""
        opened: list[_Quote | _Item] = []
        paragraph_open = isinstance(self.leaf, _Paragraph) and self.leaf_depth == matched
        text, end = self.text, line.end
        width, pos, column = line.indent()
        behind = False  # ``line`` not yet advanced to ``pos`` (the content of the last container)
        thematic: dict[str, tuple[int, int]] = {}  # see _Line.thematic_break_span
        while width <= 3 and pos < end:
            first = text[pos]
            if first not in _CONTAINER_FIRST:
                break
            if first in "-*":
                breaks = thematic.get(first)
                if breaks is None:
                    breaks = thematic[first] = line.thematic_break_span(first)
                if breaks[0] <= pos <= breaks[1]:
                    break
            # The commonest markers, "<bullet> <content>" and ">[ ]<content>" (a line n
            # containers deep is n of them), without the general machinery.
            if first in "-+*" and text.startswith(" ", pos + 1) and pos + 2 < end and text[pos + 2] not in " \t":
                opened.append(_Item(column + 2))  # it may interrupt a paragraph
                pos += 2
                column += 2
                width = 0
                behind = True
                continue
            if first == ">":
                quotes = _QUOTE_RUN.match(text, pos, end)
                assert quotes is not None  # text[pos] is '>'
                run = quotes.end() - 1
                if run > pos:  # ">>>...": each '>' but the last is followed by content, the next '>'
                    opened += [_Quote() for _ in range(run - pos)]
                    column += run - pos
                    pos = run
                    behind = True
                content = _quote_content(text, pos, end)
                if content is not None:
                    opened.append(_Quote())
                    column += content - pos
                    pos = content
                    width = 0
                    behind = True
                    continue
            if behind:
                line.advance_to(pos, column)
                behind = False
            if first == ">":
                opened.append(_Quote())
                line.pass_quote_marker(pos, column)
            else:
                marker = _LIST_MARKER.match(text, pos, end)
                if marker is None:
                    break
                marker_end = marker.end()
                content_pos, content_column, empty = _item_content(text, marker_end, column + marker_end - pos, end)
                if paragraph_open and not opened and (empty or (marker.group(2) not in (None, "1"))):
                    break  # CommonMark: such a marker cannot interrupt a paragraph
                opened.append(_Item(content_column))
                line.advance_to(content_pos, content_column)
            width, pos, column = line.indent()
        if behind:
            line.advance_to(pos, column)
        return opened

    def _lazy_continuation(self, line: _Line) -> bool:
        if not isinstance(self.leaf, _Paragraph) or line.is_blank():
            return False
        width, pos, _ = line.indent()
        rest = line.rest(pos)
        if width < 4 and _starts_block(rest):
            return False
        self.leaf.spans.append((pos, self._rstrip(pos, line.end)))
        return True

    def _continue_raw_leaf(self, line: _Line) -> None:
        leaf = self.leaf
        width, pos, _ = line.indent()
        rest = line.rest(pos)
        if isinstance(leaf, _Fence):
            if width <= 3 and rest.startswith(leaf.char * leaf.length) and not rest.strip(leaf.char).strip():
                self._end_fence(line.end)
            return
        assert isinstance(leaf, _Html)  # feed() hands this fences and HTML blocks only
        if leaf.end is None:
            if line.is_blank():
                self.leaf = None
        elif leaf.end.search(rest):
            self.leaf = None

    # -- leaf blocks ------------------------------------------------------------
    def _leaf_line(self, line: _Line, task_box: bool) -> None:
        width, pos, _ = line.indent()
        leaf = self.leaf if self.leaf_depth == len(self.containers) else None
        if pos >= line.end:  # blank
            self.close_leaf()
            return
        paragraph = leaf if isinstance(leaf, _Paragraph) else None
        if width >= 4 and paragraph is None:
            self._start_leaf(None)  # indented code
            return
        rest = line.rest(pos)
        first = rest[0]
        if paragraph is not None and width < 4 and first in "=-|:":
            if _SETEXT.match(rest):
                self.leaf = None  # the paragraph was a heading
                spans = paragraph.spans
                self._section_break("heading", self.text[spans[0][0] : spans[-1][1]], spans[0][0])
                return
            if "|" in rest and _TABLE_DELIMITER.match(rest) and self._last_line_has_pipe(paragraph):
                paragraph.spans.pop()
                self.close_leaf()
                self._start_leaf(_Table())
                return
        if width < 4 and first in _STRUCTURAL_FIRST and self._structural_line(rest):
            return
        if isinstance(leaf, _Table):
            return  # a table row
        if first == "[" and paragraph is None and width < 4 and _LINK_DEFINITION.match(rest):
            return
        if task_box and first == "[":
            box = _TASK_BOX.match(rest)
            if box:
                pos += box.end()
        span = (pos, self._rstrip(pos, line.end))
        if paragraph is not None:
            paragraph.spans.append(span)
        else:
            new = _Paragraph(self._paragraph_kind())
            new.spans.append(span)
            self._start_leaf(new)

    def _structural_line(self, rest: str) -> bool:
        """Fences, headings, breaks, HTML and tag lines: start them, no prompt text."""
        fence = _fence_opening(rest)
        if fence:
            self._start_leaf(_Fence(fence.group(1)[0], len(fence.group(1))))
            return True
        if _ATX.match(rest) or _THEMATIC.match(rest):
            self.close_leaf()
            self._section_break("heading" if rest[0] == "#" else "break", rest)
            self._start_leaf(None)
            return True
        is_html, end = _html_block(rest)
        if is_html:
            start_pattern_end = 4 if rest.startswith("<!--") else 1
            closed = end is not None and end.search(rest, start_pattern_end)
            self._start_leaf(None if closed else _Html(end))
            return True
        if _TAG_LINE.match(rest):
            self._start_leaf(None)
            return True
        return False

    def _last_line_has_pipe(self, paragraph: _Paragraph) -> bool:
        start, end = paragraph.spans[-1]
        return "|" in self.text[start:end]

    def _paragraph_kind(self) -> str:
        if self.containers and isinstance(self.containers[-1], _Item) and self.containers[-1].blocks == 0:
            return "list-item"
        if self.quote_indices:
            return "quote"
        return "paragraph"

    def start_paragraph(self, span: tuple[int, int]) -> None:
        paragraph = _Paragraph(self._paragraph_kind())
        paragraph.spans.append(span)
        self._start_leaf(paragraph)

    def _start_leaf(self, leaf: _Leaf | None) -> None:
        self.close_leaf()
        if self.containers and isinstance(self.containers[-1], _Item):
            self.containers[-1].blocks += 1
        self.leaf = leaf
        self.leaf_depth = len(self.containers)
        if type(leaf) is _Fence:
            self.fence_start = self.line_start

    def close_leaf(self) -> None:
        leaf = self.leaf
        if leaf is None:
            return
        self.leaf = None
        if type(leaf) is _Paragraph:
            prompt = build_prompt(self.text, leaf.spans, leaf.kind)
            if prompt is not None:
                prompt = without_html_comments(prompt)
            if prompt is not None:
                self.blocks.append(
                    Block("text", prompt.start, prompt.end, prompt, self._path(), leaf.kind == "list-item")
                )
        elif type(leaf) is _Fence:  # closed by what interrupts it: it ends before this line
            self.blocks.append(
                Block("code", self.fence_start, max(self.fence_start, self.line_start - 1), path=self._path())
            )

    def _end_fence(self, end: int) -> None:
        """The open fence's closing line ends at ``end``."""
        self.blocks.append(Block("code", self.fence_start, end, path=self._path()))
        self.leaf = None

    def _section_break(self, kind: str, line: str, start: int | None = None) -> None:
        """A heading (``line`` is its source) or a thematic break starts a new section."""
        start = self.line_start if start is None else start
        title = line.strip().lstrip("#").strip().rstrip("#").strip() if kind == "heading" else ""
        self.blocks.append(Block(kind, start, self.line_end, title=title[:200]))

    def _path(self) -> tuple[int, ...]:
        """Ids of the containers the current leaf is in: the outermost ones and the
        innermost (at most MAX_PATH, so a list nested thousands deep costs no more per leaf)."""
        depth = self.leaf_depth
        containers = self.containers
        if depth <= MAX_PATH:
            return tuple(container.id for container in containers[:depth])
        return (*(container.id for container in containers[: MAX_PATH - 1]), containers[depth - 1].id)

    def _rstrip(self, start: int, end: int) -> int:
        return start + len(self.text[start:end].rstrip(_BLANKS))
