"""How prompt text and knowledge terms are cut into words.

Both sides use the same tokenizer, so a term written ``Next.js`` in the
knowledge base is the word sequence ``("next", "js")`` and matches ``next.js``,
``Next JS`` or ``next-js`` in a prompt.
"""

from __future__ import annotations

import re

TOKEN_RE = re.compile(r"\w+")


_LAST: tuple[str | None, str, list[str], frozenset[str]] = (None, "", [], frozenset())


def lower_words(text: str) -> tuple[str, list[str], frozenset[str]]:
    """``text.lower()``, its words in order and as a set. The last text asked about is
    remembered: classification and then each rule ask about the same prompt in turn.
    (One tuple, read once: a thread never sees another text's words.)"""
    global _LAST
    last = _LAST
    if last[0] is not text:
        lower = text.lower()
        words = TOKEN_RE.findall(lower)
        last = _LAST = (text, lower, words, frozenset(words))
    return last[1], last[2], last[3]


def term_key(term: str) -> tuple[str, ...]:
    """The lower-case word sequence a term matches."""
    return tuple(TOKEN_RE.findall(term.lower()))
