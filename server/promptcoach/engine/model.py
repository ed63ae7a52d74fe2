"""The engine's data model: prompts, findings, fixes and analyses.

All spans are offsets into the document string (Python ``str`` indices) unless a
name says otherwise; :class:`promptcoach.engine.positions.LineIndex` turns them into
LSP positions. Nothing here knows about LSP or pygls.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any, NamedTuple

from promptcoach.engine.record import Record

SEVERITIES = ("error", "warning", "information", "hint")


# Segments and prompts, like edits and fixes below, are immutable and made by the
# thousand (every prompt of every analysis): named tuples are made faster than frozen
# dataclasses.
class Segment(NamedTuple):
    """A run of prompt text copied verbatim from the document."""

    text_start: int  # offset in Prompt.text
    doc_start: int  # offset in the document
    length: int


def _text_start(segment: Segment) -> int:
    return segment.text_start


class Prompt(NamedTuple):
    """One prompt found in a document.

    ``text`` is what the user wrote with Markdown list/quote markers or comment
    markers stripped; the separators between segments (a newline) belong to no
    segment. ``segments`` map every other character back to the document.
    """

    text: str
    segments: tuple[Segment, ...]
    kind: str  # "paragraph" | "list-item" | "quote" | "comment": the block it starts with
    marker: str | None = None  # the comment marker that introduced it ("prompt:" ...)
    # A whole prompt (a lead line and its specifics, engine/extract/grouping.py) also has:
    code: str = ""  # the fenced code inside its span: read for details, not judged as wording
    extent: tuple[int, int] | None = None  # document span of the whole prompt, fences included
    lead: tuple[int, int] | None = None  # the lead line in ``text`` (None: the whole text)

    @property
    def start(self) -> int:
        return self.segments[0].doc_start if self.extent is None else self.extent[0]

    @property
    def end(self) -> int:
        if self.extent is not None:
            return self.extent[1]
        last = self.segments[-1]
        return last.doc_start + last.length

    @property
    def lead_span(self) -> tuple[int, int]:
        """The lead line in ``text``: where a finding on the whole prompt sits."""
        return (0, len(self.text)) if self.lead is None else self.lead

    @property
    def lead_text(self) -> str:
        start, end = self.lead_span
        return self.text[start:end]

    @property
    def detail_text(self) -> str:
        """What details are looked for in: the text, then the fenced code inside the prompt."""
        return self.text if not self.code else f"{self.text}\n{self.code}"

    def doc_offset(self, index: int) -> int:
        """Document offset of the character at ``index`` of ``text`` (or just past the end)."""
        segments = self.segments
        if len(segments) == 1:  # most prompts: one run of text
            seg = segments[0]
        else:
            seg = segments[max(0, bisect_right(segments, index, key=_text_start) - 1)]
        return seg.doc_start + min(max(index - seg.text_start, 0), seg.length)

    def doc_span(self, start: int, end: int) -> tuple[int, int]:
        """Document span of ``text[start:end]``."""
        if end <= start:
            offset = self.doc_offset(start)
            return offset, offset
        return self.doc_offset(start), self.doc_offset(end - 1) + 1


# Every finding's fixes are moved to their prompt's place on each analysis.
class Edit(NamedTuple):
    """Replace document[start:end] with ``new_text``; ``snippet`` is the same edit in
    VS Code snippet syntax (tab stops, choice lists) for clients that take it."""

    start: int
    end: int
    new_text: str
    snippet: str | None = None


class FileEdit(NamedTuple):
    """An insertion into another file than the one analysed (a line stated once in the
    project's AGENTS.md): ``path`` absolute, at 0-based ``line`` and UTF-16 ``character``;
    ``create``: the file does not exist yet."""

    path: str
    line: int
    character: int
    new_text: str
    create: bool = False


class Fix(NamedTuple):
    title: str
    edits: tuple[Edit, ...]
    kind: str = "quickfix"  # or "refactor.rewrite"
    preferred: bool = False
    safe: bool = False  # may be applied by fix-all without review
    files: tuple[FileEdit, ...] = ()  # edits of other files

    def moved(self, delta: int) -> Fix:
        """The same fix with every edit ``delta`` characters further on."""
        if not delta:
            return self
        return Fix(self.title, shifted(self.edits, delta), self.kind, self.preferred, self.safe, self.files)


def shifted(edits: tuple[Edit, ...], delta: int) -> tuple[Edit, ...]:
    """``edits`` ``delta`` characters further on."""
    return tuple(Edit(e.start + delta, e.end + delta, e.new_text, e.snippet) for e in edits)


class DeferredFix:
    """A fix whose edits are worked out when first read, for the costly ones (a whole
    prompt expanded into its specific form): an editor lists the fix by its title and
    asks for its edits only when it is picked, so most are never worked out. Reads like
    a :class:`Fix`; ``make()`` returns the edits."""

    __slots__ = ("title", "kind", "preferred", "safe", "_make", "_edits", "_base", "_delta")

    def __init__(
        self,
        title: str,
        make: Callable[[], tuple[Edit, ...]] | None,
        kind: str = "quickfix",
        preferred: bool = False,
        safe: bool = False,
    ) -> None:
        self.title, self.kind, self.preferred, self.safe = title, kind, preferred, safe
        self._make: Callable[[], tuple[Edit, ...]] | None = make
        self._edits: tuple[Edit, ...] | None = None
        self._base: DeferredFix | None = None  # moved(): the fix this one is a shift of
        self._delta = 0

    @property
    def edits(self) -> tuple[Edit, ...]:
        edits = self._edits
        if edits is not None:
            return edits
        # Safe when two threads read it first at once: each works from what it read, the
        # result is set before what made it is let go, so whoever finds both gone finds it.
        base, make = self._base, self._make
        if base is not None:
            edits = shifted(base.edits, self._delta)
        elif make is not None:
            edits = tuple(make())
        else:
            edits = self._edits  # another thread has just set it
            assert edits is not None
            return edits
        self._edits = edits
        self._make = self._base = None
        return edits

    def __eq__(self, other: object) -> bool:
        """Like a :class:`Fix`: same title, edits, kind and flags (works the edits out)."""
        if not isinstance(other, (DeferredFix, Fix)):
            return NotImplemented
        return (self.title, self.edits, self.kind, self.preferred, self.safe) == (
            other.title,
            other.edits,
            other.kind,
            other.preferred,
            other.safe,
        )

    __hash__ = None  # type: ignore[assignment]

    def mapped(self, move: Callable[[tuple[Edit, ...]], tuple[Edit, ...]]) -> DeferredFix:
        """The same fix with ``move`` applied to its edits once they are worked out."""
        return DeferredFix(self.title, lambda: move(self.edits), self.kind, self.preferred, self.safe)

    def moved(self, delta: int) -> DeferredFix:
        """The same fix ``delta`` characters further on (made on every analysis, for each
        cached finding: a reference to this one and the shift, no closure)."""
        if not delta:
            return self
        moved = DeferredFix(self.title, None, self.kind, self.preferred, self.safe)
        moved._base, moved._delta = self, delta
        return moved

    def __repr__(self) -> str:  # does not work the edits out
        edits = "<not worked out yet>" if self._edits is None else repr(self._edits)
        return f"DeferredFix(title={self.title!r}, edits={edits}, kind={self.kind!r}, preferred={self.preferred!r}, safe={self.safe!r})"


class Finding(Record):
    __slots__ = _fields = ("rule", "severity", "message", "start", "end", "data", "fixes")

    def __init__(
        self,
        rule: str,
        severity: str,  # one of SEVERITIES
        message: str,
        start: int,
        end: int,
        data: dict[str, Any] | None = None,  # JSON-serializable facts for fixes / clients
        fixes: tuple[Fix | DeferredFix, ...] = (),
    ) -> None:
        self.rule = rule
        self.severity = severity
        self.message = message
        self.start = start
        self.end = end
        self.data: dict[str, Any] = {} if data is None else data
        self.fixes = fixes


class Match(NamedTuple):
    """Evidence for a key detail: ``text[start:end]`` of the prompt matched ``term``."""

    detail: str
    start: int  # offset in Prompt.text
    end: int
    term: str
    fuzzy: bool = False


def starting_before(matches: tuple[Match, ...], offset: int | None) -> tuple[Match, ...]:
    """The matches that start before ``offset`` (all of them for None)."""
    return matches if offset is None else tuple(m for m in matches if m.start < offset)


class Inherited(NamedTuple):
    """A project-wide detail supplied by the project's context (engine/context.py)."""

    detail: str
    path: str  # the file that states it, relative to the project root ("AGENTS.md")
    line: int  # 0-based
    text: str  # what it says there ("PostgreSQL")


class Classification(Record):
    """What a prompt is about; depends on the prompt text and knowledge only.

    ``evidence``: the matches, or a function that finds them (those that start before
    an offset, when given one). Only hover and expansion need where each detail was
    named, so detection defers that work until ``matches`` is first read (then it is
    kept). The evidence is neither compared nor shown, and nothing else changes once a
    classification is made.
    """

    __slots__ = ("category", "present", "missing", "evidence", "confidence", "inherited")
    _fields = ("category", "present", "missing", "confidence", "inherited")

    def __init__(
        self,
        category: str | None,
        present: tuple[str, ...] = (),  # detail ids in knowledge-base order
        missing: tuple[str, ...] = (),
        evidence: tuple[Match, ...] | Callable[[int | None], tuple[Match, ...]] = (),
        confidence: float = 0.0,
        # details the prompt does not name but its project's context does (also in ``present``)
        inherited: tuple[Inherited, ...] = (),
    ) -> None:
        self.category = category
        self.present = present
        self.missing = missing
        self.evidence = evidence
        self.confidence = confidence
        self.inherited = inherited

    def __hash__(self) -> int:
        return hash(self._values())

    @property
    def matches(self) -> tuple[Match, ...]:
        evidence = self.evidence
        if callable(evidence):
            evidence = self.evidence = evidence(None)
        return evidence

    def matches_before(self, offset: int | None) -> tuple[Match, ...]:
        """The matches that start before ``offset`` (all of them for None): in a prompt of
        thousands of named details, a reader of its start does not find every match."""
        evidence = self.evidence
        if offset is None or not callable(evidence):
            return starting_before(self.matches, offset)
        return evidence(offset)

    @property
    def score(self) -> tuple[int, int]:
        return len(self.present), len(self.present) + len(self.missing)


class PromptAnalysis(Record):
    __slots__ = _fields = ("prompt", "classification", "findings", "kind")

    def __init__(
        self,
        prompt: Prompt,
        classification: Classification,
        findings: list[Finding] | None = None,
        kind: str = "request",  # "request" | "guideline" | "context" | "question" (engine/intent.py)
    ) -> None:
        self.prompt = prompt
        self.classification = classification
        self.findings: list[Finding] = [] if findings is None else findings
        self.kind = kind

    @property
    def category(self) -> str | None:
        return self.classification.category


class DocumentAnalysis(Record):
    __slots__ = _fields = ("path", "text", "prompts", "findings", "role")

    def __init__(
        self,
        path: str,
        text: str,
        prompts: list[PromptAnalysis],
        findings: list[Finding] | None = None,  # findings outside any prompt
        role: str | None = None,  # "prompt" | "instructions" | "source" (engine/extract)
    ) -> None:
        self.path = path
        self.text = text
        self.prompts = prompts
        self.findings: list[Finding] = [] if findings is None else findings
        self.role = role

    def all_findings(self) -> list[Finding]:
        found = list(self.findings)
        for prompt in self.prompts:
            found.extend(prompt.findings)
        return found
