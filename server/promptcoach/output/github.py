"""GitHub Actions output: one workflow command per finding, which the runner turns into
an annotation on the pull request's diff::

    ::warning file=prompts/posts.prompt.md,line=3,col=1,endLine=3,endColumn=20,title=promptcoach (missing-detail)::message

Values are escaped as GitHub's toolkit escapes them (``%``, CR and LF in the message;
also ``:`` and ``,`` in properties), so a file name or message holding a line break
cannot start a workflow command of its own (``::add-mask::``, ``::error``). Other
control characters are written as text escapes first (``\\x1b``), as in text output.
Lines and columns are 1-based; information and hints become notices.
"""

from __future__ import annotations

from promptcoach.output.paths import printable
from promptcoach.output.report import FileReport

_LEVELS = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def render(reports: list[FileReport]) -> str:
    return "".join(render_file(report) for report in reports)


def render_file(report: FileReport) -> str:
    lines = []
    path = _property(report.path)
    for finding in report.all_findings():
        span = finding.range
        properties = (
            f"file={path},line={span.start_line + 1},col={span.start_character + 1},"
            f"endLine={span.end_line + 1},endColumn={span.end_character + 1},"
            f"title={_property(f'promptcoach ({finding.rule})')}"
        )
        message = _data(" ".join(finding.message.split()))
        lines.append(f"::{_LEVELS.get(finding.severity, 'notice')} {properties}::{message}\n")
    return "".join(lines)


def _data(text: str) -> str:
    """A command's message: line breaks and ``%`` encoded, other controls escaped."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def _property(text: str) -> str:
    """A command's property value: as a message, and ``:`` and ``,`` encoded."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
