"""`promptcoach check --format sarif`: SARIF 2.1.0 for code-scanning tools."""

from __future__ import annotations

import json

from promptcoach.engine.rules import rule_ids
from testkit.cli import run_cli

LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def test_sarif_log_structure_and_locations(project):
    sarif_run = run_cli("check", "--no-config", "--format", "sarif", ".", cwd=project)
    json_run = run_cli("check", "--no-config", "--format", "json", ".", cwd=project)
    assert sarif_run.returncode == json_run.returncode == 1
    log = json.loads(sarif_run.stdout)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "promptcoach"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert {"missing-detail", "vague-term", "hardcoded-secret"} <= set(rules)
    assert [rule["id"] for rule in driver["rules"]] == list(rule_ids())  # the registry's order
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
        assert rule["helpUri"].endswith(f"/knowledge/rules/{rule['id']}.md")

    expected = [
        (file["path"], finding)
        for file in json.loads(json_run.stdout)["files"]
        for prompt in file["prompts"]
        for finding in prompt["findings"]
    ]
    assert len(run["results"]) == len(expected) > 0
    results = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
            r["level"],
            r["message"]["text"],
        )
        for r in run["results"]
    }
    for path, finding in expected:
        start = finding["range"]["start"]
        key = (
            path,
            start["line"] + 1,
            start["character"] + 1,
            finding["rule"],
            LEVELS[finding["severity"]],
            finding["message"],
        )
        assert key in results
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"]) >= (1, 1)


def test_information_maps_to_note(tmp_path):
    (tmp_path / "a.prompt.md").write_text("Get stock price data and stuff.\n", encoding="utf-8")
    log = json.loads(run_cli("check", "--no-config", "--format", "sarif", "a.prompt.md", cwd=tmp_path).stdout)
    levels = {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]}
    assert ("vague-term", "note") in levels
    assert ("missing-detail", "warning") in levels


def test_clean_run_is_a_valid_empty_log(tmp_path):
    (tmp_path / "ui.prompt.md").write_text("Make the navbar sticky.\n", encoding="utf-8")
    done = run_cli("check", "--no-config", "--format", "sarif", "ui.prompt.md", cwd=tmp_path)
    assert done.returncode == 0
    log = json.loads(done.stdout)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"]  # rules are described even with no results


def test_paths_with_spaces_are_uri_escaped(tmp_path):
    (tmp_path / "my prompts").mkdir()
    (tmp_path / "my prompts" / "a b.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    log = json.loads(run_cli("check", "--no-config", "--format", "sarif", "my prompts", cwd=tmp_path).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"my%20prompts/a%20b.prompt.md"}
