"""Re-reading only the section of a prompt file that an edit touched.

A top-level ATX heading (``# ...`` outside any list, quote, fence or HTML block), and a
paragraph that starts at column 0 after a blank line, close everything open before
them, so the Markdown blocks between two such starts depend on that text alone. :class:`SectionReader` keeps the blocks of the last version; for a new
version it finds the changed span (common prefix and suffix), and when it lies inside
one section, away from the headings that bound it, it parses that section alone
(:func:`~.markdown.section_blocks`), keeps the blocks before it and moves the blocks
after it. Anything else (an edit before the first heading, across or on a heading, a
section left with a fence open) parses the whole text: the result is always what
:func:`~.markdown.markdown_blocks` gives.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from promptcoach.engine.extract.markdown import markdown_blocks, section_blocks
from promptcoach.engine.extract.markdown_lines import SPECIAL_FIRST
from promptcoach.engine.extract.markdown_model import Block
from promptcoach.engine.model import Prompt, Segment

_NOT_PLAIN = frozenset(SPECIAL_FIRST) | frozenset(" \t\r\n\ufeff")


class SectionReader:
    def __init__(self) -> None:
        self.text: str | None = None
        self.blocks: list[Block] = []
        self._heads: list[int] = []  # offsets of the top-level ATX headings of ``text``
        self.sections_read = 0  # (for tests) how often only a section was parsed

    def blocks_of(self, text: str) -> list[Block]:
        """The Markdown blocks of ``text`` (the next version of the document)."""
        blocks = self._by_section(text) if self.text is not None else None
        if blocks is None:
            blocks = markdown_blocks(text)
        else:
            self.sections_read += 1
        self.text, self.blocks = text, blocks
        self._heads = [b.start for b in blocks if not b.path and _boundary(text, b)]
        return blocks

    def _by_section(self, new: str) -> list[Block] | None:
        old = self.text
        assert old is not None  # called once a text has been read
        if old == new:
            return self.blocks
        prefix = _common_prefix(old, new)
        suffix = _common_suffix(old, new, min(len(old), len(new)) - prefix)
        old_end = len(old) - suffix
        if (
            self.blocks
            and self.blocks[0].kind == "break"
            and self.blocks[0].start == 0
            and old.lstrip("\ufeff")[:3] in ("---", "+++")
        ):
            return None  # an unclosed front matter: a closing line anywhere would make it one
        heads = self._heads
        index = bisect_right(heads, prefix) - 1
        if index < 0:
            return None  # before the first heading: front matter and the like
        head = heads[index]
        if old.startswith("#", head):
            head_line_end = old.find("\n", head)
            if head_line_end < 0 or prefix <= head_line_end:
                return None  # the heading line itself changed
        elif prefix <= head:
            return None  # the first character of the paragraph that starts the section changed
        following = heads[index + 1] if index + 1 < len(heads) else None
        if following is not None and old_end >= _guard(old, following):
            return None  # what makes the next section start a section changed
        delta = len(new) - len(old)
        end = len(new) if following is None else following + delta
        parsed, closed = section_blocks(new[head:end], last=following is None)
        if following is not None and not closed:
            return None  # a fence left open would run into the next section
        if not parsed or parsed[0].kind not in ("heading", "text") or parsed[0].start != 0:
            return None
        first = bisect_left([b.start for b in self.blocks], head)
        after = len(self.blocks) if following is None else bisect_left([b.start for b in self.blocks], following)
        return [
            *self.blocks[:first],
            *(_moved(b, head) for b in parsed),
            *(_moved(b, delta) for b in self.blocks[after:]),
        ]


def _boundary(text: str, block: Block) -> bool:
    """Whether ``block`` (outside any container) starts a section: an ATX heading, or a
    paragraph whose first line starts at column 0 with an ordinary character after a
    blank line. Either closes every list, quote and paragraph before it."""
    start = block.start
    line_start = text.rfind("\n", 0, start) + 1
    if block.kind == "heading":
        return text[line_start:start].strip(" ") == "" and text.startswith("#", start)
    if block.kind != "text" or start != line_start or start < 2 or text[start] in _NOT_PLAIN:
        return False
    previous = text.rfind("\n", 0, start - 1) + 1
    return text[previous : start - 1].strip(" \t\r") == ""


def _guard(text: str, start: int) -> int:
    """Where an edit must end before the section at ``start`` for it to stay one: the
    line break before its heading, the blank line before its paragraph."""
    if text.startswith("#", start):
        return start - 1
    return text.rfind("\n", 0, start - 1) + 1


def _moved(block: Block, delta: int) -> Block:
    """``block`` ``delta`` characters further on (made for every block after an edit:
    named tuples built directly, not through ``_replace``)."""
    if not delta:
        return block
    kind, start, end, prompt, path, item, title = block
    if prompt is not None:
        text, segments, prompt_kind, marker, code, extent, lead = prompt
        segments = tuple([Segment(s[0], s[1] + delta, s[2]) for s in segments])
        prompt = Prompt(text, segments, prompt_kind, marker, code, extent, lead)
    return Block(kind, start + delta, end + delta, prompt, path, item, title)


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # slice comparisons run in C: log n steps of memcmp
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, max(0, limit)
    la, lb = len(a), len(b)
    while low < high:
        middle = (low + high + 1) // 2
        if a[la - middle : la - low] == b[lb - middle : lb - low]:
            low = middle
        else:
            high = middle - 1
    return low
