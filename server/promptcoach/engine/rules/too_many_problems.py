"""too-many-problems: checking a file stops after ``maxProblems`` findings, and says so.

A file can be written to hold a finding every few words (a vague term or a token on
every line): its hundred thousand findings would take seconds to build and tens of
megabytes of JSON to send to the editor, and no one reads them. So once a file's
prompts have given ``maxProblems`` findings (1,000 unless configured; 0: no limit),
the prompts after them are not checked and not listed; this one finding, at the first
prompt left out, says how many were left out. Within one prompt each rule builds at
most ``maxProblems`` findings (``RuleContext.within_limit``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from promptcoach.engine.model import Finding
from promptcoach.engine.rules.base import Rule, RuleContext, resolve_severity
from promptcoach.engine.settings import Settings

RULE_ID = "too-many-problems"

Item = TypeVar("Item")  # a prompt as the caller lists it: (prompt, kind), or its index
Result = TypeVar("Result")


def _no_prompt_findings(ctx: RuleContext, severity: str) -> list[Finding]:
    return []  # a rule of whole files, see limit_finding


RULE = Rule(RULE_ID, _no_prompt_findings, gate=lambda ctx, words: False, scope="document")


def until_limit(
    prompts: Sequence[Item],
    analyse: Callable[[Item], Result],
    count: Callable[[Result], int],
    settings: Settings,
    start: Callable[[Item], int],
) -> tuple[list[Result], list[Finding]]:
    """``analyse`` of each of ``prompts`` (in document order), stopping once the results'
    ``count`` of findings reaches ``settings.max_problems`` (0: never); and the
    too-many-problems finding at the first prompt left out (at its ``start``), if any
    was (the engine and the editor's incremental analysis both stop here)."""
    limit = settings.max_problems
    results: list[Result] = []
    found = 0
    for index, item in enumerate(prompts):
        if limit and found >= limit:
            return results, _limit_finding(settings, start(item), len(prompts) - index)
        result = analyse(item)
        results.append(result)
        found += count(result)
    return results, []


def _limit_finding(settings: Settings, offset: int, left_out: int) -> list[Finding]:
    """The finding at document ``offset`` (the first prompt left out) of a file whose
    last ``left_out`` prompts were not checked; none when the rule is off."""
    severity = resolve_severity(RULE, settings)
    if severity is None:
        return []
    message = RULE.meta.message(
        "message",
        limit=f"{settings.max_problems:,}",
        left_out=f"{left_out:,}",
        prompts="prompt" if left_out == 1 else "prompts",
    )
    return [
        Finding(RULE_ID, severity, message, offset, offset, {"limit": settings.max_problems, "leftOut": left_out}, ())
    ]
