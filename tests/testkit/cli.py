"""Helpers for CLI tests: run ``promptcoach`` in a subprocess exactly as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
SCRIPT = Path(sys.executable).with_name("promptcoach")


def run_cli(
    *args: str,
    cwd: Path | str | None = None,
    stdin: bytes | str | None = None,
    script: bool = False,
    prefix: list[str] | None = None,
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """``python -m promptcoach ARGS`` (or the installed console script) with output captured;
    ``prefix``: a command to run it under (see :func:`unprivileged`); ``env``: variables
    set for it besides the environment's own."""
    command = [*(prefix or []), *([str(SCRIPT)] if script else [sys.executable, "-m", "promptcoach"])]
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    done = subprocess.run([*command, *args], cwd=cwd, input=data, capture_output=True, env=environment, timeout=timeout)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


# Run as root, setpriv drops the capabilities that let root read any file.
_SETPRIV = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@lru_cache(maxsize=1)
def unprivileged() -> list[str] | None:
    """A command prefix under which file permissions bite (``chmod 000`` makes a file
    unreadable): none for an ordinary user, ``setpriv`` dropping DAC override for root;
    None when that cannot be done here (permission tests then skip)."""
    if os.name != "posix":
        return None
    with tempfile.TemporaryDirectory() as directory:
        probe = Path(directory) / "probe"
        probe.write_text("x", encoding="utf-8")
        probe.chmod(0)
        try:
            if not os.access(probe, os.R_OK):
                return []
            if shutil.which("setpriv") is None:
                return None
            done = subprocess.run([*_SETPRIV, sys.executable, "-c", f"open({str(probe)!r})"], capture_output=True)
            return list(_SETPRIV) if done.returncode != 0 else None
        finally:
            probe.chmod(0o600)


def check_json(*args: str, cwd: Path, stdin: str | None = None) -> tuple[dict, subprocess.CompletedProcess]:
    done = run_cli("check", "--format", "json", "--no-config", *args, cwd=cwd, stdin=stdin)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout), done


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


VAGUE_SCHEMA = "Make a posts table.\n"
SPECIFIC_SCHEMA = (
    "Using Prisma, define a `Post` model with `id` (Int, autoincrement), `title` (String, required), "
    "`published` (Boolean, default false) and a many-to-one relation to `User` via `authorId`.\n"
)
NOT_BACKEND = "Make the login button blue and center it on the page.\n"
