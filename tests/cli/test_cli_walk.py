"""`promptcoach check DIR`: which walked files are checked, and how (prompt file or
source), is decided for each file as the editor decides it, whatever directory the
command names; paths that cannot be walked or read are errors."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from testkit.cli import VAGUE_SCHEMA, run_cli, unprivileged, write

MARKED = "# prompt: Make a posts table.\n"
PROJECT_CONFIG = (
    'include: ["docs/prompts/**/*.md", ".cursor/rules/*.mdc", ".github/copilot-instructions.md"]\n'
    'exclude: ["docs/prompts/old/**", "legacy/**"]\n'
)


def prompts_by_file(*args: str, cwd: Path) -> dict[str, int]:
    """``check --format json ARGS``: the number of prompts found in each checked file."""
    done = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return {entry["path"]: len(entry["prompts"]) for entry in json.loads(done.stdout)["files"]}


@pytest.fixture
def configured(tmp_path: Path) -> Path:
    """A project whose ``.promptcoach.yaml`` has relative include and exclude globs."""
    write(tmp_path, ".promptcoach.yaml", PROJECT_CONFIG)
    write(tmp_path, "docs/prompts/a.md", VAGUE_SCHEMA)
    write(tmp_path, "docs/prompts/old/b.md", VAGUE_SCHEMA)
    write(tmp_path, "docs/guide.md", "Some prose.\n")
    write(tmp_path, "legacy/y.py", MARKED)
    write(tmp_path, "src/legacy/z.py", MARKED)
    return tmp_path


@pytest.mark.parametrize("flags", [[], ["--no-config"]])
def test_default_globs_see_a_subdirectory_as_the_whole_walk_does(tmp_path, flags):
    for index in range(3):
        write(tmp_path, f"prompts/p{index}.md", "Make a posts table.\n\n- Add user login.\n")
    write(tmp_path, "prompts/sub/q.md", "Make a posts table.\n")
    whole = prompts_by_file(*flags, ".", cwd=tmp_path)
    assert whole == {"prompts/p0.md": 2, "prompts/p1.md": 2, "prompts/p2.md": 2, "prompts/sub/q.md": 1}
    assert prompts_by_file(*flags, "prompts", cwd=tmp_path) == whole
    assert prompts_by_file(*flags, "prompts/", cwd=tmp_path) == whole
    inside = prompts_by_file(*flags, ".", cwd=tmp_path / "prompts")
    assert inside == {path.removeprefix("prompts/"): count for path, count in whole.items()}
    assert prompts_by_file(*flags, "sub", cwd=tmp_path / "prompts") == {"sub/q.md": 1}


def test_config_includes_are_relative_to_the_config_file(configured):
    assert prompts_by_file(".", cwd=configured)["docs/prompts/a.md"] == 1
    assert prompts_by_file("docs", cwd=configured) == {"docs/guide.md": 0, "docs/prompts/a.md": 1}
    assert prompts_by_file("prompts", cwd=configured / "docs") == {"prompts/a.md": 1}
    assert prompts_by_file(".", cwd=configured / "docs" / "prompts") == {"a.md": 1}


def test_config_excludes_are_relative_to_the_config_file(configured):
    whole = prompts_by_file(".", cwd=configured)
    assert "docs/prompts/old/b.md" not in whole and "legacy/y.py" not in whole
    assert whole["src/legacy/z.py"] == 1  # legacy/** is the top-level legacy, not src/legacy
    assert "docs/prompts/old/b.md" not in prompts_by_file("docs", cwd=configured)
    assert prompts_by_file("docs/prompts/old", cwd=configured) == {}
    assert prompts_by_file("src", cwd=configured) == {"src/legacy/z.py": 1}
    legacy = run_cli("check", "legacy", cwd=configured)
    assert legacy.returncode == 0 and legacy.stdout == ""
    assert "no prompt files or source files found in legacy" in legacy.stderr
    assert prompts_by_file(".", cwd=configured / "legacy") == {}


def test_a_nested_config_rules_its_directory_in_any_walk(configured):
    """The editor uses the nearest configuration file of each document; so does a walk."""
    write(configured, "packages/web/.promptcoach.yaml", 'include: ["notes/*.md"]\nexclude: ["legacy/**"]\n')
    write(configured, "packages/web/notes/n.md", VAGUE_SCHEMA)
    write(configured, "packages/web/legacy/old.py", MARKED)
    write(configured, "packages/web/docs/prompts/c.md", VAGUE_SCHEMA)  # the outer include is not in force here
    expected = {"packages/web/.promptcoach.yaml": 0, "packages/web/notes/n.md": 1, "packages/web/docs/prompts/c.md": 0}
    whole = prompts_by_file(".", cwd=configured)
    assert {path: count for path, count in whole.items() if path.startswith("packages/")} == expected
    assert prompts_by_file("packages", cwd=configured) == expected
    inside = prompts_by_file("web", cwd=configured / "packages")
    assert inside == {path.removeprefix("packages/"): count for path, count in expected.items()}


def test_an_explicit_config_file_is_the_base_of_its_globs(configured):
    write(configured, "conf/pc.yaml", 'include: ["docs/*.md"]\nexclude: ["legacy/**"]\n')
    write(configured, "conf/docs/other.md", VAGUE_SCHEMA)
    write(configured, "conf/legacy/x.py", MARKED)
    assert prompts_by_file("--config", "conf/pc.yaml", "conf/docs", "conf/legacy", cwd=configured) == {
        "conf/docs/other.md": 1
    }
    assert prompts_by_file("--config", "pc.yaml", "docs", cwd=configured / "conf") == {"docs/other.md": 1}


def test_the_walk_decides_every_file_as_the_editor_does(configured):
    """For each walked file, the CLI's verdict (skipped, prompt file, source file) is the
    language server's for the same file, whichever directory is walked."""
    from promptcoach.engine.extract import document_kind
    from promptcoach.lsp.server import create_server

    write(configured, "packages/web/.promptcoach.yaml", 'include: ["notes/*.md"]\n')
    write(configured, "packages/web/notes/n.md", VAGUE_SCHEMA)
    write(configured, ".cursor/rules/db.mdc", VAGUE_SCHEMA)
    server = create_server()
    files = [path for path in configured.rglob("*") if path.is_file()]
    editor = {}
    for path in files:
        kind = document_kind(str(path), None, server.engine_for(str(path)).settings)
        if kind is not None:
            editor[path.relative_to(configured).as_posix()] = kind
    for walked in (".", "docs", "docs/prompts", "src", "legacy", "packages", "packages/web/notes", ".cursor"):
        found = prompts_by_file(walked, cwd=configured)
        shown = {path.removeprefix("./"): count for path, count in found.items()}
        expected = {path for path in editor if walked == "." or path.startswith(walked + "/")}
        assert set(shown) == expected, walked
        for path in expected:  # a marked comment is a prompt of a source file, a paragraph of a prompt file
            has_prompts = editor[path] == ("source" if path.endswith(".py") else "prompt")
            assert (shown[path] > 0) == has_prompts, (walked, path)


def test_paths_are_shown_as_given(configured):
    found = prompts_by_file("./docs/../docs", str(configured / "src"), cwd=configured)
    assert set(found) == {"./docs/../docs/guide.md", "./docs/../docs/prompts/a.md", f"{configured}/src/legacy/z.py"}


def test_a_checkout_in_a_directory_named_build_is_checked(tmp_path):
    """No configuration file: the default ``**/build/**`` excludes build/ inside the
    repository, not the directory the repository was checked out in."""
    repo = tmp_path / "build" / "repo"
    write(repo, ".git/HEAD", "ref: refs/heads/main\n")
    write(repo, "prompts/a.md", VAGUE_SCHEMA)
    write(repo, "build/out.prompt.md", VAGUE_SCHEMA)
    assert prompts_by_file(".", cwd=repo) == {"prompts/a.md": 1}
    assert prompts_by_file("prompts", cwd=repo) == {"prompts/a.md": 1}


def assert_error(done, *lines: str) -> None:
    """Exit status 2, these error lines on stderr, nothing (half-)printed on stdout."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"promptcoach: error: {line}" for line in lines]


def permissions_bite() -> list[str]:
    """The command prefix under which ``chmod 000`` makes a file unreadable (skip without one)."""
    prefix = unprivileged()
    if prefix is None:
        pytest.skip("file permissions cannot be made to apply here (root without setpriv)")
    return prefix


@pytest.fixture
def locked(tmp_path: Path):
    """``ok/a.prompt.md`` and ``locked/b.prompt.md`` in a directory of mode 000."""
    write(tmp_path, "ok/a.prompt.md", VAGUE_SCHEMA)
    write(tmp_path, "locked/b.prompt.md", VAGUE_SCHEMA)
    (tmp_path / "locked").chmod(0)
    yield tmp_path
    (tmp_path / "locked").chmod(0o755)


@pytest.mark.parametrize("flags", [[], ["--no-config"]])
def test_an_unreadable_directory_named_on_the_command_line_is_an_error(locked, flags):
    prefix = permissions_bite()
    for paths in (["locked"], ["ok", "locked"], ["locked/"], [str(locked / "locked")]):
        done = run_cli("check", *flags, *paths, cwd=locked, prefix=prefix)
        assert_error(done, f"{paths[-1]}: cannot read: Permission denied")


def test_a_path_under_an_unreadable_directory_is_an_error(locked):
    prefix = permissions_bite()
    done = run_cli("check", "ok", "locked/b.prompt.md", cwd=locked, prefix=prefix)
    assert_error(done, "locked/b.prompt.md: cannot read: Permission denied")
    done = run_cli("check", "locked/sub", cwd=locked, prefix=prefix)
    assert_error(done, "locked/sub: cannot read: Permission denied")


def test_a_directory_that_can_be_listed_but_not_entered_is_an_error(tmp_path):
    prefix = permissions_bite()
    write(tmp_path, "half/a.prompt.md", VAGUE_SCHEMA)
    (tmp_path / "half").chmod(0o444)
    try:
        done = run_cli("check", "half", cwd=tmp_path, prefix=prefix)
    finally:
        (tmp_path / "half").chmod(0o755)
    assert_error(done, "half: cannot read: Permission denied")


def test_an_unreadable_directory_met_in_a_walk_is_an_error(locked):
    prefix = permissions_bite()
    write(locked, "ok/deeper/c.prompt.md", VAGUE_SCHEMA)
    (locked / "ok" / "deeper").chmod(0)
    try:
        assert_error(
            run_cli("check", ".", cwd=locked, prefix=prefix),
            "locked: cannot read: Permission denied",
            "ok/deeper: cannot read: Permission denied",
        )
        assert_error(
            run_cli("check", "--no-config", "ok", cwd=locked, prefix=prefix),
            "ok/deeper: cannot read: Permission denied",
        )
        assert_error(
            run_cli("check", "--format", "json", ".", cwd=locked / "ok", prefix=prefix),
            "deeper: cannot read: Permission denied",
        )
    finally:
        (locked / "ok" / "deeper").chmod(0o755)


def test_an_excluded_unreadable_directory_is_not_entered_so_no_error(locked):
    prefix = permissions_bite()
    write(locked, ".promptcoach.yaml", "exclude: [locked]\n")
    done = run_cli("check", ".", cwd=locked, prefix=prefix)
    assert done.returncode == 1 and "ok/a.prompt.md:1:1" in done.stdout, done.stderr


def test_a_symlink_loop_named_on_the_command_line_is_named_as_such(tmp_path):
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    for name in ("loop1", "loop1/a.prompt.md"):
        assert_error(run_cli("check", name, cwd=tmp_path), f"{name}: Too many levels of symbolic links")
    write(tmp_path, "a.prompt.md", VAGUE_SCHEMA)
    walked = run_cli("check", ".", cwd=tmp_path)  # in a walk, a link to nothing readable is no file
    assert walked.returncode == 1 and walked.stdout.startswith("a.prompt.md:1:1:"), walked.stderr
    assert "loop" not in walked.stdout + walked.stderr


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")


@needs_fifo
def test_a_named_fifo_or_device_is_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "f.prompt.md")  # opening it for reading would wait for a writer forever
    (tmp_path / "link.prompt.md").symlink_to("f.prompt.md")
    for name in ("f.prompt.md", "link.prompt.md", os.devnull):
        assert_error(run_cli("check", name, cwd=tmp_path, timeout=30), f"{name}: not a regular file")


@needs_fifo
def test_a_walk_skips_fifos_and_sockets(tmp_path):
    import socket

    write(tmp_path, "a.prompt.md", VAGUE_SCHEMA)
    os.mkfifo(tmp_path / "f.prompt.md")
    (tmp_path / "link.prompt.md").symlink_to("f.prompt.md")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.prompt.md"))
        done = run_cli("check", "--format", "json", ".", cwd=tmp_path, timeout=30)
    finally:
        server.close()
    assert done.returncode == 1, done.stderr
    assert [entry["path"] for entry in json.loads(done.stdout)["files"]] == ["a.prompt.md"]


@needs_fifo
def test_reading_a_fifo_does_not_wait_for_a_writer(tmp_path):
    """A walked file that has become a FIFO since it was listed is not read either."""
    from promptcoach import batch

    fifo = tmp_path / "f.prompt.md"
    os.mkfifo(fifo)
    release = threading.Timer(3, _open_and_close_for_writing, [fifo])  # so that a reader that waits fails, not hangs
    release.start()
    try:
        with pytest.raises(batch.InputError, match=r"^f\.prompt\.md: not a regular file$"):
            batch.read_file(str(fifo), "f.prompt.md", 1_000_000)
    finally:
        release.cancel()


def _open_and_close_for_writing(fifo: Path) -> None:
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:  # nobody is reading it
        pass
