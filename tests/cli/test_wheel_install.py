"""Installs like a tool (issue 15): the wheel built from this repository, installed into a
fresh virtual environment outside it, gives a ``promptcoach`` that works from any
directory, with its knowledge base and the rules' documentation."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd: Path, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``promptcoach`` script of a new virtual environment holding the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"  # built from a copy: setuptools leaves no build/ in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "server", source / "server", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "dist", source, cwd=work
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((work / "dist").glob("promptcoach-*.whl"))
    environment = work / "env"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    done = _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=work)
    assert done.returncode == 0, done.stderr[-2000:]
    return environment / "bin" / "promptcoach"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environment layout")
def test_the_installed_tool_checks_expands_and_explains_from_any_directory(installed, tmp_path):
    elsewhere = tmp_path / "somewhere"
    elsewhere.mkdir()
    (elsewhere / "posts.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    check = _run(installed, "check", "--format", "json", "posts.prompt.md", cwd=elsewhere)
    assert check.returncode == 1, check.stderr
    prompt = json.loads(check.stdout)["files"][0]["prompts"][0]
    assert prompt["category"] == "database-schema" and "technology" in prompt["details"]["missing"]
    expand = _run(installed, "expand", "Make a posts table.", cwd=elsewhere)
    assert expand.returncode == 0 and "`Post` model" in expand.stdout and "<field names>" in expand.stdout, (
        expand.stderr
    )
    rule = _run(installed, "explain", "missing-detail", cwd=elsewhere)
    assert rule.returncode == 0 and rule.stdout.startswith("Key details missing (missing-detail)\n===="), rule.stdout[
        :200
    ]
    card = _run(installed, "explain", "database-schema", cwd=elsewhere)
    assert card.returncode == 0 and "Specific prompt:" in card.stdout


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environment layout")
def test_the_installed_server_initializes_and_shuts_down(installed, tmp_path):
    messages = b"".join(
        _message(m)
        for m in (
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
            },
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        )
    )
    done = subprocess.run([str(installed), "serve"], input=messages, cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    answers = [json.loads(part.split(b"\r\n\r\n", 1)[1]) for part in done.stdout.split(b"Content-Length: ")[1:]]
    by_id = {a.get("id"): a for a in answers if "id" in a}
    assert by_id[1]["result"]["serverInfo"]["name"] == "promptcoach"
    assert by_id[2]["result"] is None
