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
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from promptcoach.engine.clauses import clause_parts, insertion
from promptcoach.engine.knowledge import Category, Detail, KnowledgeBase
from promptcoach.engine.knowledge.terms import term_key
from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.model import Classification, Inherited, Match, PromptAnalysis
from promptcoach.engine.snippet import escape_text
from promptcoach.engine.snippet import tab_stop as snippet_tab_stop
from promptcoach.engine.subject import CONTAINERS, SAYS_NOTHING, blank_spans, find_subject, pascal_case, singular
from promptcoach.engine.taskwords import is_task_verb

if TYPE_CHECKING:
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.stack import Stack

SLOT_RE = re.compile(r"\{([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\}")
MODEL_PLACEHOLDER = "<Model name, e.g. Post>"
MODELS_DETAIL = "models"  # its slot holds the model name made from the prompt's subject
RELATIONSHIPS_DETAIL = "relationships"  # offered the project's existing models (schema.prisma)
RELATED_MODEL_CHOICES = 6
RESOURCE_PLACEHOLDER = "<resource, e.g. posts>"


class ExpansionError(ValueError):
    """The prompt cannot be expanded (no category, or the category has no template)."""


@dataclass(frozen=True)
class Slot:
    name: str  # detail id, "model" or "resource"
    value: str | None  # what fills it, None when open
    placeholder: str
    choices: tuple[str, ...] = ()
    source: str = "open"  # "prompt", "stack" or "open"


@dataclass(frozen=True)
class Expansion:
    plain: str
    snippet: str
    category: str
    slots: tuple[Slot, ...] = field(default=())

    @property
    def text(self) -> str:  # the name editor actions use for the plain form
        return self.plain

    @property
    def open_slots(self) -> tuple[str, ...]:
        return tuple(slot.name for slot in self.slots if slot.value is None)


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
    slots = _slots(prompt_text, classification, cat, stack, correct)
    template = _template(cat)
    if (
        not _is_basic(prompt_text)
        or (_needs_subject(cat) and not _has_subject(slots))
        or _dropped_words(prompt_text, classification, cat, template, slots, correct)
    ):
        return _completed(prompt_text, classification, cat, slots, stack)
    return Expansion(
        plain=render_plain(template, slots),
        snippet=render_snippet(template, slots),
        category=category_id,
        slots=tuple(slots.values()),
    )


_TEMPLATES: IdentityMemo[tuple[str, tuple[str, ...]]] = IdentityMemo()


def _template(cat: Category) -> str:
    return _plan(cat)[0]


def _plan(cat: Category) -> tuple[str, tuple[str, ...]]:
    """The category's template on one line and its slot names, computed once."""
    return _TEMPLATES.get(cat, _one_line_template)


def _one_line_template(cat: Category) -> tuple[str, tuple[str, ...]]:
    template = " ".join((cat.template or "").split())
    return template, tuple(dict.fromkeys(SLOT_RE.findall(template)))


def expand_prompt(analysis: PromptAnalysis, engine: Engine, stack: Stack | None = None) -> Expansion | None:
    """Expansion of a :class:`PromptAnalysis`, or None when it has no category."""
    if analysis.classification.category is None:
        return None
    try:
        return expand(analysis.prompt.text, analysis.classification, engine.knowledge, stack)
    except ExpansionError:
        return None


# --- slots ------------------------------------------------------------------------------------


def _slots(
    text: str,
    classification: Classification,
    cat: Category,
    stack: Stack | None,
    correct: Callable[[str], str | None] | None = None,
) -> dict[str, Slot]:
    names = _plan(cat)[1]
    subject = find_subject(text, classification.matches, correct)
    by_detail: dict[str, list[Match]] = {}
    for match in classification.matches:
        by_detail.setdefault(match.detail, []).append(match)
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
            slot = _detail_slot(text, [], cat.id, detail, stack)
            related = [f"many-to-one to {m}" for m in existing if m != own_model][:RELATED_MODEL_CHOICES]
            slots[name] = replace(slot, choices=tuple(dict.fromkeys((*related, *slot.choices))))
        elif detail is not None and name in inherited:  # stated once in AGENTS.md or a manifest
            slots[name] = Slot(name, inherited[name], detail.clause.placeholder, detail.clause.choices, "stack")
        elif detail is not None:
            slots[name] = _detail_slot(text, by_detail.get(name, []), cat.id, detail, stack)
        elif name == "model":
            slots[name] = Slot(name, own_model, _model_placeholder(cat), source="prompt" if own_model else "open")
        elif name == "resource":
            slots[name] = Slot(name, subject, RESOURCE_PLACEHOLDER, source="prompt" if subject else "open")
        else:  # a slot the template names but the category does not define
            slots[name] = Slot(name, None, f"<{name}>")
    return slots


def _model_placeholder(cat: Category) -> str:
    models = cat.detail("models")
    return models.clause.placeholder if models is not None else MODEL_PLACEHOLDER


def _detail_slot(text: str, matches: list[Match], category: str, detail: Detail, stack: Stack | None) -> Slot:
    stack_names = tuple(stack.names_for(category, detail.id)) if stack is not None else ()
    choices = tuple(dict.fromkeys(stack_names + detail.clause.choices)) if stack_names else detail.clause.choices
    placeholder = detail.clause.placeholder
    if matches:  # only a present detail has matches
        value = detail_value(text, matches, detail)
        if value and next(iter(_vague_terms(value)), None) is None:  # "handle errors properly" says nothing specific
            return Slot(detail.id, value, placeholder, choices, "prompt")
    answer = stack.answer(category, detail.id) if stack is not None else None
    if answer is not None:
        return Slot(detail.id, answer.name, placeholder, choices, "stack")
    return Slot(detail.id, None, placeholder, choices)


class _DetailInfo:
    """Look-up tables of one detail, built once (expansion runs for every finding)."""

    __slots__ = ("detail", "items", "labels", "own_terms", "own_words", "kinds")

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

    def kind(self, term: str) -> tuple[str, str | None]:
        """How a matched term gives a value: ("item", its usual name), ("written", None)
        for a pattern's match, ("phrase", None) for a general word, ("after", None) for a
        word that only names the detail (the value is the words after it)."""
        found = self.kinds.get(term)
        if found is None:
            key = term_key(term)
            if key in self.items:
                found = ("item", self.items[key])
            elif key not in self.own_terms:
                found = ("written", None)
            elif {singular(word) for word in key} <= self.own_words:
                found = ("after", None)
            else:
                found = ("phrase", None)
            if len(self.kinds) < 4096:
                self.kinds[term] = found
        return found


_DETAIL_INFO: IdentityMemo[_DetailInfo] = IdentityMemo()


def _info(detail: Detail) -> _DetailInfo:
    return _DETAIL_INFO.get(detail, _DetailInfo)


def detail_value(text: str, matches: list[Match], detail: Detail) -> str | None:
    """What the prompt says for a detail: a named item under its usual name
    (``prsima`` -> ``Prisma``), a pattern's match as written (``/api/posts``), and for a
    general word the prompt's phrase that starts with it (``belongs to users``)."""
    info = _info(detail)
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


_PHRASE_END = re.compile(r"[.;:!?,](?=\s|$)|[()\n]|\s(?:and|but|so|or|then|that|which|who)\s")
PHRASE_WORDS = 6
_PHRASE_END_MARGIN = 8
_NON_SPACE = re.compile(r"\S+")


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


_NOT_A_VALUE = re.compile(r"\s+(?:of|on|in|at|to|from|for|is|are|was|were|should|must)\b", re.IGNORECASE)
_PART_OF = re.compile(r"\s+of\b", re.IGNORECASE)
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


# --- nothing the prompt says is lost ------------------------------------------------------------
# The template carries a prompt's category, subject and the details it names. A prompt
# longer than one short sentence, or one with a word the rewrite would lose ("update",
# "older than 30 days"), is kept as written instead, with the missing details' clauses added.

REWRITE_MAX_WORDS = 12
_INNER_SENTENCE_END = re.compile(r"[.!?;](?=\s+\S)")


def _is_basic(text: str) -> bool:
    """One short sentence: the kind of prompt the template rewrites well. Longer ones
    say things in their own order that cut-out phrases would garble."""
    return len(text.split()) <= REWRITE_MAX_WORDS and _INNER_SENTENCE_END.search(text.strip()) is None


_SUBJECT_SLOTS = ("model", "resource", MODELS_DETAIL)


def _needs_subject(cat: Category) -> bool:
    """Whether the template names what the prompt is about (a model, a resource)."""
    return any(name in _SUBJECT_SLOTS for name in _plan(cat)[1])


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
    spans = [m.span() for m in _vague_terms(text)]
    for m in classification.matches:
        slot, detail = slots.get(m.detail), cat.detail(m.detail)
        if (
            slot is not None
            and slot.source == "prompt"
            and detail is not None
            and _info(detail).kind(m.term)[0] == "item"
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


_CONTENT_WORD = re.compile(r"[^\W_][\w']*")  # any script: "для блога" is words too
_NAME_PART = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")  # "BlogPost" -> Blog, Post


def _vague_terms(text: str) -> Iterator[re.Match[str]]:
    from promptcoach.engine.rules.vague_term import vocabulary  # the rule's own list of vague terms

    return vocabulary().phrases.finditer(text)


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
    slots = [template_slots.get(d.id) or _detail_slot(text, [], cat.id, d, stack) for d in missing]
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


_ARTICLE_A = re.compile(r"(?:^|(?<=\s))([Aa]) $")
_VOWEL_SOUND = re.compile(r"`?(?!one\b|one-|once\b)(?:[aeio]|u(?![bcdfghjklmnpqrstvwxyz][aeiou]))", re.IGNORECASE)


def _article(literal: str, following: str) -> str:
    article = _ARTICLE_A.search(literal)
    if article is not None and _VOWEL_SOUND.match(following):
        return literal[: article.end(1)] + "n "
    return literal


def tab_stop(number: int, slot: Slot) -> str:
    """The slot as tab stop ``number``: an open slot with choices is a choice list."""
    return snippet_tab_stop(number, _shown(slot), slot.choices if slot.value is None else ())
