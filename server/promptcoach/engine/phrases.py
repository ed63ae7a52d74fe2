"""Phrase regexes: lists of words and phrases (knowledge data) matched on word
boundaries, and the cheap tests that run before them.

:func:`phrase_regex` builds one regex for a list of phrases (as a character trie);
:class:`PhraseGate` / :class:`GatedPhrases` run it only on texts whose words can
hold a phrase (:func:`text_words`); :func:`any_substring` tells whether a text holds
one of some strings; :func:`words_before` gives the words just before a position.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from promptcoach.engine import regexcache
from promptcoach.engine.knowledge.terms import lower_words

_WORD = regexcache.compile(r"[\w'’]+")  # a typographic apostrophe joins a word too (don’t)
_PHRASE_SEPARATOR = regexcache.compile(r"[\s-]+")  # split once per match: compiled here, not looked up each time
_GATE_WORD = regexcache.compile(r"\w+")


def phrase_pattern(phrases: Iterable[str]) -> str:
    """A regex matching any of ``phrases`` (case-insensitive use intended) on word
    boundaries, longest phrase first. A space in a phrase matches whitespace or a
    hyphen; an apostrophe also its typographic form. The alternation is built as a
    character trie, so the regex engine does not try every phrase at every position."""
    listed = tuple(phrases)
    return regexcache.built_source(listed, lambda: _phrase_trie_pattern(listed))


def _phrase_trie_pattern(phrases: tuple[str, ...]) -> str:
    trie: dict[str, Any] = {}
    for phrase in {" ".join(p.lower().split()) for p in phrases}:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = True  # end of a phrase
    return r"(?<![\w])" + _trie_regex(trie, "")


def _trie_regex(node: dict[str, Any], previous: str) -> str:
    branches = []
    for char in sorted(k for k in node if k):
        branches.append(_char_regex(char) + _trie_regex(node[char], char))
    if "" in node:
        branches.append(r"(?![\w])" if re.match(r"\w", previous) else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _char_regex(char: str) -> str:
    if char == " ":
        return r"[\s-]+"
    if char == "'":
        return "['’]"
    return re.escape(char)


def any_substring(strings: Iterable[str]) -> re.Pattern[str]:
    """A regex whose ``search`` tells whether the text contains one of ``strings``
    (exactly, case-sensitively). Built as a trie, and a string that has a shorter one as
    its start is left out, so each position of the text costs a few character tests
    instead of one try per string."""
    trie: dict[str, Any] = {}
    for string in sorted(set(strings), key=len):
        node = trie
        for char in string:
            if "" in node:
                break  # a shorter string already matches here
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = True
    if not trie or "" in trie:
        return regexcache.compile("" if trie else "(?!)")
    return regexcache.compile(_substring_trie(trie))


def _substring_trie(node: dict[str, Any]) -> str:
    branches = ["" if node[char] == {"": True} else _substring_trie(node[char]) for char in sorted(node)]
    parts = [re.escape(char) + rest for char, rest in zip(sorted(node), branches)]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def phrase_key(text: str) -> str:
    """The form of a matched phrase used to look it up: lower case, single spaces."""
    return " ".join(_PHRASE_SEPARATOR.split(text.lower().replace("’", "'")))


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    return regexcache.compile(phrase_pattern(phrases), re.IGNORECASE)


class PhraseGate:
    """A cheap necessary condition for a :func:`phrase_regex` match: all the words of
    one of its phrases occur in the text. A phrase matches on word boundaries, so each
    of its words is a whole word of any text it matches. Checking the gate is a set
    intersection on the text's words (:func:`text_words`); the regex only runs on
    texts that pass, which is the few that can contain a phrase."""

    def __init__(self, phrases: Iterable[str]) -> None:
        by_word: dict[str, list[frozenset[str]]] = {}
        single: set[str] = set()  # one-word phrases: their word alone decides
        self.always = False  # a phrase without words: no gate
        for phrase in phrases:
            words = _GATE_WORD.findall(phrase.casefold())
            if not words:
                self.always = True
            elif len(set(words)) == 1:
                single.add(words[0])
            else:
                by_word.setdefault(max(words, key=len), []).append(frozenset(words))
        self._single = frozenset(single)
        self._by_word = by_word
        self._keys = frozenset(by_word)

    def admits(self, words: frozenset[str]) -> bool:
        if self.always or not self._single.isdisjoint(words):
            return True
        for key in self._keys.intersection(words):
            for phrase in self._by_word[key]:
                if phrase <= words:
                    return True
        return False


class GatedPhrases:
    """A :func:`phrase_regex` behind its :class:`PhraseGate`: ``search`` and ``finditer``
    on a whole text look at the text's words first and run the regex only when one of
    the phrases can occur. On ASCII text the regex runs case-sensitively on the
    lower-cased text (the phrases are lower case): the same matches at the same
    offsets, found faster. ``regex`` is the plain case-insensitive regex, for searches
    inside part of a text."""

    def __init__(self, phrases: Iterable[str]) -> None:
        phrases = list(phrases)
        pattern = phrase_pattern(phrases)
        self.regex = regexcache.compile(pattern, re.IGNORECASE)
        self._folded = regexcache.compile(pattern)
        self.gate = PhraseGate(phrases)

    # text.lower(), not lower_words(text)[0]: that also cuts the whole text into words
    # again, which cost more than the regex on a long prompt
    def search(self, text: str) -> re.Match[str] | None:
        if not self.gate.admits(text_words(text)):
            return None
        return self._folded.search(text.lower()) if text.isascii() else self.regex.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if not self.gate.admits(text_words(text)):
            return iter(())
        return self._folded.finditer(text.lower()) if text.isascii() else self.regex.finditer(text)

    def may_occur_in(self, text: str) -> bool:
        """Whether a phrase can match in ``text``, or in a part of it that ends at its end
        or before a non-word character (a sentence, a clause): the gate on the words of
        the whole text. Such a part's match is one of the whole text too (a phrase's
        look-behind reads the text before the part), so its words are words of the text.
        Lets a search inside each sentence be skipped for phrases that occur nowhere.
        Only ASCII text is gated here: elsewhere a case-insensitive match can hold a
        letter whose case folding is no word of the text ("İs" folds to "i̇s")."""
        return not text.isascii() or self.gate.admits(text_words(text))

    def search_in(self, text: str, start: int, end: int) -> re.Match[str] | None:
        """``regex.search(text, start, end)`` for a part of ``text`` as :meth:`may_occur_in` says."""
        return self.regex.search(text, start, end) if self.may_occur_in(text) else None

    def finditer_in(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """``regex.finditer(text, start, end)`` for a part of ``text`` as :meth:`may_occur_in` says."""
        return self.regex.finditer(text, start, end) if self.may_occur_in(text) else iter(())


_LAST_WORDS = threading.local()  # per thread: (text, its words)


def text_words(text: str) -> frozenset[str]:
    """The case-folded words of ``text`` (the text the rules ran on last is remembered,
    per thread: every rule, and the secret rules for every sentence, ask for the same
    prompt in turn, and threads analysing at once must not take turns forgetting it).
    ASCII text folds as it lower-cases, so its words are cut as classification cuts them
    (``lower_words``)."""
    last = getattr(_LAST_WORDS, "pair", None)
    if last is None or last[0] is not text:
        words = lower_words(text)[2] if text.isascii() else frozenset(_GATE_WORD.findall(text.casefold()))
        last = _LAST_WORDS.pair = (text, words)
    return last[1]


def words_before(text: str, position: int, count: int, floor: int = 0) -> list[str]:
    """The last ``count`` words (lower case) of ``text[floor:position]``."""
    window = text[max(floor, position - 12 * count) : position]
    if window.isascii():  # lower-cased first, the same words (and no typographic apostrophe)
        return _WORD.findall(window.lower())[-count:]
    return [w.lower().replace("’", "'") for w in _WORD.findall(window)][-count:]
