"""The Markdown reader's prompts, one per paragraph, for tests of the block parser."""

from __future__ import annotations

from promptcoach.engine.extract.markdown import markdown_blocks
from promptcoach.engine.model import Prompt


def markdown_prompts(text: str, fast: bool = True) -> list[Prompt]:
    """The prompt of every paragraph, list item and quoted paragraph of a prompt file, as
    :func:`markdown_blocks` reads them (before :func:`promptcoach.engine.extract.extract`
    joins them into whole prompts). ``fast=False`` turns the parser's shortcuts for
    common lines off."""
    return [block.prompt for block in markdown_blocks(text, fast) if block.kind == "text" and block.prompt is not None]
