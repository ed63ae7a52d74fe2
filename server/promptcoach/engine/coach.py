"""Coaching a prompt that is not in a file: the text someone is about to send to an
assistant (the editor's chat) or that an agent asks about (a language model tool).

The text is analysed as a prompt file of a project (:data:`CHAT_FILE` in the folder it
belongs to), so the project's context applies exactly as it does to the project's
prompt files: its instruction files (AGENTS.md ...) and manifests supply project-wide
details. Each prompt of the text (one request per paragraph or list) gets its category,
score, the key details it names, inherits or misses (with the knowledge base's
one-line reason), its findings and its specific form. No LSP here: the language
server's ``promptcoach.checkPrompt`` command returns :func:`coach_text`'s result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from promptcoach.engine.expand import ExpansionError, expand

RESULT_VERSION = 1
CHAT_FILE = "chat.prompt.md"  # never written: it only places the text in its project
PROMPT_LANGUAGE = "prompt"  # read as a prompt file, whatever the include globs say


def chat_path(folder: str | Path | None) -> str:
    """Where text typed for ``folder``'s project is taken to stand ("" outside a project)."""
    return str(Path(folder) / CHAT_FILE) if folder else ""


def coach_text(engine: Any, text: str, path: str = "") -> dict[str, Any]:
    """The coaching of ``text`` as a prompt file at ``path`` (see :func:`chat_path`), as
    JSON-ready data: ``{"version", "prompts": [...], "categories": [...]}``."""
    analysis = engine.analyze(text, path, language_id=PROMPT_LANGUAGE, explicit=True)
    knowledge = engine.knowledge
    return {
        "version": RESULT_VERSION,
        "prompts": [_prompt(item, engine) for item in analysis.prompts],
        "categories": [{"id": c.id, "title": c.title} for c in knowledge.categories if c.is_backend],
    }


def _prompt(item: Any, engine: Any) -> dict[str, Any]:
    classification = item.classification
    category = engine.knowledge.category(classification.category) if classification.category else None
    present, total = classification.score
    coached = {
        "text": item.prompt.text,
        "kind": item.kind,
        "category": classification.category,
        "title": None,
        "score": {"present": present, "total": total},
        "present": [],
        "missing": [],
        "inherited": [],
        "findings": [{"rule": f.rule, "severity": f.severity, "message": f.message} for f in item.findings],
        "expansion": None,
    }
    if category is not None:
        coached.update(
            title=category.title,
            present=[_detail(category, d) for d in classification.present],
            missing=[_detail(category, d) for d in classification.missing],
            inherited=[
                {**_detail(category, i.detail), "path": i.path, "line": i.line, "text": i.text}
                for i in classification.inherited
            ],
            expansion=_expansion(item, engine),
        )
    return coached


def _detail(category: Any, detail_id: str) -> dict[str, str]:
    detail = category.detail(detail_id)
    if detail is None:
        return {"id": detail_id, "title": detail_id, "reason": ""}
    return {"id": detail_id, "title": detail.title, "reason": " ".join(detail.description.split())}


def _expansion(item: Any, engine: Any) -> str | None:
    """The prompt's specific form; None when its category has no template or it is
    already as specific as the template makes it."""
    try:
        result = expand(item.prompt.text, item.classification, engine.knowledge, engine.stack)
    except ExpansionError:
        return None
    plain = result.plain.strip()
    return plain if plain and plain != item.prompt.text.strip() else None


def category_card(engine: Any, category_id: str) -> dict[str, Any] | None:
    """The cheat-sheet card of a backend category as JSON-ready data (None for an
    unknown id): title, summary, key details with their reasons, the example."""
    category = engine.knowledge.category(category_id)
    if category is None or not category.is_backend:
        return None
    example = category.example
    return {
        "id": category.id,
        "title": category.title,
        "summary": " ".join(category.summary.split()),
        "details": [_detail(category, d.id) for d in category.details],
        "example": None
        if example is None
        else {key: " ".join(str(getattr(example, key)).split()) for key in ("basic", "specific", "why")},
    }
