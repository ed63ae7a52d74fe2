"""vague-term: words such as "stuff", "etc." or "properly" that leave the assistant guessing.

The vocabulary is ``vague_terms`` in the rules YAML. All phrases are compiled into
one trie-shaped regex, and a match is looked up by its normalised text; context lists (``not_after``, ``not_before``, ``only_before``) and quoted
text keep ordinary sentences quiet. The fix writes the entry's concrete
``replacement`` or, when only the author knows the answer, its ``<placeholder>``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.model import Finding, Fix
from promptcoach.engine.phrases import GatedPhrases, phrase_key, phrase_pattern, words_before
from promptcoach.engine.rules.base import Rule, RuleContext
from promptcoach.engine.rules.pages import rule_texts
from promptcoach.engine.rules.spans import QuotedSpans, match_case
from promptcoach.engine.snippet import tab_stop
from promptcoach.engine.yamldata import DataError

RULE_ID = "vague-term"


class VagueTerm(NamedTuple):
    explanation: str
    replacement: str | None
    placeholder: str | None
    safe: bool
    removable: bool  # deleting the phrase loses nothing: a safe "Remove" fix
    not_after: frozenset[str]
    not_before: re.Pattern[str] | None
    only_before: re.Pattern[str] | None


class Vocabulary(NamedTuple):
    phrases: GatedPhrases
    terms: dict[str, VagueTerm]  # phrase key -> term


def _following(words: list[str] | None) -> re.Pattern[str] | None:
    if not words:
        return None
    return regexcache.compile(r"[\s-]+" + phrase_pattern(words), re.IGNORECASE)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    terms: dict[str, VagueTerm] = {}
    for entry in rule_texts().section("vague_terms"):
        term = VagueTerm(
            explanation=entry["explanation"],
            replacement=entry.get("replacement"),
            placeholder=entry.get("placeholder"),
            safe=bool(entry.get("safe", False)) and entry.get("replacement") is not None,
            removable=bool(entry.get("removable", False)),
            not_after=frozenset(w.lower() for w in entry.get("not_after", ())),
            not_before=_following(entry.get("not_before")),
            only_before=_following(entry.get("only_before")),
        )
        for phrase in entry["phrases"]:
            key = phrase_key(phrase)
            if key in terms:
                raise DataError("knowledge/rules", None, f"vague term {phrase!r} is listed twice")
            terms[key] = term
    return Vocabulary(GatedPhrases(terms), terms)


def find_vague_terms(text: str, limit: int = 0) -> list[tuple[int, int, VagueTerm]]:
    """``(start, end, term)`` of every vague phrase in ``text`` outside quotes and code;
    with a ``limit``, the first ``limit`` of them (the rest would be cut anyway)."""
    vocab = vocabulary()
    quoted = None
    found = []
    for match in vocab.phrases.finditer(text):
        term = vocab.terms.get(phrase_key(match.group()))
        if term is None:  # IGNORECASE also takes "ı" and "İ" for "i": "kınd" is not "kind"
            continue
        start, end = match.span()
        if quoted is None:
            quoted = QuotedSpans(text)
        if quoted.covers(start, end) or _skipped(text, start, end, term):
            continue
        found.append((start, end, term))
        if len(found) == limit:
            break
    return found


def _skipped(text: str, start: int, end: int, term: VagueTerm) -> bool:
    if term.not_after and term.not_after.intersection(words_before(text, start, 2)):
        return True
    if term.not_before is not None and term.not_before.match(text, end):
        return True
    return term.only_before is not None and not term.only_before.match(text, end)


def check(ctx: RuleContext, severity: str) -> list[Finding]:
    text = ctx.prompt.text
    meta = RULE.meta
    findings = []
    for start, end, term in ctx.within_limit(find_vague_terms(text, ctx.settings.max_problems)):
        written = text[start:end]
        message = meta.message("message", term=written, explanation=term.explanation)
        data = {"term": written}
        if term.replacement is not None:
            new_text = match_case(written, term.replacement)
            data["replacement"] = new_text
            title = meta.message("replace_fix", term=written, replacement=new_text)
            edit = ctx.edit(start, end, new_text)
        else:
            placeholder = term.placeholder
            assert placeholder is not None  # a term without a replacement asks with a placeholder
            data["placeholder"] = placeholder
            title = meta.message("question_fix", term=written)
            edit = ctx.edit(start, end, placeholder, tab_stop(1, placeholder))
        fixes = [Fix(title, (edit,), safe=term.safe)]
        removal = _removal(text, start, end) if term.removable else None
        if removal is not None:
            fixes.append(Fix(meta.message("remove_fix", term=written), (ctx.edit(*removal, ""),), safe=True))
        findings.append(ctx.finding(RULE_ID, severity, message, start, end, data, fixes))
    return findings


def _removal(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span that deletes ``text[start:end]`` with the space before it, or None where
    deleting would leave a broken sentence (the phrase starts the prompt or a sentence,
    or stands between two punctuation marks)."""
    blank_start = start  # where the blanks before the phrase start (read back from it, not a copy of the text)
    while blank_start > 0 and text[blank_start - 1] in " \t":
        blank_start -= 1
    if blank_start == 0 or text[blank_start - 1] in ".!?:;\n(":
        return None
    if blank_start < start:
        return blank_start, end
    return None


def may_find(ctx: RuleContext, words: frozenset[str]) -> bool:
    return vocabulary().phrases.gate.admits(words)


RULE = Rule(RULE_ID, check, gate=may_find)
