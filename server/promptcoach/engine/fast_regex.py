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
    leading = _LEADING_WORDS.match(source)
    if leading:
        words = (leading.group(1) or leading.group(2)).split("|")
        if all(w and w[0].isalpha() for w in words):
            source = "(?=[" + "".join(sorted({w[0] for w in words})) + "])" + source
    return regexcache.compile(source, pattern.flags & ~re.IGNORECASE)
