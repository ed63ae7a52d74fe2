"""The rules: each looks at one prompt (text, classification, knowledge, settings)
and returns :class:`~promptcoach.engine.model.Finding` objects with their fixes.

``RULES`` is the registry, in the order findings are produced. Rule titles,
default severities, messages, vocabularies and documentation are one page per rule,
``server/promptcoach/knowledge/rules/<rule id>.md`` (:mod:`.pages`); ``settings.severities`` overrides a
rule's severity or turns it ``off``.

A rule is ``Rule(id, check, gate=...)`` (:mod:`.base`): ``check(context, severity)``
returns the findings; the optional ``gate(context, words)`` is a cheap necessary
condition on the prompt (its case-folded words are given) that lets the runner skip
``check`` for the many prompts that cannot have a finding. A gate must never say
no where ``check`` would find something: ``tests/engine/test_rules_registry.py``
checks that on the rule tests' samples.
"""

from __future__ import annotations

from promptcoach.engine.model import Finding
from promptcoach.engine.rules.base import Rule, RuleContext, resolve_severity
from promptcoach.engine.rules.context_coverage import RULE as CONTEXT_COVERAGE
from promptcoach.engine.rules.empty_prompt import RULE as EMPTY_PROMPT
from promptcoach.engine.rules.file_too_large import RULE as FILE_TOO_LARGE
from promptcoach.engine.rules.hardcoded_secret import RULE as HARDCODED_SECRET
from promptcoach.engine.rules.missing_detail import RULE as MISSING_DETAIL
from promptcoach.engine.rules.pages import rule_texts
from promptcoach.engine.rules.plaintext_password import RULE as PLAINTEXT_PASSWORD
from promptcoach.engine.rules.runner import run_rules_on
from promptcoach.engine.rules.stack_mismatch import RULE as STACK_MISMATCH
from promptcoach.engine.rules.too_many_problems import RULE as TOO_MANY_PROBLEMS
from promptcoach.engine.rules.vague_term import RULE as VAGUE_TERM
from promptcoach.engine.yamldata import DataError

RULES: tuple[Rule, ...] = (
    EMPTY_PROMPT,
    MISSING_DETAIL,
    HARDCODED_SECRET,
    PLAINTEXT_PASSWORD,
    STACK_MISMATCH,
    VAGUE_TERM,
    CONTEXT_COVERAGE,
    FILE_TOO_LARGE,
    TOO_MANY_PROBLEMS,
)
_BY_ID = {rule.id: rule for rule in RULES}
_IDS = tuple(_BY_ID)  # (asked for every prompt analysed)


def get_rule(rule_id: str) -> Rule | None:
    return _BY_ID.get(rule_id)


def rule_ids() -> tuple[str, ...]:
    return _IDS


def docs_url(rule_id: str) -> str | None:
    """The documentation page of a rule (for ``codeDescription.href``)."""
    rule = _BY_ID.get(rule_id)
    return rule.docs_url if rule else None


def run_rules(ctx: RuleContext, skip: frozenset[str] = frozenset()) -> list[Finding]:
    """Every enabled rule's findings for one prompt, ordered by position (results
    are cached by prompt text, see :mod:`promptcoach.engine.rules.runner`); the rules
    in ``skip`` are not run."""
    return run_rules_on(RULES, ctx, skip=skip)


def check_rule_texts() -> None:
    """Load the rule texts now and make sure every registered rule has metadata;
    raises :class:`DataError` (used by tests and at server start)."""
    texts = rule_texts()
    missing = [rule.id for rule in RULES if rule.id not in texts.rules]
    if missing:
        raise DataError("knowledge/rules", None, f"no metadata for rule(s): {', '.join(missing)}")


__all__ = [
    "RULES",
    "Rule",
    "RuleContext",
    "check_rule_texts",
    "docs_url",
    "get_rule",
    "resolve_severity",
    "rule_ids",
    "run_rules",
]
