"""Text output, one finding per line, as ruff and most linters print it::

    prompts/posts.prompt.md:3:1: warning [missing-detail] message

Lines and columns are 1-based; columns count UTF-16 code units like LSP and
SARIF (and the VS Code terminal's ``file:line:col`` links).
"""

from __future__ import annotations

from collections import Counter

from promptcoach.engine.model import SEVERITIES
from promptcoach.output.paths import printable
from promptcoach.output.report import FileReport


def render(reports: list[FileReport]) -> str:
    return "".join(render_file(report) for report in reports)


def render_file(report: FileReport) -> str:
    """One file's lines."""
    lines = []
    path = printable(report.path)
    for finding in report.all_findings():
        span = finding.range
        message = printable(" ".join(finding.message.split()))
        lines.append(
            f"{path}:{span.start_line + 1}:{span.start_character + 1}: {finding.severity} [{finding.rule}] {message}\n"
        )
    return "".join(lines)


def summary(reports: list[FileReport]) -> str:
    """One line for standard error: what was found in what was checked."""
    counts = Counter(f.severity for report in reports for f in report.all_findings())
    files = len(reports)
    checked = f"{_plural(sum(len(report.prompts) for report in reports), 'prompt')} checked"
    total = sum(counts.values())
    if not total:
        return f"No problems found in {_plural(files, 'file')}; {checked}."
    parts = ", ".join(_severity_count(counts[name], name) for name in SEVERITIES if counts[name])
    with_findings = sum(1 for report in reports if report.all_findings())
    return f"Found {_plural(total, 'problem')} ({parts}) in {with_findings} of {_plural(files, 'file')}; {checked}."


def _severity_count(count: int, severity: str) -> str:
    return f"{count} {severity}" if severity == "information" else _plural(count, severity)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
