"""The leaf blocks of the Markdown parser: paragraphs (the prompts), fenced code,
HTML blocks and tag lines, tables, link reference definitions, ATX and setext headings
and thematic breaks. :class:`LeafParser` starts, continues and closes them; the
container layer (:mod:`.markdown_containers`) decides which containers a line is in.
"""

from __future__ import annotations

import re

from promptcoach.engine import regexcache
from promptcoach.engine.extract.build import build_prompt, without_html_comments
from promptcoach.engine.extract.markdown_lines import BLANKS, Line
from promptcoach.engine.extract.markdown_model import (
    MAX_PATH,
    Block,
    Fence,
    Html,
    Item,
    Leaf,
    Paragraph,
    ParserState,
    Table,
)

THEMATIC = regexcache.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
ATX = regexcache.compile(r"#{1,6}(?:[ \t]|$)")
_SETEXT = regexcache.compile(r"(?:=+|-+)[ \t]*$")
_FENCE = regexcache.compile(r"(`{3,}|~{3,})(.*)$")
_TABLE_DELIMITER = regexcache.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_TASK_BOX = regexcache.compile(r"\[[ xX]\](?:[ \t]+|$)")
_LINK_DEFINITION = regexcache.compile(
    r"\[(?!\^)(?:[^\]\\]|\\.)+\]:[ \t]*(?:<[^>]*>|\S+)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$"
)
TAG_LINE = regexcache.compile(r"(?:</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>[ \t]*)+$")
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|"
    "dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|"
    "iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|"
    "summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_COMMENT_END = regexcache.compile(r"-->")
# (start pattern, end pattern or None for "ends at a blank line"); CommonMark kinds 1-6
_HTML_BLOCKS = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I),
        re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    ),
    (re.compile(r"<!--"), _COMMENT_END),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(rf"</?(?:{_BLOCK_TAGS})(?:[\s>]|/>|$)", re.I), None),
)
_STRUCTURAL_FIRST = frozenset("`~#*-_<")


def html_block(rest: str) -> tuple[bool, re.Pattern[str] | None]:
    for start, end in _HTML_BLOCKS:
        if start.match(rest):
            return True, end
    return False, None


def _closes(fence: Fence, width: int, rest: str) -> bool:
    """Whether a line indented by ``width`` columns, ``rest`` after its indent, closes ``fence``."""
    return width <= 3 and rest.startswith(fence.char * fence.length) and not rest.strip(fence.char).strip()


def fence_opening(rest: str) -> re.Match[str] | None:
    match = _FENCE.match(rest)
    if match and match.group(1)[0] == "`" and "`" in match.group(2):
        return None
    return match


class LeafParser(ParserState):
    """The leaf blocks of the innermost open container."""

    def _continue_raw_leaf(self, line: Line) -> None:
        leaf = self.leaf
        width, pos, _ = line.indent()
        rest = line.rest(pos)
        if isinstance(leaf, Fence):
            if _closes(leaf, width, rest):
                self._end_fence(line.end)
            return
        assert isinstance(leaf, Html)  # feed() hands this fences and HTML blocks only
        if leaf.end is None:
            if line.is_blank():
                self.leaf = None
        elif leaf.end.search(rest):
            self.leaf = None

    def _leaf_line(self, line: Line, task_box: bool) -> None:
        width, pos, _ = line.indent()
        leaf = self.leaf if self.leaf_depth == len(self.containers) else None
        if pos >= line.end:  # blank
            self.close_leaf()
            return
        paragraph = leaf if isinstance(leaf, Paragraph) else None
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
                self._start_leaf(Table())
                return
        if width < 4 and first in _STRUCTURAL_FIRST and self._structural_line(rest):
            return
        if isinstance(leaf, Table):
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
            new = Paragraph(self._paragraph_kind())
            new.spans.append(span)
            self._start_leaf(new)

    def _structural_line(self, rest: str) -> bool:
        """Fences, headings, breaks, HTML and tag lines: start them, no prompt text."""
        fence = fence_opening(rest)
        if fence:
            self._start_leaf(Fence(fence.group(1)[0], len(fence.group(1))))
            return True
        if ATX.match(rest) or THEMATIC.match(rest):
            self.close_leaf()
            self._section_break("heading" if rest[0] == "#" else "break", rest)
            self._start_leaf(None)
            return True
        is_html, end = html_block(rest)
        if is_html:
            start_pattern_end = 4 if rest.startswith("<!--") else 1
            closed = end is not None and end.search(rest, start_pattern_end)
            self._start_leaf(None if closed else Html(end))
            return True
        if TAG_LINE.match(rest):
            self._start_leaf(None)
            return True
        return False

    def comment_or_break(self, pos: int, end: int) -> bool:
        """Fast path for the line being read (it ends at ``end``) outside any container, no
        block or a paragraph open, whose first non-blank (at ``pos``, indented by less than
        4 spaces) starts an HTML comment (a suppression comment, a note) or a thematic
        break: what :meth:`_leaf_line` does with it, without trying the other blocks first.
        False: the line is neither (or a setext underline)."""
        text = self.text
        if text.startswith("<!--", pos):
            closed = text.find("-->", pos + 4, end) >= 0  # closed on its line: no block
            self._start_leaf(None if closed else Html(_COMMENT_END))
            return True
        if not THEMATIC.match(text, pos, end) or (self.leaf is not None and _SETEXT.match(text, pos, end)):
            return False
        self.close_leaf()
        self._section_break("break", "")
        self._start_leaf(None)
        return True

    def fence_char_line(self, start: int, pos: int, end: int) -> None:
        """Fast path for a line of the open fence, outside any container, whose first
        non-blank (at ``pos``, no tab before it) is the fence's character: the closing
        fence ends the fence, another line is code."""
        fence = self.leaf
        assert isinstance(fence, Fence)
        if _closes(fence, pos - start, self.text[pos:end]):
            self.line_start, self.line_end = start, end
            self._end_fence(end)

    def _last_line_has_pipe(self, paragraph: Paragraph) -> bool:
        start, end = paragraph.spans[-1]
        return "|" in self.text[start:end]

    def _paragraph_kind(self) -> str:
        if self.containers and isinstance(self.containers[-1], Item) and self.containers[-1].blocks == 0:
            return "list-item"
        if self.quote_indices:
            return "quote"
        return "paragraph"

    def start_paragraph(self, span: tuple[int, int]) -> None:
        paragraph = Paragraph(self._paragraph_kind())
        paragraph.spans.append(span)
        self._start_leaf(paragraph)

    def _start_leaf(self, leaf: Leaf | None) -> None:
        self.close_leaf()
        if self.containers and isinstance(self.containers[-1], Item):
            self.containers[-1].blocks += 1
        self.leaf = leaf
        self.leaf_depth = len(self.containers)
        if type(leaf) is Fence:
            self.fence_start = self.line_start

    def close_leaf(self) -> None:
        leaf = self.leaf
        if leaf is None:
            return
        self.leaf = None
        if type(leaf) is Paragraph:
            prompt = build_prompt(self.text, leaf.spans, leaf.kind)
            if prompt is not None:
                prompt = without_html_comments(prompt)
            if prompt is not None:
                self.blocks.append(
                    Block("text", prompt.start, prompt.end, prompt, self._path(), leaf.kind == "list-item")
                )
        elif type(leaf) is Fence:  # closed by what interrupts it: it ends before this line
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
        if not depth:
            return ()  # (most leaves of most files)
        containers = self.containers
        if depth <= MAX_PATH:
            return tuple([container.id for container in containers[:depth]])
        return (*(container.id for container in containers[: MAX_PATH - 1]), containers[depth - 1].id)

    def _rstrip(self, start: int, end: int) -> int:
        return start + len(self.text[start:end].rstrip(BLANKS))
