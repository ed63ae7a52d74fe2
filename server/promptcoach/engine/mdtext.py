"""Repository text inside Markdown (hovers, completion documentation): knowledge packs
and prompt words come from the workspace, so nothing of theirs may render as a link, an
image or HTML."""

from __future__ import annotations

import re

_MARKDOWN = str.maketrans({char: "\\" + char for char in "\\`*_[]()<>#!|~{}"})
_SPACES = re.compile(r"(\s+)")


def md_text(text: str) -> str:
    """``text`` with Markdown's special characters escaped: no link, image or HTML of a
    knowledge pack is rendered in a hover. A word that a renderer would make a link of
    by itself (GitHub's autolinks: ``https://...``, ``www....``, an e-mail address) is
    written as a code span, which no renderer links."""
    text = str(text)
    if "://" not in text and "www." not in text.lower() and "@" not in text:
        return text.translate(_MARKDOWN)  # (nearly all text)
    return "".join(md_code(part) if _links_itself(part) else part.translate(_MARKDOWN) for part in _SPACES.split(text))


def _links_itself(word: str) -> bool:
    return "://" in word or "www." in word.lower() or ("@" in word and "." in word.split("@", 1)[1])


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
