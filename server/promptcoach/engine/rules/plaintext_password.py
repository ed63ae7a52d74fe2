"""plaintext-password: the prompt asks to keep user passwords readable.

A finding needs, inside one clause, a password word and a marker from the rules
YAML: "in plain text"/"unhashed" together with a verb that stores the value,
"without hashing"/"don't hash", or a fast hash or encoding (MD5, SHA-256, base64)
used on passwords. A negation before the marker ("never store passwords in plain
text") is advice, not a request. The fix swaps the marker for a password hash.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.fast_regex import lowercase_variant
from promptcoach.engine.model import Finding, Fix
from promptcoach.engine.negation import Negations
from promptcoach.engine.phrases import GatedPhrases, phrase_regex
from promptcoach.engine.rules.base import Rule, RuleContext
from promptcoach.engine.rules.pages import rule_texts
from promptcoach.engine.rules.spans import clauses, match_case

RULE_ID = "plaintext-password"


class Marker(NamedTuple):
    kind: str  # plaintext | no-hash | weak-hash
    regex: re.Pattern[str]
    replacement: str


class Vocabulary(NamedTuple):
    passwords: GatedPhrases
    store_verbs: re.Pattern[str]
    hash_verbs: re.Pattern[str]
    negations: Negations
    markers: tuple[Marker, ...]
    any_marker: re.Pattern[str]  # one of the markers, anywhere
    any_marker_lower: re.Pattern[str] | None  # the same on lower-cased ASCII text (engine/fast_regex)
    hash_long: str

    def has_marker(self, text: str) -> bool:
        """Whether one of the markers occurs anywhere in ``text``."""
        if self.any_marker_lower is not None and text.isascii():
            return self.any_marker_lower.search(text.lower()) is not None  # (not lower_words: no words needed)
        return self.any_marker.search(text) is not None


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = rule_texts().section("plaintext_password")
    markers = tuple(
        Marker(
            m["kind"], regexcache.compile(m["pattern"], re.IGNORECASE), m["replacement"].replace("{hash}", data["hash"])
        )
        for m in data["markers"]
    )
    any_marker = regexcache.compile("|".join(f"(?:{m.regex.pattern})" for m in markers) or "(?!)", re.IGNORECASE)
    return Vocabulary(
        passwords=GatedPhrases(data["password_words"]),
        store_verbs=phrase_regex(data["store_verbs"]),
        hash_verbs=phrase_regex(data["hash_verbs"]),
        negations=Negations(data["negations"]),
        markers=markers,
        any_marker=any_marker,
        any_marker_lower=lowercase_variant(any_marker),
        hash_long=data["hash_long"],
    )


def find_plaintext_passwords(text: str, limit: int = 0) -> list[tuple[int, int, Marker]]:
    """``(start, end, marker)`` of each request to keep passwords readable, in text order.
    ``limit`` (0: none): the search stops after the clause that brings the count to that
    many (a later clause's requests all come after, the first ``limit`` are known)."""
    vocab = vocabulary()
    if not vocab.passwords.search(text) or not vocab.has_marker(text):
        return []  # a marker inside a clause is a marker in the text: clauses end where its look-aheads read the same
    found = []
    for start, end in clauses(text):
        if not vocab.passwords.regex.search(text, start, end):
            continue
        # A match lies inside its clause, and clauses do not overlap: only this clause's
        # findings can overlap it (comparing with every earlier one was quadratic).
        in_clause: list[tuple[int, int, Marker]] = []
        for marker in vocab.markers:
            match = marker.regex.search(text, start, end)
            if match is None or any(match.start() < e and s < match.end() for s, e, _ in in_clause):
                continue
            if _applies(text, start, end, match, marker, vocab):
                span = match.span(1) if marker.regex.groups else match.span()
                in_clause.append((*span, marker))
        found += in_clause
        if limit and len(found) >= limit:
            break
    return sorted(found, key=lambda item: item[0])


def _applies(text: str, start: int, end: int, match: re.Match[str], marker: Marker, vocab: Vocabulary) -> bool:
    if marker.kind == "no-hash":  # the negation is the request itself
        return True
    if vocab.negations.in_words_before(text, match.start(), 12, start):
        return False
    verbs = vocab.store_verbs if marker.kind == "plaintext" else vocab.hash_verbs
    return bool(verbs.search(text, start, end))


def check(ctx: RuleContext, severity: str) -> list[Finding]:
    vocab = vocabulary()
    meta = RULE.meta
    text = ctx.prompt.text
    findings = []
    for start, end, marker in ctx.within_limit(find_plaintext_passwords(text, ctx.settings.max_problems)):
        written = text[start:end]
        key = "weak-hash" if marker.kind == "weak-hash" else "plaintext"
        message = meta.message(key, term=written, hash=vocab.hash_long)
        replacement = match_case(written, marker.replacement)
        fix = Fix(meta.message("fix", hash=vocab.hash_long), (ctx.edit(start, end, replacement),), preferred=True)
        data = {"kind": marker.kind, "term": written, "replacement": replacement}
        findings.append(ctx.finding(RULE_ID, severity, message, start, end, data, (fix,)))
    return findings


def may_find(ctx: RuleContext, words: frozenset[str]) -> bool:
    vocab = vocabulary()
    return vocab.passwords.gate.admits(words) and vocab.has_marker(ctx.prompt.text)


RULE = Rule(RULE_ID, check, gate=may_find)
