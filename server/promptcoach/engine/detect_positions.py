"""Where a prompt names the details detection (:mod:`.detect`) found present: term
occurrences (misspelt ones marked fuzzy) and pattern matches, in prompt-text offsets
for hover and highlighting. Worked out only when asked for (``Classification.evidence``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice, takewhile

from promptcoach.engine.detect_patterns import patterns_to_run
from promptcoach.engine.detect_words import Words
from promptcoach.engine.knowledge.index import Index, KeyInfo, _EvidenceTable
from promptcoach.engine.knowledge.terms import TOKEN_RE
from promptcoach.engine.model import Match


def detail_matches(
    text: str, category: int, index: Index, present: tuple[str, ...], before: int | None = None
) -> tuple[Match, ...]:
    """Where the present details are named in ``text``: term occurrences (misspelt ones
    marked fuzzy) and pattern matches, outermost first; with ``before``, only those that
    start before that offset (exactly the matches of the whole text that do: a match that
    holds another starts at or before it). A prompt of thousands of routes has a match
    for each: they are kept as plain tuples until :func:`_outermost` has dropped those
    inside a longer one."""
    words = Words(text, index)
    details = index.categories[category].details
    found: list[_Found] = []
    named: dict[int, set[str]] = {}
    hits = _evidence_positions(words, index.evidence[category])
    for _, _, info, owners in hits:  # every term named decides which patterns run
        for d in owners:
            terms = named.get(d)
            if terms is None:
                named[d] = {info.term}
            else:
                terms.add(info.term)
    if hits and before is not None:  # the terms whose first word starts before the offset
        first_words = sum(1 for _ in takewhile(lambda m: m.start() < before, _token_matches(words)))
        hits = [hit for hit in hits if hit[0] < first_words]
    if hits:
        spans = _word_spans(words, max(end for _, end, _, _ in hits))
        ids = [detail.id for detail in details]
        fixes, raw = words.fixes, words.raw
        for start, end, info, owners in hits:
            fuzzy = bool(fixes) and any(raw[i] in fixes for i in range(start, end))
            for d in owners:
                if ids[d] in present:
                    found.append((spans[start][0], -spans[end - 1][1], len(found), ids[d], info.term, fuzzy))
    for d, _, pattern, subject in patterns_to_run(words, category, index, named):
        detail = details[d].id
        if detail not in present:
            continue  # (its matches would be left out)
        for m in pattern.finditer(subject):
            start, end = m.start(), m.end()
            if before is not None and start >= before:
                break
            found.append((start, -end, len(found), detail, text[start:end], False))
    return _outermost(found)


# a match before it is made: (start, -end, its place in the order found, detail id, term, fuzzy)
_Found = tuple[int, int, int, str, str, bool]


def _evidence_positions(words: Words, table: _EvidenceTable) -> list[tuple[int, int, KeyInfo, tuple[int, ...]]]:
    """Occurrences of the category's evidence terms: (first word, end word, info, detail indexes)."""
    seq = words.words
    starts = table.starts
    hits = []
    for i in [i for i, w in enumerate(seq) if w in starts]:
        word = seq[i]
        for rest, info, owners in table.phrases.get(word, ()):
            end = i + 1 + len(rest)
            if tuple(seq[i + 1 : end]) == rest:
                hits.append((i, end, info, owners))
        entry = table.single.get(word)
        if entry is not None:
            hits.append((i, i + 1, entry[0], entry[1]))
    return hits


def _word_spans(words: Words, count: int) -> list[tuple[int, int]]:
    """Character spans of the prompt's first ``count`` words, in the order of ``words.raw``
    (a scan of the text with the tokenizer that cut it, as far as the last word asked for)."""
    return [m.span() for m in islice(_token_matches(words), count)]


def _token_matches(words: Words) -> Iterator[re.Match[str]]:
    """The prompt's words as the tokenizer that cut them finds them, in order."""
    text = words.lower if len(words.lower) == len(words.text) else words.text
    return TOKEN_RE.finditer(text)


def _outermost(found: list[_Found]) -> tuple[Match, ...]:
    """Matches sorted by position (the longer first; ties in the order found), without
    those inside a longer match of the same detail."""
    kept: list[Match] = []
    reach: dict[str, int] = {}
    for start, negative_end, _, detail, term, fuzzy in sorted(found):
        end = -negative_end
        if end <= reach.get(detail, -1):
            continue
        reach[detail] = end
        kept.append(Match(detail, start, end, term, fuzzy))
    return tuple(kept)
