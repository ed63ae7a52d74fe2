"""missing-detail: a backend prompt leaves out key details of its category.

Below ``settings.threshold`` of the details named, the finding has the rule's
severity (warning by default); with at least that share named it is at most
``information``; a complete prompt gets nothing, and so does a question ("How do I
add a foreign key in Drizzle?": it asks for an answer, not for code to be written). Fixes: expand the whole prompt
into the category's specific form (preferred, when ``engine/expand.py`` is
available) and one "Add <detail>" per missing detail that inserts the detail's
clause with its placeholder (a tab stop or choice list in the snippet form).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from promptcoach.engine.clauses import clause_parts, insertion
from promptcoach.engine.model import DeferredFix, Edit, Finding, Fix, Inherited
from promptcoach.engine.rules.base import Rule, RuleContext, least_severe
from promptcoach.engine.rules.pages import rule_texts

RULE_ID = "missing-detail"


def check(ctx: RuleContext, severity: str) -> list[Finding]:
    classification = ctx.classification
    category = ctx.knowledge.category(classification.category) if classification.category else None
    if (
        category is None
        or not category.is_backend
        or not classification.missing
        or ctx.kind != "request"
        or _is_question(ctx.prompt.lead_text)
    ):
        return []
    present, missing = list(classification.present), list(classification.missing)
    total = len(present) + len(missing)
    if len(present) / total >= ctx.settings.threshold:
        severity = least_severe(severity, "information")
    meta = RULE.meta
    inherited = classification.inherited
    texts = _texts(meta, category, classification.missing, len(present), total, _sources(inherited))
    data = {
        "category": category.id,
        "present": present,
        "missing": missing,
        "score": {"present": len(present), "total": total},
    }
    if inherited:
        data["inherited"] = {i.detail: {"path": i.path, "line": i.line, "text": i.text} for i in inherited}
    fixes: list[Fix | DeferredFix] = []
    if not ctx.fixes:
        return [ctx.finding(RULE_ID, severity, texts.message, *ctx.prompt.lead_span, data)]
    expanded = _expand_fix(ctx, category, texts.expand_title)
    if expanded is not None:
        fixes.append(expanded)
    for title, detail in texts.additions:
        fixes.append(Fix(title, (add_clause_edit(ctx, detail),)))
    return [ctx.finding(RULE_ID, severity, texts.message, *ctx.prompt.lead_span, data, fixes)]


def _is_question(text: str) -> bool:
    """A question ("Why does my migration fail?"), not a request for work."""
    text = text.strip()
    if not text.endswith("?"):
        return False
    first = text.split(None, 1)[0].lower().strip("*_\"'“(")
    return first in _question_words()


@lru_cache(maxsize=1)
def _question_words() -> frozenset[str]:
    section = rule_texts().sections.get("missing_detail") or {}
    return frozenset(word.lower() for word in section.get("question_words", ()))


class _Texts:
    """What a finding's texts depend on only through its category and missing details:
    the message, the expand fix's title and ``(title, detail)`` of each "Add ..." fix."""

    __slots__ = ("meta", "category", "message", "expand_title", "additions")

    def __init__(
        self, meta: Any, category: Any, missing: tuple[str, ...], present: int, total: int, sources: tuple[int, str]
    ) -> None:
        details = [category.detail(d) for d in missing]
        titles = [_lower_first(_title(detail, d)) for detail, d in zip(details, missing)]
        self.meta, self.category = meta, category
        inherited = meta.message("inherited", count=sources[0], sources=sources[1]) if sources[0] else ""
        self.message = meta.message(
            "message",
            category=category.title,
            present=present,
            total=total,
            missing=", ".join(titles),
            inherited=inherited,
        )
        self.expand_title = meta.message("expand_fix", category=category.title)
        self.additions = tuple(
            (meta.message("add_fix", detail=title), detail)
            for title, detail in zip(titles, details)
            if detail is not None
        )


_TEXTS: dict[tuple[str, tuple[str, ...], int, tuple[int, str]], _Texts] = {}  # memo of _texts, bounded below


def _sources(inherited: tuple[Inherited, ...]) -> tuple[int, str]:
    """How many details are inherited and from which files ("AGENTS.md and package.json")."""
    names = list(dict.fromkeys(i.path for i in inherited))
    return len(inherited), " and ".join(names)


def _texts(
    meta: Any, category: Any, missing: tuple[str, ...], present: int, total: int, sources: tuple[int, str] = (0, "")
) -> _Texts:
    """The finding's texts; there are few combinations of category and missing details,
    and thousands of prompts share each."""
    key = (category.id, missing, present, sources)
    cached = _TEXTS.get(key)
    if cached is not None and cached.meta is meta and cached.category is category:
        return cached
    if len(_TEXTS) > 4096:
        _TEXTS.clear()
    texts = _TEXTS[key] = _Texts(meta, category, missing, present, total, sources)
    return texts


def add_clause_edit(ctx: RuleContext, detail: Any) -> Edit:
    """Insert ``detail``'s clause with its placeholder at the start or the end of the prompt."""
    start, end, plain, snippet = insertion(ctx.prompt.text, clause_parts(detail))
    return ctx.edit(start, end, plain, snippet)


def _expand_fix(ctx: RuleContext, category: Any, title: str) -> DeferredFix | None:
    """Replace the whole prompt with its specific form, if the expander exists and the
    category has a template. The expansion is worked out when the fix is first read
    (:class:`DeferredFix`): it costs more than the rest of the prompt's analysis."""
    try:
        from promptcoach.engine.expand import ExpansionError, expand
    except ImportError:  # the expander is optional for this rule
        return None
    if not (category.template or "").strip():
        return None  # nothing to expand into
    text, classification, knowledge, stack = ctx.prompt.text, ctx.classification, ctx.knowledge, ctx.stack
    if "\n" in text and ctx.prompt.marker is None:
        # a lead line and its list (or lines of a paragraph) in a prompt file: the lead line
        # is expanded, the list and its Markdown stay as they are
        text = ctx.prompt.lead_text
        start, end = ctx.prompt.doc_span(*ctx.prompt.lead_span)
    else:
        start, end = ctx.prompt.doc_span(0, len(text))

    def edits() -> tuple[Edit, ...]:
        try:
            result = expand(text, classification, knowledge, stack)
        except ExpansionError:
            return ()
        if not result.plain.strip() or result.plain.strip() == text.strip():
            return ()  # nothing to change (a prompt with missing details always gets some)
        # One line: the span may cover several comment lines; replacing it with a single
        # line keeps the first line's comment marker and drops the continuation markers.
        plain = " ".join(result.plain.split())
        snippet = " ".join(result.snippet.split()) if result.snippet else None
        return (Edit(start, end, plain, snippet),)

    return DeferredFix(title, edits, preferred=True)


def _title(detail: Any, detail_id: str) -> str:
    return detail.title if detail is not None else detail_id.replace("-", " ")


def _lower_first(title: str) -> str:
    """ "Database technology" -> "database technology"; "HTTP method" stays."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


RULE = Rule(RULE_ID, check, gate=lambda ctx, words: ctx.kind == "request" and bool(ctx.classification.missing))
