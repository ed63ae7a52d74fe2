"""Expansion: turn a basic prompt into its category's specific form.

The category's ``template`` (knowledge YAML) has slots: ``{detail-id}`` for each
key detail, ``{model}`` (a model name such as ``Post``) and ``{resource}`` (what
the prompt is about, such as ``posts``); the ``{models}`` detail slot also gets
the model name (`` `Post` ``) made from what the prompt is about. A slot is filled with what the prompt
already says (a named technology under its usual name, a route, backticked
names ...), else with the project's stack when it answers the detail, else left
as the detail's placeholder (``<ORM or schema language>``).

The same expansion comes as plain text and as VS Code snippet syntax, where
every slot is a tab stop: filled values and placeholders are ``${n:text}``,
open slots with choices are ``${n|a,b,c|}`` and the cursor ends at ``$0``.

The slots are filled by :mod:`promptcoach.engine.expand_slots`; this module
decides between the template and the prompt as written with clauses added
(nothing the prompt says may be lost), and renders the result.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from promptcoach.engine import regexcache
from promptcoach.engine.clauses import clause_parts, insertion
from promptcoach.engine.expand_slots import (
    MODELS_DETAIL,
    SLOT_RE,
    Slot,
    detail_info,
    detail_slot,
    fill_slots,
    template_plan,
    vague_terms,
)
from promptcoach.engine.knowledge import Category, KnowledgeBase
from promptcoach.engine.knowledge.terms import term_key
from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.model import Classification, Inherited, PromptAnalysis
from promptcoach.engine.snippet import escape_text
from promptcoach.engine.snippet import tab_stop as snippet_tab_stop
from promptcoach.engine.subject import CONTAINERS, SAYS_NOTHING, blank_spans, singular

if TYPE_CHECKING:
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.stack import Stack


class ExpansionError(ValueError):
    """The prompt cannot be expanded (no category, or the category has no template)."""


@dataclass(frozen=True)
class Expansion:
    plain: str
    snippet: str
    category: str
    slots: tuple[Slot, ...] = field(default=())

    @property
    def text(self) -> str:  # the name editor actions use for the plain form
        return self.plain


def expand(
    prompt_text: str,
    classification: Classification,
    knowledge: KnowledgeBase,
    stack: Stack | None = None,
    category: str | None = None,
) -> Expansion:
    """The specific form of ``prompt_text``; ``category`` overrides the classification's
    (details are then detected again for that category).

    Results are cached by prompt text: the missing-detail rule expands every prompt
    it reports on, on every analysis."""
    category_id = category or classification.category
    key = (prompt_text, category_id, classification.present, classification.inherited, id(knowledge), id(stack))
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is knowledge and cached[1] is stack:
        _CACHE.move_to_end(key)
        return cached[2]
    expansion = _expand(prompt_text, classification, knowledge, stack, category_id)
    _CACHE[key] = (knowledge, stack, expansion)
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return expansion


CACHE_SIZE = 4096
# (prompt text, category, present, inherited, knowledge id, stack id) -> (knowledge, stack, expansion)
_CACHE: OrderedDict[
    tuple[str, str | None, tuple[str, ...], tuple[Inherited, ...], int, int],
    tuple[KnowledgeBase, Stack | None, Expansion],
] = OrderedDict()


def _expand(
    prompt_text: str,
    classification: Classification,
    knowledge: KnowledgeBase,
    stack: Stack | None,
    category_id: str | None,
) -> Expansion:
    if category_id is None:
        raise ExpansionError("the prompt has no category; name one to expand it as")
    cat = knowledge.category(category_id)
    if cat is None:
        raise ExpansionError(f"unknown category {category_id!r}")
    if not cat.template:
        raise ExpansionError(f"category {category_id!r} has no expansion template")
    if category_id != classification.category:
        from promptcoach.engine.detect import detect_details

        classification = detect_details(prompt_text, knowledge, category_id)
    correct = knowledge.index.correct
    if not _is_basic(prompt_text):
        # kept as written: only the missing details' slots are used (the present ones'
        # would read every match, thousands in a prompt of thousands of routes)
        slots = fill_slots(prompt_text, classification, cat, stack, correct, only=classification.missing)
        return _completed(prompt_text, classification, cat, slots, stack)
    slots = fill_slots(prompt_text, classification, cat, stack, correct)
    template = _template(cat)
    if (_needs_subject(cat) and not _has_subject(slots)) or _dropped_words(
        prompt_text, classification, cat, template, slots, correct
    ):
        return _completed(prompt_text, classification, cat, slots, stack)
    return Expansion(
        plain=render_plain(template, slots),
        snippet=render_snippet(template, slots),
        category=category_id,
        slots=tuple(slots.values()),
    )


def _template(cat: Category) -> str:
    return template_plan(cat)[0]


def expand_prompt(analysis: PromptAnalysis, engine: Engine, stack: Stack | None = None) -> Expansion | None:
    """Expansion of a :class:`PromptAnalysis`, or None when it has no category."""
    if analysis.classification.category is None:
        return None
    try:
        return expand(analysis.prompt.text, analysis.classification, engine.knowledge, stack)
    except ExpansionError:
        return None


# --- nothing the prompt says is lost ------------------------------------------------------------
# The template carries a prompt's category, subject and the details it names. A prompt
# longer than one short sentence, or one with a word the rewrite would lose ("update",
# "older than 30 days"), is kept as written instead, with the missing details' clauses added.

REWRITE_MAX_WORDS = 12
_INNER_SENTENCE_END = regexcache.compile(r"[.!?;](?=\s+\S)")


def _is_basic(text: str) -> bool:
    """One short sentence: the kind of prompt the template rewrites well. Longer ones
    say things in their own order that cut-out phrases would garble."""
    return len(text.split()) <= REWRITE_MAX_WORDS and _INNER_SENTENCE_END.search(text.strip()) is None


_SUBJECT_SLOTS = ("model", "resource", MODELS_DETAIL)


def _needs_subject(cat: Category) -> bool:
    """Whether the template names what the prompt is about (a model, a resource)."""
    return any(name in _SUBJECT_SLOTS for name in template_plan(cat)[1])


def _has_subject(slots: dict[str, Slot]) -> bool:
    """A rewrite without its subject ("Create a <resource> function") says less than the
    prompt did: every subject slot must be filled from the prompt, the models slot with
    the model named after the subject (`` `Post` ``), not with another mention of a model."""
    subject_slots = [slots[name] for name in _SUBJECT_SLOTS if name in slots]
    return all(
        slot.source == "prompt"
        and (slot.name != MODELS_DETAIL or (slot.value is not None and slot.value.startswith("`")))
        for slot in subject_slots
    )


_GENERIC_VERBS = frozenset(
    "make create add build write define set setup implement design need want get fetch "
    "process handle return returns respond responds".split()
)


def _dropped_words(
    text: str,
    classification: Classification,
    cat: Category,
    template: str,
    slots: dict[str, Slot],
    correct: Callable[[str], str | None],
) -> list[str]:
    """The words of ``text`` that its rewrite (``template`` filled with ``slots``, without
    the placeholders, whose examples say nothing of the prompt) does not carry. A named
    item carried under its usual name ("prsima" as Prisma), a vague term, a function word,
    a generic verb ("make", "add") or a word that signals the category is not dropped."""
    said = render_plain(template, {name: replace(slot, placeholder="") for name, slot in slots.items()})
    spans = [m.span() for m in vague_terms(text)]
    for m in classification.matches:
        slot, detail = slots.get(m.detail), cat.detail(m.detail)
        if (
            slot is not None
            and slot.source == "prompt"
            and detail is not None
            and detail_info(detail).kind(m.term)[0] == "item"
        ):
            spans.append((m.start, m.end))
    blanked = blank_spans(text, spans)
    carried = {w.lower() for w in _NAME_PART.findall(said)} | {w.lower() for w in _CONTENT_WORD.findall(said)}
    carried |= _signal_words(cat)
    carried |= {singular(w) for w in carried}
    dropped = []
    for word in _CONTENT_WORD.findall(blanked):
        lower = word.lower().removesuffix("'s").rstrip("'")
        if (
            lower in carried
            or singular(lower) in carried
            or lower in _GENERIC_VERBS
            or lower in SAYS_NOTHING
            or lower in CONTAINERS
        ):
            continue
        corrected = correct(lower)
        if corrected in carried or corrected in CONTAINERS:
            continue
        dropped.append(word)
    return dropped


_CONTENT_WORD = regexcache.compile(r"[^\W_][\w']*")  # any script: "для блога" is words too
_NAME_PART = regexcache.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")  # "BlogPost" -> Blog, Post


_SIGNAL_WORDS: IdentityMemo[frozenset[str]] = IdentityMemo()


def _signal_words(cat: Category) -> frozenset[str]:
    """The one-word terms that signal the category ("login", "signup"): the template
    stands for them."""
    return _SIGNAL_WORDS.get(cat, lambda c: frozenset(k[0] for k in map(term_key, c.signals) if len(k) == 1))


def _completed(
    text: str, classification: Classification, cat: Category, template_slots: dict[str, Slot], stack: Stack | None
) -> Expansion:
    """The prompt as written (on one line) with the clause of each missing detail added,
    start clauses first ("Using <ORM>, make ..."), then the others in the category's order;
    each clause's slot as the template's would be (the model named after the subject,
    the project's stack, its models as choices)."""
    missing = [d for d in cat.details if d.id in classification.missing]
    slots = [template_slots.get(d.id) or detail_slot(text, [], cat.id, d, stack) for d in missing]
    slots = [replace(slot, choices=slot.choices or detail.choices) for slot, detail in zip(slots, missing)]
    first = [clause_parts(d).goes_first(text) for d in missing]
    at_start = [(d, s) for d, s, f in zip(missing, slots, first) if f]
    at_end = [(d, s) for d, s, f in zip(missing, slots, first) if not f]
    plain = " ".join(text.split())
    snippet = escape_text(plain)
    for number, (detail, slot) in reversed(list(enumerate(at_start, 1))):
        start, end, added, added_snippet = insertion(
            plain, clause_parts(detail), number, slot.value, slot.choices, True
        )
        plain, snippet = added + plain[end:], added_snippet + snippet[end:]  # start, end: 0 and 0 or 1
    for number, (detail, slot) in enumerate(at_end, len(at_start) + 1):
        start, _, added, added_snippet = insertion(plain, clause_parts(detail), number, slot.value, slot.choices, False)
        plain, snippet = plain[:start] + added, snippet[: len(snippet) - (len(plain) - start)] + added_snippet
    ordered = tuple(slot for _, slot in (*at_start, *at_end))  # in tab stop order
    return Expansion(plain=plain, snippet=snippet + "$0", category=cat.id, slots=ordered)


# --- rendering --------------------------------------------------------------------------------


def render_plain(template: str, slots: dict[str, Slot]) -> str:
    parts: list[str] = []
    for literal, name in _pieces(template, slots):
        parts.append(literal)
        if name is not None:
            parts.append(_shown(slots[name]))
    return "".join(parts)


def render_snippet(template: str, slots: dict[str, Slot]) -> str:
    """The template as a VS Code snippet: one tab stop per slot, mirrored when repeated."""
    numbers: dict[str, int] = {}
    parts: list[str] = []
    for literal, name in _pieces(template, slots):
        parts.append(escape_text(literal))
        if name is None:
            continue
        if name in numbers:
            parts.append(f"${numbers[name]}")
        else:
            numbers[name] = len(numbers) + 1
            parts.append(tab_stop(numbers[name], slots[name]))
    return "".join(parts) + "$0"


def _shown(slot: Slot) -> str:
    return slot.value if slot.value is not None else slot.placeholder


def _pieces(template: str, slots: dict[str, Slot]) -> Iterator[tuple[str, str | None]]:
    """``(literal text, slot name)`` in order, the last with no slot; "a" before a slot
    that starts with a vowel sound becomes "an" ("an `Invoice` model")."""
    position = 0
    for match in SLOT_RE.finditer(template):
        name = match.group(1)
        yield _article(template[position : match.start()], _shown(slots[name])), name
        position = match.end()
    yield template[position:], None


_ARTICLE_A = regexcache.compile(r"(?:^|(?<=\s))([Aa]) $")
_VOWEL_SOUND = regexcache.compile(
    r"`?(?!one\b|one-|once\b)(?:[aeio]|u(?![bcdfghjklmnpqrstvwxyz][aeiou]))", re.IGNORECASE
)


def _article(literal: str, following: str) -> str:
    article = _ARTICLE_A.search(literal)
    if article is not None and _VOWEL_SOUND.match(following):
        return literal[: article.end(1)] + "n "
    return literal


def tab_stop(number: int, slot: Slot) -> str:
    """The slot as tab stop ``number``: an open slot with choices is a choice list."""
    return snippet_tab_stop(number, _shown(slot), slot.choices if slot.value is None else ())
