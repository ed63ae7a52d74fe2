"""Filling an expansion's slots: what the prompt says for each (a named technology
under its usual name, a route, the phrase a general word starts), else what the
project's stack answers, else nothing (the slot stays open on its placeholder).
Also each category's template plan: the template on one line and its slot names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from promptcoach.engine import regexcache
from promptcoach.engine.knowledge import Category, Detail
from promptcoach.engine.knowledge.terms import term_key
from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.model import Classification, Match
from promptcoach.engine.phrases import any_substring
from promptcoach.engine.subject import find_subject, pascal_case, singular
from promptcoach.engine.taskwords import is_task_verb

if TYPE_CHECKING:
    from promptcoach.engine.stack import Stack

SLOT_RE = regexcache.compile(r"\{([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\}")
MODEL_PLACEHOLDER = "<Model name, e.g. Post>"
MODELS_DETAIL = "models"  # its slot holds the model name made from the prompt's subject
RELATIONSHIPS_DETAIL = "relationships"  # offered the project's existing models (schema.prisma)
RELATED_MODEL_CHOICES = 6
RESOURCE_PLACEHOLDER = "<resource, e.g. posts>"


@dataclass(frozen=True)
class Slot:
    name: str  # detail id, "model" or "resource"
    value: str | None  # what fills it, None when open
    placeholder: str
    choices: tuple[str, ...] = ()
    source: str = "open"  # "prompt", "stack" or "open"


_TEMPLATES: IdentityMemo[tuple[str, tuple[str, ...]]] = IdentityMemo()


def template_plan(cat: Category) -> tuple[str, tuple[str, ...]]:
    """The category's template on one line and its slot names, computed once."""
    return _TEMPLATES.get(cat, _one_line_template)


def _one_line_template(cat: Category) -> tuple[str, tuple[str, ...]]:
    template = " ".join((cat.template or "").split())
    return template, tuple(dict.fromkeys(SLOT_RE.findall(template)))


def fill_slots(
    text: str,
    classification: Classification,
    cat: Category,
    stack: Stack | None,
    correct: Callable[[str], str | None] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Slot]:
    """The template's slots (``only`` those named, when given), each filled."""
    names = [name for name in template_plan(cat)[1] if only is None or name in only]
    # The subject and the matches are read only for slots that use them: reading the
    # matches of a prompt of thousands of routes takes most of a second, and a prompt
    # kept as written fills only its missing details' slots, which have none.
    subject = find_subject(text, classification.matches_before, correct) if _SUBJECT_SLOTS.intersection(names) else None
    present = set(classification.present)  # only a present detail has matches
    by_detail = _by_detail(classification.matches) if any(name in present for name in names) else {}
    if stack is not None and getattr(stack, "empty", False):
        stack = None  # knows nothing: skip its look-ups
    existing = tuple(stack.models) if stack is not None else ()  # models in prisma/schema.prisma
    own_model = pascal_case(singular(subject)) if subject else None
    inherited = {i.detail: i.text for i in classification.inherited}
    slots: dict[str, Slot] = {}
    for name in names:
        detail = cat.detail(name)
        if detail is not None and name == MODELS_DETAIL and subject:
            model = f"`{own_model}`"  # "posts table" -> `Post`
            slots[name] = Slot(name, model, detail.clause.placeholder, detail.clause.choices, "prompt")
        elif detail is not None and name == MODELS_DETAIL and existing:
            choices = tuple(dict.fromkeys((*existing, *detail.clause.choices)))
            slots[name] = Slot(name, None, detail.clause.placeholder, choices)
        elif detail is not None and name == RELATIONSHIPS_DETAIL and existing and not by_detail.get(name):
            slot = detail_slot(text, [], cat.id, detail, stack)
            related = [f"many-to-one to {m}" for m in existing if m != own_model][:RELATED_MODEL_CHOICES]
            slots[name] = replace(slot, choices=tuple(dict.fromkeys((*related, *slot.choices))))
        elif detail is not None and name in inherited:  # stated once in AGENTS.md or a manifest
            slots[name] = Slot(name, inherited[name], detail.clause.placeholder, detail.clause.choices, "stack")
        elif detail is not None:
            slots[name] = detail_slot(text, by_detail.get(name, []), cat.id, detail, stack)
        elif name == "model":
            slots[name] = Slot(name, own_model, _model_placeholder(cat), source="prompt" if own_model else "open")
        elif name == "resource":
            slots[name] = Slot(name, subject, RESOURCE_PLACEHOLDER, source="prompt" if subject else "open")
        else:  # a slot the template names but the category does not define
            slots[name] = Slot(name, None, f"<{name}>")
    return slots


_SUBJECT_SLOTS = frozenset(("model", "resource", MODELS_DETAIL, RELATIONSHIPS_DETAIL))  # filled from the subject


def _by_detail(matches: tuple[Match, ...]) -> dict[str, list[Match]]:
    """The matches of each detail, in their order (by position)."""
    by_detail: dict[str, list[Match]] = {}
    for match in matches:
        by_detail.setdefault(match.detail, []).append(match)
    return by_detail


def _model_placeholder(cat: Category) -> str:
    models = cat.detail("models")
    return models.clause.placeholder if models is not None else MODEL_PLACEHOLDER


def detail_slot(text: str, matches: list[Match], category: str, detail: Detail, stack: Stack | None) -> Slot:
    stack_names = tuple(stack.names_for(category, detail.id)) if stack is not None else ()
    choices = tuple(dict.fromkeys(stack_names + detail.clause.choices)) if stack_names else detail.clause.choices
    placeholder = detail.clause.placeholder
    if matches:  # only a present detail has matches
        value = detail_value(text, matches, detail)
        if value and next(iter(vague_terms(value)), None) is None:  # "handle errors properly" says nothing specific
            return Slot(detail.id, value, placeholder, choices, "prompt")
    answer = stack.answer(category, detail.id) if stack is not None else None
    if answer is not None:
        return Slot(detail.id, answer.name, placeholder, choices, "stack")
    return Slot(detail.id, None, placeholder, choices)


class _DetailInfo:
    """Look-up tables of one detail, built once (expansion runs for every finding)."""

    __slots__ = ("detail", "items", "labels", "own_terms", "own_words", "kinds", "_listed_starts", "_empty_listed")

    def __init__(self, detail: Detail) -> None:
        self.detail = detail
        self.items: dict[tuple[str, ...], str] = {}
        for item in detail.completions:
            for term in item.terms:
                self.items.setdefault(term_key(term), item.insert_text)
        self.labels = {term_key(item.label): item.label for item in detail.completions if " " not in item.label}
        self.own_terms = {term_key(term) for term in detail.terms} - set(self.items)
        self.own_words = _detail_words(detail)
        self.kinds: dict[str, tuple[str, str | None]] = {}
        # the first words of the terms listed above: a term that holds none is no listed one
        listed = (*self.items, *self.own_terms)
        self._listed_starts = any_substring(key[0] for key in listed if key)
        self._empty_listed = () in listed

    def kind(self, term: str) -> tuple[str, str | None]:
        """How a matched term gives a value: ("item", its usual name), ("written", None)
        for a pattern's match, ("phrase", None) for a general word, ("after", None) for a
        word that only names the detail (the value is the words after it)."""
        found = self.kinds.get(term)
        if found is None:
            if not self._empty_listed and self._listed_starts.search(term.lower()) is None:
                return _WRITTEN  # a pattern's match, told without cutting it into words (thousands of routes)
            key = term_key(term)
            if key in self.items:
                found = ("item", self.items[key])
            elif key not in self.own_terms:
                found = _WRITTEN
            elif {singular(word) for word in key} <= self.own_words:
                found = ("after", None)
            else:
                found = ("phrase", None)
            if len(self.kinds) < 4096:
                self.kinds[term] = found
        return found


_WRITTEN: tuple[str, str | None] = ("written", None)
_DETAIL_INFO: IdentityMemo[_DetailInfo] = IdentityMemo()


def detail_info(detail: Detail) -> _DetailInfo:
    return _DETAIL_INFO.get(detail, _DetailInfo)


def detail_value(text: str, matches: list[Match], detail: Detail) -> str | None:
    """What the prompt says for a detail: a named item under its usual name
    (``prsima`` -> ``Prisma``), a pattern's match as written (``/api/posts``), and for a
    general word the prompt's phrase that starts with it (``belongs to users``)."""
    info = detail_info(detail)
    values: list[str] = []
    seen: set[str] = set()  # the values' lower-case forms: a value is listed once
    covered_until = -1
    for match in sorted(matches, key=lambda m: (m.start, -m.end)) if len(matches) > 1 else matches:
        if match.start < covered_until:
            continue  # inside a phrase already taken
        kind, value = info.kind(match.term)
        if kind == "item":
            covered_until = match.end
        elif kind == "written":
            value, covered_until = " ".join(text[match.start : match.end].split()), match.end
            if " " in value:
                first = info.labels.get(term_key(value.split(" ", 1)[0]))
                value = first if first is not None else _trimmed(value)  # "GET endpoint": the method is GET
            elif value.islower() and is_task_verb(value):
                value = None  # "returns" alone says nothing of what
        else:
            start, covered_until = _phrase(text, match.end if kind == "after" else match.start, match.end)
            value = _trimmed(" ".join(text[start:covered_until].split()))
            if (_NOT_A_VALUE if kind == "after" else _PART_OF).match(text, match.end):
                value = None  # "the fields of ...", "the email column of the users table": not a value
        if value and value.lower() not in seen:
            seen.add(value.lower())
            values.append(value)
    return ", ".join(values) or None


_PHRASE_END = regexcache.compile(r"[.;:!?,](?=\s|$)|[()\n]|\s(?:and|but|so|or|then|that|which|who)\s")
PHRASE_WORDS = 6
_PHRASE_END_MARGIN = 8
_NON_SPACE = regexcache.compile(r"\S+")


def _phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the phrase from ``start`` that contains ``text[start:end]``: up to the
    next punctuation or conjunction, at most :data:`PHRASE_WORDS` words."""
    while start < len(text) and text[start] in " \t`'\"":
        start += 1
    words_end = len(text)  # where the PHRASE_WORDS-th word ends, if there are that many
    for count, word in enumerate(_NON_SPACE.finditer(text, start), 1):
        if count == PHRASE_WORDS:
            words_end = word.end()
            break
    # Look no further than the phrase can reach; the margin lets " and " be seen whole.
    stop = _PHRASE_END.search(text, max(start, end), max(words_end, end) + _PHRASE_END_MARGIN)
    limit = min(stop.start() if stop else len(text), words_end)
    return start, max(limit, start)


_NOT_A_VALUE = regexcache.compile(r"\s+(?:of|on|in|at|to|from|for|is|are|was|were|should|must)\b", re.IGNORECASE)
_PART_OF = regexcache.compile(r"\s+of\b", re.IGNORECASE)
_LEADING = frozenset("with the a an of for to by on using via as some".split())
_DANGLING = frozenset(
    "the a an of for to by in on at into via using with from through and or its their "
    "our your my this that which who after before when".split()
)
_ARTICLES = frozenset(("a", "an", "the"))
_LOWER_START = frozenset("when whenever every each after before once if on the a an".split())


def _trimmed(phrase: str) -> str | None:
    """A phrase cut from the prompt, without the function words at its ends ("with a
    body" -> "body", "store the SID in the" -> "store the SID"); a first word that only
    starts a sentence is lower-cased ("When a user signs up" -> "when a user signs up")."""
    words = phrase.split(" ")
    start, end = 0, len(words)
    while start < end and words[start].lower() in _LEADING:
        start += 1
    while end > start and words[end - 1].lower() in _DANGLING:
        end -= 1
    if start == end:
        return None
    words = [
        w
        for i, w in enumerate(words[start:end], start)  # "title, a slug and a body" -> "title, slug and body"
        if not (w.lower() in _ARTICLES and (words[i - 1].endswith(",") or words[i - 1].lower() in ("and", "or")))
    ]
    if words[0][:1].isupper() and words[0].lower() in _LOWER_START:
        words[0] = words[0].lower()
    return " ".join(words)


def _detail_words(detail: Detail) -> set[str]:
    words = set(term_key(detail.id)) | set(term_key(detail.title))
    return {singular(w) for w in words} | {"name", "the", "a", "an"}


def vague_terms(text: str) -> Iterator[re.Match[str]]:
    from promptcoach.engine.rules.vague_term import vocabulary  # the rule's own list of vague terms

    return vocabulary().phrases.finditer(text)
