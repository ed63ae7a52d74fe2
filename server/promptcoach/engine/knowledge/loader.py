"""Loading the built-in knowledge base and user knowledge packs from YAML.

Every file is validated by ``engine/yamldata.py`` against
``schemas/knowledge.schema.json``; problems raise ``DataError`` naming the file
and line. Built-in data is read once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from promptcoach.engine.knowledge.model import (
    Category,
    Clause,
    CompletionItem,
    Detail,
    Example,
    KnowledgeBase,
    Pattern,
)
from promptcoach.engine.knowledge.user_regex import UserPatternError
from promptcoach.engine.yamldata import DataError, load_builtin, load_yaml, read_data_text

SCHEMA = "knowledge"
KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent.parent / "knowledge"
CATEGORY_DIR = KNOWLEDGE_DIR / "categories"
VOCABULARY_FILE = KNOWLEDGE_DIR / "vocabulary.yaml"


class KnowledgePack(NamedTuple):
    """A validated pack: additions to categories (or new ones) and common words.

    ``categories`` holds the raw, schema-checked entries; ``lines`` their line
    numbers, so merge errors can point into the file.
    """

    source: str
    categories: tuple[dict[str, Any], ...] = ()
    lines: tuple[int | None, ...] = ()
    common_words: frozenset[str] = frozenset()


def load_knowledge(settings: Any = None) -> KnowledgeBase:
    """The built-in knowledge base, extended with ``settings.knowledge_packs``
    (paths) when the settings carry any."""
    base = builtin_knowledge()
    packs = tuple(getattr(settings, "knowledge_packs", ()) or ())
    if not packs:
        return base
    return base.extended(load_pack(path) for path in packs)


@lru_cache(maxsize=1)
def builtin_knowledge() -> KnowledgeBase:
    """Every ``knowledge/categories/*.yaml`` (sorted by name, backend first) plus the vocabulary."""
    categories = [load_category_file(path) for path in sorted(CATEGORY_DIR.glob("*.yaml"))]
    categories.sort(key=lambda c: not c.is_backend)  # stable: backend categories first
    words: frozenset[str] = frozenset()
    if VOCABULARY_FILE.exists():
        data = load_builtin(_read(VOCABULARY_FILE, _shown(VOCABULARY_FILE)), _shown(VOCABULARY_FILE), SCHEMA) or {}
        words = frozenset(w.lower() for w in data.get("common_words", ()))
    return KnowledgeBase(tuple(_ordered(categories)), words)


_BACKEND_ORDER = ("database-schema", "api-endpoint", "authentication", "business-logic", "external-api")


def _ordered(categories: list[Category]) -> list[Category]:
    """The five cheat-sheet categories in cheat-sheet order, then the rest."""
    rank = {cid: i for i, cid in enumerate(_BACKEND_ORDER)}
    return sorted(categories, key=lambda c: (rank.get(c.id, len(rank)), not c.is_backend))


def load_category_file(path: Path) -> Category:
    name = _shown(path)
    text = _read(path, name)
    data = load_builtin(text, name, SCHEMA)
    if "id" not in data:
        raise DataError(name, 1, "a category file needs a top-level 'id'")
    if data["id"] != path.stem:
        raise DataError(name, 1, f"category id {data['id']!r} must match the file name {path.stem!r}")
    return category_from_data(data, name, text, trusted=True)


def load_pack(path: str | Path) -> KnowledgePack:
    """Read a user knowledge pack (``categories`` and/or ``common_words``)."""
    path = Path(path)
    name = str(path)
    text = _read(path, name)
    data = load_yaml(text, name, SCHEMA) or {}
    if "id" in data:
        raise DataError(name, 1, "a knowledge pack lists its categories under 'categories:'")
    entries = tuple(data.get("categories", ()))
    lines = _lines_of(text) if entries else {}
    entry_lines = tuple(lines.get(("categories", i)) for i in range(len(entries)))
    for i, entry in enumerate(entries):
        for d, detail in enumerate(entry.get("details", ())):
            where = ("categories", i, "details", d)
            _check_patterns(
                patterns_from_data(detail.get("patterns", ()), user=True),
                name,
                lines.get(where),
                [lines.get((*where, "patterns", p)) for p in range(len(detail.get("patterns", ())))],
            )
    words = frozenset(w.lower() for w in data.get("common_words", ()))
    return KnowledgePack(name, entries, entry_lines, words)


def category_from_data(data: dict[str, Any], source: str, text: str | None = None, trusted: bool = False) -> Category:
    """Build a :class:`Category` from schema-valid data; ``text`` (the file) locates errors.
    ``trusted`` (built-in files, whose patterns the test suite checks) skips the pattern checks."""
    read: list[Detail] = []
    for i, detail in enumerate(data.get("details", ())):
        try:
            read.append(detail_from_data(detail, source, trusted=trusted))
        except DataError as error:
            if error.line is not None or text is None:
                raise
            raise DataError(source, _lines_of(text).get(("details", i)), error.message) from None
    details = tuple(read)
    _check_unique([d.id for d in details], source, "detail")
    example = data.get("example")
    return Category(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        summary=data["summary"],
        signals=dict(data.get("signals", {})),
        counter_signals=dict(data.get("counter_signals", {})),
        signal_patterns=signal_patterns_from_data(data.get("signal_patterns", ()), source, trusted),
        details=details,
        template=data.get("template"),
        example=Example(**example) if example else None,
        source=source,
    )


def detail_from_data(data: dict[str, Any], source: str, line: int | None = None, trusted: bool = False) -> Detail:
    patterns = patterns_from_data(data.get("patterns", ()), user=not trusted)
    if not trusted:
        _check_patterns(patterns, source, line)
    completions = tuple(completion_from_data(c) for c in data.get("completions", ()))
    terms = _unique(list(data.get("terms", ())) + [t for c in completions for t in c.terms])
    clause = data["clause"]
    return Detail(
        id=data["id"],
        title=data["title"],
        description=data["description"],
        clause=Clause(
            text=clause["text"],
            placeholder=clause["placeholder"],
            position=clause.get("position", "end"),
            choices=tuple(clause.get("choices", ())),
            sentence=clause.get("sentence"),
        ),
        completions=completions,
        terms=terms,
        patterns=patterns,
        technology=data.get("technology", False),
        scope=data.get("scope", "task"),
        fuzzy=data.get("fuzzy", True),
        min_hits=data.get("min_hits", 1),
        weight=float(data.get("weight", 1.0)),
    )


def signal_patterns_from_data(
    items: Sequence[dict[str, Any]], source: str, trusted: bool = False
) -> tuple[tuple[Pattern, float], ...]:
    """``(pattern, weight)`` of a category's ``signal_patterns``; patterns of packs are checked."""
    patterns = patterns_from_data(items, user=not trusted)
    if not trusted:
        _check_patterns(patterns, source, None)
    return tuple(zip(patterns, (float(item["weight"]) for item in items)))


def patterns_from_data(items: Iterable[str | dict[str, Any]], user: bool = False) -> tuple[Pattern, ...]:
    """``user``: the patterns come from a user's pack (they run on RE2)."""
    return tuple(
        Pattern(item, user=user)
        if isinstance(item, str)
        else Pattern(item["regex"], tuple(r.lower() for r in item.get("requires", ())), user)
        for item in items
    )


def completion_from_data(data: dict[str, Any]) -> CompletionItem:
    return CompletionItem(
        label=data["label"],
        documentation=data["documentation"],
        insert_text=data.get("insert", data["label"]),
        ecosystem=data.get("ecosystem", "any"),
        terms=tuple(data.get("terms", ())),
    )


def _check_patterns(
    patterns: tuple[Pattern, ...], source: str, line: int | None, pattern_lines: list[int | None] | None = None
) -> None:
    """Every pattern of a user's pack compiles on RE2 (knowledge/user_regex.py); an error
    is at the pattern's own line when known, else at ``line`` (its detail's)."""
    for index, pattern in enumerate(patterns):
        try:
            pattern.compile()
        except UserPatternError as error:
            at = pattern_lines[index] if pattern_lines and pattern_lines[index] else line
            raise DataError(source, at, f"pattern {pattern.regex!r}: {error}") from None


def _check_unique(ids: list[str], source: str, what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise DataError(source, None, f"duplicate {what} id {item!r}")
        seen.add(item)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _read(path: Path, name: str) -> str:
    try:
        return read_data_text(path, name)
    except OSError as error:
        raise DataError(name, None, f"cannot read: {error.strerror or error}") from None


def _shown(path: Path) -> str:
    """Built-in files are named relative to the package, e.g. knowledge/categories/x.yaml."""
    try:
        return str(path.relative_to(KNOWLEDGE_DIR.parent))
    except ValueError:
        return str(path)


def _lines_of(text: str) -> dict[tuple[str | int, ...], int]:
    """1-based line of each list item down to patterns: keys like ("details", 2) or
    ("categories", 0, "details", 1, "patterns", 3)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # already reported by load_yaml
        return {}
    lines: dict[tuple[str | int, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str | int, ...], depth: int) -> None:
        if depth > 6:
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in ("details", "categories", "patterns"):
                    walk(value, path + (key.value,), depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[path + (i,)] = item.start_mark.line + 1
                walk(item, path + (i,), depth + 1)

    if root is not None:
        walk(root, (), 0)
    return lines
