"""Running the rules on one prompt, with a cache of results by prompt text.

Rules see a prompt's text, its classification, the knowledge base, the settings
and the project's stack; only where the prompt sits in the document differs from
one analysis to the next. So each prompt text is checked once against a copy of
the prompt that starts at document offset 0, and the findings are cached with
prompt-relative offsets; later analyses only move them to the prompt's place
(new :class:`Finding` objects every time, since callers may add fixes to them).
Rules that read ``document_text`` declare ``uses_document`` and are never cached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from promptcoach.engine.model import Classification, DeferredFix, Edit, Finding, Fix, Prompt, Segment  # noqa: F401
from promptcoach.engine.phrases import text_words
from promptcoach.engine.rules.base import Rule, RuleContext, resolve_severity

CACHE_SIZE = 8192  # prompt texts whose findings are kept (LRU): about 2 KB each with fixes
Key = tuple[Any, ...]  # what a prompt's cached findings depend on
Enabled = tuple[Sequence[tuple[Rule, str]], Sequence[tuple[Rule, str]], tuple[tuple[str, int, str], ...]]
Span = Callable[[int, int], tuple[int, int]]  # prompt-relative (start, end) -> the document's


class RuleCache:
    """LRU of prompt-relative findings keyed by prompt text and what the rules depend on."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[Key, tuple[Classification, Any, Any, tuple[Finding, ...]]] = OrderedDict()

    def get(self, key: Key, ctx: RuleContext) -> tuple[Finding, ...] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        classification, knowledge, stack, findings = entry
        if knowledge is not ctx.knowledge or stack is not ctx.stack or classification != ctx.classification:
            return None
        self._entries.move_to_end(key)
        return findings

    def put(self, key: Key, ctx: RuleContext, findings: Sequence[Finding]) -> None:
        # a tuple: most prompts have none, and the empty one is shared (no object kept per prompt)
        self._entries[key] = (ctx.classification, ctx.knowledge, ctx.stack, tuple(findings))
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


CACHE = RuleCache()


def run_rules_on(
    rules: tuple[Rule, ...], ctx: RuleContext, cache: RuleCache = CACHE, skip: frozenset[str] = frozenset()
) -> list[Finding]:
    """Every enabled rule's findings for ``ctx.prompt``, ordered by position; the rules
    in ``skip`` are not run (a suppression comment silences them on this prompt)."""
    by_document, pure, pure_key = _enabled(rules, ctx.settings, skip)
    if not by_document and not pure:
        return []  # every rule silenced here (a directive without rule ids): nothing to run or cache
    prompt = ctx.prompt
    key = (
        prompt.text,
        prompt.kind,
        prompt.marker,
        prompt.lead,
        ctx.kind,
        ctx.settings.threshold,
        pure_key,
        ctx.fixes,
        ctx.settings.max_problems,
    )
    relative: Sequence[Finding] | None = cache.get(key, ctx)
    if relative is None:
        # A gate reads the prompt's text and words, its kind and classification and the
        # stack, the same in place as at offset 0; most prompts have every gate shut, and
        # then no offset-0 copy of the prompt is made.
        words = text_words(prompt.text)
        open_rules = [(rule, severity) for rule, severity in pure if rule.gate is None or rule.gate(ctx, words)]
        relative = _relative_findings(open_rules, ctx) if open_rules else ()
        cache.put(key, ctx, relative)
    if not relative and not by_document:
        return []  # (most prompts)
    findings = [_placed(finding, ctx.prompt) for finding in relative]
    for rule, severity in by_document:
        if rule.gate is None or rule.gate(ctx, text_words(prompt.text)):
            findings.extend(rule.check(ctx, severity))
    if len(findings) > 1:
        findings.sort(key=lambda f: f.start)
    return findings


# rules, settings of the last call; its answers by rules skipped
_ENABLED: tuple[Any, Any, dict[frozenset[str], Enabled]] = (None, None, {})


def _enabled(rules: tuple[Rule, ...], settings: Any, skip: frozenset[str] = frozenset()) -> Enabled:
    """(rule, severity) of the enabled rules not in ``skip`` that read the document and
    of those that can be cached, and a cheap cache key for the latter (hashing Rule
    objects hashes their fields every time); memoised for the last rules/settings pair
    (one engine analyses many prompts)."""
    global _ENABLED
    last = _ENABLED  # one tuple, read once: a thread never mixes two calls' answers
    if last[0] is not rules or last[1] is not settings:
        last = _ENABLED = (rules, settings, {})
    answers = last[2]
    found = answers.get(skip)
    if found is None:
        enabled = tuple(
            (rule, sev)
            for rule in rules
            if rule.id not in skip and (sev := resolve_severity(rule, settings)) is not None
        )
        by_document = tuple((rule, sev) for rule, sev in enabled if rule.uses_document)
        pure = tuple((rule, sev) for rule, sev in enabled if not rule.uses_document)
        found = (by_document, pure, tuple((rule.id, id(rule.check), sev) for rule, sev in pure))
        if len(answers) < 64:
            answers[skip] = found
    return found


def _relative_findings(rules: Sequence[tuple[Rule, str]], ctx: RuleContext) -> list[Finding]:
    """The findings of ``rules`` (their gates open on the prompt) with prompt-relative offsets."""
    prompt = ctx.prompt
    text = prompt.text
    # the prompt alone, at offset 0 (made directly: ``_replace`` costs several times more)
    alone = Prompt(text, (Segment(0, 0, len(text)),), prompt.kind, prompt.marker, prompt.code, None, prompt.lead)
    relative = RuleContext(alone, ctx.classification, ctx.knowledge, ctx.settings, text, ctx.stack, ctx.fixes, ctx.kind)
    found: list[Finding] = []
    for rule, severity in rules:
        found.extend(rule.check(relative, severity))
    if not ctx.fixes:
        for finding in found:
            finding.fixes = ()
    return found


def _placed(finding: Finding, prompt: Prompt) -> Finding:
    """A copy of a prompt-relative ``finding`` in document offsets."""
    segments = prompt.segments
    if len(segments) == 1:  # the common case: a shift
        delta = segments[0].doc_start - segments[0].text_start
        fixes = tuple(fix.moved(delta) for fix in finding.fixes) if finding.fixes else ()
        start, end = finding.start + delta, finding.end + delta
    else:
        fixes = tuple(_mapped(fix, prompt.doc_span) for fix in finding.fixes)
        start, end = prompt.doc_span(finding.start, finding.end)
    return Finding(finding.rule, finding.severity, finding.message, start, end, dict(finding.data), fixes)


def _mapped(fix: Fix | DeferredFix, span: Span) -> Fix | DeferredFix:
    """``fix`` with its prompt-relative edits mapped to the document through ``span``."""

    def move(edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
        return tuple(_moved(edit, span) for edit in edits)

    if isinstance(fix, DeferredFix):
        return fix.mapped(move)
    return Fix(fix.title, move(fix.edits), fix.kind, fix.preferred, fix.safe, fix.files)


def _moved(edit: Edit, span: Span) -> Edit:
    start, end = span(edit.start, edit.end)
    return Edit(start, end, edit.new_text, edit.snippet)
