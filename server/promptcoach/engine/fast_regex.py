"""Case-insensitive patterns, run faster on lower-cased text.

Python's regex engine skips ahead to a pattern's possible first characters only when
the pattern is case-sensitive and starts with literals; IGNORECASE or a leading word
boundary make it try a full match at every position. A pattern with no
case-sensitive part therefore runs on the lower-cased text without IGNORECASE, and a
leading boundary before words, ``\\b(?:word|word ...)``, gets a look-ahead on their
first letters. On ASCII text the matches are the same, at the same offsets (lower
casing keeps an ASCII text's length; other text keeps the original pattern).
"""

from __future__ import annotations

import re

from promptcoach.engine import regexcache

_ESCAPE = regexcache.compile(r"\\.")
_LEADING_WORDS = regexcache.compile(r"\\b(?:\(\?:([a-z?|]+)\)|([a-z]))(?![?*+{])")


def lowercase_variant(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` (case-insensitive) for lower-cased text, or None when case matters
    in it (an upper-case literal or class, an inline ``(?-i``)."""
    source = pattern.pattern
    if "(?-i" in source or any(c.isupper() for c in _ESCAPE.sub("", source)):
        return None
    return regexcache.compile(_first_letters(source), pattern.flags & ~re.IGNORECASE)


def with_first_letters(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` as it is (same flags, run on the same text, the same matches), with the
    look-ahead on the first letters of the words it starts with, ``\\b(?:word|word ...)``:
    for a pattern where case matters, which has no :func:`lowercase_variant`. (The
    look-ahead reads under the pattern's own flags, so a letter it lets through is one
    a word could start with.) ``pattern`` itself when it starts otherwise."""
    source = _first_letters(pattern.pattern)
    return pattern if source == pattern.pattern else regexcache.compile(source, pattern.flags)


def _first_letters(source: str) -> str:
    """``source`` with a look-ahead on its leading words' first letters, if it starts with
    ``\\b`` before words."""
    leading = _LEADING_WORDS.match(source)
    if leading:
        words = (leading.group(1) or leading.group(2)).split("|")
        if all(w and w[0].isalpha() for w in words):
            return "(?=[" + "".join(sorted({w[0] for w in words})) + "])" + source
    return source
