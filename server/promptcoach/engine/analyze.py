"""The analysis pipeline: extract prompts, classify them, run the rules.

:class:`Engine` is what the CLI and the language server call. It loads the
knowledge base once, lazily, and caches classifications by prompt text, so a
re-analysis after an edit only classifies the prompts whose text changed.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from promptcoach.engine.context import ContextFor, ProjectContext, add_state_fixes, context_root
from promptcoach.engine.detect import classify
from promptcoach.engine.extract import PromptSequence, document_role, extract
from promptcoach.engine.knowledge import KnowledgeBase, load_knowledge
from promptcoach.engine.model import Classification, DocumentAnalysis, Finding, Prompt, PromptAnalysis
from promptcoach.engine.rules import RuleContext, rule_ids, run_rules
from promptcoach.engine.rules.file_too_large import oversize, too_large_finding
from promptcoach.engine.rules.too_many_problems import until_limit
from promptcoach.engine.settings import Settings
from promptcoach.engine.stack import EMPTY_STACK, Stack, assume_from_stack, detect_stack
from promptcoach.engine.suppress import NO_SUPPRESSIONS, Suppressions, disable_line_fix

NO_CATEGORY = Classification(category=None)
_CACHE_SIZE = 8192  # classifications kept (LRU): about 1 KB each


def _has_marker(text: str, settings: Settings) -> bool:
    folded = text.casefold()
    return any(marker.casefold() in folded for marker in settings.markers)


class Engine:
    def __init__(
        self,
        settings: Settings | None = None,
        knowledge: KnowledgeBase | None = None,
        stack: Stack | None = None,
        root: str | Path | None = None,
        fixes: bool = True,
    ) -> None:
        """``stack``: the project's stack; without it, the stack detected at ``root``
        (the project root), re-read when one of its manifests changes. ``fixes``: build
        each finding's fixes (the editor's quick fixes); the CLI reports findings only."""
        self.settings = settings or Settings()
        self.fixes = fixes
        self._knowledge = knowledge
        self._stack = stack
        self.root = root
        self._classified: OrderedDict[str, Classification] = OrderedDict()
        self._contexts: dict[Path, ProjectContext] = {}

    @property
    def stack(self) -> Stack:
        if self._stack is not None:
            return self._stack
        return detect_stack(self.root) if self.root is not None else EMPTY_STACK

    @property
    def knowledge(self) -> KnowledgeBase:
        if self._knowledge is None:
            self._knowledge = load_knowledge(self.settings)
        return self._knowledge

    def warm_up(self) -> None:
        """Load and compile now what analyses otherwise set up on first use: the knowledge
        base and its lookup tables, every category's patterns, the rules' vocabularies,
        the Markdown and source-comment extractors. It analyses the knowledge base's own
        basic and specific examples, which reach every category, as a prompt file and as
        marked comments in a Python file. The server does this while the editor is idle,
        the CLI before it starts its workers (which inherit the result). It is only a
        head start: a problem here (say, in a knowledge pack's example) is left for the
        analysis of a document that really has it to report."""
        examples = [
            text for c in self.knowledge.categories if c.example for text in (c.example.basic, c.example.specific)
        ]
        samples = (
            ("\n\n".join(examples) or "Make a posts table.", "warm-up.prompt.md"),
            ("".join(f"# prompt: {text}\n" for text in examples[:2]), "warm_up.py"),
        )
        for text, path in samples:
            try:
                self.analyze(text, path, explicit=True)
            except Exception:  # noqa: BLE001 - see above
                import logging

                logging.getLogger(__name__).debug("warm-up analysis of %s failed", path, exc_info=True)

    def classify(self, text: str) -> Classification:
        cached = self._classified.get(text)
        if cached is not None:
            self._classified.move_to_end(text)
            return cached
        result = classify(text, self.knowledge)
        self._classified[text] = result
        if len(self._classified) > _CACHE_SIZE:
            self._classified.popitem(last=False)
        return result

    def analyze(self, text: str, path: str, language_id: str | None = None, explicit: bool = False) -> DocumentAnalysis:
        """``explicit``: the user named this file (``promptcoach check FILE``), so it is
        checked whatever the include/exclude globs say (see engine/extract)."""
        from promptcoach.engine.collector import collector_paused

        with collector_paused():
            return self._analyze(text, path, language_id, explicit)

    def _analyze(self, text: str, path: str, language_id: str | None, explicit: bool) -> DocumentAnalysis:
        large = self.oversized(text, path, language_id, explicit)
        if large is not None:
            return large
        role, prompts = extract(text, path, language_id=language_id, settings=self.settings, explicit=explicit)
        suppressions = Suppressions.parse(text, path, language_id)
        stack = self.stack
        context = ContextFor(self, text, path, prompts) if role in ("prompt", "source") else None
        analyses, stopped = until_limit(
            prompts,
            lambda item: self.analyze_prompt(
                item[0], text, path, language_id, suppressions, stack, kind=item[1], role=role, context=context
            ),
            lambda analysis: len(analysis.findings),
            self.settings,
            lambda item: item[0].start,
        )
        findings = suppressions.filter(self.document_findings(text, path, role, prompts), None) + stopped
        return DocumentAnalysis(path=path, text=text, prompts=analyses, findings=findings, role=role)

    def oversized(
        self, text: str, path: str, language_id: str | None = None, explicit: bool = False
    ) -> DocumentAnalysis | None:
        """The analysis of ``text`` if it is over ``maxFileSize`` (see :meth:`too_large`),
        else None: the editor's incremental analysis asks the same before its own."""
        size = oversize(text, self.settings.max_file_size)
        return None if size is None else self.too_large(path, size, language_id, explicit, text)

    def too_large(
        self, path: str, size: int | None, language_id: str | None = None, explicit: bool = False, text: str = ""
    ) -> DocumentAnalysis:
        """The analysis of a file over ``maxFileSize`` (``size`` bytes, None: unknown): not analysed, one
        file-too-large finding instead, if it is a file Prompt Coach checks at all. A source
        file whose ``text`` is known says so only when a marker occurs in it: a large
        generated or minified file is rarely where a prompt is written."""
        role = document_role(path, language_id, self.settings, explicit)
        checked = role is not None and not (role == "source" and text and not _has_marker(text, self.settings))
        findings = too_large_finding(size, self.settings) if checked else []
        return DocumentAnalysis(path=path, text=text, prompts=[], findings=findings, role=role)

    def document_findings(self, text: str, path: str, role: str | None, prompts: PromptSequence) -> list[Finding]:
        """Findings of the whole document that belong to no prompt: context-coverage of an
        instruction file."""
        if role != "instructions" or not path:
            return []
        from promptcoach.engine.rules.context_coverage import coverage_findings

        return coverage_findings(self, text, path, prompts)

    def project_context(self, path: str) -> ProjectContext | None:
        """The context of the project that holds ``path`` (its instruction files)."""
        root = context_root(path, self.root)
        if root is None:
            return None
        context = self._contexts.get(root)
        if context is None:
            context = self._contexts[root] = ProjectContext(root, self.knowledge, self.settings)
        return context

    def analyze_prompt(
        self,
        prompt: Prompt,
        text: str,
        path: str = "",
        language_id: str | None = None,
        suppressions: Suppressions = NO_SUPPRESSIONS,
        stack: Stack | None = None,
        eol: str | None = None,
        kind: str = "request",
        role: str | None = None,
        context: ContextFor | None = None,
    ) -> PromptAnalysis:
        """One prompt of document ``text``: its rules' findings, eased by the stack
        (``assume_stack``), minus suppressed ones, each with a "Disable <rule> for
        this line" fix. ``suppressions``: ``Suppressions.parse(text, path, language_id)``;
        ``eol``: the document's line break when ``text`` is only a window of it."""
        stack = self.stack if stack is None else stack
        if kind in ("request", "question") or not stack.empty:
            classification = self.classify(prompt.detail_text)
        else:  # a statement asks for nothing: no category to coach (stack-mismatch needs one)
            classification = NO_CATEGORY
        if context is not None and kind == "request" and classification.missing:
            classification = context.inherit(classification)
        judged = "context" if role == "instructions" and kind == "request" else kind  # rules, not tasks
        silenced = suppressions.silenced(prompt, rule_ids())  # their findings here would all be suppressed
        findings = run_rules(
            RuleContext(prompt, classification, self.knowledge, self.settings, text, stack, self.fixes, judged),
            silenced,
        )
        if self.settings.assume_stack:
            assume_from_stack(findings, stack)
        findings = suppressions.filter(findings, prompt)
        if self.fixes and context is not None and classification.category is not None:
            add_state_fixes(findings, classification.category, context, self.knowledge)
        for finding in findings if self.fixes else ():
            fix = disable_line_fix(text, finding, prompt, path, language_id, suppressions, eol)
            if fix is not None:
                finding.fixes = (*finding.fixes, fix)
        return PromptAnalysis(prompt, classification, findings, kind)
