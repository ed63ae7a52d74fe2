"""Turning document spans into a :class:`Prompt` and splitting documents into lines."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from operator import add

from promptcoach.engine import regexcache
from promptcoach.engine.model import Prompt, Segment

_LINE = regexcache.compile(r"[^\r\n]*")
_PLUS_ONE = (1).__add__


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text[start:end]``, line breaks excluded.
    Line breaks are LF, CRLF and lone CR, as in LSP."""
    if end is None:
        end = len(text)
    if "\r" not in text[start:end]:  # from the lengths of str.split: no Python code runs per line
        lengths = list(map(len, text[start:end].split("\n")))
        starts = list(accumulate(map(_PLUS_ONE, lengths), initial=start))
        starts.pop()  # (past the end)
        return list(zip(starts, map(add, starts, lengths)))
    spans = []
    pos = start
    match_line = _LINE.match
    while True:
        line = match_line(text, pos, end)
        assert line is not None  # _LINE matches the empty string
        line_end = line.end()
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
    pieces: list[str] = []
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


_CODE_SPAN = regexcache.compile(r"`[^`\n]*`")
_COMMENT_OPENER = "<!--"
_COMMENT_CLOSER = "-->"


def without_html_comments(prompt: Prompt) -> Prompt | None:
    """``prompt`` without the HTML comments that end one of its lines, with the blanks
    before them (``Add login.  <!-- promptcoach-disable-line -->``: Markdown does not
    show them, so they are no part of the prompt); None when nothing is left. (One
    that starts a line starts an HTML block, which is no prompt.) A comment in the
    middle of a line stays (cutting it would join two runs of text within a line), as
    do one inside a code span (`` `<!-- -->` ``) and an unclosed one."""
    text = prompt.text
    if _COMMENT_OPENER not in text:
        return prompt
    code = [m.span() for m in _CODE_SPAN.finditer(text)] if "`" in text else []
    code_starts = [start for start, _ in code]
    cuts = []
    for run_start, run_end in _line_end_comment_runs(text):
        index = bisect_right(code_starts, run_start) - 1
        if index >= 0 and code[index][1] > run_start:
            continue  # inside a code span
        start = run_start
        while start > 0 and text[start - 1] in " \t":  # the blanks before it go too
            start -= 1
        cuts.append((start, run_end))
    if not cuts:
        return prompt
    prompt = _cut(prompt, cuts)
    return prompt if prompt.text.strip() else None


def _line_end_comment_runs(text: str) -> list[tuple[int, int]]:
    """For each line of ``text`` that ends in a run of HTML comments, the span of the
    run: from the first ``<!--`` (not right after a ``-->``) from which closed
    comments, blanks between them, follow one another to the end of the line. Each
    comment ends at the first ``-->`` after its ``<!--``. Linear: the openers of a line
    are followed from right to left, each one's fate read off the comment after it."""
    runs = []
    opener = text.find(_COMMENT_OPENER)
    while opener >= 0:
        line_end = text.find("\n", opener)
        if line_end < 0:
            line_end = len(text)
        start = _run_to_line_end(text, opener, line_end)
        if start is not None:
            runs.append((start, line_end))
        opener = text.find(_COMMENT_OPENER, line_end)
    return runs


def _run_to_line_end(text: str, first_opener: int, line_end: int) -> int | None:
    """Where the run of comments that ends the line ``text[..:line_end]`` starts, the
    line's first ``<!--`` being at ``first_opener``; None when the line ends otherwise."""
    openers = _occurrences(text, _COMMENT_OPENER, first_opener, line_end)
    closers = _occurrences(text, _COMMENT_CLOSER, first_opener + len(_COMMENT_OPENER), line_end)
    reaches_end: dict[int, bool] = {}  # opener -> closed comments follow from it to the line end
    closer_index = len(closers)
    closer_result: tuple[int, bool] | None = None  # (closer index, reaches_end after it)
    for opener in reversed(openers):
        body = opener + len(_COMMENT_OPENER)
        while closer_index > 0 and closers[closer_index - 1] >= body:
            closer_index -= 1  # closers[closer_index]: the first one at or after body
        if closer_index == len(closers):
            reaches_end[opener] = False  # never closed
            continue
        if closer_result is None or closer_result[0] != closer_index:  # openers sharing a closer: once
            closer_result = (closer_index, _ends_line_after(text, closers[closer_index], line_end, reaches_end))
        reaches_end[opener] = closer_result[1]
    for opener in openers:
        if reaches_end[opener] and not _after_closer(text, opener):
            return opener
    return None


def _ends_line_after(text: str, closer: int, line_end: int, reaches_end: dict[int, bool]) -> bool:
    """Whether the comment closed at ``closer`` ends the line: blanks and the line
    end follow it, or blanks and an opener from which ``reaches_end`` is true."""
    after = closer + len(_COMMENT_CLOSER)
    while after < line_end and text[after] in " \t":
        after += 1
    return after == line_end or reaches_end.get(after, False)


def _after_closer(text: str, position: int) -> bool:
    return position >= len(_COMMENT_CLOSER) and text.startswith(_COMMENT_CLOSER, position - len(_COMMENT_CLOSER))


def _occurrences(text: str, needle: str, start: int, end: int) -> list[int]:
    """Offsets of the (non-overlapping) occurrences of ``needle`` in ``text[start:end]``."""
    found = []
    position = text.find(needle, start, end)
    while position >= 0:
        found.append(position)
        position = text.find(needle, position + len(needle), end)
    return found


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
                segments.append(
                    Segment(piece_start - removed, seg.doc_start + piece_start - seg_start, start - piece_start)
                )
            removed += end - start
            pieces.append(text[position:start])
            position = end
            piece_start = max(end, seg_start)
            cut_index += 1
        if seg_end > piece_start:
            segments.append(
                Segment(piece_start - removed, seg.doc_start + piece_start - seg_start, seg_end - piece_start)
            )
    pieces.append(text[position:])
    return prompt._replace(text="".join(pieces), segments=tuple(segments))
