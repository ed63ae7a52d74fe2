"""Repository text inside Markdown (hovers, completion documentation): knowledge packs
and prompt words come from the workspace, so nothing of theirs may render as a link, an
image or HTML."""

from __future__ import annotations

_MARKDOWN = str.maketrans({char: "\\" + char for char in "\\`*_[]()<>#!|~{}"})


def md_text(text: str) -> str:
    """``text`` with Markdown's special characters escaped: no link, image or HTML of a
    knowledge pack is rendered in a hover."""
    return str(text).translate(_MARKDOWN)


def md_code(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds (repository text)."""
    text = " ".join(text.split())
    longest = 0
    run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
