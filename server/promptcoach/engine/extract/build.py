"""Turning document spans into a :class:`Prompt` and splitting documents into lines."""

from __future__ import annotations

import re
from bisect import bisect_right

from promptcoach.engine.model import Prompt, Segment

_LINE = re.compile(r"[^\r\n]*")


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text[start:end]``, line breaks excluded.
    Line breaks are LF, CRLF and lone CR, as in LSP."""
    if end is None:
        end = len(text)
    if "\r" not in text[start:end]:
        spans = []
        pos = start
        for line in text[start:end].split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans
    spans = []
    pos = start
    match_line = _LINE.match
    while True:
        line_end = match_line(text, pos, end).end()
        spans.append((pos, line_end))
        if line_end >= end:
            return spans
        pos = line_end + (2 if text.startswith("\r\n", line_end) else 1)


def build_prompt(text: str, spans: list[tuple[int, int]], kind: str, marker: str | None = None) -> Prompt | None:
    """A prompt whose lines are ``text[s:e]`` for each span, joined with newlines.
    Empty spans are dropped; ``None`` when nothing is left."""
    if len(spans) == 1:  # the common case, kept short
        start, end = spans[0]
        if end <= start:
            return None
        return Prompt(text[start:end], (Segment(0, start, end - start),), kind, marker)
    segments = []
    pieces = []
    offset = 0
    for start, end in spans:
        if end <= start:
            continue
        if pieces:
            offset += 1  # the "\n" separator belongs to no segment
        segments.append(Segment(offset, start, end - start))
        pieces.append(text[start:end])
        offset += end - start
    if not segments:
        return None
    return Prompt("\n".join(pieces), tuple(segments), kind, marker)


# A run of comments that ends a line; a run starts only after no comment, so a long
# run is tried once, not from each of its comments.
_LINE_END_HTML_COMMENTS = re.compile(r"(?<!-->)(?:<!--(?:(?!-->)[^\n])*-->[ \t]*)+(?=\n|$)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")


def without_html_comments(prompt: Prompt) -> Prompt | None:
    """``prompt`` without the HTML comments that end one of its lines, with the blanks
    before them (``Add login.  <!-- promptcoach-disable-line -->``: Markdown does not
    show them, so they are no part of the prompt); None when nothing is left. (One
    that starts a line starts an HTML block, which is no prompt.) A comment in the
    middle of a line stays (cutting it would join two runs of text within a line), as
    do one inside a code span (`` `<!-- -->` ``) and an unclosed one."""
    text = prompt.text
    if "<!--" not in text:
        return prompt
    code = [m.span() for m in _CODE_SPAN.finditer(text)] if "`" in text else []
    code_starts = [start for start, _ in code]
    cuts = []
    for match in _LINE_END_HTML_COMMENTS.finditer(text):
        index = bisect_right(code_starts, match.start()) - 1
        if index >= 0 and code[index][1] > match.start():
            continue  # inside a code span
        start = match.start()
        while start > 0 and text[start - 1] in " \t":  # the blanks before it go too
            start -= 1
        cuts.append((start, match.end()))
    if not cuts:
        return prompt
    prompt = _cut(prompt, cuts)
    return prompt if prompt.text.strip() else None


def _cut(prompt: Prompt, cuts: list[tuple[int, int]]) -> Prompt:
    """``prompt`` with each ``text[start:end]`` of ``cuts`` (in order, each the end of
    one of its segments) removed, the segments mapped around them; one pass."""
    text = prompt.text
    pieces = []
    segments = []
    removed = 0  # characters removed before the current position
    position = 0
    cut_index = 0
    for seg in prompt.segments:
        seg_start, seg_end = seg.text_start, seg.text_start + seg.length
        piece_start = seg_start
        while cut_index < len(cuts) and cuts[cut_index][0] < seg_end:
            start, end = cuts[cut_index]
            if start > piece_start:
                segments.append(Segment(piece_start - removed, seg.doc_start + piece_start - seg_start, start - piece_start))
            removed += end - start
            pieces.append(text[position:start])
            position = end
            piece_start = max(end, seg_start)
            cut_index += 1
        if seg_end > piece_start:
            segments.append(Segment(piece_start - removed, seg.doc_start + piece_start - seg_start, seg_end - piece_start))
    pieces.append(text[position:])
    return prompt._replace(text="".join(pieces), segments=tuple(segments))
