"""`promptcoach check` output as bytes: file names that are not UTF-8, write errors, closed pipes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.cli import VAGUE_SCHEMA

BAD_NAME = b"\xffbad.prompt.md"  # a file name that is not UTF-8 (one byte 0xFF)


def run_raw(*args: str | bytes, cwd: Path, **streams) -> subprocess.CompletedProcess:
    """``python -m promptcoach ARGS`` with stdout and stderr as bytes (or the given streams)."""
    streams = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    return subprocess.run([sys.executable, "-m", "promptcoach", *args], cwd=cwd, timeout=120, **streams)


@pytest.fixture
def bad_name(tmp_path: Path) -> Path:
    """A directory holding one vague prompt file whose name is not valid UTF-8."""
    try:
        with open(os.path.join(os.fsencode(tmp_path), BAD_NAME), "wb") as handle:
            handle.write(VAGUE_SCHEMA.encode("utf-8"))
    except (OSError, UnicodeError):
        pytest.skip("this file system only takes UTF-8 file names")
    return tmp_path


# --- file names that are not UTF-8 ------------------------------------------------------------


@pytest.mark.parametrize("named", [False, True], ids=["walked", "named"])
def test_json_report_of_a_non_utf8_file_name_is_valid_utf8_json(bad_name, named):
    done = run_raw("check", "--no-config", "--format", "json", BAD_NAME if named else ".", cwd=bad_name)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout.decode("utf-8"))  # strict: valid UTF-8, valid JSON
    [entry] = report["files"]
    assert entry["path"] == "\ufffdbad.prompt.md"  # each byte that is not UTF-8 is U+FFFD
    assert entry["prompts"][0]["findings"]


@pytest.mark.parametrize("named", [False, True], ids=["walked", "named"])
def test_sarif_uri_of_a_non_utf8_file_name_percent_encodes_its_bytes(bad_name, named):
    done = run_raw("check", "--no-config", "--format", "sarif", BAD_NAME if named else ".", cwd=bad_name)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    [run] = json.loads(done.stdout.decode("utf-8"))["runs"]
    assert [artifact["location"]["uri"] for artifact in run["artifacts"]] == ["%FFbad.prompt.md"]
    uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in run["results"]}
    assert uris == {"%FFbad.prompt.md"}


@pytest.mark.parametrize("io_encoding", ["utf-8", "utf-8:strict", None])
def test_text_output_writes_a_non_utf8_file_name_as_its_bytes(bad_name, io_encoding):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONIOENCODING"}
    if io_encoding is not None:
        env["PYTHONIOENCODING"] = io_encoding
    done = run_raw("check", "--no-config", ".", cwd=bad_name, env=env)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(BAD_NAME + b":1:1: warning [missing-detail] ")
    assert b"Found 1 problem" in done.stderr


def test_path_helpers_keep_valid_names_and_mend_the_others():
    from promptcoach.output.paths import unicode_path, uri_reference

    assert unicode_path("prompts/café.prompt.md") == "prompts/café.prompt.md"
    assert unicode_path("caf\udcc3\udcff.md") == "caf\ufffd\ufffd.md"  # one U+FFFD per byte
    assert uri_reference("prompts\\a b/caf\u00e9\udcff.md") == "prompts/a%20b/caf%C3%A9%FF.md"


# --- write errors -----------------------------------------------------------------------------

NO_SPACE = "promptcoach: cannot write output: No space left on device"
needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@pytest.fixture
def vague(tmp_path: Path) -> Path:
    """A directory holding one vague prompt file."""
    (tmp_path / "posts.prompt.md").write_text(VAGUE_SCHEMA, encoding="utf-8")
    return tmp_path


def run_into_full_disk(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    with open("/dev/full", "wb") as full:
        return run_raw(*args, cwd=cwd, stdout=full)


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-config", "."],
        ["check", "--no-config", "--format", "json", "."],
        ["check", "--no-config", "--format", "sarif", "."],
        ["expand", "--no-config", "Make a posts table."],
        ["explain", "--no-config", "database-schema"],
        ["--version"],
        ["check", "--help"],
    ],
    ids=lambda args: " ".join(args[:4]),
)
def test_a_write_error_on_stdout_is_one_line_on_stderr_and_exit_2(vague, args):
    done = run_into_full_disk(*args, cwd=vague)
    assert done.returncode == 2
    assert done.stderr.decode("utf-8").splitlines() == [NO_SPACE]


# --- a reader that went away (`| head`) ----------------------------------------------------------


def run_into_closed_pipe(*args: str, cwd: Path, stderr_too: bool = False) -> subprocess.CompletedProcess:
    """Run with standard output (and standard error) on a pipe whose reader is gone
    before anything is written: every write fails with EPIPE, as after ``| head``."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return run_raw(*args, cwd=cwd, stdout=write_end, stderr=write_end if stderr_too else subprocess.PIPE)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_a_closed_stdout_keeps_the_exit_status_and_prints_no_traceback(vague, fmt):
    done = run_into_closed_pipe("check", "--no-config", "--format", fmt, ".", cwd=vague)
    assert done.returncode == 1  # the findings decide, not the pipe
    stderr = done.stderr.decode("utf-8")
    assert "Exception ignored" not in stderr and "Traceback" not in stderr and "Broken pipe" not in stderr
    if fmt == "text":
        assert "Found 1 problem" in stderr  # the summary still reaches the terminal


def test_closed_stdout_and_stderr_keep_the_exit_status(vague):
    # `promptcoach check . 2>&1 | head -c 10`: the summary on stderr hits the closed pipe too
    assert run_into_closed_pipe("check", "--no-config", ".", cwd=vague, stderr_too=True).returncode == 1
    clean = vague / "clean"
    clean.mkdir()
    (clean / "ui.prompt.md").write_text("Make the login button blue.\n", encoding="utf-8")
    assert run_into_closed_pipe("check", "--no-config", ".", cwd=clean, stderr_too=True).returncode == 0


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("head") is None, reason="needs bash and head")
def test_a_shell_pipe_into_head_keeps_the_exit_status(vague):
    script = f"{sys.executable} -m promptcoach check --no-config . 2>&1 | head -c 10; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", script], cwd=vague, capture_output=True, timeout=120)
    assert done.returncode == 1, done


@pytest.mark.parametrize(
    "args", [["expand", "--no-config", "Make a posts table."], ["explain", "--no-config", "database-schema"]]
)
def test_expand_and_explain_into_a_closed_pipe_exit_0_quietly(vague, args):
    done = run_into_closed_pipe(*args, cwd=vague)
    assert done.returncode == 0
    assert done.stderr == b""
