"""hardcoded-secret's literal detectors: a value that looks like a real credential
(``sk_live_...``, ``AKIA...``, a database URL with a password) anywhere in the
prompt, and a value given to a name that ends in a secret word (``API_KEY=abc123``).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from promptcoach.engine import regexcache
from promptcoach.engine.rules.secret_vocabulary import Candidate, Vocabulary, message, negated
from promptcoach.engine.rules.spans import match_case, sentences

# NAME=value: a configuration name that ends in a secret word (API_KEY, stripeSecret, db_password)
_ASSIGNMENT_HINT = regexcache.compile(
    r"(?:key|secret|token|password|passwd|pass|pwd|credentials?)\s*[:=]"
)  # lower-cased
_ASSIGNMENT = regexcache.compile(
    r"""(?<![\w$.])(?P<name>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+)\s*[:=]\s*"""
    r"""(?:'(?P<v>[^'\n]{1,200})'|"(?P<dv>[^"\n]{1,200})"|`(?P<bv>[^`\n]{1,200})`|(?P<uv>[^\s,;'"`]{3,200}))"""
)
_CODE_VALUE = regexcache.compile(r"[().\[\]{}]")  # a call, a member, an index: code, not a value
_SECRET_NAME = regexcache.compile(r"(?:key|secret|token|password|passwd|pass|pwd|credentials?)$", re.IGNORECASE)
_CAMEL = regexcache.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def assignments(text: str, vocab: Vocabulary, limit: int = 0) -> list[Candidate]:
    """``API_KEY=abc123``, ``stripeSecret: "..."``: a value given to a name that ends in a
    secret word, outside tests and examples and unless the sentence names a safe place
    (``in the .env file``)."""
    if not may_assign(text):
        return []
    found: list[Candidate] = []
    spans: list[tuple[int, int]] | None = None  # the sentences, cut once when first needed
    starts: list[int] = []
    context_free: dict[tuple[int, int], bool] = {}  # per sentence: no test context, no safe place
    for match in _ASSIGNMENT.finditer(text):
        if limit and len(found) >= limit:
            break
        name = match.group("name")
        value = next(v for v in match.group("v", "dv", "bv", "uv") if v is not None)
        end = match.end()
        if match.group("uv") is not None:
            value = value.rstrip(".,;:!?")
            end = match.start("uv") + len(value)
            if _CODE_VALUE.search(value) or text[end : end + 1] == "(":
                continue  # an expression, not a literal: generate_token(32), settings.API_KEY
        secret_word = _SECRET_NAME.search(name)
        if secret_word is None or len(value.strip()) < 3 or vocab.not_value.fullmatch(value.strip()):
            continue
        if secret_word.group().lower() in _LOOSE_WORDS and not _looks_generated(value):
            continue  # "sortKey: createdAt", "csrfToken: header": a key or token is not always a credential
        if spans is None:
            spans = sentences(text)
            starts = [start for start, _ in spans]
        start, stop = _sentence_around(spans, starts, match.start(), len(text))
        free = context_free.get((start, stop))
        if free is None:
            free = context_free[(start, stop)] = not (
                vocab.literal_contexts.search_in(text, start, stop) or vocab.safe_places.search_in(text, start, stop)
            )
        if not free or negated(text, match.start(), start, vocab):
            continue
        env = _CAMEL.sub("_", name).upper()
        begin = match.start()
        if begin > 0 and text[begin - 1] == "`" and text[end : end + 1] == "`":
            begin, end = begin - 1, end + 1  # `API_KEY=abc123`: the code span goes with it
        replacement = message("assignment_replacement", env=env)
        if begin == start or text[start:begin].isspace():  # it starts the sentence
            replacement = replacement[:1].upper() + replacement[1:]
        key = next((k for k in vocab.key_patterns if k.may_occur_in(value) and k.regex.search(value)), None)
        if key is not None:  # a real-looking credential: say so, as for a bare one
            found.append(Candidate(begin, end, "key", replacement, {"name": key.name, "env": env}))
            continue
        values = {"secret": f"the value of `{name}`", "env": env}
        found.append(Candidate(begin, end, "literal", replacement, values))
    return found


_LOOSE_WORDS = frozenset(("key", "token"))


def _looks_generated(value: str) -> bool:
    """A value with a digit, or a long one: what a real key or token looks like."""
    return any(c.isdigit() for c in value) or len(value) >= 20


def may_assign(text: str) -> bool:
    """The cheap gate of :func:`assignments`."""
    return ("=" in text or ":" in text) and _ASSIGNMENT_HINT.search(text.lower()) is not None


def _sentence_around(spans: list[tuple[int, int]], starts: list[int], position: int, length: int) -> tuple[int, int]:
    """The sentence of ``spans`` (:func:`sentences`, ``starts`` their starts) that holds ``position``."""
    index = bisect_right(starts, position) - 1
    if index >= 0 and position < spans[index][1]:
        return spans[index]
    return 0, length


def key_literals(text: str, vocab: Vocabulary, limit: int = 0) -> list[Candidate]:
    found: list[Candidate] = []
    if not vocab.key_hints.search(text):
        return found
    for key in vocab.key_patterns:
        if not key.may_occur_in(text):
            continue
        for count, match in enumerate(key.regex.finditer(text)):
            if limit and count >= limit:
                break
            start, end = match.span()
            phrase, name, env = key.phrase, key.name, key.env
            window = text[max(0, start - 60) : start]
            # The gate first: tried at each position of the window, the optional words
            # make the full pattern several times slower, and most keys have no name before them.
            before = vocab.key_owner.search(window) if vocab.key_owner_gate.search(window) else None
            if before:
                phrase = _KEY_PHRASE_TRIM.sub("", before.group())
                start -= len(before.group())
            elif start > 0 and text[start - 1] in "`'\"“":
                start -= 1
            if end < len(text) and text[end] in "`'\"”":
                end += 1
            replacement = message("noun_replacement", secret=phrase, env=env)
            found.append(
                Candidate(
                    start, end, "key", match_case(text[start : start + 1], replacement), {"name": name, "env": env}
                )
            )
    return found


_KEY_PHRASE_TRIM = regexcache.compile(
    r"^(?:the|a|an|my|our|your|this)\s+|[\s:=`'\"“]+$|\s+(?:is|of|as|to)$", re.IGNORECASE
)
