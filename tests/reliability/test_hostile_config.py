"""A .promptcoach.yaml from a hostile repository: alias bombs and deep nesting end in one
line and exit status 2, at once (issue 16: a 500-byte file of nested aliases took minutes)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def check(root: Path) -> tuple[subprocess.CompletedProcess, float]:
    (root / "a.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "promptcoach", "check", "a.prompt.md"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, time.perf_counter() - start


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    lines = ["include:", "  - &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (tmp_path / ".promptcoach.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done, seconds = check(tmp_path)
    assert done.returncode == 2 and seconds < 10
    assert done.stderr.count("\n") == 1 and "aliases are expanded" in done.stderr


def test_deep_nesting_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / ".promptcoach.yaml").write_text("include: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    done, _ = check(tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_an_alias_that_holds_itself_is_refused(tmp_path):
    (tmp_path / ".promptcoach.yaml").write_text("include: &a [x, *a]\n", encoding="utf-8")
    done, _ = check(tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_extends_never_reads_a_file_outside_the_project(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow.yaml").write_text("root: hunter2-hash\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    for entry in ("../outside/shadow.yaml", str(outside / "shadow.yaml"), "//host/share/p.yaml"):
        (repo / ".promptcoach.yaml").write_text(f"extends: {entry!r}\n", encoding="utf-8")
        done, _ = check(repo)
        assert done.returncode == 2 and "outside the project" in done.stderr
        assert "hunter2" not in done.stderr + done.stdout


def test_extends_reads_a_file_of_the_same_repository(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "team").mkdir()
    (repo / "team" / "base.yaml").write_text("rules: {missing-detail: off}\n", encoding="utf-8")
    (repo / ".promptcoach.yaml").write_text("extends: team/base.yaml\n", encoding="utf-8")
    done, _ = check(repo)
    assert done.returncode == 0, done.stderr


def test_a_fifo_or_device_as_configuration_is_refused_unread(tmp_path):
    import os

    if not hasattr(os, "mkfifo"):
        return
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    os.mkfifo(repo / "team.yaml")
    (repo / ".promptcoach.yaml").write_text("extends: team.yaml\n", encoding="utf-8")
    done, seconds = check(repo)
    assert done.returncode == 2 and "not a regular file" in done.stderr and seconds < 10
    (repo / ".promptcoach.yaml").unlink()
    os.mkfifo(repo / ".promptcoach.yaml")  # no configuration file at all: checked with the defaults
    done, seconds = check(repo)
    assert done.returncode == 1 and seconds < 10


def test_a_long_extends_chain_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / ".git").mkdir()
    for i in range(1500):
        (tmp_path / f"c{i}.yaml").write_text(
            f"extends: c{i + 1}.yaml\n" if i < 1499 else "threshold: 0.5\n", encoding="utf-8"
        )
    (tmp_path / ".promptcoach.yaml").write_text("extends: c0.yaml\n", encoding="utf-8")
    done, seconds = check(tmp_path)
    assert done.returncode == 2 and seconds < 20
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert "more than 32 files extend one another" in done.stderr


def test_a_directory_tree_1500_deep_is_one_line_not_a_traceback(tmp_path):
    deep = tmp_path
    for _ in range(1500):  # os.makedirs recurses per level: one directory at a time
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "promptcoach", "check", "--format", "json", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        _remove_deep_tree(tmp_path / "d", deep)
    assert done.returncode == 2, done.stderr[-500:]
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert (
        done.stderr
        == "promptcoach: error: " + "d/" * 63 + "d: cannot read: more than 64 directories deep, not walked\n"
    )


def _remove_deep_tree(top: Path, deepest: Path) -> None:
    """Bottom up, one directory at a time (shutil.rmtree, as pytest's clean-up, recurses
    per level and fails on a tree this deep)."""
    (deepest / "x.prompt.md").unlink()
    directory = deepest
    while True:
        directory.rmdir()
        if directory == top:
            return
        directory = directory.parent


def test_globs_with_too_many_wildcards_are_refused_at_once(tmp_path):
    """200 globs of 148 ``*x`` each made a check of ten files take 35 s and 4 GB (the
    automaton runs every wildcard it has reached on each character of a path)."""
    (tmp_path / ".git").mkdir()
    glob = "**/*" + "*".join("ab" * 74) + "Z"
    lines = ["include:"] + [f"  - '{glob}'" for _ in range(200)]
    (tmp_path / ".promptcoach.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(3):
        (tmp_path / (("ab" * 125)[i:] + ".md")).write_text("x\n", encoding="utf-8")
    done, seconds = check(tmp_path)
    assert done.returncode == 2 and seconds < 10 and done.stderr.count("\n") == 1, done.stderr
    assert "wildcards (* and ?) in one list of globs; at most 128" in done.stderr


def test_a_list_at_the_wildcard_limit_checks_quickly(tmp_path):
    (tmp_path / ".git").mkdir()
    glob = "**/*" + "*".join("ab" * 7) + "Z"  # 16 wildcards
    lines = ["include:"] + [f"  - '{glob[:-1]}{chr(65 + i)}'" for i in range(8)]  # 128 in all
    (tmp_path / ".promptcoach.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(20):
        (tmp_path / (("ab" * 125)[i:] + ".md")).write_text("x\n", encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "promptcoach", "check", "."], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode in (0, 1), done.stderr
    assert time.perf_counter() - start < 10


def test_a_whole_number_written_as_a_float_is_a_number_of_its_own(tmp_path):
    """``maxProblems: 1.0`` passed the schema as an integer and reached the code as a
    float: a traceback (slice indices), exit 1."""
    (tmp_path / ".promptcoach.yaml").write_text("maxProblems: 1.0\nmaxFileSize: 1000.0\n", encoding="utf-8")
    (tmp_path / "a.prompt.md").write_text(
        "Make a fast, simple, nice, robust, clean endpoint somehow.\n", encoding="utf-8"
    )
    (tmp_path / "big.prompt.md").write_text("Make a posts table. " * 100 + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "promptcoach", "check", "."], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr
    assert "over the 1 KB limit" in done.stdout and "1000.0" not in done.stdout, done.stdout
