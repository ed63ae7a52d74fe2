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
items), like CommonMark's block phase, and keeps only what prompts need. Here are
the entry points, the hot loop over the lines and the fast paths for the commonest
ones; the rest is in layers, each a class the next one extends:
:mod:`.markdown_model` (the blocks and the parser's state), :mod:`.markdown_leaves`
(paragraphs, fences, HTML blocks, tables, headings), :mod:`.markdown_containers`
(quotes and list items); :mod:`.markdown_lines` is the line scanner they share.
"""

from __future__ import annotations

from promptcoach.engine.extract.build import line_spans
from promptcoach.engine.extract.markdown_containers import ContainerParser
from promptcoach.engine.extract.markdown_leaves import ATX, fence_opening
from promptcoach.engine.extract.markdown_lines import BLANK_RUN, BLANKS, SPECIAL_FIRST, Line
from promptcoach.engine.extract.markdown_model import Block, Fence, Html, Item, Paragraph

_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
_TOP_LEVEL_FIRST = frozenset("<-*_#`~")  # what _BlockParser.top_level_line may take


def markdown_blocks(text: str, fast: bool = True) -> list[Block]:
    """The blocks of a prompt file in document order (see :class:`Block`). ``fast=False``
    turns the shortcuts for common lines off, so tests can check that they change nothing."""
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
    blank_run = BLANK_RUN.match
    # The hot loop: plain paragraph lines, blank lines and fenced code outside any
    # container are handled here, everything else by the block parser.
    for line_start, line_end in lines[0 if section else _front_matter_lines(text, lines) :]:
        if fast and not parser.containers:
            leaf = parser.leaf
            if line_start == line_end:  # an empty line (a run of them costs little)
                if leaf is None or type(leaf) is Paragraph:
                    if leaf is not None:
                        parser.close_leaf()
                    continue
                pos = line_start
            else:
                run = blank_run(text, line_start, line_end)
                assert run is not None
                pos = run.end()
            if leaf is None or type(leaf) is Paragraph:
                if pos >= line_end:
                    parser.close_leaf()
                    continue
                if text[pos] not in SPECIAL_FIRST and (
                    leaf is not None or (pos - line_start < 4 and text.find("\t", line_start, pos) < 0)
                ):
                    span = (pos, pos + len(text[pos:line_end].rstrip(BLANKS)))
                    if leaf is None:
                        parser.start_paragraph(span)
                    else:
                        leaf.spans.append(span)
                    continue
                if (
                    text[pos] in _TOP_LEVEL_FIRST
                    and pos - line_start < 4
                    and text.find("\t", line_start, pos) < 0
                    and parser.top_level_line(line_start, pos, line_end)
                ):
                    continue
            elif type(leaf) is Fence:
                if pos >= line_end or text[pos] != leaf.char:
                    continue  # a code line
                if text.find("\t", line_start, pos) < 0:
                    parser.fence_char_line(line_start, pos, line_end)  # the closing fence, or code
                    continue
        feed(line_start, line_end)
    closed = type(parser.leaf) not in (Fence, Html)
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


class _BlockParser(ContainerParser):
    """The parser: each line is read by the fast paths for the commonest lines or by
    the general machinery of the container and leaf layers."""

    # -- one line -------------------------------------------------------------
    def feed(self, start: int, end: int) -> None:
        self.line_start, self.line_end = start, end
        if self._fast_path(start, end):
            return
        line = Line(self.text, start, end)
        matched = self._match_containers(line)
        all_matched = matched == len(self.containers)
        if all_matched and isinstance(self.leaf, (Fence, Html)) and self.leaf_depth == matched:
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
        self._leaf_line(line, task_box=bool(opened) and isinstance(opened[-1], Item))

    def top_level_line(self, start: int, pos: int, end: int) -> bool:
        """Fast path for a line outside any container, no block or a paragraph open, whose
        first non-blank, at ``pos`` (indented by less than 4 spaces), may start an HTML
        comment, a thematic break, a heading or a fence: the block it starts, without the
        general machinery; False for the general path (a line that starts none)."""
        self.line_start, self.line_end = start, end
        if self.text[pos] in "#`~":
            return self._heading_or_fence(start, pos, end)  # (what feed tries first)
        return self.comment_or_break(pos, end)

    def _fast_path(self, start: int, end: int) -> bool:
        """Handle the commonest lines without the general machinery (a test checks
        that both give the same prompts)."""
        if not self.fast:
            return False
        leaf_type = type(self.leaf)
        run = BLANK_RUN.match(self.text, start, end)
        assert run is not None
        pos = run.end()
        if not self.containers:
            if self.leaf is not None and leaf_type is not Paragraph:
                return False
            return self._heading_or_fence(start, pos, end) or self._simple_list_item(start, end)
        if not self.only_items:
            return False
        if leaf_type is not Fence and leaf_type is not Html and pos >= end:
            self.close_leaf()  # list items go on over blank lines; a paragraph ends
            return True
        if (
            (leaf_type is Paragraph or leaf_type is Fence)
            and self.leaf_depth == len(self.containers)
            and self._inside_item(start, pos, end)
        ):
            return True
        if leaf_type is Fence or leaf_type is Html:
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
            if not ATX.match(text, pos, end):
                return False
            self.close_leaf()
            del self.containers[matched:]
            self._section_break("heading", text[pos:end])
            self._start_leaf(None)
            return True
        else:
            fence = fence_opening(text[pos:end])
            if fence is None:
                return False
            leaf = Fence(fence.group(1)[0], len(fence.group(1)))
        self.close_leaf()
        del self.containers[matched:]
        self._start_leaf(leaf)
        return True
