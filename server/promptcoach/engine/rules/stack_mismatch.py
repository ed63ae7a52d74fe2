"""stack-mismatch: a prompt names a technology that contradicts the project's stack.

The stack comes from the workspace's manifests (:mod:`promptcoach.engine.stack`);
which technologies exclude each other, and in which prompt categories that is
checked, is data in ``knowledge/stack.yaml``. One finding per contradicting
name, with one fix per technology of that kind the project uses (preferred when
there is just one) that swaps the name for the project's.
"""

from __future__ import annotations

from promptcoach.engine.model import Finding, Fix
from promptcoach.engine.rules.base import Rule, RuleContext
from promptcoach.engine.stack import contradictions

RULE_ID = "stack-mismatch"


def check(ctx: RuleContext, severity: str) -> list[Finding]:
    stack = getattr(ctx, "stack", None)
    if stack is None or stack.empty:
        return []
    meta = RULE.meta
    findings = []
    for found in contradictions(ctx.prompt.text, ctx.classification.category, stack):
        term = ctx.prompt.text[found.start : found.end]
        names = [tech.name for tech in found.project]
        evidence = "; ".join(stack.evidence(tech.id) or tech.name for tech in found.project)
        message = meta.message(
            "message", term=term, kind=found.kind.title, project=" and ".join(names), evidence=evidence
        )
        fixes = [
            Fix(
                meta.message("fix", term=term, replacement=name),
                (ctx.edit(found.start, found.end, name),),
                preferred=len(names) == 1,
            )
            for name in names
        ]
        data = {
            "term": term,
            "technology": found.named.id,
            "kind": found.kind.id,
            "project": names,
            "replacement": names[0],
            "evidence": evidence,
        }
        findings.append(ctx.finding(RULE_ID, severity, message, found.start, found.end, data, fixes))
    return findings


RULE = Rule(RULE_ID, check, gate=lambda ctx, words: ctx.stack is not None and not ctx.stack.empty)
