"""What the Markdown parser (:mod:`.markdown`) reads a prompt file into: the
:class:`Block` it hands out, the containers (quotes, list items) and leaf blocks
(paragraphs, fences, HTML blocks, tables) it keeps open while reading, and the state
one parse keeps (:class:`ParserState`, which the parser's layers extend).
"""

from __future__ import annotations

import re
from itertools import count
from typing import NamedTuple

from promptcoach.engine.model import Prompt

MAX_PATH = 32  # containers named in a Block's path (see markdown_leaves.LeafParser._path)
_SERIAL = count(1)  # container ids: Block.path tells which blocks share a list item


class Quote:
    __slots__ = ("id",)

    def __init__(self) -> None:
        self.id = next(_SERIAL)


class Item:
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


class Paragraph:
    __slots__ = ("spans", "kind")

    def __init__(self, kind: str) -> None:
        self.spans: list[tuple[int, int]] = []
        self.kind = kind


class Fence:
    __slots__ = ("char", "length")

    def __init__(self, char: str, length: int) -> None:
        self.char = char
        self.length = length


class Html:
    __slots__ = ("end",)

    def __init__(self, end: re.Pattern[str] | None) -> None:
        self.end = end


class Table:
    __slots__ = ()


Leaf = Paragraph | Fence | Html | Table


class ParserState:
    """What one parse keeps: the open containers, outermost first, the open leaf block,
    the blocks read so far and the line being read."""

    def __init__(self, text: str, fast: bool = True) -> None:
        self.text = text
        self.fast = fast
        self.containers: list[Quote | Item] = []
        self.leaf: Leaf | None = None
        self.leaf_depth = 0  # number of containers the leaf lives in
        self.only_items = True  # no quote among the containers
        self.quote_indices: list[int] = []  # where the quotes are among the containers
        self.blocks: list[Block] = []
        self.line_start = self.line_end = 0  # the line being read
        self.fence_start = 0  # where the open fence (if any) started
