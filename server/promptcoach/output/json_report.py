"""The JSON report (docs/cli.md): every file, every extracted prompt, LSP ranges.

Layout: the envelope and each file are indented, each prompt is one line. The
prompts are written with format strings around ``json.dumps`` of the strings:
a large run has tens of thousands of prompts, and building a dict for each to
hand to the encoder costs several times more. Strings go through the encoder's own
C function (what ``json.dumps(s, ensure_ascii=False)`` ends up calling; then
:func:`~promptcoach.output.jsonfmt.protect`), lists of
ids are joined with ``json.dumps``'s separators. A file name that is not UTF-8 is
written with U+FFFD for its undecodable bytes (:func:`~promptcoach.output.paths.unicode_path`).
"""

from __future__ import annotations

from promptcoach.output.jsonfmt import json_string
from promptcoach.output.paths import unicode_path
from promptcoach.output.report import FileReport, FindingReport, PromptReport, Span

REPORT_VERSION = 1


def render(reports: list[FileReport]) -> str:
    files = ",\n".join(render_file(report) for report in reports)
    return f'{{\n  "version": {REPORT_VERSION},\n  "files": [{_block(files, "  ")}]\n}}\n'


def _block(body: str, indent: str) -> str:
    return f"\n{body}\n{indent}" if body else ""


def render_file(report: FileReport) -> str:
    """One file's entry of ``files``."""
    prompts = ",\n".join(f"        {_prompt(prompt)}" for prompt in report.prompts)
    findings = ",\n".join(f"        {_finding(finding)}" for finding in report.findings)
    file_findings = f',\n      "findings": [{_block(findings, "      ")}]' if findings else ""  # only when there are
    return (
        f'    {{\n      "path": {_str(unicode_path(report.path))},\n'
        f'      "prompts": [{_block(prompts, "      ")}]{file_findings}\n    }}'
    )


def _prompt(prompt: PromptReport) -> str:
    present, missing = prompt.present, prompt.missing
    findings = ", ".join(_finding(finding) for finding in prompt.findings)
    return (
        f'{{"range": {_range(prompt.range)}, "text": {_str(prompt.text)}, '
        f'"category": {_str(prompt.category) if prompt.category is not None else "null"}, '
        f'"kind": {_str(prompt.kind)}, '
        f'"details": {{"present": {_list(present)}, "missing": {_list(missing)}, '
        f'"inherited": {{{_inherited(prompt.inherited)}}}}}, '
        f'"score": {{"present": {len(present)}, "total": {len(present) + len(missing)}}}, '
        f'"findings": [{findings}]}}'
    )


def _inherited(inherited: tuple) -> str:
    return ", ".join(
        f'{_str(detail)}: {{"path": {_str(unicode_path(path))}, "line": {line}, "text": {_str(text)}}}'
        for detail, path, line, text in inherited
    )


def _finding(finding: FindingReport) -> str:
    return (
        f'{{"rule": {_str(finding.rule)}, "severity": {_str(finding.severity)}, '
        f'"message": {_str(finding.message)}, "range": {_range(finding.range)}}}'
    )


def _range(span: Span) -> str:
    start_line, start_character, end_line, end_character = span
    return (
        f'{{"start": {{"line": {start_line}, "character": {start_character}}}, '
        f'"end": {{"line": {end_line}, "character": {end_character}}}}}'
    )


_str = json_string  # (line separators and bidi overrides as \u escapes)


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(map(json_string, items)) + "]"
