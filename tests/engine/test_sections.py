"""Re-reading only the edited section of a prompt file gives exactly the blocks of a
whole parse (engine/extract/sections.py), whatever the edit."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from promptcoach.engine.extract.markdown import markdown_blocks
from promptcoach.engine.extract.sections import SectionReader

DOC = """---
description: sample
---

# Posts

Create a posts table:

- Use Prisma.
- Fields: title, body.

```prisma
model Post { id Int @id }
```

# Auth

Add user login.

> Quote with a list:
> - item

## Notes
<div>
html block
</div>

# Last

1. one
2. two
"""


def shape(blocks):
    """The blocks with their container ids renumbered by first appearance (ids are serial
    numbers: only which blocks share a container matters)."""
    numbers: dict[int, int] = {}
    return [b._replace(path=tuple(numbers.setdefault(i, len(numbers)) for i in b.path)) for b in blocks]


PIECES = [
    "x",
    " ",
    "\n",
    "\n\n",
    "# H\n",
    "```",
    "~~~\n",
    "- ",
    "> ",
    "<div>",
    "<!--",
    "-->",
    "1. ",
    "\t",
    "---\n",
    "`",
    "\r\n",
    "===\n",
    "    code\n",
    "<script>\n",
    "Plain\n\n",
    "\n\nWord ",
    "  - nested\n",
]


def test_typing_inside_a_section_reads_only_that_section():
    reader = SectionReader()
    reader.blocks_of(DOC)
    position = DOC.index("Add user login.") + len("Add user login")
    for character in "abc":
        text = DOC[:position] + character + DOC[position:]
        assert shape(reader.blocks_of(text)) == shape(markdown_blocks(text))
    assert reader.sections_read == 3


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 5), st.sampled_from(PIECES)), max_size=6))
def test_any_edit_gives_the_blocks_of_a_whole_parse(edits):
    reader = SectionReader()
    text = DOC
    reader.blocks_of(text)
    for position, removed, piece in edits:
        position %= len(text) + 1
        text = text[:position] + piece + text[position + removed :]
        assert shape(reader.blocks_of(text)) == shape(markdown_blocks(text)), text


def test_a_long_random_session_matches_whole_parses():
    rng = random.Random(7)
    reader = SectionReader()
    text = DOC * 5
    reader.blocks_of(text)
    for _ in range(400):
        position = rng.randrange(len(text) + 1)
        if rng.random() < 0.6:
            text = text[:position] + rng.choice(PIECES) + text[position:]
        else:
            text = text[:position] + text[position + rng.randrange(4) :]
        assert shape(reader.blocks_of(text)) == shape(markdown_blocks(text))
    assert reader.sections_read > 100  # most edits read one section
