"""The knowledge base as immutable Python objects (loaded from YAML by ``loader``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.knowledge.index import Index
    from promptcoach.engine.knowledge.loader import KnowledgePack


class FoundMatch(Protocol):
    """What the engine reads of a match, from ``re`` or RE2."""

    def group(self) -> str: ...
    def start(self) -> int: ...
    def end(self) -> int: ...


class CompiledPattern(Protocol):
    """A compiled knowledge pattern: ``re.Pattern[str]``, or RE2's for a user's pack."""

    def search(self, string: str, /) -> FoundMatch | None: ...
    def finditer(self, string: str, /) -> Iterator[FoundMatch]: ...


class CompletionItem(NamedTuple):
    """A value the editor can offer for a detail (``Prisma``, ``GET`` ...)."""

    label: str
    documentation: str
    insert_text: str  # what to insert; the label unless the YAML gives ``insert``
    ecosystem: str = "any"  # js, python, go, java, ruby, php, dotnet, rust, elixir, sql, any
    terms: tuple[str, ...] = ()  # words in a prompt that name this item


class Clause(NamedTuple):
    """The words that add a detail to a prompt: ``text`` with ``{value}``."""

    text: str
    placeholder: str  # human placeholder, e.g. "<ORM or schema language>"
    position: str = "end"  # "start" (prepended) or "end" (appended)
    choices: tuple[str, ...] = ()  # snippet choice list
    sentence: str | None = None  # a start clause as a sentence of its own, for prompts that start otherwise

    def render(self, value: str | None = None) -> str:
        """The clause with ``value`` (or the placeholder) filled in."""
        return self.text.replace("{value}", value if value is not None else self.placeholder)


class Pattern(NamedTuple):
    """A regex that is evidence for a detail; tried only when one of ``requires``
    (lower-case substrings) occurs in the prompt, if any are given."""

    regex: str
    requires: tuple[str, ...] = ()
    user: bool = False  # from a user's pack: runs on RE2 (knowledge/user_regex.py)

    def compile(self) -> CompiledPattern:
        """The compiled pattern, case-insensitive: RE2 for a user's, ``re`` for ours."""
        if self.user:
            from promptcoach.engine.knowledge.user_regex import compile_user_pattern

            return compile_user_pattern(self.regex)
        import re

        from promptcoach.engine import regexcache

        return regexcache.compile(self.regex, re.IGNORECASE)


class Detail(NamedTuple):
    """A key detail of a category, with the evidence that a prompt names it."""

    id: str
    title: str
    description: str
    clause: Clause
    completions: tuple[CompletionItem, ...] = ()
    terms: tuple[str, ...] = ()  # own terms plus the completion items' terms
    patterns: tuple[Pattern, ...] = ()
    technology: bool = False
    scope: str = "task"  # "project": may be stated once in the project's context (engine/context.py)
    fuzzy: bool = True
    min_hits: int = 1
    weight: float = 1.0  # what a matched term adds to the category score

    @property
    def choices(self) -> tuple[str, ...]:
        """Snippet choices: the clause's own list, else the completion labels."""
        return self.clause.choices or tuple(item.insert_text for item in self.completions)


class Example(NamedTuple):
    basic: str
    specific: str
    why: str


class Category(NamedTuple):
    id: str
    kind: str  # "backend" (coached) or "other" (steers prompts to no category)
    title: str
    summary: str
    signals: Mapping[str, float]  # term -> weight
    counter_signals: Mapping[str, float]
    signal_patterns: tuple[tuple[Pattern, float], ...] = ()  # (pattern, weight): evidence for the category
    details: tuple[Detail, ...] = ()
    template: str | None = None  # slots: {detail-id}, {model}, {resource}
    example: Example | None = None
    source: str = ""  # the file it came from

    @property
    def is_backend(self) -> bool:
        return self.kind == "backend"

    @property
    def detail_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.details)

    def detail(self, detail_id: str) -> Detail | None:
        for d in self.details:
            if d.id == detail_id:
                return d
        return None


class KnowledgeBase:
    """All categories (backend and other) plus words never taken for typos. Equal only
    to itself: its :attr:`index` is built once per object."""

    def __init__(self, categories: tuple[Category, ...], common_words: frozenset[str] = frozenset()) -> None:
        self.categories = categories
        self.common_words = common_words

    def category(self, category_id: str | None) -> Category | None:
        for c in self.categories:
            if c.id == category_id:
                return c
        return None

    @cached_property
    def index(self) -> Index:
        """Lookup tables and compiled patterns for detection, built on first use."""
        from promptcoach.engine.knowledge.index import Index

        return Index(self)

    def extended(self, packs: Iterable[KnowledgePack]) -> KnowledgeBase:
        """A new knowledge base with ``packs`` merged in (in order)."""
        from promptcoach.engine.knowledge.merge import merge_packs

        return merge_packs(self, packs)
