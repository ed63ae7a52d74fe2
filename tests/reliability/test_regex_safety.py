"""User-written patterns cannot stall Prompt Coach.

A knowledge pack (in ``.promptcoach.yaml`` or a pack it extends) with a
catastrophic-backtracking pattern is rejected with ``file:line: reason``; a
safe pack next to a hostile prompt (``"a" * 50 + "!"``) is analysed fast. Both
through the engine API and through the CLI.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from promptcoach.engine.config import create_engine, load_config
from promptcoach.engine.knowledge.safe_regex import UnsafePattern, check_pattern
from promptcoach.engine.yamldata import DataError

EVIL_PATTERNS = [
    "(a+)+$",
    "(a*)*b",
    "(a|aa)+$",
    "(a|a?)+$",
    r"(\w+\s?)*$",
    "(.*a){20}",
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
    r"(a+)\1",
    "(?P<x>a)",
    "x" * 300,
    "(unclosed",
]
HOSTILE_TEXT = "a" * 50 + "!"
FAST = 2.0  # seconds; backtracking on (a+)+$ with 50 a's would take longer than the universe


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
    (root / "hostile.prompt.md").write_text(f"Make a table for {HOSTILE_TEXT}\n\n{HOSTILE_TEXT}\n", encoding="utf-8")
    return config


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "promptcoach", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("pattern", EVIL_PATTERNS)
def test_safe_regex_rejects(pattern):
    with pytest.raises(UnsafePattern):
        check_pattern(pattern)


@pytest.mark.parametrize("pattern", EVIL_PATTERNS[:6])
def test_config_with_catastrophic_pattern_is_rejected_with_its_line(tmp_path, pattern):
    config = write_project(tmp_path, pattern)
    with pytest.raises(DataError) as caught:
        load_config(config)
    message = str(caught.value)
    assert message.startswith(str(config)) and ":" in message
    assert caught.value.line is not None and 5 <= caught.value.line <= 7, message


def test_pack_file_with_catastrophic_pattern_is_rejected(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "evil.yaml").write_text(
        "categories:\n  - id: api-endpoint\n    details:\n      - id: route\n        patterns: ['(a+)+$']\n", encoding="utf-8"
    )
    config = tmp_path / ".promptcoach.yaml"
    config.write_text("extends: packs/evil.yaml\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_config(config)
    assert "evil.yaml" in str(caught.value)


def test_cli_rejects_catastrophic_pattern_quickly(tmp_path):
    write_project(tmp_path, "(a+)+$")
    started = time.perf_counter()
    result = cli("check", "hostile.prompt.md", cwd=tmp_path)
    elapsed = time.perf_counter() - started
    assert result.returncode == 2, result
    assert ".promptcoach.yaml:" in result.stderr and "quantifier" in result.stderr, result.stderr
    assert elapsed < 30


def test_safe_pack_on_hostile_text_is_fast_through_the_engine(tmp_path):
    config = write_project(tmp_path, "edge ?ql")
    engine = create_engine(load_config(config))
    engine.analyze("warm up", "x.prompt.md")
    started = time.perf_counter()
    for text in (HOSTILE_TEXT, HOSTILE_TEXT * 1000, ("a" * 50 + " ") * 2000 + "!", "Make a " + "a" * 100_000 + "! table"):
        engine.analyze(text, "hostile.prompt.md")
        engine.analyze(f"# prompt: {text}\n", "hostile.py")
    assert time.perf_counter() - started < FAST * 5


def test_bounded_pattern_that_is_allowed_stays_linear(tmp_path):
    """The subset allows bounded repeats; the worst of them stays cheap."""
    config = write_project(tmp_path, r"(?:\w{1,30} ){0,3}a")
    engine = create_engine(load_config(config))
    started = time.perf_counter()
    engine.analyze(("a" * 29 + " ") * 5000 + "!", "hostile.prompt.md")
    assert time.perf_counter() - started < FAST * 5


def test_cli_with_safe_pack_on_hostile_text(tmp_path):
    write_project(tmp_path, "edge ?ql")
    result = cli("check", "hostile.prompt.md", "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert '"version": 1' in result.stdout


def test_editor_markers_are_not_regexes(tmp_path):
    """Markers come from editor settings and config: they are matched literally."""
    config = tmp_path / ".promptcoach.yaml"
    config.write_text("markers: ['(a+)+$', 'prompt:']\n", encoding="utf-8")
    engine = create_engine(load_config(config))
    started = time.perf_counter()
    analysis = engine.analyze(f"# {HOSTILE_TEXT}\n# (a+)+$ make a users table\n", "x.py")
    assert time.perf_counter() - started < FAST
    assert [p.prompt.text for p in analysis.prompts] == ["make a users table"]
