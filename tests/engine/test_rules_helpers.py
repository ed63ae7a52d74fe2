"""Helpers for the rule tests: build a context for a one-paragraph document and apply fixes."""

from __future__ import annotations

from promptcoach.engine.detect import classify
from promptcoach.engine.knowledge import builtin_knowledge
from promptcoach.engine.model import Classification, Edit, Finding, Prompt, Segment
from promptcoach.engine.rules import RuleContext, run_rules
from promptcoach.engine.settings import Settings


def context(
    text: str,
    classification: Classification | None = None,
    settings: Settings | None = None,
    prefix: str = "",
    suffix: str = "",
) -> RuleContext:
    """A context for ``text`` sitting in a document ``prefix + text + suffix``."""
    knowledge = builtin_knowledge()
    prompt = Prompt(text, (Segment(0, len(prefix), len(text)),), "paragraph")
    if classification is None:
        classification = classify(text, knowledge)
    return RuleContext(prompt, classification, knowledge, settings or Settings(), prefix + text + suffix)


def findings(text: str, rule: str | None = None, **kwargs) -> list[Finding]:
    found = run_rules(context(text, **kwargs))
    return [f for f in found if rule is None or f.rule == rule]


def apply(document: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """``document`` with non-overlapping ``edits`` applied (last first)."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        document = document[: edit.start] + edit.new_text + document[edit.end :]
    return document


def fixed(text: str, rule: str, fix_index: int = 0, **kwargs) -> str:
    """``text`` after applying fix ``fix_index`` of the first finding of ``rule``."""
    ctx = context(text, **kwargs)
    found = [f for f in run_rules(ctx) if f.rule == rule]
    assert found, f"no {rule} finding for {text!r}"
    return apply(ctx.document_text, found[0].fixes[fix_index].edits)
