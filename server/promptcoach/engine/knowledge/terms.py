"""How prompt text and knowledge terms are cut into words.

Both sides use the same tokenizer, so a term written ``Next.js`` in the
knowledge base is the word sequence ``("next", "js")`` and matches ``next.js``,
``Next JS`` or ``next-js`` in a prompt.
"""

from __future__ import annotations

from promptcoach.engine import regexcache

TOKEN_RE = regexcache.compile(r"\w+")


def lower_words(text: str) -> tuple[str, list[str], frozenset[str]]:
    """``text.lower()``, its words in order and as a set."""
    lower = text.lower()
    words = TOKEN_RE.findall(lower)
    return lower, words, frozenset(words)


def term_key(term: str) -> tuple[str, ...]:
    """The lower-case word sequence a term matches."""
    return tuple(TOKEN_RE.findall(term.lower()))
