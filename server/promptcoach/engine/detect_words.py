"""The prompt's words as detection (:mod:`.detect`) reads them: lower-cased, with
misspelt and plural words replaced by the terms they stand for.
"""

from __future__ import annotations

from promptcoach.engine.knowledge.index import Index
from promptcoach.engine.knowledge.terms import TOKEN_RE, lower_words


class Words:
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
