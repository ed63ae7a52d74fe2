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
prompt-text offsets for hover and highlighting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from weakref import WeakKeyDictionary, ref

from promptcoach.engine.fast_regex import lowercase_variant
from promptcoach.engine.knowledge import KnowledgeBase
from promptcoach.engine.knowledge.index import Index, KeyInfo, _EvidenceTable
from promptcoach.engine.knowledge.model import CompiledPattern, FoundMatch
from promptcoach.engine.knowledge.terms import TOKEN_RE, lower_words
from promptcoach.engine.model import Classification, Match

# does the lower-cased text hold one of a pattern's ``requires`` words (a truthy answer)?
_Requires = Callable[[str], object]
# (pattern, requires, original): see _fast_patterns
_FastPattern = tuple[CompiledPattern, _Requires | None, CompiledPattern | None]
_FastDetails = tuple[tuple[int, int, tuple[_FastPattern, ...]], ...]

MIN_SCORE = 3.0  # a backend category needs at least one strong signal
_NONE = Classification(category=None)


class _Words:
    """The prompt's words, with misspellings replaced by the terms they stand for."""

    __slots__ = ("text", "lower", "raw", "words", "distinct", "fixes", "_joined")

    def __init__(self, text: str, index: Index) -> None:
        lower, words, distinct = lower_words(text)
        if len(lower) != len(text):  # case folding changed the length: keep word positions aligned with text
            words = [w.lower() for w in TOKEN_RE.findall(text)]
            distinct = frozenset(words)
        self.raw = words  # as written (lower-case)
        fixes = index.corrections(distinct)
        if fixes:
            words = [fixes.get(w, w) for w in words]
            distinct = frozenset(words)
        self.text = text
        self.lower = lower
        self.words = words
        self.distinct = distinct
        self.fixes = fixes
        self._joined: str | None = None

    @property
    def joined(self) -> str:
        if self._joined is None:
            self._joined = " " + " ".join(self.words) + " "
        return self._joined


def classify(text: str, knowledge: KnowledgeBase) -> Classification:
    """Category, present/missing details and matches of one prompt's text."""
    index = knowledge.index
    words = _Words(text, index)
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
    words = _Words(text, index)
    return _details(words, _terms_found(words, index), position, index, 1.0)


def details_by_category(
    text: str, knowledge: KnowledgeBase, wanted: Mapping[str, Collection[str]]
) -> dict[str, Classification]:
    """:func:`detect_details` for the categories of ``wanted`` (category id -> detail ids)
    that can hold one of those details (a term that is evidence for it, or a pattern of
    it whose ``requires`` occur), reading the text once. For what a statement of the
    project's context names: most statements name none, and this tells cheaply."""
    index = knowledge.index
    words = _Words(text, index)
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


def evidence_in(
    text: str, knowledge: KnowledgeBase, wanted: Mapping[str, Collection[str]]
) -> set[tuple[str, str]] | None:
    """``(category id, detail id)`` of each of the ``wanted`` details (category id ->
    detail ids) that ``text`` may name as written: one of its terms occurs, or one of its
    patterns matches. A detail not among them is not named there in words as written,
    misspelt and plural words aside (a statement of the project's context names a detail
    only in words as written, see ``engine.context``): a cheap test before
    :func:`details_by_category`.

    None when it cannot tell: a pattern with an anchor or a lookaround, whose match
    may depend on the text around the part it matches."""
    evidence = _wanted_evidence(knowledge.index, wanted)
    if evidence.patterns is None:
        return None
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
    first word; the first words; ``(pair, pattern, requires)`` of each pattern (None when
    one has an anchor or a lookaround)."""

    def __init__(self, index: Index, wanted: Mapping[str, Collection[str]]) -> None:
        single: dict[str, list[tuple[str, str]]] = {}
        phrases: dict[str, list[tuple[str, tuple[str, str]]]] = {}
        patterns: list[tuple[tuple[str, str], CompiledPattern, _Requires | None]] = []
        sensitive = False
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
            for d, _, found in _fast_patterns(index, position):
                for pattern, requires, original in found if d in pair else ():
                    sensitive = sensitive or _context_sensitive(original or pattern)
                    patterns.append((pair[d], original or pattern, requires))
        self.wanted = wanted
        self.single = {word: found for word, found in single.items() if found}
        self.phrases = {word: found for word, found in phrases.items() if found}
        self.starts = frozenset(self.single) | frozenset(self.phrases)
        self.patterns = None if sensitive else patterns


_WANTED_EVIDENCE: WeakKeyDictionary[Index, _WantedEvidence] = WeakKeyDictionary()


def _wanted_evidence(index: Index, wanted: Mapping[str, Collection[str]]) -> _WantedEvidence:
    """:class:`_WantedEvidence` (remembered for the last ``wanted`` asked about)."""
    known = _WANTED_EVIDENCE.get(index)
    if known is None or known.wanted is not wanted:
        known = _WANTED_EVIDENCE[index] = _WantedEvidence(index, wanted)
    return known


# The parts of a pattern's source, read in order: an escape, a character class (where
# ``^`` and ``$`` are plain characters), a lookaround's opening, an anchor.
_PATTERN_PARTS = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\(\?<?[=!]|[$^]", re.S)
_ANCHOR_ESCAPES = frozenset(("\\A", "\\Z", "\\z", "\\G"))


def _context_sensitive(pattern: object) -> bool:
    """Whether ``pattern`` may match differently in a part of a text than in the whole
    (an anchor or a lookaround; a source it cannot read)."""
    source = getattr(pattern, "pattern", None)
    if not isinstance(source, str):
        return True
    for part in _PATTERN_PARTS.findall(source):
        if part in _ANCHOR_ESCAPES or part in "$^" or part.startswith("(?"):
            return True
    return False


def _terms_found(words: _Words, index: Index) -> list[KeyInfo]:
    """The distinct terms that occur in the prompt."""
    distinct = words.distinct
    single = index.single
    found = [single[w] for w in distinct & index.single_words]
    for first in distinct & index.phrase_starts:
        for rest, info, spaced in index.phrases[first]:
            if rest[0] in distinct and spaced in words.joined:
                found.append(info)
    return found


def _shape_signals(words: _Words, index: Index) -> list[tuple[int, float]]:
    """``(category, weight)`` of each category signal pattern that matches (an HTTP
    method before a path ...): evidence that no single term carries."""
    found = []
    lower, text = words.lower, words.text
    for category, pattern, requires, weight in _signal_patterns(index):
        if (not requires or any(r in lower for r in requires)) and pattern.search(text):
            found.append((category, weight))
    return found


_SignalPatterns = tuple[tuple[int, CompiledPattern, tuple[str, ...], float], ...]
_SIGNAL_PATTERNS: WeakKeyDictionary[Index, _SignalPatterns] = WeakKeyDictionary()


def _signal_patterns(index: Index) -> _SignalPatterns:
    compiled = _SIGNAL_PATTERNS.get(index)
    if compiled is None:
        compiled = _SIGNAL_PATTERNS[index] = tuple(
            (c, pattern.compile(), pattern.requires, weight)
            for c, category in enumerate(index.categories)
            for pattern, weight in category.signal_patterns
        )
    return compiled


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


def _details(words: _Words, found: list[KeyInfo], category: int, index: Index, confidence: float) -> Classification:
    """Which details are named, from the terms found (distinct terms per detail) and,
    where those do not suffice, the details' patterns. Where each one was named is
    worked out later, if ever asked for (:func:`_matches`)."""
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
        evidence=lambda: _matches(text, category, index, present),
        confidence=confidence,
    )


def _add_pattern_evidence(words: _Words, category: int, index: Index, named: dict[int, set[str]]) -> None:
    """Add the category's pattern matches to ``named`` (distinct matched texts per
    detail), for the details whose terms alone do not reach ``min_hits``, and only
    until they do: presence is all that is asked here (:func:`_pattern_hits` finds
    every match, for the positions)."""
    for d, min_hits, pattern, subject in _patterns_to_run(words, category, index, named):
        if min_hits == 1:
            match = pattern.search(subject)
            if match is not None:
                named.setdefault(d, set()).add(match.group().lower())
        else:
            named.setdefault(d, set()).update(m.group().lower() for m in pattern.finditer(subject))


def _pattern_hits(
    words: _Words, category: int, index: Index, named: dict[int, set[str]]
) -> list[tuple[int, FoundMatch]]:
    """``(detail index, match)`` of the category's patterns, for the details whose terms
    alone do not reach ``min_hits``."""
    return [
        (d, m)
        for d, _, pattern, subject in _patterns_to_run(words, category, index, named)
        for m in pattern.finditer(subject)
    ]


def _patterns_to_run(
    words: _Words, category: int, index: Index, named: dict[int, set[str]]
) -> Iterator[tuple[int, int, CompiledPattern, str]]:
    """``(detail index, min_hits, pattern, text to run it on)`` of the category's patterns
    that can match, for the details ``named`` does not yet give ``min_hits`` distinct
    matches (read before each pattern, so a caller that adds matches to it stops a
    detail's patterns once it has enough)."""
    lower = words.lower
    text = words.text
    same_length = len(lower) == len(text)  # then offsets in ``lower`` are offsets in the text
    for d, min_hits, patterns in _fast_patterns(index, category):
        for pattern, requires, original in patterns:
            have = named.get(d)
            if have is not None and len(have) >= min_hits:
                break  # patterns only add evidence where terms (or earlier patterns) did not suffice
            if requires is not None and not requires(lower):
                continue
            if original is None:
                yield d, min_hits, pattern, text
            elif same_length:
                yield d, min_hits, pattern, lower
            else:
                yield d, min_hits, original, text


def _matches(text: str, category: int, index: Index, present: tuple[str, ...]) -> tuple[Match, ...]:
    """Where the present details are named in ``text``: term occurrences (misspelt ones
    marked fuzzy) and pattern matches, outermost first."""
    words = _Words(text, index)
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


# -- patterns, compiled for speed (see engine/fast_regex) ----------------------------
# Results are identical to the knowledge's own compiled patterns, which are kept for
# patterns where case matters and for text whose lower-case form has a different length.

_FAST: WeakKeyDictionary[Index, dict[int, _FastDetails]] = WeakKeyDictionary()
_LAST_FAST: tuple[Callable[[], Index | None], dict[int, _FastDetails]] = (
    lambda: None,
    {},
)  # (weak reference to) the index asked about last, its entry in _FAST


def _fast_patterns(index: Index, category: int) -> _FastDetails:
    """``(detail index, min_hits, patterns)`` of the details that have patterns, each pattern
    as ``(pattern, requires, original)``: ``pattern`` runs on the lower-cased text unless
    ``original`` is None (a pattern with case-sensitive parts, run as written);
    ``requires(lower)`` tells whether the pattern can match at all."""
    global _LAST_FAST
    last = _LAST_FAST  # one tuple, read once (see ``lower_words``)
    if last[0]() is index:
        per_index = last[1]
    else:
        known = _FAST.get(index)
        if known is None:
            known = _FAST[index] = {}
        per_index = known
        _LAST_FAST = (ref(index), per_index)
    compiled = per_index.get(category)
    if compiled is None:
        details = index.categories[category].details
        compiled = tuple(
            (d, details[d].min_hits, tuple(_fast_variant(pattern, requires) for pattern, requires in patterns))
            for d, patterns in enumerate(index.detail_patterns(category))
            if patterns
        )
        per_index[category] = compiled
    return compiled


def _fast_variant(pattern: CompiledPattern, words: tuple[str, ...]) -> _FastPattern:
    requires = _substring_test(words) if words else None
    if not isinstance(pattern, re.Pattern):  # a user's pattern on RE2: run as it is
        return pattern, requires, None
    lowercase = lowercase_variant(pattern)
    if lowercase is None:
        return pattern, requires, None  # case matters: run as written
    return lowercase, requires, pattern


def _substring_test(words: tuple[str, ...]) -> _Requires:
    """The ``requires`` guard: does the text contain one of ``words``? A few ``in``
    tests beat a regex alternation; many words sharing a start (".a" ... ".z") do not."""
    if len(words) > 8:
        return re.compile("|".join(map(re.escape, words))).search

    def contains_one(text: str) -> bool:
        for word in words:
            if word in text:
                return True
        return False

    return contains_one


def _evidence_positions(words: _Words, table: _EvidenceTable) -> list[tuple[int, int, KeyInfo, tuple[int, ...]]]:
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


def _word_spans(words: _Words) -> list[tuple[int, int]]:
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
