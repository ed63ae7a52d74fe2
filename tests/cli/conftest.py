"""Fixtures for CLI tests; the helpers are in ``testkit.cli``."""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.cli import NOT_BACKEND, SPECIFIC_SCHEMA, VAGUE_SCHEMA, write  # noqa: F401 - used by the fixture


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project: vague and specific prompt files, a source file, an excluded folder."""
    write(tmp_path, "prompts/posts.prompt.md", "# Posts\n\n" + VAGUE_SCHEMA)
    write(tmp_path, "prompts/specific.prompt.md", SPECIFIC_SCHEMA)
    write(tmp_path, "src/app.py", "x = 1\n# prompt: API to get posts.\ny = 2\n")
    write(tmp_path, "node_modules/pkg/AGENTS.md", VAGUE_SCHEMA)
    write(tmp_path, "README.md", VAGUE_SCHEMA)  # not a prompt file by the default globs
    return tmp_path
