"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

Regions are 1-based; columns count UTF-16 code units (SARIF's default
``columnKind``), the same units as the LSP ranges of the JSON report.
"""

from __future__ import annotations

from typing import NamedTuple

from promptcoach import __version__
from promptcoach.output.jsonfmt import dumps
from promptcoach.output.paths import uri_reference
from promptcoach.output.report import FileReport, FindingReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/promptcoach/promptcoach"
LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


class RuleInfo(NamedTuple):
    id: str
    description: str
    help_uri: str | None = None
    severity: str = "warning"
    summary: str | None = None


def render(reports: list[FileReport], rules: list[RuleInfo]) -> str:
    known = {rule.id: rule for rule in rules}
    for report in reports:  # a finding whose rule has no metadata still gets a descriptor
        for finding in report.all_findings():
            known.setdefault(finding.rule, RuleInfo(finding.rule, finding.rule))
    ordered = list(known.values())
    index = {rule.id: position for position, rule in enumerate(ordered)}
    results = [
        _result(report.path, finding, index[finding.rule]) for report in reports for finding in report.all_findings()
    ]
    run = {
        "tool": {
            "driver": {
                "name": "promptcoach",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule) for rule in ordered],
            }
        },
        "columnKind": "utf16CodeUnits",
        "artifacts": [{"location": {"uri": uri_reference(report.path)}} for report in reports],
        "results": results,
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return dumps(document, compact_depth=5) + "\n"


def _descriptor(rule: RuleInfo) -> dict:
    descriptor: dict = {
        "id": rule.id,
        "shortDescription": {"text": rule.description},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
    }
    if rule.summary:
        descriptor["fullDescription"] = {"text": rule.summary}
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    return descriptor


def _result(path: str, finding: FindingReport, rule_index: int) -> dict:
    span = finding.range
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri_reference(path)},
                    "region": {
                        "startLine": span.start_line + 1,
                        "startColumn": span.start_character + 1,
                        "endLine": span.end_line + 1,
                        "endColumn": span.end_character + 1,
                    },
                }
            }
        ],
    }
