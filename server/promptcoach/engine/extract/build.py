"""Turning document spans into a :class:`Prompt` and splitting documents into lines."""

from __future__ import annotations

import re

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


_LINE_END_HTML_COMMENT = re.compile(r"<!--(?:(?!-->)[^\n])*-->[ \t]*(?=\n|$)")


def without_html_comments(prompt: Prompt) -> Prompt | None:
    """``prompt`` without the HTML comments that end one of its lines, with the blanks
    before them (``Add login.  <!-- promptcoach-disable-line -->``: Markdown
    does not show them, so they are no part of the prompt); None when nothing is left.
    (One that starts a line starts an HTML block, which is no prompt.) A comment in the
    middle of a line stays (cutting it would join two runs of text within a line), as
    do one inside a code span (`` `<!-- -->` ``) and an unclosed one."""
    text = prompt.text
    if "<!--" not in text:
        return prompt
    cuts = [(len(text[: m.start()].rstrip(" \t")), m.end()) for m in _LINE_END_HTML_COMMENT.finditer(text)
            if text.count("`", 0, m.start()) % 2 == 0]
    for start, end in reversed(cuts):
        prompt = _cut(prompt, start, end)
    return prompt if prompt.text.strip() else None


def _cut(prompt: Prompt, start: int, end: int) -> Prompt:
    """``prompt`` with ``text[start:end]`` (the end of one of its segments) removed, the segments mapped around it."""
    removed = end - start
    segments = []
    for seg in prompt.segments:
        seg_end = seg.text_start + seg.length
        if seg.text_start < start:  # the part before the cut
            segments.append(Segment(seg.text_start, seg.doc_start, min(seg_end, start) - seg.text_start))
        if seg_end > end:  # the part after it
            first = max(seg.text_start, end)
            segments.append(Segment(first - removed, seg.doc_start + first - seg.text_start, seg_end - first))
    return prompt._replace(text=prompt.text[:start] + prompt.text[end:], segments=tuple(s for s in segments if s.length))
