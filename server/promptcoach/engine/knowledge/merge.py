"""Merging knowledge packs into a knowledge base.

A pack entry whose id names an existing category adds to it: signals and
counter-signals are added or re-weighted, details with a known id gain terms,
patterns and completion items, new detail ids become new details. An entry
with a new id is a new category and must be complete (kind, title, summary,
signals; backend ones also details, template and example).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from promptcoach.engine.knowledge.loader import (
    KnowledgePack,
    category_from_data,
    completion_from_data,
    detail_from_data,
    patterns_from_data,
    signal_patterns_from_data,
)
from promptcoach.engine.knowledge.model import Category, Detail, KnowledgeBase
from promptcoach.engine.yamldata import DataError

_NEW_CATEGORY_KEYS = ("kind", "title", "summary", "signals")
_NEW_BACKEND_KEYS = ("details", "template", "example")
_NEW_DETAIL_KEYS = ("title", "description", "completions", "clause")


def merge_packs(base: KnowledgeBase, packs: Iterable[KnowledgePack]) -> KnowledgeBase:
    categories = list(base.categories)
    words = set(base.common_words)
    for pack in packs:
        words |= pack.common_words
        for entry, line in zip(pack.categories, pack.lines):
            position = next((i for i, c in enumerate(categories) if c.id == entry["id"]), None)
            if position is None:
                categories.append(_new_category(entry, pack.source, line))
            else:
                categories[position] = _extend_category(categories[position], entry, pack.source, line)
    return KnowledgeBase(tuple(categories), frozenset(words))


def _new_category(entry: dict[str, Any], source: str, line: int | None) -> Category:
    _require(entry, _NEW_CATEGORY_KEYS, f"new category {entry['id']!r}", source, line)
    if entry["kind"] == "backend":
        _require(entry, _NEW_BACKEND_KEYS, f"new backend category {entry['id']!r}", source, line)
    for detail in entry.get("details", ()):
        _require(detail, _NEW_DETAIL_KEYS, f"new detail {detail['id']!r}", source, line)
    return category_from_data(entry, source)


def _extend_category(category: Category, entry: dict[str, Any], source: str, line: int | None) -> Category:
    details = list(category.details)
    for patch in entry.get("details", ()):
        position = next((i for i, d in enumerate(details) if d.id == patch["id"]), None)
        if position is None:
            _require(patch, _NEW_DETAIL_KEYS, f"new detail {patch['id']!r} of {category.id!r}", source, line)
            details.append(detail_from_data(patch, source))
        else:
            details[position] = _extend_detail(details[position], patch, source)
    changes: dict[str, Any] = {
        "signals": {**category.signals, **entry.get("signals", {})},
        "counter_signals": {**category.counter_signals, **entry.get("counter_signals", {})},
        "signal_patterns": (
            *category.signal_patterns,
            *signal_patterns_from_data(entry.get("signal_patterns", ()), source),
        ),
        "details": tuple(details),
    }
    for key in ("title", "summary", "template", "kind"):
        if key in entry:
            changes[key] = entry[key]
    if "example" in entry:
        changes["example"] = category_from_data(
            {"id": category.id, "kind": "other", "title": "-", "summary": "-", "example": entry["example"]}, source
        ).example
    return category._replace(**changes)


def _extend_detail(detail: Detail, patch: dict[str, Any], source: str) -> Detail:
    completions = tuple(completion_from_data(c) for c in patch.get("completions", ()))
    extra_terms = list(patch.get("terms", ())) + [t for c in completions for t in c.terms]
    # validate the new patterns the same way as built-in ones
    probe = {
        "id": detail.id,
        "title": detail.title,
        "description": detail.description,
        "clause": {"text": "{value}", "placeholder": "-"},
        "patterns": patch.get("patterns", []),
    }
    detail_from_data(probe, source)
    changes: dict[str, Any] = {
        "terms": tuple(dict.fromkeys(detail.terms + tuple(extra_terms))),
        "patterns": detail.patterns + patterns_from_data(patch.get("patterns", ()), user=True),
        "completions": detail.completions + completions,
    }
    for key in ("title", "description", "technology", "fuzzy", "min_hits"):
        if key in patch:
            changes[key] = patch[key]
    if "weight" in patch:
        changes["weight"] = float(patch["weight"])
    if "clause" in patch:
        changes["clause"] = detail_from_data({**probe, "clause": patch["clause"], "patterns": []}, source).clause
    return detail._replace(**changes)


def _require(entry: dict[str, Any], keys: tuple[str, ...], what: str, source: str, line: int | None) -> None:
    missing = [k for k in keys if k not in entry]
    if missing:
        raise DataError(source, line, f"{what} needs {', '.join(missing)}")
