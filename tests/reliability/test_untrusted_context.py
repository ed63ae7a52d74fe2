"""Project context read from a repository that may be hostile: manifests and instruction
files are read only as regular files inside the root, bounded in size, never waiting on a
FIFO, never through a symbolic link out of the root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROMPT = "Make a posts table.\n"


def check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "promptcoach", "check", "--format", "json", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )


def details(done: subprocess.CompletedProcess) -> dict:
    return json.loads(done.stdout)["files"][0]["prompts"][0]["details"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "prompts").mkdir()
    (root / "prompts" / "posts.prompt.md").write_text(PROMPT, encoding="utf-8")
    return root


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_manifest_or_instruction_file_does_not_hang(project):
    os.mkfifo(project / "package.json")
    os.mkfifo(project / "AGENTS.md")
    done = check(project, "prompts/posts.prompt.md")
    assert done.returncode == 1, done.stderr  # the finding, nothing else
    assert details(done)["inherited"] == {}


def test_instruction_files_and_manifests_outside_the_root_are_not_read(project, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("Our database is PostgreSQL with Prisma; token ghp_outside_the_root.\n", encoding="utf-8")
    (project / "AGENTS.md").symlink_to(outside)
    (project / "requirements.txt").symlink_to(outside)
    done = check(project, "prompts/posts.prompt.md")
    assert details(done)["inherited"] == {}
    assert "outside_the_root" not in done.stdout + done.stderr


def test_an_oversized_instruction_file_is_not_read(project):
    (project / "AGENTS.md").write_text("We use PostgreSQL.\n" + "x" * 400_000 + "\n", encoding="utf-8")
    done = check(project, "prompts/posts.prompt.md")
    assert details(done)["inherited"] == {}


def test_an_instruction_file_inside_the_root_is_read(project):
    (project / "AGENTS.md").write_text("We use PostgreSQL.\n", encoding="utf-8")
    assert details(check(project, "prompts/posts.prompt.md"))["inherited"]["technology"]["path"] == "AGENTS.md"


def test_a_walk_reads_no_symlinked_prompt_file(project, tmp_path):
    outside = tmp_path / "token.txt"
    outside.write_text("Make a posts table with the token ghp_outside_the_root.\n", encoding="utf-8")
    (project / "prompts" / "x.prompt.md").symlink_to(outside)
    (project / "AGENTS.md").symlink_to(project / ".git")  # a link into .git, as `ln -s .git/config AGENTS.md`
    done = check(project, ".")
    paths = [file["path"] for file in json.loads(done.stdout)["files"]]
    assert paths == ["prompts/posts.prompt.md"]
    assert "outside_the_root" not in done.stdout + done.stderr


def test_control_characters_in_file_names_are_escaped_in_text_output(project):
    name = "evil\x1b]0;pwned\x07\n::error::forged.prompt.md"
    (project / "prompts" / name).write_text(PROMPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "promptcoach", "check", "."], cwd=project, capture_output=True, text=True, timeout=60
    )
    output = done.stdout + done.stderr
    assert "\x1b" not in output and "\x07" not in output
    assert not any(line.startswith("::error") for line in output.splitlines())
    assert "evil\\x1b]0;pwned\\x07\\n::error::forged.prompt.md:1:1: warning [missing-detail]" in done.stdout


def test_deeply_nested_manifests_are_skipped_not_a_traceback(project):
    (project / "package.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (project / "pyproject.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    done = check(project, "prompts/posts.prompt.md")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
