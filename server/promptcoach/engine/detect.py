"""Classifying a prompt: which backend category it belongs to and which key
details it names.

The prompt is cut into lower-case words once. Misspelt or plural words are
mapped to the terms they stand for (looked up once per distinct word, with
rapidfuzz, then remembered). Terms are found with set intersections and, for
phrases, one substring test each, so the cost grows with the number of terms
found rather than with the vocabulary. Each category scores the weights of the
distinct terms found (signals, detail evidence) minus its counter-signals. The
best backend category wins when it reaches :data:`MIN_SCORE` and beats every
non-backend category (front end, testing ...); otherwise the prompt has no
category. Only then are positions computed: detail evidence and the winning
category's regex patterns decide which details are present, with matches in
prompt-text offsets for hover and highlighting. The words are cut in
:mod:`.detect_words`, the patterns compiled and chosen in :mod:`.detect_patterns`
and the positions found, when asked for, in :mod:`.detect_positions`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from weakref import WeakKeyDictionary

from promptcoach.engine.detect_patterns import Requires, fast_patterns, patterns_to_run
from promptcoach.engine.detect_positions import detail_matches
from promptcoach.engine.detect_words import Words
from promptcoach.engine.fast_regex import lowercase_variant, with_first_letters
from promptcoach.engine.knowledge import KnowledgeBase
from promptcoach.engine.knowledge.index import Index, KeyInfo
from promptcoach.engine.knowledge.model import CompiledPattern
from promptcoach.engine.knowledge.terms import TOKEN_RE
from promptcoach.engine.model import Classification

MIN_SCORE = 3.0  # a backend category needs at least one strong signal
_NONE = Classification(category=None)


def classify(text: str, knowledge: KnowledgeBase) -> Classification:
    """Category, present/missing details and matches of one prompt's text."""
    index = knowledge.index
    words = Words(text, index)
    shaped = _shape_signals(words, index)
    if not shaped and words.distinct.isdisjoint(index.backend_vocab):
        return _NONE
    found = _terms_found(words, index)
    category, confidence = _best_category(found, index, shaped)
    if category is None:
        return _NONE
    return _details(words, found, category, index, confidence)


def detect_details(text: str, knowledge: KnowledgeBase, category_id: str) -> Classification:
    """Present/missing details of ``text`` for the given category, whatever its own category is."""
    index = knowledge.index
    position = next((i for i, c in enumerate(index.categories) if c.id == category_id), None)
    if position is None:
        raise KeyError(f"unknown category {category_id!r}")
    words = Words(text, index)
    return _details(words, _terms_found(words, index), position, index, 1.0)


def details_by_category(
    text: str, knowledge: KnowledgeBase, wanted: Mapping[str, Collection[str]]
) -> dict[str, Classification]:
    """:func:`detect_details` for the categories of ``wanted`` (category id -> detail ids)
    that can hold one of those details (a term that is evidence for it, or a pattern of
    it whose ``requires`` occur), reading the text once. For what a statement of the
    project's context names: most statements name none, and this tells cheaply."""
    index = knowledge.index
    words = Words(text, index)
    found = _terms_found(words, index)
    evidence = {pair for info in found for pair in info.evidence}
    result = {}
    for position, category in enumerate(index.categories):
        details = wanted.get(category.id)
        if not details:
            continue
        indexes = [d for d, detail in enumerate(category.details) if detail.id in details]
        if not any((position, d) in evidence for d in indexes) and not any(
            not requires or any(r in words.lower for r in requires)
            for d in indexes
            for _, requires in index.detail_patterns(position)[d]
        ):
            continue
        result[category.id] = _details(words, found, position, index, 1.0)
    return result


def evidence_in(text: str, knowledge: KnowledgeBase, wanted: Mapping[str, Collection[str]]) -> set[tuple[str, str]]:
    """``(category id, detail id)`` of each of the ``wanted`` details (category id ->
    detail ids) that ``text`` may name as written: one of its terms occurs, or one of its
    patterns matches. A detail not among them is not named there in words as written,
    misspelt and plural words aside (a statement of the project's context names a detail
    only in words as written, see ``engine.statements``): a cheap test before
    :func:`details_by_category`, which runs the same patterns on the same text."""
    evidence = _wanted_evidence(knowledge.index, wanted)
    lower = text.lower()
    words = TOKEN_RE.findall(lower)
    held: set[tuple[str, str]] = set()
    spaced = ""
    for word in evidence.starts.intersection(words):
        held.update(evidence.single.get(word, ()))
        for rest, pair in evidence.phrases.get(word, ()):
            spaced = spaced or " " + " ".join(words) + " "
            if f" {word} {rest} " in spaced:
                held.add(pair)
    for pair, pattern, requires in evidence.patterns:
        if pair not in held and (requires is None or requires(lower)) and pattern.search(text):
            held.add(pair)
    return held


class _WantedEvidence:
    """The evidence of some details, ready for :func:`evidence_in`: ``(category id, detail
    id)`` of each one-word term; ``(rest of the phrase, pair)`` of each phrase by its
    first word; the first words; ``(pair, pattern, requires)`` of each pattern."""

    def __init__(self, index: Index, wanted: Mapping[str, Collection[str]]) -> None:
        single: dict[str, list[tuple[str, str]]] = {}
        phrases: dict[str, list[tuple[str, tuple[str, str]]]] = {}
        patterns: list[tuple[tuple[str, str], CompiledPattern, Requires | None]] = []
        for position, category in enumerate(index.categories):
            details = wanted.get(category.id)
            if not details:
                continue
            pair = {d: (category.id, detail.id) for d, detail in enumerate(category.details) if detail.id in details}
            table = index.evidence[position]
            for word, (_, owners) in table.single.items():
                single.setdefault(word, []).extend(pair[d] for d in owners if d in pair)
            for word, items in table.phrases.items():
                phrases.setdefault(word, []).extend(
                    (" ".join(rest), pair[d]) for rest, _, owners in items for d in owners if d in pair
                )
            for d, _, found in fast_patterns(index, position):
                for pattern, requires, original in found if d in pair else ():
                    patterns.append((pair[d], original or pattern, requires))
        self.wanted = wanted
        self.single = {word: found for word, found in single.items() if found}
        self.phrases = {word: found for word, found in phrases.items() if found}
        self.starts = frozenset(self.single) | frozenset(self.phrases)
        self.patterns = patterns


_WANTED_EVIDENCE: WeakKeyDictionary[Index, _WantedEvidence] = WeakKeyDictionary()


def _wanted_evidence(index: Index, wanted: Mapping[str, Collection[str]]) -> _WantedEvidence:
    """:class:`_WantedEvidence` (remembered for the last ``wanted`` asked about)."""
    known = _WANTED_EVIDENCE.get(index)
    if known is None or known.wanted is not wanted:
        known = _WANTED_EVIDENCE[index] = _WantedEvidence(index, wanted)
    return known


def _terms_found(words: Words, index: Index) -> list[KeyInfo]:
    """The distinct terms that occur in the prompt."""
    distinct = words.distinct
    single = index.single
    found = [single[w] for w in distinct & index.single_words]
    for first in distinct & index.phrase_starts:
        for rest, info, spaced in index.phrases[first]:
            if rest[0] in distinct and spaced in words.joined:
                found.append(info)
    return found


def _shape_signals(words: Words, index: Index) -> list[tuple[int, float]]:
    """``(category, weight)`` of each category signal pattern that matches (an HTTP
    method before a path ...): evidence that no single term carries."""
    found = []
    lower, text = words.lower, words.text
    ascii_text = text.isascii()
    for category, pattern, lowercase, requires, weight in _signal_patterns(index):
        if requires:
            for required in requires:  # (a loop, not any() of a generator: run for every prompt)
                if required in lower:
                    break
            else:
                continue
        if lowercase is not None and ascii_text:
            if lowercase.search(lower):
                found.append((category, weight))
        elif pattern.search(text):
            found.append((category, weight))
    return found


# (category, pattern, its lower-case variant for ASCII text or None, requires, weight)
_SignalPatterns = tuple[tuple[int, CompiledPattern, CompiledPattern | None, tuple[str, ...], float], ...]
_SIGNAL_PATTERNS: WeakKeyDictionary[Index, _SignalPatterns] = WeakKeyDictionary()


def _signal_patterns(index: Index) -> _SignalPatterns:
    """The categories' signal patterns, compiled for speed (:mod:`.fast_regex`): a search
    of a long prompt that holds none of them reads the whole text, for each."""
    compiled = _SIGNAL_PATTERNS.get(index)
    if compiled is None:
        compiled = _SIGNAL_PATTERNS[index] = tuple(
            (c, *_fast_signal(pattern.compile()), pattern.requires, weight)
            for c, category in enumerate(index.categories)
            for pattern, weight in category.signal_patterns
        )
    return compiled


def _fast_signal(pattern: CompiledPattern) -> tuple[CompiledPattern, CompiledPattern | None]:
    """``(pattern for the text, variant for its lower-cased form or None)``."""
    if not isinstance(pattern, re.Pattern):  # a user's pattern on RE2: run as it is
        return pattern, None
    lowercase = lowercase_variant(pattern)
    return (pattern, lowercase) if lowercase is not None else (with_first_letters(pattern), None)


def _best_category(
    found: list[KeyInfo], index: Index, shaped: Sequence[tuple[int, float]] = ()
) -> tuple[int | None, float]:
    scores = [0.0] * len(index.categories)
    for info in found:
        for c, weight in info.weights:
            scores[c] += weight
    for c, weight in shaped:
        scores[c] += weight
    best = max(index.backend, key=scores.__getitem__)
    best_score = scores[best]
    if len(scores) > 1:
        scores[best] = float("-inf")  # the best score of the others
        rival = max(scores)
    else:
        rival = 0.0
    if best_score < MIN_SCORE or best_score <= rival:
        return None, 0.0
    return best, round(min(1.0, (best_score - max(rival, 0.0)) / best_score), 3)


def _details(words: Words, found: list[KeyInfo], category: int, index: Index, confidence: float) -> Classification:
    """Which details are named, from the terms found (distinct terms per detail) and,
    where those do not suffice, the details' patterns. Where each one was named is
    worked out later, if ever asked for (:func:`.detect_positions.detail_matches`)."""
    details = index.categories[category].details
    named: dict[int, set[str]] = {}
    for info in found:
        for c, d in info.evidence:
            if c == category:
                named.setdefault(d, set()).add(info.term)
    _add_pattern_evidence(words, category, index, named)
    present_ids: list[str] = []
    missing: list[str] = []
    for d, det in enumerate(details):
        (present_ids if len(named.get(d, ())) >= det.min_hits else missing).append(det.id)
    present = tuple(present_ids)
    text = words.text  # the deferred search keeps the text alone, not the words
    return Classification(
        category=index.categories[category].id,
        present=present,
        missing=tuple(missing),
        evidence=lambda before: detail_matches(text, category, index, present, before),
        confidence=confidence,
    )


def _add_pattern_evidence(words: Words, category: int, index: Index, named: dict[int, set[str]]) -> None:
    """Add the category's pattern matches to ``named`` (distinct matched texts per
    detail), for the details whose terms alone do not reach ``min_hits``, and only
    until they do: presence is all that is asked here (:mod:`.detect_positions` finds
    every match, for the positions)."""
    for d, min_hits, pattern, subject in patterns_to_run(words, category, index, named):
        if min_hits == 1:
            match = pattern.search(subject)
            if match is not None:
                named.setdefault(d, set()).add(match.group().lower())
        else:
            named.setdefault(d, set()).update(m.group().lower() for m in pattern.finditer(subject))
