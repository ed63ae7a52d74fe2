"""The word lists intent (:mod:`.intent`) reads a prompt's lead line with, from
``knowledge/intent.yaml``, and the words it cuts a line into.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.yamldata import load_yaml_file

INTENT_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "intent.yaml"

_WORD = regexcache.compile(r"[^\W\d_](?:[\w'’-]*\w)?|\d+|`[^`\n]{1,200}`|\"[^\"\n]{1,200}\"|/[\w/:{}\[\].-]+")


class IntentWords(NamedTuple):
    request_labels: frozenset[str]
    context_labels: frozenset[str]
    lead_ins: Phrases  # longest first
    build_verbs: frozenset[str]
    soft_verbs: frozenset[str]
    guideline_starts: Phrases
    universal: frozenset[str]
    determiners: frozenset[str]
    context_subjects: frozenset[str]
    context_verbs: frozenset[str]
    context_starts: Phrases
    continuation_starts: Phrases
    note_starts: Phrases
    specifics_headings: frozenset[str]
    trigger_starts: Phrases
    specifics_verbs: Phrases
    question_verbs: Phrases


class Phrases(dict[str, list[tuple[str, ...]]]):
    """Phrases (tuples of words) by their first word, longest first: one look-up per test."""

    def longest_start(self, tokens: list[str]) -> int:
        """Length of the longest phrase ``tokens`` start with (0: none)."""
        if not tokens:
            return 0
        for phrase in self.get(tokens[0], ()):
            if tuple(tokens[: len(phrase)]) == phrase:
                return len(phrase)
        return 0


def _phrases(words: list[str]) -> Phrases:
    index = Phrases()
    for phrase in sorted({tuple(tokens_of(w)) for w in words if tokens_of(w)}, key=len, reverse=True):
        index.setdefault(phrase[0], []).append(phrase)
    return index


@lru_cache(maxsize=4)
def intent_words(path: Path = INTENT_FILE) -> IntentWords:
    data = load_yaml_file(path, "intent", shown_as=f"knowledge/{path.name}", builtin=path == INTENT_FILE)

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in data.get(key, ()))

    def phrases(key: str) -> Phrases:
        return _phrases(data.get(key, []))

    labels = data.get("labels", {})
    return IntentWords(
        request_labels=frozenset(w.lower() for w in labels.get("request", ())),
        context_labels=frozenset(w.lower() for w in labels.get("context", ())),
        lead_ins=phrases("lead_ins"),
        build_verbs=words("build_verbs"),
        soft_verbs=words("soft_verbs"),
        guideline_starts=phrases("guideline_starts"),
        universal=words("universal"),
        determiners=words("determiners"),
        context_subjects=words("context_subjects"),
        context_verbs=words("context_verbs"),
        context_starts=phrases("context_starts"),
        continuation_starts=phrases("continuation_starts"),
        note_starts=phrases("note_starts"),
        specifics_headings=words("specifics_headings"),
        trigger_starts=phrases("trigger_starts"),
        specifics_verbs=phrases("specifics_verbs"),
        question_verbs=phrases("question_verbs"),
    )


def tokens_of(text: str) -> list[str]:
    if text.isascii():  # lower-casing ASCII first changes no token's extent
        return _WORD.findall(text.lower())
    return [t.lower().replace("’", "'") for t in _WORD.findall(text)]
