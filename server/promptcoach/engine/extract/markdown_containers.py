"""The containers of the Markdown parser: block quotes and list items, matched,
opened (many on one line: linear however many) and closed line by line, with the
fast paths for the commonest list lines. :class:`ContainerParser` builds on the
leaf layer (:mod:`.markdown_leaves`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import compress, count, repeat, starmap
from operator import is_
from typing import cast

from promptcoach.engine import regexcache
from promptcoach.engine.extract.markdown_leaves import ATX, TAG_LINE, THEMATIC, LeafParser, fence_opening, html_block
from promptcoach.engine.extract.markdown_lines import BLANK_RUN, SPECIAL_FIRST, Line, quote_content
from promptcoach.engine.extract.markdown_model import Fence, Item, Paragraph, Quote

_LIST_MARKER = regexcache.compile(r"([-+*]|(\d{1,9})[.)])(?=[ \t]|$)")
_QUOTE_RUN = regexcache.compile(r">+")
_CONTAINER_FIRST = frozenset(">-+*0123456789")
_DIGITS = frozenset("0123456789")
# runs of "<bullet> " markers followed by content; "<number>. " or "<number>) " followed by content
_BULLET_RUN = {bullet: regexcache.compile(rf"(?:{re.escape(bullet)} (?=[^ \t]))+") for bullet in "-+*"}
_SIMPLE_ORDERED = regexcache.compile(r"(\d{1,9})[.)] (?=[^ \t])")
# "<spaces><marker><1-4 spaces><a character that starts nothing special>"
_SIMPLE_ITEM = regexcache.compile(r"( *)([-+*]|(\d{1,9})[.)])( {1,4})(?=[^ \t<>\-+*#=~`|\[_:0-9])")


def _starts_block(rest: str) -> bool:
    """Would this line (after its indent) interrupt a paragraph instead of continuing it?"""
    return bool(
        rest.startswith(">")
        or ATX.match(rest)
        or THEMATIC.match(rest)
        or fence_opening(rest)
        or html_block(rest)[0]
        or TAG_LINE.match(rest)
        or (_LIST_MARKER.match(rest) and rest[0] in "-+*" and rest[1:].strip())
    )


def _bullet_run(text: str, pos: int, end: int) -> int:
    """How many list markers "<bullet> <content>" of the bullet at ``pos`` follow one
    another from there ("- - - x": 3). None of them starts a thematic break when the first
    does not: from a later one that did, the line would hold only that character and
    blanks, and so it would from the first (the run between is markers of it too)."""
    run = _BULLET_RUN[text[pos]].match(text, pos, end)
    assert run is not None  # (the marker at pos is one)
    return (run.end() - pos) // 2


def _item_content(text: str, marker_end: int, marker_column: int, end: int) -> tuple[int, int, bool]:
    """(offset, column) where a list item's content starts, its marker ending at
    ``marker_end`` (column ``marker_column``) on a line ending at ``end``, and whether
    the item is empty on this line. CommonMark: the content starts after the 1-4
    blanks that follow the marker, or after one blank when more (indented code) or
    nothing follow."""
    run = BLANK_RUN.match(text, marker_end, end)
    assert run is not None
    blanks_end = run.end()
    empty = blanks_end >= end
    if text.find("\t", marker_end, blanks_end) < 0:  # spaces only: a column per character
        spaces = blanks_end - marker_end
        if not empty and spaces <= 4:
            return blanks_end, marker_column + spaces, False
        step = 1 if spaces else 0
        return marker_end + step, marker_column + step, empty
    after = Line(text, marker_end, end)
    after.column = marker_column
    spaces, content_pos, content_column = after.indent()
    if empty or spaces > 4:
        after.advance_columns(1)
    else:
        after.advance_to(content_pos, content_column)
    return after.pos, after.column, empty


class ContainerParser(LeafParser):
    """The open containers, and what a line does to them."""

    def _close_containers(self, kept: int) -> None:
        """Close all but the outermost ``kept`` containers."""
        del self.containers[kept:]
        quotes = self.quote_indices
        del quotes[bisect_left(quotes, kept) :]
        self.only_items = not quotes

    def _add_containers(self, opened: list[Quote | Item]) -> None:
        base = len(self.containers)
        # where the quotes among them go: no Python code per container (a line may open a million)
        self.quote_indices += compress(count(base), map(is_, map(type, opened), repeat(Quote)))
        self.containers.extend(opened)
        self.only_items = not self.quote_indices

    def _items_matched(self, indent: int) -> tuple[int, int]:
        """How many of the open list items a line indented by ``indent`` spaces
        continues, and its indent inside the innermost of them."""
        containers = cast("list[Item]", self.containers)  # the fast paths run among list items only
        matched = 0
        while matched < len(containers) and containers[matched].content_column <= indent:
            matched += 1
        return matched, indent - (containers[matched - 1].content_column if matched else 0)

    def _inside_item(self, start: int, pos: int, end: int) -> bool:
        """Fast path inside list items (no quotes): a code line of a fence, a paragraph
        line indented to the innermost item's content, or a lazy continuation line of
        that paragraph (less indented, starting nothing: it can open no container and
        interrupts nothing, so the general path would add it too)."""
        leaf = self.leaf
        is_fence = type(leaf) is Fence
        text = self.text
        if pos >= end:
            return is_fence  # a blank line inside a fence; a paragraph ends (slow path)
        item = cast(Item, self.containers[-1])  # (self.only_items)
        if text.find("\t", start, pos) >= 0:
            return False
        if is_fence:
            if pos - start < item.content_column:
                return False
            assert isinstance(leaf, Fence)
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
        if text[pos] in SPECIAL_FIRST:
            return False
        assert isinstance(leaf, Paragraph)
        leaf.spans.append((pos, self._rstrip(pos, end)))  # indented into the item, or lazy
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
            and isinstance(self.leaf, Paragraph)
            and self.leaf_depth == matched == len(containers)
        ):
            return False  # cannot interrupt a paragraph: general path
        self.close_leaf()
        del containers[matched:]
        item = Item(indent + len(match.group(2)) + len(match.group(4)))
        containers.append(item)
        content = match.end()
        paragraph = Paragraph("list-item")
        paragraph.spans.append((content, self._rstrip(content, end)))
        self._start_leaf(paragraph)
        return True

    def _match_containers(self, line: Line) -> int:
        containers = self.containers
        matched = 0
        while matched < len(containers):
            if line.is_blank():
                return self._next_quote(matched)
            container = containers[matched]
            width, pos, column = line.indent()
            if isinstance(container, Quote):
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

    def _open_containers(self, line: Line, matched: int) -> list[Quote | Item]:
        """The containers (quotes, list items) whose markers start the rest of ``line``,
        which is advanced past them. Linear in the length of the line however many it
        opens: each marker costs O(1) (the thematic-break test reads a span worked out
        once per line, and the commonest markers skip the general machinery)."""
        opened: list[Quote | Item] = []
        paragraph_open = isinstance(self.leaf, Paragraph) and self.leaf_depth == matched
        text, end = self.text, line.end
        width, pos, column = line.indent()
        behind = False  # ``line`` not yet advanced to ``pos`` (the content of the last container)
        thematic: dict[str, tuple[int, int]] = {}  # see Line.thematic_break_span
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
            # The commonest markers, "<bullet> <content>" (a run of them at once),
            # "<number>. <content>" and ">[ ]<content>" (a line n containers deep is n of
            # them), without the general machinery.
            if first in "-+*" and text.startswith(" ", pos + 1) and pos + 2 < end and text[pos + 2] not in " \t":
                if text[pos + 2] == first:  # "- - - x": the run at once
                    bullets = _bullet_run(text, pos, end)
                    opened.extend(map(Item, range(column + 2, column + 2 * bullets + 1, 2)))  # content columns
                else:
                    bullets = 1
                    opened.append(Item(column + 2))  # it may interrupt a paragraph
                pos += 2 * bullets
                column += 2 * bullets
                width = 0
                behind = True
                continue
            if first in _DIGITS:
                ordered = _SIMPLE_ORDERED.match(text, pos, end)
                if ordered is not None and (opened or not paragraph_open or ordered.group(1) == "1"):
                    column += ordered.end() - pos
                    pos = ordered.end()
                    opened.append(Item(column))
                    width = 0
                    behind = True
                    continue
            if first == ">":
                quotes = _QUOTE_RUN.match(text, pos, end)
                assert quotes is not None  # text[pos] is '>'
                run = quotes.end() - 1
                if run > pos:  # ">>>...": each '>' but the last is followed by content, the next '>'
                    opened += starmap(Quote, repeat((), run - pos))  # (no Python loop per quote)
                    column += run - pos
                    pos = run
                    behind = True
                content = quote_content(text, pos, end)
                if content is not None:
                    opened.append(Quote())
                    column += content - pos
                    pos = content
                    width = 0
                    behind = True
                    continue
            if behind:
                line.advance_to(pos, column)
                behind = False
            if first == ">":
                opened.append(Quote())
                line.pass_quote_marker(pos, column)
            else:
                marker = _LIST_MARKER.match(text, pos, end)
                if marker is None:
                    break
                marker_end = marker.end()
                content_pos, content_column, empty = _item_content(text, marker_end, column + marker_end - pos, end)
                if paragraph_open and not opened and (empty or (marker.group(2) not in (None, "1"))):
                    break  # CommonMark: such a marker cannot interrupt a paragraph
                opened.append(Item(content_column))
                line.advance_to(content_pos, content_column)
            width, pos, column = line.indent()
        if behind:
            line.advance_to(pos, column)
        return opened

    def _lazy_continuation(self, line: Line) -> bool:
        if not isinstance(self.leaf, Paragraph) or line.is_blank():
            return False
        width, pos, _ = line.indent()
        rest = line.rest(pos)
        if width < 4 and _starts_block(rest):
            return False
        self.leaf.spans.append((pos, self._rstrip(pos, line.end)))
        return True
