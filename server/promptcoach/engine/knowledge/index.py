"""Lookup tables built once per knowledge base for fast detection.

Every term (signal, counter-signal, detail evidence) becomes a word sequence
(:func:`term_key`). One-word terms go into a dict; longer ones are found from
their first word. Each key carries its score contributions per category and the
(category, detail) pairs it is evidence for, so classifying a prompt is a few
set operations and dict look-ups per word. Misspelt words are mapped to terms
with rapidfuzz once and remembered.
"""

from __future__ import annotations

from collections.abc import Set
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from promptcoach.engine.knowledge.model import CompiledPattern, KnowledgeBase
from promptcoach.engine.knowledge.terms import term_key

# per detail of a category: its compiled patterns, each with its ``requires`` words
DetailPatterns = tuple[tuple[tuple[CompiledPattern, tuple[str, ...]], ...], ...]

FUZZY_MIN_LENGTH = 4  # shorter words are never corrected
_MEMO_LIMIT = 200_000


class KeyInfo(NamedTuple):
    """What one term means: score contributions and detail evidence."""

    term: str  # the term as written in the knowledge base
    weights: tuple[tuple[int, float], ...]  # (category index, weight), weight < 0 for counter-signals
    evidence: tuple[tuple[int, int], ...]  # (category index, detail index)


def fuzzy_distance(length: int) -> int:
    """How many edits a word of ``length`` characters may be away from a term."""
    return 1 if length <= 7 else 2


class Index:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.categories = knowledge.categories
        self.backend = tuple(i for i, c in enumerate(self.categories) if c.is_backend)
        keys = _collect_keys(knowledge)
        self.single: dict[str, KeyInfo] = {}
        phrases: dict[str, list[tuple[tuple[str, ...], KeyInfo]]] = {}
        for key, info in keys.items():
            if len(key) == 1:
                self.single[key[0]] = info
            else:
                phrases.setdefault(key[0], []).append((key[1:], info))
        # first word -> ((rest of phrase, info, " phrase words "), ...), longest first
        self.phrases = {
            first: tuple(
                (rest, info, " " + " ".join((first,) + rest) + " ")
                for rest, info in sorted(items, key=lambda item: -len(item[0]))
            )
            for first, items in phrases.items()
        }
        self.single_words = frozenset(self.single)
        self.phrase_starts = frozenset(self.phrases)
        self.vocab = self.single_words | self.phrase_starts
        self.backend_vocab = frozenset(_backend_words(keys, self.backend))
        self.evidence = _evidence_tables(keys, len(self.categories))
        phrase_words = {word for key in keys for word in key}
        self.known = self.vocab | phrase_words | knowledge.common_words
        self._fuzzy_choices = _fuzzy_choices(knowledge)
        self._choices_by_length: dict[tuple[str, int], list[str]] = {}
        self._looked_at: set[str] = set(self.known)  # known words and the unknown ones already looked up
        self._fixes: dict[str, str] = {}  # misspelt or plural word -> term word
        self._fixed: set[str] = set()  # keys of _fixes, for fast set intersection
        self._patterns: dict[int, DetailPatterns] = {}

    # -- misspellings -------------------------------------------------------
    def corrections(self, words: Set[str]) -> dict[str, str]:
        """Misspelt or plural words among ``words`` mapped to the term words they
        stand for; each new word is looked up once (rapidfuzz), then remembered."""
        new = words - self._looked_at  # one set difference: most prompts have no new word
        if new:
            if len(self._looked_at) > len(self.known) + _MEMO_LIMIT:
                self._looked_at = set(self.known)
                self._fixes.clear()
                self._fixed.clear()
            looked_at = self._looked_at
            for word in new:
                looked_at.add(word)
                if len(word) >= FUZZY_MIN_LENGTH and word.isalpha():
                    term = self._correct(word)
                    if term is not None:
                        self._fixes[word] = term
                        self._fixed.add(word)
        hits = words & self._fixed
        return {word: self._fixes[word] for word in hits} if hits else {}

    def correct(self, word: str) -> str | None:
        """The one-word term ``word`` stands for (plural or typo), or None."""
        if word in self.known:
            return word if word in self.single else None
        return self.corrections({word}).get(word)

    def _correct(self, word: str) -> str | None:
        for stem in _singulars(word):
            if stem in self.single:
                return stem
        limit = fuzzy_distance(len(word))
        choices = self._choices_near(word[0], len(word), limit)
        if not choices:
            return None
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not found:
            return None
        closest = min(distance for _, distance, _ in found)
        # among equally close terms prefer the one sharing the longest start ("expres" -> "express")
        return max(
            (term for term, distance, _ in found if distance == closest),
            key=lambda term: JaroWinkler.similarity(word, term),
        )

    def _choices_near(self, first: str, length: int, limit: int) -> list[str]:
        """The fuzzy choices starting with ``first`` whose length is within ``limit`` of
        ``length``, in their original order. An edit changes the length by at most one,
        so the others are always further than ``limit`` away: leaving them out changes
        no result (ties between equally close choices still break by that order)."""
        key = (first, length)
        near = self._choices_by_length.get(key)
        if near is None:
            near = [c for c in self._fuzzy_choices.get(first, ()) if abs(len(c) - length) <= limit]
            self._choices_by_length[key] = near
        return near

    # -- detail patterns ----------------------------------------------------
    def detail_patterns(self, category_index: int) -> DetailPatterns:
        """Per detail of the category: its compiled patterns with their ``requires`` guards."""
        compiled = self._patterns.get(category_index)
        if compiled is None:
            compiled = tuple(
                tuple((p.compile(), p.requires) for p in detail.patterns)
                for detail in self.categories[category_index].details
            )
            self._patterns[category_index] = compiled
        return compiled


def _collect_keys(knowledge: KnowledgeBase) -> dict[tuple[str, ...], KeyInfo]:
    weights: dict[tuple[str, ...], dict[int, float]] = {}
    evidence: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    names: dict[tuple[str, ...], str] = {}
    explicit: set[tuple[tuple[str, ...], int]] = set()
    for c, category in enumerate(knowledge.categories):
        for term, weight in category.signals.items():
            key = term_key(term)
            names.setdefault(key, term)
            weights.setdefault(key, {})[c] = float(weight)
            explicit.add((key, c))
        for d, detail in enumerate(category.details):
            for term in detail.terms:
                key = term_key(term)
                if not key:
                    continue
                names.setdefault(key, term)
                pairs = evidence.setdefault(key, [])
                if (c, d) not in pairs:
                    pairs.append((c, d))
                if (key, c) not in explicit:  # evidence counts as a signal unless one is given
                    per = weights.setdefault(key, {})
                    per[c] = max(per.get(c, 0.0), detail.weight)
    for c, category in enumerate(knowledge.categories):
        for term, weight in category.counter_signals.items():
            key = term_key(term)
            names.setdefault(key, term)
            per = weights.setdefault(key, {})
            per[c] = per.get(c, 0.0) - float(weight)
    return {
        key: KeyInfo(
            term=names[key],
            weights=tuple((c, w) for c, w in sorted(weights.get(key, {}).items()) if w),
            evidence=tuple(evidence.get(key, ())),
        )
        for key in names
    }


class _EvidenceTable:
    """The terms that are evidence for one category's details, by first word."""

    def __init__(self) -> None:
        self.single: dict[str, tuple[KeyInfo, tuple[int, ...]]] = {}
        self.phrases: dict[str, tuple[tuple[tuple[str, ...], KeyInfo, tuple[int, ...]], ...]] = {}
        self.starts: frozenset[str] = frozenset()


def _evidence_tables(keys: dict[tuple[str, ...], KeyInfo], categories: int) -> tuple[_EvidenceTable, ...]:
    """One :class:`_EvidenceTable` per category, filled in one pass over the terms."""
    tables = tuple(_EvidenceTable() for _ in range(categories))
    phrases: list[dict[str, list[tuple[tuple[str, ...], KeyInfo, tuple[int, ...]]]]] = [{} for _ in tables]
    for key, info in keys.items():
        if not info.evidence:
            continue
        by_category: dict[int, list[int]] = {}
        for c, d in info.evidence:
            by_category.setdefault(c, []).append(d)
        for c, details in by_category.items():
            if len(key) == 1:
                tables[c].single[key[0]] = (info, tuple(details))
            else:
                phrases[c].setdefault(key[0], []).append((key[1:], info, tuple(details)))
    for table, found in zip(tables, phrases):
        table.phrases = {first: tuple(items) for first, items in found.items()}
        table.starts = frozenset(table.single) | frozenset(table.phrases)
    return tables


def _backend_words(keys: dict[tuple[str, ...], KeyInfo], backend: tuple[int, ...]) -> set[str]:
    """First words of terms that can add to a backend category's score."""
    wanted = set(backend)
    return {key[0] for key, info in keys.items() if any(c in wanted and w > 0 for c, w in info.weights)}


def _fuzzy_choices(knowledge: KnowledgeBase) -> dict[str, list[str]]:
    """One-word terms that may be misspelt, grouped by first letter."""
    allowed: set[str] = set()
    for category in knowledge.categories:
        terms = list(category.signals)
        for detail in category.details:
            if detail.fuzzy:
                terms.extend(detail.terms)
        allowed.update(key[0] for key in map(term_key, terms) if len(key) == 1)
    words = sorted(w for w in allowed if len(w) >= FUZZY_MIN_LENGTH and w.isalpha())
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(word[0], []).append(word)
    return grouped


def _singulars(word: str) -> tuple[str, ...]:
    if len(word) < FUZZY_MIN_LENGTH or not word.endswith("s"):
        return ()
    if word.endswith("ies"):
        return (word[:-3] + "y",)
    if word.endswith("es"):
        return (word[:-1], word[:-2])
    return (word[:-1],)
