"""The format-neutral report of one checked file.

The CLI turns each :class:`~promptcoach.engine.model.DocumentAnalysis` into a
:class:`FileReport` with LSP ranges already computed, so the analysis can run in
worker processes. Reports are named tuples of plain values: they cross process
boundaries as plain tuples (:func:`to_plain` / :func:`from_plain`), which pickle
many times faster than objects. Every output format renders these reports.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from promptcoach.engine.collector import collector_paused
from promptcoach.engine.model import SEVERITIES, DocumentAnalysis, Finding
from promptcoach.engine.positions import CodeUnits, LineIndex

SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # hint=0 ... error=3


class Span(NamedTuple):
    """An LSP range: 0-based lines, UTF-16 code-unit characters."""

    start_line: int
    start_character: int
    end_line: int
    end_character: int

    def to_json(self) -> dict:
        return {
            "start": {"line": self.start_line, "character": self.start_character},
            "end": {"line": self.end_line, "character": self.end_character},
        }


class FindingReport(NamedTuple):
    rule: str
    severity: str
    message: str
    range: Span


class PromptReport(NamedTuple):
    range: Span
    text: str
    category: str | None
    present: tuple[str, ...]
    missing: tuple[str, ...]
    findings: tuple[FindingReport, ...]
    kind: str = "request"
    inherited: tuple[tuple[str, str, int, str], ...] = ()  # (detail, path, 0-based line, text)


class FileReport(NamedTuple):
    path: str  # as shown to the user
    prompts: tuple[PromptReport, ...]
    findings: tuple[FindingReport, ...] = ()  # findings of the file that belong to no prompt

    def all_findings(self) -> list[FindingReport]:
        found = [finding for prompt in self.prompts for finding in prompt.findings]
        found.extend(self.findings)
        return sorted(found, key=_finding_order)


class _Positions:
    """Document offsets -> (line, UTF-16 character), with a fast path for ASCII text."""

    __slots__ = ("text", "starts", "ascii", "units")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = LineIndex(text).line_starts
        self.ascii = text.isascii()
        self.units = CodeUnits(text)  # UTF-16 units of a line prefix, without walking it

    def span(self, start: int, end: int) -> Span:
        return Span(*self.position(start), *self.position(end))

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        line_start = self.starts[line]
        if self.ascii:
            return line, offset - line_start
        return line, self.units.count(line_start, offset)


def file_report(analysis: DocumentAnalysis, path: str) -> FileReport:
    """The report of one analysed file (made with the cyclic garbage collector paused, as
    the analysis is: a report of 20,000 prompts makes 60,000 objects that all live on)."""
    with collector_paused():
        return _file_report(analysis, path)


def _file_report(analysis: DocumentAnalysis, path: str) -> FileReport:
    positions = _Positions(analysis.text)
    prompts = tuple(
        PromptReport(
            positions.span(item.prompt.start, item.prompt.end),
            item.prompt.text,
            item.classification.category,
            tuple(item.classification.present),
            tuple(item.classification.missing),
            _findings(item.findings, positions),
            item.kind,
            tuple((i.detail, i.path, i.line, i.text) for i in item.classification.inherited),
        )
        for item in analysis.prompts
    )
    return FileReport(path, prompts, _findings(analysis.findings, positions))


def _findings(findings: list[Finding], positions: _Positions) -> tuple[FindingReport, ...]:
    if not findings:
        return ()  # (most prompts)
    reports = [FindingReport(f.rule, f.severity, f.message, positions.span(f.start, f.end)) for f in findings]
    if len(reports) > 1:
        reports.sort(key=_finding_order)
    return tuple(reports)


def _finding_order(finding: FindingReport) -> tuple:
    span = finding.range
    return (span.start_line, span.start_character, -SEVERITY_RANK.get(finding.severity, 0), finding.rule)


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether ``severity`` is at least as severe as ``threshold``."""
    return SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK[threshold]


# --- crossing process boundaries ----------------------------------------------------------------


def to_plain(report: FileReport) -> tuple:
    return (
        report.path,
        tuple(
            (
                tuple(p.range),
                p.text,
                p.category,
                p.present,
                p.missing,
                tuple((f.rule, f.severity, f.message, tuple(f.range)) for f in p.findings),
                p.kind,
                p.inherited,
            )
            for p in report.prompts
        ),
        tuple((f.rule, f.severity, f.message, tuple(f.range)) for f in report.findings),
    )


def from_plain(plain: tuple) -> FileReport:
    path, prompts, file_findings = plain
    return FileReport(
        path,
        tuple(
            PromptReport(
                Span(*span),
                text,
                category,
                present,
                missing,
                tuple(
                    FindingReport(rule, severity, message, Span(*fspan)) for rule, severity, message, fspan in findings
                ),
                kind,
                inherited,
            )
            for span, text, category, present, missing, findings, kind, inherited in prompts
        ),
        tuple(FindingReport(rule, severity, message, Span(*fspan)) for rule, severity, message, fspan in file_findings),
    )
