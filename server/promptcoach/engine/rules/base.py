"""What every rule shares: the context it runs in, its metadata and severity resolution."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from promptcoach.engine.model import SEVERITIES, Classification, DeferredFix, Edit, Finding, Fix, Prompt
from promptcoach.engine.record import Record
from promptcoach.engine.rules.pages import RuleMeta, rule_texts
from promptcoach.engine.settings import Settings

T = TypeVar("T")

OFF = "off"


class RuleContext(Record):
    """Everything a rule may look at for one prompt."""

    __slots__ = _fields = (
        "prompt",
        "classification",
        "knowledge",
        "settings",
        "document_text",
        "stack",
        "fixes",
        "kind",
    )

    def __init__(
        self,
        prompt: Prompt,
        classification: Classification,
        knowledge: Any,  # promptcoach.engine.knowledge.KnowledgeBase
        settings: Settings,
        document_text: str,
        stack: Any = None,  # promptcoach.engine.stack.Stack: fills expansion slots when known
        fixes: bool = True,  # False: findings only (the CLI); rules may skip building their fixes
        kind: str = "request",  # what the prompt is (engine/intent.py); only requests miss details
    ) -> None:
        self.prompt = prompt
        self.classification = classification
        self.knowledge = knowledge
        self.settings = settings
        self.document_text = document_text
        self.stack = stack
        self.fixes = fixes
        self.kind = kind

    def within_limit(self, found: list[T]) -> list[T]:
        """``found`` (a rule's candidates, in text order) cut to ``maxProblems``, before
        findings and their fixes are built from them: the file stops there anyway
        (too-many-problems), and a prompt with a finding every few words would otherwise
        build a hundred thousand of them."""
        limit = self.settings.max_problems
        return found[:limit] if limit else found

    def edit(self, start: int, end: int, new_text: str, snippet: str | None = None) -> Edit:
        """An :class:`Edit` replacing ``prompt.text[start:end]`` (prompt offsets)."""
        doc_start, doc_end = self.prompt.doc_span(start, end)
        return Edit(doc_start, doc_end, new_text, snippet)

    def finding(
        self,
        rule: str,
        severity: str,
        message: str,
        start: int,
        end: int,
        data: dict[str, Any] | None = None,
        fixes: Iterable[Fix | DeferredFix] = (),
    ) -> Finding:
        """A :class:`Finding` on ``prompt.text[start:end]`` (prompt offsets)."""
        doc_start, doc_end = self.prompt.doc_span(start, end)
        return Finding(rule, severity, message, doc_start, doc_end, data or {}, tuple(fixes))


Check = Callable[[RuleContext, str], Iterable[Finding]]
Gate = Callable[[RuleContext, frozenset[str]], bool]


class Rule(NamedTuple):
    """A rule: its id, and ``check(context, severity)`` yielding findings at ``severity``.
    Title, default severity, summary and documentation URL come from the rules YAML."""

    id: str
    check: Check
    uses_document: bool = False  # reads ctx.document_text: results cannot be cached by prompt text
    # ``gate(context, words)``: a cheap necessary condition for a finding, given the prompt's
    # case-folded words (``phrases.text_words``). False means ``check`` would find nothing,
    # so the runner does not call it: most prompts have no vague term, secret or password
    # in them, and one set test tells.
    gate: Gate | None = None
    # "prompt": ``check`` judges one prompt; "document": the rule judges whole files
    # (context-coverage), its ``check`` finds nothing in a prompt
    scope: str = "prompt"

    @property
    def meta(self) -> RuleMeta:
        return rule_texts().rules[self.id]

    @property
    def severity(self) -> str:
        return self.meta.severity

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def summary(self) -> str:
        return self.meta.summary

    @property
    def docs_url(self) -> str:
        return self.meta.docs_url


def resolve_severity(rule: Rule, settings: Settings) -> str | None:
    """The severity ``rule`` runs at under ``settings``, or ``None`` when it is off.
    Unknown values in the settings fall back to the rule's default."""
    configured = (settings.severities or {}).get(rule.id)
    if configured == OFF:
        return None
    if configured in SEVERITIES:
        return configured
    return rule.severity


def least_severe(first: str, second: str) -> str:
    """The milder of two severities ("information" is milder than "warning")."""
    return max(first, second, key=SEVERITIES.index)
