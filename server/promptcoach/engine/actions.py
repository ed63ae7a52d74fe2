"""Edits behind editor actions that the rules do not produce themselves (no LSP here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptcoach.engine.model import Edit, Fix

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.model import PromptAnalysis


def expand_fix(prompt: PromptAnalysis, engine: Engine) -> Fix | None:
    """Replace a categorized prompt by its specific form (see engine/expand.py)."""
    from promptcoach.engine import expand

    result = expand.expand_prompt(prompt, engine)
    if result is None:
        return None
    return Fix(
        title="Expand into a specific prompt",
        edits=(Edit(prompt.prompt.start, prompt.prompt.end, result.text, getattr(result, "snippet", None)),),
        kind="refactor.rewrite",
    )
