"""relative_inside: the one test of "is this resolved path inside the root" that the
project context and the safe readers share."""

from __future__ import annotations

import os

from promptcoach.engine.safe_files import inside, relative_inside


def test_paths_inside_the_root_are_given_relative():
    assert relative_inside("/repo", "/repo") == "."
    assert relative_inside("/repo/AGENTS.md", "/repo") == "AGENTS.md"
    assert relative_inside("/repo/a/b.md", "/repo/") == "a/b.md"
    assert relative_inside("/etc/passwd", "/") == "etc/passwd"


def test_a_sibling_sharing_the_prefix_is_outside():
    assert relative_inside("/repository/x.md", "/repo") is None
    assert relative_inside("/", "/repo") is None


def test_inside_resolves_links_before_asking(tmp_path):
    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    (tmp_path / "secret").write_text("x")
    os.symlink(tmp_path / "secret", root / "docs" / "link.md")
    assert inside(root / "docs", root)
    assert not inside(root / "docs" / "link.md", root)
    assert not inside(tmp_path, root)
