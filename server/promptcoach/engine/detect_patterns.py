"""The details' regex patterns as detection (:mod:`.detect`) runs them: compiled for
speed once per knowledge base, with the cheap ``requires`` test before each, and which
of them a prompt still needs run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from weakref import WeakKeyDictionary

from promptcoach.engine.detect_words import Words
from promptcoach.engine.fast_regex import lowercase_variant, with_first_letters
from promptcoach.engine.knowledge.index import Index
from promptcoach.engine.knowledge.model import CompiledPattern

# does the lower-cased text hold one of a pattern's ``requires`` words (a truthy answer)?
Requires = Callable[[str], object]
# (pattern, requires, original): see fast_patterns
FastPattern = tuple[CompiledPattern, Requires | None, CompiledPattern | None]
FastDetails = tuple[tuple[int, int, tuple[FastPattern, ...]], ...]

# Patterns compiled for speed (see engine/fast_regex). Results are identical to the
# knowledge's own compiled patterns, which are kept for patterns where case matters and
# for text whose lower-case form has a different length.

_FAST: WeakKeyDictionary[Index, dict[int, FastDetails]] = WeakKeyDictionary()


def fast_patterns(index: Index, category: int) -> FastDetails:
    """``(detail index, min_hits, patterns)`` of the details that have patterns, each pattern
    as ``(pattern, requires, original)``: ``pattern`` runs on the lower-cased text unless
    ``original`` is None (a pattern with case-sensitive parts, run as written);
    ``requires(lower)`` tells whether the pattern can match at all."""
    per_index = _FAST.get(index)
    if per_index is None:
        per_index = _FAST[index] = {}
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


def _fast_variant(pattern: CompiledPattern, words: tuple[str, ...]) -> FastPattern:
    requires = _substring_test(words) if words else None
    if not isinstance(pattern, re.Pattern):  # a user's pattern on RE2: run as it is
        return pattern, requires, None
    lowercase = lowercase_variant(pattern)
    if lowercase is None:
        return with_first_letters(pattern), requires, None  # case matters: run on the text as written
    return lowercase, requires, pattern


def _substring_test(words: tuple[str, ...]) -> Requires:
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


def patterns_to_run(
    words: Words, category: int, index: Index, named: dict[int, set[str]]
) -> Iterator[tuple[int, int, CompiledPattern, str]]:
    """``(detail index, min_hits, pattern, text to run it on)`` of the category's patterns
    that can match, for the details ``named`` does not yet give ``min_hits`` distinct
    matches (read before each pattern, so a caller that adds matches to it stops a
    detail's patterns once it has enough)."""
    lower = words.lower
    text = words.text
    same_length = len(lower) == len(text)  # then offsets in ``lower`` are offsets in the text
    for d, min_hits, patterns in fast_patterns(index, category):
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
