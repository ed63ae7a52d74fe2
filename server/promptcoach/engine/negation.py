"""Negation: words that turn what follows them around ("not Mongoose", "instead of
Express", "never hardcode the key", "we don't use Prisma").

Every reader asks one question, answered here: does one of its negation phrases
stand just before a position? The phrases are data, one list per reader, since what
negates depends on what is read: finding a secret ("scan the repo for API keys") is
no request to write one, and "replace it with an env reference" states an
environment variable in a project's context but does not ask for the technology
before which it stands in a prompt. The lists: ``negations`` (stack-mismatch) and
``statement_negations`` (the project's context) in ``knowledge/stack.yaml``, and the
vocabularies of hardcoded-secret and plaintext-password in their rule pages. A phrase matches on word boundaries, case-insensitively, a space
matching whitespace or a hyphen (:func:`~promptcoach.engine.phrases.phrase_regex`).
"""

from __future__ import annotations

from collections.abc import Iterable

from promptcoach.engine.phrases import phrase_regex, words_before


class Negations:
    """A reader's negation phrases and the one test they are used with."""

    __slots__ = ("phrases", "_regex")

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = tuple(phrases)
        self._regex = phrase_regex(self.phrases) if self.phrases else None

    def in_words_before(self, text: str, position: int, count: int, floor: int = 0) -> bool:
        """Whether one stands among the last ``count`` words of ``text[floor:position]``."""
        return self._regex is not None and bool(
            self._regex.search(" ".join(words_before(text, position, count, floor)))
        )

    def in_span(self, text: str, start: int, end: int) -> bool:
        """Whether one stands in ``text[start:end]`` (a sentence up to a position)."""
        return self._regex is not None and self._regex.search(text, start, end) is not None


NO_NEGATIONS = Negations(())
