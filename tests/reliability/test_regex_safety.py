"""User-written patterns cannot stall Prompt Coach (issue 16).

Patterns of a knowledge pack (in ``.promptcoach.yaml`` or a pack it extends) run on
RE2, in time linear in the text: a pattern that backtracks catastrophically in
Python's ``re`` is analysed fast on hostile text, through the engine and the CLI
(the server: tests/reliability/test_untrusted_workspace.py). A pattern RE2 cannot run
is refused with ``file:line: reason``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from promptcoach.engine.config import create_engine, load_config
from promptcoach.engine.yamldata import DataError

# Patterns that backtrack catastrophically in a backtracking engine: on RE2 they run in
# linear time, so a pack may hold them (issue 16: the three last ones passed the old
# home-made checker and still hung the CLI and the server on a 103-character prompt).
CATASTROPHIC = [
    "(a+)+$",
    "(a*)*b",
    "(a|aa)+$",
    "(a|a?)+$",
    r"(\w+\s?)*$",
    "(.*a){20}",
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
    ".*.*.*.*.*.*.*.*.*.*!",
    r"\w*" * 16 + "!",
]
# Not patterns RE2 runs: refused with file:line and RE2's reason.
REFUSED = [
    (r"(a+)\1", "invalid escape sequence"),
    (r"(?<=a)b", "invalid perl operator"),
    (r"(?:(?:\w{1,60}){1,60}){1,60}!", "invalid repetition size"),
    ("(unclosed", "missing )"),
    ("x" * 300, "patterns[0]"),  # the schema stops it first (at most 200 characters)
]
HOSTILE_PROMPT = "Make a posts table for " + "a" * 80  # 103 characters, no '!' anywhere
HOSTILE_TEXT = "a" * 50 + "!"
FAST = 2.0  # seconds


def config_with_pattern(pattern: str) -> str:
    quoted = "'" + pattern.replace("'", "''") + "'"
    return (
        "knowledge:\n"
        "  categories:\n"
        "    - id: database-schema\n"
        "      details:\n"
        "        - id: technology\n"
        "          terms: [EdgeDB]\n"
        f"          patterns: [{quoted}]\n"
    )


def write_project(root: Path, pattern: str) -> Path:
    config = root / ".promptcoach.yaml"
    config.write_text(config_with_pattern(pattern), encoding="utf-8")
    (root / "hostile.prompt.md").write_text(f"{HOSTILE_PROMPT}\n\n{HOSTILE_TEXT}\n", encoding="utf-8")
    return config


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "promptcoach", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_pattern_runs_in_linear_time_through_the_engine(tmp_path, pattern):
    engine = create_engine(load_config(write_project(tmp_path, pattern)))
    engine.analyze("warm up", "x.prompt.md")
    started = time.perf_counter()
    for text in (HOSTILE_PROMPT, "Make a posts table for " + "a" * 100_000, ("a" * 50 + " ") * 2000 + "?"):
        engine.analyze(text, "hostile.prompt.md")
        engine.analyze(f"# prompt: {text}\n", "hostile.py")
    assert time.perf_counter() - started < FAST * 5


@pytest.mark.parametrize("pattern", CATASTROPHIC[-2:])
def test_the_cli_is_not_held_up_by_a_catastrophic_pattern(tmp_path, pattern):
    write_project(tmp_path, pattern)
    started = time.perf_counter()
    result = cli("check", "--format", "json", "hostile.prompt.md", cwd=tmp_path, timeout=20)
    assert time.perf_counter() - started < 15
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""  # RE2 logs nothing of its own
    assert '"missing-detail"' in result.stdout


def test_a_user_pattern_still_finds_its_detail(tmp_path):
    """RE2 runs the pack's pattern case-insensitively, as built-in patterns run."""
    engine = create_engine(load_config(write_project(tmp_path, r"\bedge ?ql\b")))
    analysis = engine.analyze("Make a posts table in EdgeQL with an id and a title.", "p.prompt.md")
    assert "technology" in analysis.prompts[0].classification.present


@pytest.mark.parametrize("pattern, reason", REFUSED)
def test_a_pattern_re2_cannot_run_is_refused_with_its_line(tmp_path, pattern, reason):
    config = write_project(tmp_path, pattern)
    with pytest.raises(DataError) as caught:
        load_config(config)
    message = str(caught.value)
    assert message.startswith(str(config)) and reason in message, message
    assert caught.value.line is not None and 5 <= caught.value.line <= 7, message


def test_pack_file_with_a_refused_pattern_names_the_pack(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "evil.yaml").write_text(
        "categories:\n  - id: api-endpoint\n    details:\n      - id: route\n        patterns: ['(a)\\1']\n",
        encoding="utf-8",
    )
    config = tmp_path / ".promptcoach.yaml"
    config.write_text("extends: packs/evil.yaml\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_config(config)
    assert "evil.yaml" in str(caught.value)


def test_cli_reports_a_refused_pattern_as_a_configuration_error(tmp_path):
    write_project(tmp_path, r"(?<=a)b")
    result = cli("check", "hostile.prompt.md", cwd=tmp_path)
    assert result.returncode == 2, result
    assert ".promptcoach.yaml:" in result.stderr and "RE2" in result.stderr, result.stderr


def test_editor_markers_are_not_regexes(tmp_path):
    """Markers come from editor settings and config: they are matched literally."""
    config = tmp_path / ".promptcoach.yaml"
    config.write_text("markers: ['(a+)+$', 'prompt:']\n", encoding="utf-8")
    engine = create_engine(load_config(config))
    started = time.perf_counter()
    analysis = engine.analyze(f"# {HOSTILE_TEXT}\n# (a+)+$ make a users table\n", "x.py")
    assert time.perf_counter() - started < FAST
    assert [p.prompt.text for p in analysis.prompts] == ["make a users table"]


def test_the_server_answers_with_a_catastrophic_pattern_in_the_workspace(tmp_path):
    """Opening the folder and the prompt: diagnostics come, and a later request is answered."""
    from lspfuzz import RawClient

    write_project(tmp_path, CATASTROPHIC[-2])
    client = RawClient(tmp_path)
    try:
        client.initialize(tmp_path)
        uri = (tmp_path / "hostile.prompt.md").as_uri()
        text = (tmp_path / "hostile.prompt.md").read_text(encoding="utf-8")
        client.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}
        )
        started = time.perf_counter()
        answer = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout=15)
        assert "missing-detail" in [d["code"] for d in answer["result"]["items"]]
        hover = client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}}, timeout=15
        )
        assert "error" not in hover
        assert time.perf_counter() - started < 10
    finally:
        client.close()
