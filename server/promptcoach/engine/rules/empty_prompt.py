"""empty-prompt: a prompt with no instruction in it.

Either a marked comment with nothing but punctuation after the marker
(``// prompt: ...``), or any prompt that is only a placeholder such as TODO or TBD
(the list is ``empty_prompt.placeholders`` in the rules YAML). A punctuation-only
paragraph in a Markdown file is stray code or a separator, not a prompt, and is
left alone. There is no automatic fix: only the author knows the task.
"""

from __future__ import annotations

from functools import lru_cache

from promptcoach.engine import regexcache
from promptcoach.engine.knowledge.terms import TOKEN_RE  # the words as the gates see them
from promptcoach.engine.model import Finding
from promptcoach.engine.rules.base import Rule, RuleContext
from promptcoach.engine.rules.pages import rule_texts

RULE_ID = "empty-prompt"
_EDGE_PUNCTUATION = regexcache.compile(r"^[\W_]+|[\W_]+$")
_WORD_CHARACTER = regexcache.compile(r"\w")


@lru_cache(maxsize=1)
def _placeholders() -> frozenset[str]:
    return frozenset(" ".join(p.lower().split()) for p in rule_texts().section("empty_prompt")["placeholders"])


def emptiness(text: str) -> str | None:
    """``"empty"``, ``"placeholder"`` or ``None`` for a prompt with real content."""
    if not _WORD_CHARACTER.search(text):
        return "empty"
    core = " ".join(_EDGE_PUNCTUATION.sub("", text).lower().split())
    return "placeholder" if core in _placeholders() else None


def check(ctx: RuleContext, severity: str) -> list[Finding]:
    text = ctx.prompt.text
    if len(text) > 40:  # the cheap answer for almost every prompt (also the rule's gate)
        return []
    kind = emptiness(text)
    if kind is None or (kind == "empty" and ctx.prompt.kind != "comment"):
        return []
    message = RULE.meta.message(kind, text=text.strip())
    return [ctx.finding(RULE_ID, severity, message, 0, len(text), {"kind": kind})]


@lru_cache(maxsize=1)
def _placeholder_words() -> frozenset[str]:
    return frozenset(word for placeholder in _placeholders() for word in TOKEN_RE.findall(placeholder))


def may_find(ctx: RuleContext, words: frozenset[str]) -> bool:
    """A short prompt with no word, or only the words of placeholders (an underscore at
    a word's edge is edge punctuation to :func:`emptiness`); most short prompts have
    another word and are not read again. Text that is not ASCII always passes: its words
    are case-folded, and folding can make a word character of a mark the check strips
    (U+0345 folds to "ι")."""
    text = ctx.prompt.text
    if len(text) > 40:
        return False
    if not text.isascii():
        return True
    known = _placeholder_words()
    return all(word.strip("_") in known or not word.strip("_") for word in words)


RULE = Rule(RULE_ID, check, gate=may_find)
