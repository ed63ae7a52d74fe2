"""The pre-commit hook (``.pre-commit-hooks.yaml``): its ``files`` pattern selects what
the default include globs and the comment languages select, and the real ``pre-commit``
runs it from this repository against a Git repository of its own (``try-repo``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from promptcoach.engine.extract.languages import language_table
from promptcoach.engine.globs import GlobSet
from promptcoach.engine.settings import DEFAULT_INCLUDE

ROOT = Path(__file__).resolve().parents[2]
HOOK = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
FILES = re.compile(HOOK["files"])
PROMPT_FILES = [
    "x.prompt.md",
    "a/b.prompt",
    "c.prompt.txt",
    "api.instructions.md",
    ".github/copilot-instructions.md",
    "AGENTS.md",
    "sub/CLAUDE.md",
    "GEMINI.md",
    ".cursorrules",
    ".cursor/rules/api.mdc",
    "prompts/a.md",
    "docs/prompts/deep/b.md",
]
OTHER_FILES = ["README.md", "docs/guide.md", "agents.md", "notes.txt", "image.png", "data.csv", "rules/api.mdc"]


def test_the_files_pattern_matches_the_default_prompt_files_and_no_others():
    include = GlobSet(DEFAULT_INCLUDE)
    for path in PROMPT_FILES:
        assert include.match(path), path  # the samples are prompt files by the default globs
        assert FILES.search(path), path
    for path in OTHER_FILES:  # (Markdown outside the globs: a walk reads only its marked comments,
        # but a file named on the command line is a prompt file, so the hook leaves it out)
        assert not include.match(path), path
        assert not FILES.search(path), path


def test_the_files_pattern_matches_every_comment_language():
    table = language_table()
    markdown = {"md", "markdown", "mdx", "mdc"}  # named on the command line, read as prompt files
    for extension in set(table.by_extension) - markdown:
        assert FILES.search(f"src/x.{extension}"), extension
        assert FILES.search(f"src/X.{extension.upper()}"), extension
    for name in table.by_filename:
        assert FILES.search(f"sub/{name}"), name


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid",
        },
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo_fails_on_a_vague_prompt_and_passes_a_good_one(tmp_path):
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "prompts").mkdir()
    (repo / "prompts" / "vague.prompt.md").write_text("# Tasks\n\nMake a posts table.\n", encoding="utf-8")
    (repo / "prompts" / "good.prompt.md").write_text(
        "Using Prisma with PostgreSQL, create a `Post` model with the fields id (UUID, primary key), "
        "title (String, required, max 200 characters) and createdAt (DateTime, default now); each post "
        "belongs to a User through authorId (foreign key, cascade on delete).\n",
        encoding="utf-8",
    )
    (repo / "README.md").write_text("Make a posts table.\n", encoding="utf-8")  # not a prompt file
    _git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def try_repo(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(ROOT), "promptcoach", "--files", *files],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )

    failed = try_repo("prompts/vague.prompt.md", "README.md")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "prompts/vague.prompt.md:3:1: warning [missing-detail]" in failed.stdout, failed.stdout
    assert "README.md" not in failed.stdout  # not a prompt file: pre-commit does not pass it
    passed = try_repo("prompts/good.prompt.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
