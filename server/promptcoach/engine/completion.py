"""Completion candidates inside prompts, from the knowledge base (no LSP here).

* Inside a categorized prompt: the values of the category's key details
  (ORMs and schema languages in a database prompt, methods, status codes and
  frameworks in an API prompt ...). The detail whose clause words come right
  before the cursor ("Using ", "Types: ") ranks first, then missing details,
  then details already named; values the prompt already names are left out.
* At the end of a prompt (or its start, for clauses that open a prompt): a
  clause that adds a missing detail, with the detail's choices as a snippet.
* On an empty line of a prompt file, or right after a comment marker: a starter
  for each category (its basic example grown into the specific template).
* Anywhere else (ordinary code, unmarked comments, fenced code): nothing.

rapidfuzz ranks candidates against the word being typed.

Kept whole (about 440 lines): the three kinds of candidate are one request's
answer and share :class:`Candidate`, the knowledge accessors and the ranking, so
pieces split off would each import the rest back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from promptcoach.engine import regexcache
from promptcoach.engine.mdtext import md_code, md_text
from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.snippet import escape_text, tab_stop

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.model import DocumentAnalysis, PromptAnalysis
    from promptcoach.engine.stack import Stack

# The knowledge base, its categories, details, clauses and items: objects or plain mappings,
# read with :func:`attr` alike.
Knowledge = Any

_PARTIAL = regexcache.compile(r"[\w.\-/@+#]*$")
_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    insert: str  # plain text
    snippet: str | None  # the same in snippet syntax, when it has tab stops
    kind: str  # "value" | "clause" | "starter"
    detail: str  # one-line description shown beside the label
    documentation: str  # Markdown
    sort: str
    filter: str
    start: int  # document span replaced by the item
    end: int
    category: str | None = None
    detail_id: str | None = None


# --- knowledge access (the knowledge base may hand out objects or plain mappings) --------------


def attr(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def categories(knowledge: Knowledge) -> list[Any]:
    found = attr(knowledge, "categories", None)
    if found is None:
        return []
    values = list(found.values()) if isinstance(found, dict) else list(found)
    return [c for c in values if attr(c, "kind", "backend") == "backend"]


def category(knowledge: Knowledge, category_id: str | None) -> Any:
    if category_id is None:
        return None
    for item in categories(knowledge):
        if attr(item, "id") == category_id:
            return item
    return None


def clause_texts(
    clause: Knowledge, value: str | None = None, tab: int = 1, choices: Iterable[str] | None = None
) -> tuple[str, str]:
    """Plain text and snippet of a detail's clause (``choices`` default to the clause's)."""
    text = attr(clause, "text", "{value}")
    placeholder = attr(clause, "placeholder", "...")
    listed = list(choices or attr(clause, "choices", None) or [])
    plain = text.replace("{value}", value or placeholder)
    before, _, after = text.partition("{value}")
    slot = tab_stop(tab, value or placeholder, () if value else tuple(listed))
    return plain, escape_text(before) + slot + escape_text(after)


# --- where the cursor is ---------------------------------------------------------------------


def _inside_fence(text: str, offset: int) -> bool:
    fences = 0
    for line in text[:offset].splitlines():
        stripped = line.lstrip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            fences += 1
    return fences % 2 == 1


def _line_prefix(text: str, offset: int) -> str:
    return text[text.rfind("\n", 0, offset) + 1 : offset]


def _line_rest(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[offset : end if end != -1 else len(text)]


def after_marker(prefix: str, markers: Iterable[str]) -> bool:
    """True when ``prefix`` is a comment that so far holds only a marker ("// prompt: ")."""
    stripped = prefix.rstrip()
    for marker in markers:
        if stripped.lower().endswith(marker.lower()):
            head = stripped[: len(stripped) - len(marker)].rstrip()
            if head and not head[-1].isalnum() and not any(ch.isalnum() for ch in head):
                return True
    return False


def prompt_at(analysis: DocumentAnalysis, offset: int) -> PromptAnalysis | None:
    """The prompt of a DocumentAnalysis holding ``offset``, counting blanks typed after its end."""
    text = analysis.text
    for item in analysis.prompts:
        start, end = item.prompt.start, item.prompt.end
        if start <= offset <= end or (end < offset and not text[end:offset].strip(" \t")):
            return item
        if start > offset:
            break
    return None


def complete(
    text: str,
    prompt: PromptAnalysis | None,
    knowledge: Knowledge,
    offset: int,
    *,
    prompt_file: bool,
    markers: Iterable[str] = (),
    stack: Stack | None = None,
) -> list[Candidate]:
    """The candidates at ``offset`` of document ``text``; ``prompt`` is the PromptAnalysis there, if any.
    ``stack``: the project's :class:`~promptcoach.engine.stack.Stack`; its technologies come first."""
    prefix = _line_prefix(text, offset)
    if prompt is None or not prompt.prompt.text:  # no prompt here, or a bare marker: start one
        empty_line = not prefix.strip() and not _line_rest(text, offset).strip()
        if (prompt_file and empty_line and not _inside_fence(text, offset)) or after_marker(prefix, markers):
            return starters(knowledge, offset)
        return []
    cat = category(knowledge, prompt.classification.category)
    if cat is None:
        return []
    found = _PARTIAL.search(prefix)
    assert found is not None  # the pattern matches the empty string
    partial = found.group(0)
    if partial[-1:] in (".", "-", "/"):  # the end of a sentence, not a word being typed
        partial = ""
    start = offset - len(partial)
    items = value_candidates(cat, prompt, text[max(0, start - 60) : start], start, offset, stack)
    items.extend(clause_candidates(cat, prompt, offset, prefix))
    return rank(items, partial)


@dataclass(frozen=True, slots=True)
class _Value:
    """A completion value of a detail, prepared once per category."""

    detail_index: int
    detail_id: str
    position: int
    label: str
    insert: str
    detail: str
    documentation: str
    named: re.Pattern[str] | None  # finds the item in a prompt that already names it
    words: tuple[str, ...] = ()  # the words ``named`` looks for


_VALUES: IdentityMemo[tuple[tuple[str, ...], tuple[_Value, ...]]] = IdentityMemo()


def _category_values(cat: Knowledge) -> tuple[tuple[str, ...], tuple[_Value, ...]]:
    """(trigger words of each detail, every value) of a category, computed once."""
    return _VALUES.get(cat, _values_of)


def _values_of(cat: Knowledge) -> tuple[tuple[str, ...], tuple[_Value, ...]]:
    triggers: list[str] = []
    values: list[_Value] = []
    cat_title = attr(cat, "title", attr(cat, "id"))
    for index, detail in enumerate(attr(cat, "details", []) or []):
        detail_id = attr(detail, "id")
        triggers.append(_trigger(detail))
        for position, item in enumerate(attr(detail, "completions", []) or []):
            label = str(attr(item, "label"))
            words = [w.lower() for w in (attr(item, "terms", None) or []) if len(w) > 3]
            if len(label) > 3:
                words.append(label.lower())
            named = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words)) if words else None
            values.append(
                _Value(
                    index,
                    detail_id,
                    position,
                    label,
                    attr(item, "insert_text", None) or attr(item, "insert", None) or label,
                    f"{attr(detail, 'title', detail_id)} · {cat_title}",
                    _value_doc(cat, detail, item),
                    named,
                    tuple(words),
                )
            )
    return tuple(triggers), tuple(values)


def value_candidates(
    cat: Knowledge, prompt: PromptAnalysis, before: str, start: int, end: int, stack: Stack | None = None
) -> list[Candidate]:
    """Values of the category's details; the detail whose clause words precede the cursor
    first, then missing details, then named ones; values the prompt names are left out.
    Within a detail, the project's own technologies (``stack``) come first."""
    missing = prompt.classification.missing
    named = prompt.prompt.text.lower()
    context = before[-40:].lower().rstrip(" ,:")
    triggers, values = _category_values(cat)
    groups = [
        0 if trigger and context.endswith(trigger) else 1 if detail_id in missing else 2
        for trigger, detail_id in zip(triggers, _detail_ids(values, len(triggers)))
    ]
    result = []
    category_id = attr(cat, "id")
    ours = _stack_names(stack, category_id, triggers, values)
    first_at: dict[str, int] = {}  # word -> its first occurrence in the prompt (-1: none)
    for value in values:
        if value.named is not None and _names(value, named, first_at):
            continue
        position = ours.get((value.detail_index, value.label), value.position + len(ours))
        result.append(
            Candidate(
                label=value.label,
                insert=value.insert,
                snippet=None,
                kind="value",
                detail=value.detail,
                documentation=value.documentation,
                sort=f"{groups[value.detail_index]}{value.detail_index:02d}{position:03d}",
                filter=value.label,
                start=start,
                end=end,
                category=category_id,
                detail_id=value.detail_id,
            )
        )
    return result


def _names(value: _Value, text: str, first_at: dict[str, int]) -> bool:
    """Whether ``text`` names ``value`` (``value.named`` finds one of its words there). The
    search starts at the first occurrence of any of its words, found by substring search
    (most are absent): scanning a long prompt once per value with the regex was slow."""
    first = -1
    for word in value.words:
        at = first_at.get(word)
        if at is None:
            at = first_at[word] = text.find(word)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first >= 0 and value.named is not None and value.named.search(text, first) is not None


_STACK_RANKS: dict[
    tuple[int, int], tuple[Stack, tuple[_Value, ...], dict[tuple[int, str], int]]
] = {}  # per (stack, category values)


def _stack_names(
    stack: Stack | None, category_id: str, triggers: tuple[str, ...], values: tuple[_Value, ...]
) -> dict[tuple[int, str], int]:
    """(detail index, label) -> rank of the values that name one of the project's own
    technologies for that detail (Prisma in a Prisma project): they are listed first.
    Computed once per stack and category (completion runs on every keystroke)."""
    if stack is None or getattr(stack, "empty", True):
        return {}
    cached = _STACK_RANKS.get((id(stack), id(values)))
    if cached is not None and cached[0] is stack and cached[1] is values:
        return cached[2]
    if len(_STACK_RANKS) > 64:  # stacks are replaced when a manifest changes
        _STACK_RANKS.clear()
    ranks: dict[tuple[int, str], int] = {}
    detail_ids = _detail_ids(values, len(triggers))
    for index, detail_id in enumerate(detail_ids):
        if detail_id is None:
            continue
        for rank, name in enumerate(stack.names_for(category_id, detail_id)):
            wanted = name.lower()
            for value in values:
                if value.detail_index == index and (
                    value.label.lower() == wanted or (value.named is not None and value.named.search(wanted))
                ):
                    ranks.setdefault((index, value.label), rank)
    _STACK_RANKS[(id(stack), id(values))] = (stack, values, ranks)
    return ranks


def _detail_ids(values: tuple[_Value, ...], count: int) -> list[str | None]:
    ids: list[str | None] = [None] * count
    for value in values:
        ids[value.detail_index] = value.detail_id
    return ids


def clause_candidates(cat: Knowledge, prompt: PromptAnalysis, offset: int, prefix: str) -> list[Candidate]:
    """Clauses that add a missing detail, offered where the clause belongs."""
    at_end = offset >= prompt.prompt.end
    at_start = offset == prompt.prompt.start
    if not (at_end or at_start):
        return []
    result = []
    missing = prompt.classification.missing
    for index, detail in enumerate(attr(cat, "details", []) or []):
        detail_id = attr(detail, "id")
        clause = attr(detail, "clause")
        if detail_id not in missing or clause is None:
            continue
        position = attr(clause, "position", "end")
        if (position == "start") != at_start or (position != "start" and not at_end):
            continue
        plain, snippet = clause_texts(clause, choices=attr(detail, "choices", None))
        if position != "start" and prefix.endswith(" "):
            plain, snippet = plain.lstrip(), snippet.lstrip()
        title = attr(detail, "title", detail_id)
        result.append(
            Candidate(
                label=f"Add {title.lower()}",
                insert=plain,
                snippet=snippet,
                kind="clause",
                detail=f"adds the missing detail “{title}”",
                documentation=f"**{md_text(title)}** — {md_text(attr(detail, 'description', ''))}\n\n"
                f"Inserts: {md_code(plain.strip())}",
                sort=f"0{index:02d}",
                filter=title,
                start=offset,
                end=offset,
                category=attr(cat, "id"),
                detail_id=detail_id,
            )
        )
    return result


def starters(knowledge: Knowledge, offset: int) -> list[Candidate]:
    result = []
    for index, cat in enumerate(categories(knowledge)):
        cat_id = attr(cat, "id")
        title = attr(cat, "title", cat_id)
        plain, snippet = starter_texts(cat)
        example = attr(cat, "example")
        doc = f"**{md_text(title)}**\n\n{md_text(attr(cat, 'summary', ''))}"
        if example is not None:
            doc += f"\n\n*Specific example:* {md_text(attr(example, 'specific', ''))}"
        result.append(
            Candidate(
                label=f"{title} prompt",
                insert=plain,
                snippet=snippet,
                kind="starter",
                detail=f"starter · {cat_id}",
                documentation=doc,
                sort=f"{index:02d}",
                filter=f"{title} {cat_id}",
                start=offset,
                end=offset,
                category=cat_id,
            )
        )
    return result


def starter_texts(cat: Knowledge) -> tuple[str, str]:
    """The category's template with a tab stop (and choices) per detail slot."""
    template = " ".join(str(attr(cat, "template", "") or "").split())
    details = {attr(d, "id"): d for d in attr(cat, "details", []) or []}
    plain_parts: list[str] = []
    snippet_parts: list[str] = []
    tab = 0
    for piece in re.split(r"(\{[a-z][a-z0-9-]*\})", template):
        slot = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if slot is None:
            plain_parts.append(piece)
            snippet_parts.append(escape_text(piece))
            continue
        tab += 1
        detail = details.get(slot)
        clause = attr(detail, "clause") if detail is not None else None
        placeholder = attr(clause, "placeholder", f"<{slot}>") if clause is not None else f"<{slot}>"
        choices = attr(detail, "choices", None) or (attr(clause, "choices", None) if clause is not None else None)
        plain_parts.append(placeholder)
        snippet_parts.append(tab_stop(tab, placeholder, tuple(choices or ())))
    return "".join(plain_parts), "".join(snippet_parts)


def rank(items: list[Candidate], partial: str) -> list[Candidate]:
    if not partial:
        return sorted(items, key=lambda c: c.sort)[:_LIMIT]
    needle = partial.lower()
    scored = []
    for item in items:
        label = item.filter.lower()
        score = 100.0 if label.startswith(needle) else fuzz.partial_ratio(needle, label)
        if score >= 60:
            scored.append((-score, item.sort, item))
    scored.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in scored[:_LIMIT]]


@lru_cache(maxsize=512)
def _trigger_of(text: str) -> str:
    before = text.partition("{value}")[0].strip().lower()
    return " ".join(before.split()[-2:]).rstrip(" ,:")


def _trigger(detail: Knowledge) -> str:
    clause = attr(detail, "clause")
    return _trigger_of(attr(clause, "text", "")) if clause is not None else ""


def _value_doc(cat: Knowledge, detail: Knowledge, item: Knowledge) -> str:
    title = attr(detail, "title", attr(detail, "id"))
    return f"**{md_text(attr(item, 'label'))}** — {md_text(title)}\n\n{md_text(attr(item, 'documentation', ''))}"
