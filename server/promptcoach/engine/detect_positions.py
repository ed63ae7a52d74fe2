"""Where a prompt names the details detection (:mod:`.detect`) found present: term
occurrences (misspelt ones marked fuzzy) and pattern matches, in prompt-text offsets
for hover and highlighting. Worked out only when asked for (``Classification.evidence``).
"""

from __future__ import annotations

from collections.abc import Iterable

from promptcoach.engine.detect_patterns import patterns_to_run
from promptcoach.engine.detect_words import Words
from promptcoach.engine.knowledge.index import Index, KeyInfo, _EvidenceTable
from promptcoach.engine.knowledge.model import FoundMatch
from promptcoach.engine.knowledge.terms import TOKEN_RE
from promptcoach.engine.model import Match


def detail_matches(text: str, category: int, index: Index, present: tuple[str, ...]) -> tuple[Match, ...]:
    """Where the present details are named in ``text``: term occurrences (misspelt ones
    marked fuzzy) and pattern matches, outermost first."""
    words = Words(text, index)
    details = index.categories[category].details
    matches: list[Match] = []
    named: dict[int, set[str]] = {}
    hits = _evidence_positions(words, index.evidence[category])
    if hits:
        spans = _word_spans(words)
        for start, end, info, owners in hits:
            fuzzy = bool(words.fixes) and any(words.raw[i] in words.fixes for i in range(start, end))
            for d in owners:
                matches.append(Match(details[d].id, spans[start][0], spans[end - 1][1], info.term, fuzzy))
                named.setdefault(d, set()).add(info.term)
    for d, m in _pattern_hits(words, category, index, named):
        matches.append(Match(details[d].id, m.start(), m.end(), text[m.start() : m.end()], False))
    return _outermost(m for m in matches if m.detail in present)


def _pattern_hits(
    words: Words, category: int, index: Index, named: dict[int, set[str]]
) -> list[tuple[int, FoundMatch]]:
    """``(detail index, match)`` of the category's patterns, for the details whose terms
    alone do not reach ``min_hits``."""
    return [
        (d, m)
        for d, _, pattern, subject in patterns_to_run(words, category, index, named)
        for m in pattern.finditer(subject)
    ]


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


def _word_spans(words: Words) -> list[tuple[int, int]]:
    """Character spans of the prompt's words, in the order of ``words.raw`` (one scan
    of the text with the tokenizer that cut it)."""
    text = words.lower if len(words.lower) == len(words.text) else words.text
    return [m.span() for m in TOKEN_RE.finditer(text)]


def _outermost(matches: Iterable[Match]) -> tuple[Match, ...]:
    """Matches sorted by position, without those inside a longer match of the same detail."""
    ordered = sorted(matches, key=lambda m: (m.start, -m.end))
    kept: list[Match] = []
    reach: dict[str, int] = {}
    for m in ordered:
        if m.end <= reach.get(m.detail, -1):
            continue
        reach[m.detail] = m.end
        kept.append(m)
    return tuple(kept)
