"""``--format github``: workflow commands that GitHub Actions turns into annotations,
escaped so that nothing a repository names can start a command of its own."""

from __future__ import annotations

import os

import pytest

from testkit.cli import run_cli

VAGUE = "Make a posts table.\n"


def test_one_annotation_per_finding_with_one_based_positions(tmp_path):
    (tmp_path / "posts.prompt.md").write_text("# Prompts\n\nCreate a users table and stuff.\n", encoding="utf-8")
    done = run_cli("check", "--format", "github", "posts.prompt.md", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("::warning file=posts.prompt.md,line=3,col=1,endLine=3,endColumn=")
    assert ",title=promptcoach (missing-detail)::Database schema" in lines[0]
    assert any(
        line.startswith("::notice file=posts.prompt.md,line=3,col=") and "(vague-term)::" in line for line in lines
    ), lines
    assert "Found" in done.stderr  # the summary, as with text output


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names")
def test_a_file_name_cannot_forge_a_workflow_command(tmp_path):
    name = "x\n::error file=a.py::forged\r\n::add-mask::tok,en:%0A\x1b]0;t\x07.prompt.md"
    (tmp_path / name).write_text(VAGUE, encoding="utf-8")
    done = run_cli("check", "--format", "github", name, cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert len(lines) == 1, lines  # one command: no line break from the name survives
    assert lines[0].startswith(
        "::warning file=x%0A%3A%3Aerror file=a.py%3A%3Aforged%0D%0A%3A%3Aadd-mask%3A%3A"
        "tok%2Cen%3A%250A\\x1b]0;t\\x07.prompt.md,line=1,"
    ), lines[0]
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout


def test_a_message_percent_is_encoded(tmp_path):
    (tmp_path / ".promptcoach.yaml").write_text("maxFileSize: 10\n", encoding="utf-8")
    (tmp_path / "big.prompt.md").write_text(VAGUE, encoding="utf-8")
    done = run_cli("check", "--format", "github", "big.prompt.md", cwd=tmp_path)
    assert done.stdout.startswith(
        "::notice file=big.prompt.md,line=1,col=1,endLine=1,endColumn=1,"
        "title=promptcoach (file-too-large)::Not checked: this file is 20 bytes"
    )


def test_escaping_follows_the_github_toolkit():
    from promptcoach.output.github import _data, _property

    assert _data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert _property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"
    assert _data("\x1b[2J\u202e") == "\\x1b[2J\\u202e"
