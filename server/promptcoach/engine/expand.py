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
from dataclasses import dataclass, field, replace
from functools import lru_cache

from promptcoach.engine.knowledge import Category, Detail, KnowledgeBase
from promptcoach.engine.knowledge.terms import term_key
from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.model import Classification, Match
from promptcoach.engine.snippet import escape_choice, escape_text

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
    stack=None,
    category: str | None = None,
) -> Expansion:
    """The specific form of ``prompt_text``; ``category`` overrides the classification's
    (details are then detected again for that category).

    Results are cached by prompt text: the missing-detail rule expands every prompt
    it reports on, on every analysis."""
    category_id = category or classification.category
    key = (prompt_text, category_id, classification.present, id(knowledge), id(stack))
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
_CACHE: OrderedDict[tuple, tuple] = OrderedDict()


def _expand(
    prompt_text: str, classification: Classification, knowledge: KnowledgeBase, stack, category_id: str | None
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
    slots = _slots(prompt_text, classification, cat, stack)
    template = _template(cat)
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


def expand_prompt(analysis, engine, stack=None) -> Expansion | None:
    """Expansion of a :class:`PromptAnalysis`, or None when it has no category."""
    if analysis.classification.category is None:
        return None
    try:
        return expand(analysis.prompt.text, analysis.classification, engine.knowledge, stack)
    except ExpansionError:
        return None


# --- slots ------------------------------------------------------------------------------------


def _slots(text: str, classification: Classification, cat: Category, stack) -> dict[str, Slot]:
    names = _plan(cat)[1]
    subject = find_subject(text, classification.matches)
    by_detail: dict[str, list[Match]] = {}
    for match in classification.matches:
        by_detail.setdefault(match.detail, []).append(match)
    if stack is not None and getattr(stack, "empty", False):
        stack = None  # knows nothing: skip its look-ups
    existing = tuple(stack.models) if stack is not None else ()  # models in prisma/schema.prisma
    own_model = pascal_case(singular(subject)) if subject else None
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
        elif detail is not None:
            slots[name] = _detail_slot(text, by_detail.get(name, []), cat.id, detail, stack)
        elif name == "model":
            model = own_model
            slots[name] = Slot(name, model, _model_placeholder(cat), source="prompt" if model else "open")
        elif name == "resource":
            slots[name] = Slot(name, subject, RESOURCE_PLACEHOLDER, source="prompt" if subject else "open")
        else:  # a slot the template names but the category does not define
            slots[name] = Slot(name, None, f"<{name}>")
    return slots


def _model_placeholder(cat: Category) -> str:
    models = cat.detail("models")
    return models.clause.placeholder if models is not None else MODEL_PLACEHOLDER


def _detail_slot(text: str, matches: list[Match], category: str, detail: Detail, stack) -> Slot:
    stack_names = tuple(stack.names_for(category, detail.id)) if stack is not None else ()
    choices = tuple(dict.fromkeys(stack_names + detail.clause.choices)) if stack_names else detail.clause.choices
    placeholder = detail.clause.placeholder
    if matches:  # only a present detail has matches
        value = detail_value(text, matches, detail)
        if value:
            return Slot(detail.id, value, placeholder, choices, "prompt")
    answer = stack.answer(category, detail.id) if stack is not None else None
    if answer is not None:
        return Slot(detail.id, answer.name, placeholder, choices, "stack")
    return Slot(detail.id, None, placeholder, choices)


class _DetailInfo:
    """Look-up tables of one detail, built once (expansion runs for every finding)."""

    __slots__ = ("detail", "items", "own_terms", "own_words", "kinds")

    def __init__(self, detail: Detail) -> None:
        self.detail = detail
        self.items: dict[tuple[str, ...], str] = {}
        for item in detail.completions:
            for term in item.terms:
                self.items.setdefault(term_key(term), item.insert_text)
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
    covered_until = -1
    for match in sorted(matches, key=lambda m: (m.start, -m.end)) if len(matches) > 1 else matches:
        if match.start < covered_until:
            continue  # inside a phrase already taken
        kind, value = info.kind(match.term)
        if kind == "item":
            covered_until = match.end
        elif kind == "written":
            value, covered_until = " ".join(text[match.start : match.end].split()), match.end
        else:
            start, covered_until = _phrase(text, match.end if kind == "after" else match.start, match.end)
            value = " ".join(text[start:covered_until].split())
        if value and value.lower() not in (v.lower() for v in values):
            values.append(value)
    return ", ".join(values) or None


_PHRASE_END = re.compile(r"[.;:!?,](?=\s|$)|[()\n]|\s(?:and|but|so|or|then)\s")
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


def _detail_words(detail: Detail) -> set[str]:
    words = set(term_key(detail.id)) | set(term_key(detail.title))
    return {singular(w) for w in words} | {"name", "the", "a", "an"}


# --- the prompt's subject: posts -> Post --------------------------------------------------------

_VERBS = frozenset(
    "make create add build get fetch list load read process handle store save update delete remove "
    "send sync call write define set setup implement integrate track log import export generate "
    "return show find compute calculate charge notify run schedule validate upload download "
    "retrieve pull push query".split()
)
_SKIP = frozenset(
    "a an the new some all any each every my our your their its this that these those single "
    "user's users' up simple basic".split()
)
_PREPOSITIONS = frozenset("to for from with by in on at of into via using about".split())
_ENDS = frozenset("and or that which when where so as if is are be it".split())
_CONTAINERS = frozenset(
    "table tables model models schema schemas collection collections entity entities endpoint "
    "endpoints api apis route routes function functions handler handlers service record records "
    "migration migrations".split()
)
_BACKTICKED_NAME = re.compile(r"`([A-Z][A-Za-z0-9]{1,40})`")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_']*")
_ROUTE = re.compile(r"(?<![\w.])/[\w\-/:\[\]{}]+")


def find_subject(text: str, matches: tuple[Match, ...] = ()) -> str | None:
    """What the prompt is about, in lower case ("posts", "stock price data"): a
    backticked model name, else the noun phrase after the first task verb (words
    that are evidence for a detail, like ``Express`` or ``GET``, are not part of
    it), else the last fixed part of a route (``/api/posts/:id`` -> ``posts``)."""
    named = _BACKTICKED_NAME.search(text)
    if named:
        return _words_of(named.group(1))
    blanked = text
    for m in matches:  # blank out detail evidence ("Express", "GET"), keep model names
        if m.detail != "models":
            blanked = blanked[: m.start] + " " * (m.end - m.start) + blanked[m.end :]
    lower = [w.lower() for w in _WORD.findall(blanked)]
    start = next((i + 1 for i, w in enumerate(lower) if w in _VERBS), 0)
    phrase: list[str] = []
    for word in lower[start:]:
        if word in _ENDS or (word in _VERBS and phrase):
            break
        if word in _PREPOSITIONS:
            if phrase:
                break
            continue  # "an endpoint for the posts": look past the preposition
        if word in _SKIP and not phrase:
            continue
        if word in _CONTAINERS:
            if phrase:
                break
            continue
        phrase.append(word)
        if len(phrase) == 3:
            break
    return " ".join(phrase) or _route_resource(text)


def _route_resource(text: str) -> str | None:
    route = _ROUTE.search(text)
    if route is None:
        return None
    fixed = [part for part in route.group().split("/") if part and part[0].isalpha()]
    return fixed[-1].lower() if fixed else None


def _words_of(name: str) -> str:
    """``BlogPost`` -> ``blog post``."""
    return " ".join(part.lower() for part in re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name))


_UNCOUNTABLE = frozenset("news series species media metadata analytics feedback inventory".split())


def singular(word: str) -> str:
    """A simple English singular of the last word: posts -> post, categories -> category."""
    head, _, last = word.rpartition(" ")
    lower = last.lower()
    if len(lower) <= 3 or lower in _UNCOUNTABLE or lower.endswith(("ss", "us", "is", "data")):
        result = last
    elif lower.endswith("ies"):
        result = last[:-3] + "y"
    elif lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        result = last[:-2]
    elif lower.endswith("s"):
        result = last[:-1]
    else:
        result = last
    return f"{head} {result}" if head else result


def pascal_case(phrase: str) -> str:
    """``user signup`` -> ``UserSignup``; ``blog_post`` -> ``BlogPost``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[\s_\-]+", phrase) if part)


# --- rendering --------------------------------------------------------------------------------


def render_plain(template: str, slots: dict[str, Slot]) -> str:
    def fill(match: re.Match) -> str:
        slot = slots[match.group(1)]
        return slot.value if slot.value is not None else slot.placeholder

    return SLOT_RE.sub(fill, template)


def render_snippet(template: str, slots: dict[str, Slot]) -> str:
    """The template as a VS Code snippet: one tab stop per slot, mirrored when repeated."""
    numbers: dict[str, int] = {}
    parts: list[str] = []
    position = 0
    for match in SLOT_RE.finditer(template):
        parts.append(escape_text(template[position : match.start()]))
        name = match.group(1)
        if name in numbers:
            parts.append(f"${numbers[name]}")
        else:
            numbers[name] = len(numbers) + 1
            parts.append(tab_stop(numbers[name], slots[name]))
        position = match.end()
    parts.append(escape_text(template[position:]))
    return "".join(parts) + "$0"


def tab_stop(number: int, slot: Slot) -> str:
    if slot.value is None and slot.choices:
        return f"${{{number}|{_choice_list(slot.choices)}|}}"
    text = slot.value if slot.value is not None else slot.placeholder
    if len(text) > 2 and text[0] == text[-1] == "`" and "`" not in text[1:-1]:
        return f"`${{{number}:{escape_text(text[1:-1])}}}`"  # `Post`: only the name is selected
    return f"${{{number}:{escape_text(text)}}}"


@lru_cache(maxsize=512)
def _choice_list(choices: tuple[str, ...]) -> str:
    return ",".join(escape_choice(choice) for choice in choices)


