"""A rule's documentation page, as plain text for a terminal.

``promptcoach explain RULE`` prints the page the way ``explain CATEGORY`` prints a
card: the title underlined, sections as headings, paragraphs and list items wrapped
to the width, code blocks indented without their fences, tables as aligned columns,
and no Markdown markers (``**``, ``*``, backticks, links) left in the prose. It
handles the Markdown our own pages use (``knowledge/rules``), not all of
CommonMark.
"""

from __future__ import annotations

import textwrap

from promptcoach.engine import regexcache

WIDTH = 88
_EMPHASIS = regexcache.compile(r"\*\*(.+?)\*\*|\*(\S(?:.*?\S)?)\*")
_LINK = regexcache.compile(r"\[([^\]]+)\]\([^)]*\)")
_LIST_ITEM = regexcache.compile(r"^(\s*)([-*]|\d+\.)\s+")


def plain(text: str) -> str:
    """Inline Markdown without its markers: emphasis, links (their text) and code
    spans (their content)."""
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return text.replace("`", "")


def render(markdown: str, title: str) -> str:
    """``markdown`` (a page whose first line is ``# id``) as terminal text headed by
    ``title``."""
    lines = markdown.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    page = _Page([title, "=" * len(title)])
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith(("```", "|")):
            fence = line.startswith("```")
            end = next(
                (
                    j
                    for j in range(index + 1, len(lines))
                    if (lines[j].startswith("```") if fence else not lines[j].startswith("|"))
                ),
                len(lines),
            )
            page.add(
                ["    " + code if code else "" for code in lines[index + 1 : end]]
                if fence
                else _table(lines[index:end])
            )
            index = end + 1 if fence else end
            continue
        if line.startswith("#"):
            heading = plain(line.lstrip("#").strip())
            page.add([heading, "-" * len(heading)])
        elif not line.strip():
            page.flush()
        elif _LIST_ITEM.match(line):
            page.flush()
            page.block.append(line)
        else:
            page.block.append(line)
        index += 1
    page.flush()
    return "\n".join(page.out).rstrip() + "\n"


class _Page:
    """The rendered lines; ``block`` holds the paragraph or list item being read.
    Blocks are separated by a blank line, but for the items of one list."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.block: list[str] = []
        self.last_was_item = False

    def add(self, lines: list[str], item: bool = False) -> None:
        self.flush()
        if not (item and self.last_was_item):
            self.out.append("")
        self.out.extend(lines)
        self.last_was_item = item

    def flush(self) -> None:
        if not self.block:
            return
        block, self.block = self.block, []
        item = _LIST_ITEM.match(block[0])
        if item is None:
            self.add([_fill(plain(" ".join(part.strip() for part in block)), "", "")])
            return
        head = f"  {' ' * len(item.group(1))}{item.group(2)} "
        body = plain(" ".join([block[0][item.end() :].strip(), *(part.strip() for part in block[1:])]))
        self.add([_fill(body, head, " " * len(head))], item=True)


def _fill(text: str, first: str, rest: str) -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False, break_long_words=False
    )


def _table(rows: list[str]) -> list[str]:
    cells = [[plain(cell.strip()) for cell in row.strip().strip("|").split("|")] for row in rows]
    cells = [row for row in cells if not all(set(cell) <= set("-: ") for cell in row)]  # the |---| row
    columns = max(len(row) for row in cells)
    widths = [max(len(row[c]) if c < len(row) else 0 for row in cells) for c in range(columns)]
    return ["  " + "  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip() for row in cells]
