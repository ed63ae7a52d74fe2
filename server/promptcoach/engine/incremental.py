"""Re-analysing a document after an edit without redoing what the edit did not touch.

An :class:`IncrementalAnalyzer` keeps the prompts of the last version as
:class:`Entry` objects. For a new version it re-reads the Markdown of the section the
edit touched (:mod:`promptcoach.engine.extract.sections`), joins the blocks into whole
prompts again (a lead line joins its list across blank lines) and looks every prompt up
by its *window* and kind: the text from
the start of the line before the prompt to its end, the prompt plus the line that may
carry a ``promptcoach-disable-next-line`` comment. Equal windows give equal findings up
to a shift, so only prompts with a new window are classified and run through the
rules. A change to a file-level suppression comment, or to what the project's context
states (the document's own context paragraphs, its instruction files, the manifests),
re-runs everything.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from promptcoach.engine import regexcache
from promptcoach.engine.collector import collector_paused
from promptcoach.engine.extract import PromptSequence
from promptcoach.engine.extract.sections import SectionReader
from promptcoach.engine.model import DocumentAnalysis, Finding, Prompt, PromptAnalysis, Segment

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.context import ContextFor
    from promptcoach.engine.stack import Stack
    from promptcoach.engine.suppress import Suppressions

_FILE_LEVEL = "promptcoach-disable-file"
_HTML_COMMENT = regexcache.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


class Entry:
    """One prompt of the current version; ``shift`` moves its stored offsets to the document's."""

    __slots__ = ("key", "window_start", "shift", "start", "end", "has_findings", "_analysis", "_current", "cache")

    def __init__(self, key: str, window_start: int, analysis: PromptAnalysis, shift: int = 0) -> None:
        self.key = key
        self.window_start = window_start
        self.shift = shift
        self._analysis = analysis
        self.start = analysis.prompt.start + shift
        self.end = analysis.prompt.end + shift
        self.has_findings = bool(analysis.findings)
        self._current: PromptAnalysis | None = analysis if shift == 0 else None
        self.cache: Any = None  # owned by the caller (e.g. converted diagnostics)

    def move(self, delta: int) -> None:
        if delta:
            self.window_start += delta
            self.shift += delta
            self.start += delta
            self.end += delta
            self._current = None

    def contains(self, offset: int, text: str) -> bool:
        """Does the prompt hold ``offset`` (or end before it with only blanks between, on its line)?"""
        start, end = self.start, self.end
        return start <= offset <= end or (end < offset and not text[end:offset].strip(" \t"))

    def analysis(self, keep: bool = True) -> PromptAnalysis:
        """The analysis in document offsets; ``keep=False`` for a one-off use (such as
        converting its findings once): the shifted copy is then not kept beside the
        stored one, which would double the memory a prompt takes."""
        if self._current is not None:
            return self._current
        current = shift_analysis(self._analysis, self.shift)
        if keep:
            self._current = current
        return current


def window_start(text: str, offset: int) -> int:
    """Start of the line before the line holding ``offset``."""
    line_start = text.rfind("\n", 0, offset) + 1
    if line_start == 0:
        return 0
    return text.rfind("\n", 0, line_start - 1) + 1


class IncrementalAnalyzer:
    """Analyses successive versions of one document with an :class:`Engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.entries: list[Entry] = []
        self.text: str | None = None
        self._flags = ""
        self._eol = "\n"  # the document's line break: fixes that insert a line use it
        self._document: DocumentAnalysis | None = None
        self._path = ""
        self._path_now = ""
        self._language: str | None = None
        self._suppressions: Suppressions | None = None
        self._stack: Stack | None = None
        self._kind: str | None = None
        self._comments: list[tuple[int, int]] | None = None
        self._role: str | None = None
        self._prompt_kind = "request"
        self._context: ContextFor | None = None  # of the current version
        self._signature: tuple[Any, ...] | None = None  # what the context states: a change re-analyses every prompt
        self._file_findings: list[Finding] = []
        self._sections = SectionReader()  # a prompt file's Markdown blocks, re-read by section
        self.prompts_analysed = 0  # prompts classified and run through the rules (for tests)

    def analyze(self, text: str, path: str, language_id: str | None = None) -> DocumentAnalysis:
        self.update(text, path, language_id)
        return self.document()

    def invalidate(self) -> None:
        """Analyse the next version in full, even with the same text (the context changed)."""
        self.text = None
        self._signature = ("invalid",)

    @property
    def file_findings(self) -> list[Finding]:
        """Findings of the whole document, not of one prompt (context-coverage)."""
        return self._file_findings

    def document(self) -> DocumentAnalysis:
        if self._document is None:
            prompts = [entry.analysis() for entry in self.entries]
            self._document = DocumentAnalysis(
                path=self._path,
                text=self.text or "",
                prompts=prompts,
                findings=list(self._file_findings),
                role=self._role,
            )
        return self._document

    def update(self, text: str, path: str, language_id: str | None = None) -> None:
        if text == self.text and path == self._path:
            return
        from promptcoach.engine.extract import document_kind
        from promptcoach.engine.suppress import document_eol

        flags = _file_flags(text)
        eol = document_eol(text)
        if eol != self._eol:  # every cached fix that inserts a line is now wrong
            self._eol, self.entries = eol, []
        self._document = None
        self._path_now, self._language = path, language_id
        self._suppressions = None
        self._stack = self.engine.stack
        self._comments = None
        self._kind = document_kind(path, language_id, self.engine.settings)
        self._flags = flags
        with collector_paused():  # (see engine/collector.py)
            self._full(text, path, language_id)
        self.text = text
        self._path = path

    # --- whole document ---------------------------------------------------------------------

    def _full(self, text: str, path: str, language_id: str | None) -> None:
        """Extract the whole prompts of the document (a lead joins its list across blank
        lines, so no block can be re-read alone) and analyse those whose window, kind or
        project context changed."""
        from promptcoach.engine.context import ContextFor
        from promptcoach.engine.extract import extract
        from promptcoach.engine.rules.too_many_problems import until_limit

        if self._too_large(text, path, language_id):
            return
        if path != self._path:
            self._sections = SectionReader()
        role, prompts = extract(
            text, path, language_id=language_id, settings=self.engine.settings, blocks=self._sections.blocks_of
        )
        self._role = role
        context = ContextFor(self.engine, text, path, prompts) if role in ("prompt", "source") else None
        signature = context.signature() if context is not None else None
        known: dict[str, list[Entry]] = {}  # window key -> its entries, popped in document order
        if signature == self._signature:
            for entry in reversed(self.entries):
                known.setdefault(entry.key, []).append(entry)
        models = {key: entries[0] for key, entries in known.items()}
        self._signature, self._context = signature, context
        self.entries, stopped = until_limit(
            range(len(prompts)),
            lambda index: self._entry(prompts, index, text, known, models),
            lambda entry: len(entry._analysis.findings),
            self.engine.settings,
            lambda index: prompts.span(index)[0],
        )
        self._file_findings = self.engine.document_findings(text, path, role, prompts) + stopped

    def _too_large(self, text: str, path: str, language_id: str | None) -> bool:
        """A version over ``maxFileSize``: no prompts, one file-too-large finding, and
        nothing kept from earlier versions."""
        analysis = self.engine.oversized(text, path, language_id)
        if analysis is None:
            return False
        self._role, self.entries, self._file_findings = analysis.role, [], analysis.findings
        self._signature, self._sections = ("too large",), SectionReader()
        return True

    def _entry(
        self, prompts: PromptSequence, index: int, text: str, known: dict[str, list[Entry]], models: dict[str, Entry]
    ) -> Entry:
        """Prompt ``index`` of ``prompts``: the entry of an equal window moved here, a copy
        of one, or a new analysis (the prompt is built only then)."""
        prompt_start, prompt_end = prompts.span(index)
        kind = prompts.kind(index)
        start = window_start(text, prompt_start)
        end = _line_end(text, prompt_end)
        key = f"{kind}\x1f{text[start:end]}"
        self._prompt_kind = kind
        if self._kind != "prompt" or self._in_html_comment(text, start):
            key = "\0" + key  # its findings depend on more than the window: never equal to a plain window
        same = known.get(key) if key[:1] != "\0" else None
        if same:  # same window: same findings; the entry itself, moved (caches keyed by it hold)
            previous = same.pop()
            previous.move(start - previous.window_start)
            return previous
        model = models.get(key) if key[:1] != "\0" else None
        if model is not None:  # one more repeat of a window than before: a copy
            entry = Entry(key, start, model._analysis, start)
            entry.cache = model.cache
            return entry
        return Entry(key, start, self._analyse_prompt(prompts.prompt(index), text, start, end), start)

    def _analyse_prompt(self, prompt: Prompt, text: str, start: int, end: int) -> PromptAnalysis:
        """The prompt analysed inside its window (offsets relative to ``start``).

        The window holds everything a prompt's findings depend on — the prompt, the rest
        of its last line and the line above it, where line suppressions live — except
        file-level suppressions; with one of those in the document, the whole text is used.
        """
        from promptcoach.engine.suppress import Suppressions

        engine = self.engine
        self.prompts_analysed += 1
        if self._flags or self._kind != "prompt" or self._in_html_comment(text, start):
            if self._suppressions is None:
                self._suppressions = Suppressions.parse(text, self._path_now, self._language)
            analysis = engine.analyze_prompt(
                prompt,
                text,
                self._path_now,
                self._language,
                self._suppressions,
                self._stack,
                kind=self._prompt_kind,
                role=self._role,
                context=self._context,
            )
            return shift_analysis(analysis, -start)
        window = text[start:end]
        local = _moved_prompt(prompt, -start)
        suppressions = Suppressions.parse(window, self._path_now, self._language)
        return engine.analyze_prompt(
            local,
            window,
            self._path_now,
            self._language,
            suppressions,
            self._stack,
            self._eol,
            kind=self._prompt_kind,
            role=self._role,
            context=self._context,
        )

    def _in_html_comment(self, text: str, offset: int) -> bool:
        """Does an HTML comment of the document run across ``offset``? (Then only the whole
        text tells which comments are suppression directives.)"""
        if self._comments is None:
            self._comments = [m.span() for m in _HTML_COMMENT.finditer(text)] if "<!--" in text else []
            if any(not text.endswith("-->", 0, end) for _, end in self._comments):
                self._comments = [(0, len(text) + 1)]  # an unclosed comment: treat the whole text as unsure
        if not self._comments:  # most documents
            return False
        index = bisect_right(self._comments, (offset, len(text) + 1)) - 1
        return index >= 0 and self._comments[index][1] > offset


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end


def _moved_prompt(prompt: Prompt, delta: int) -> Prompt:
    if not delta:
        return prompt
    extent = None if prompt.extent is None else (prompt.extent[0] + delta, prompt.extent[1] + delta)
    return prompt._replace(
        segments=tuple(Segment(s.text_start, s.doc_start + delta, s.length) for s in prompt.segments), extent=extent
    )


def _file_flags(text: str) -> str:
    """The file-level suppression comments of ``text`` (usually none)."""
    found = []
    index = text.find(_FILE_LEVEL)
    while index != -1:
        end = text.find("\n", index)
        found.append(text[index : end if end != -1 else len(text)])
        index = text.find(_FILE_LEVEL, index + 1)
    return "\n".join(found)


def shift_analysis(analysis: PromptAnalysis, delta: int) -> PromptAnalysis:
    if delta == 0:
        return analysis
    return PromptAnalysis(
        _moved_prompt(analysis.prompt, delta),
        analysis.classification,
        [shift_finding(finding, delta) for finding in analysis.findings],
        analysis.kind,
    )


def shift_finding(finding: Finding, delta: int) -> Finding:
    return Finding(
        rule=finding.rule,
        severity=finding.severity,
        message=finding.message,
        start=finding.start + delta,
        end=finding.end + delta,
        data=finding.data,
        fixes=tuple(fix.moved(delta) for fix in finding.fixes),
    )
