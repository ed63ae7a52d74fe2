"""Nothing in a workspace can make Prompt Coach run code or reach the network.

* YAML tags that construct Python objects (``!!python/object/apply:os.system``)
  in ``.promptcoach.yaml`` or a knowledge pack are rejected with ``file:line``.
* A hostile workspace (npm scripts, a build backend, ``setup.py``, modules named
  like our dependencies, a ``.env`` with secrets ...) is checked by the CLI and
  served by the language server under an audit hook (``audited.py``): no socket
  but asyncio's local pair, no process, no ``.py`` file of the workspace opened,
  ``.env`` never read.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from lspfuzz import RawClient

from promptcoach.engine.config import load_config
from promptcoach.engine.yamldata import DataError

HERE = Path(__file__).resolve().parent
AUDITED = HERE / "audited.py"

TAGS = [
    "!!python/object/apply:os.system ['touch {pwned}']",
    "!!python/object/new:subprocess.Popen [['touch', '{pwned}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!include /etc/passwd",
]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "promptcoach", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def write_tagged(tmp_path: Path, tag: str, where: str) -> tuple[Path, str, int]:
    """A config (or a pack it extends) with ``tag`` on one line: (config, culprit file, line)."""
    value = tag.format(pwned=tmp_path / "PWNED")
    config = tmp_path / ".promptcoach.yaml"
    if where == "config":
        config.write_text(f"threshold: 0.5\nmarkers: {value}\n", encoding="utf-8")
        return config, ".promptcoach.yaml", 2
    (tmp_path / "pack.yaml").write_text(f"common_words:\n  - fine\n  - {value}\n", encoding="utf-8")
    config.write_text("extends: pack.yaml\n", encoding="utf-8")
    return config, "pack.yaml", 3


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("where", ["config", "pack"])
def test_yaml_tags_are_rejected(tmp_path, tag, where):
    config, culprit, _ = write_tagged(tmp_path, tag, where)
    with pytest.raises(DataError) as caught:
        load_config(config)
    assert caught.value.file.endswith(culprit), str(caught.value)
    assert "tag" in str(caught.value), str(caught.value)
    (tmp_path / "a.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    result = cli("check", "a.prompt.md", cwd=tmp_path)
    assert result.returncode == 2, result
    assert f"{culprit}:" in result.stderr and "tag" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("where", ["config", "pack"])
def test_yaml_tag_error_names_the_tag_line_in_one_line(tmp_path, where):
    """A clear error: ``file:LINE: message`` at the tagged value, without PyYAML's
    multi-line excerpt (which names ``<unicode string>`` instead of the file)."""
    config, culprit, line = write_tagged(tmp_path, TAGS[0], where)
    with pytest.raises(DataError) as caught:
        load_config(config)
    assert caught.value.line == line, str(caught.value)
    assert "\n" not in str(caught.value) and "<unicode string>" not in str(caught.value), str(caught.value)


# ---------------------------------------------------------------------------- a hostile workspace

PY_TRAP = "open({pwned!r}, 'w').write(__name__)\n"


def hostile_workspace(root: Path) -> Path:
    """A workspace that tries every way we can think of to get code run."""
    pwned = root / "PWNED"
    trap = PY_TRAP.format(pwned=str(pwned))
    files = {
        "package.json": json.dumps(
            {
                "name": "evil",
                "scripts": {
                    "preinstall": f"touch {pwned}",
                    "postinstall": f"touch {pwned}",
                    "prepare": f"touch {pwned}",
                },
                "dependencies": {"express": "^4", "prisma": "^5"},
            }
        ),
        "pyproject.toml": '[build-system]\nrequires = ["evil"]\nbuild-backend = "evil_backend"\n[project]\nname = "x"\ndependencies = ["fastapi", 5]\n[dependency-groups]\ndev = 7\n',
        "setup.py": trap,
        "evil_backend.py": trap,
        "sitecustomize.py": trap,
        "usercustomize.py": trap,
        "conftest.py": trap,
        "yaml.py": trap,
        "rapidfuzz.py": trap,
        "pygls/__init__.py": trap,
        "promptcoach/__init__.py": trap,
        "requirements.txt": "-e git+https://example.invalid/evil.git#egg=evil\n--index-url https://example.invalid/simple\nflask\n",
        "go.mod": "module evil\nrequire github.com/gin-gonic/gin v1.9.0\n",
        "Gemfile": "system('touch PWNED')\ngem 'rails'\n",
        "composer.json": '{"scripts": {"post-install-cmd": "touch PWNED"}, "require": {"laravel/framework": "^10"}}',
        "prisma/schema.prisma": 'generator client {\n  provider = "touch PWNED"\n}\ndatasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Post {\n  id Int @id\n}\n',
        ".env": "STRIPE_SECRET_KEY=sk_live_do_not_read\n",
        ".env.example": "STRIPE_SECRET_KEY=\nDATABASE_URL=postgres://user:pass@localhost/db\n",
        ".promptcoach.yaml": "markers: ['prompt:', 'ai:']\nknowledge:\n  common_words: [frobnicate]\n",
        "tasks.prompt.md": "Make a posts table.\n\nAPI to get posts.\n",
        "app.py": "# prompt: make a users table\nimport os\n",
        "web/server.ts": "// ai: create an endpoint to list orders\n",
        ".vscode/settings.json": json.dumps({"promptcoach.python.path": f"/bin/sh -c 'touch {pwned}'"}),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return pwned


def audit_events(log: Path) -> list[tuple[str, str]]:
    if not log.exists():
        return []
    return [tuple(line.split("\t", 1)) for line in log.read_text(encoding="utf-8").splitlines() if "\t" in line]


def assert_clean(events: list[tuple[str, str]], workspace: Path, env_file_allowed: bool = False) -> None:
    network = [
        (event, args)
        for event, args in events
        if event.startswith("socket.")
        and not (event == "socket.__new__" and args == f"('family={int(socket.AF_UNIX)}',)")
    ]
    assert not network, f"socket activity: {network[:5]}"
    processes = [(e, a) for e, a in events if e.startswith(("subprocess.", "os.", "pty."))]
    assert not processes, f"process activity: {processes[:5]}"
    modules = [args for event, args in events if event == "module"]
    assert not modules, f"imported workspace code: {modules}"
    assert not list(workspace.rglob("__pycache__")), "workspace code was compiled"
    opened = [args for event, args in events if event == "open" and str(workspace) in args]
    secrets = [args for args in opened if args.split(",")[0].endswith("/.env'")]
    assert env_file_allowed or not secrets, f"read .env: {secrets}"


def audited_env(workspace: Path) -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PROMPTCOACH_AUDIT_WATCH"] = str(workspace)
    return env


def test_cli_check_of_a_hostile_workspace(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    pwned = hostile_workspace(workspace)
    log = tmp_path / "audit.log"
    result = subprocess.run(
        [sys.executable, str(AUDITED), str(log), "check", ".", "--format", "json"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
        env=audited_env(workspace),
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    checked = {entry["path"] for entry in report["files"]}
    assert "tasks.prompt.md" in checked, checked
    assert "sk_live_do_not_read" not in result.stdout + result.stderr
    events = audit_events(log)
    assert any(event == "open" for event, _ in events), "the audit hook recorded nothing"
    # walking a directory reads every source file for marked comments, .env included
    assert_clean(events, workspace, env_file_allowed=True)
    assert not pwned.exists(), pwned.read_text()


def test_language_server_session_in_a_hostile_workspace(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    pwned = hostile_workspace(workspace)
    log = tmp_path / "audit.log"
    client = RawClient(tmp_path, command=[sys.executable, str(AUDITED), str(log), "serve"], env=audited_env(workspace))
    try:
        client.initialize(workspace)
        uris = {}
        for name, language in (
            ("tasks.prompt.md", "markdown"),
            ("app.py", "python"),
            ("web/server.ts", "typescript"),
            ("package.json", "json"),
        ):
            text = (workspace / name).read_text(encoding="utf-8")
            uri = uris[name] = (workspace / name).as_uri()
            client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
            )
        agents = uris["tasks.prompt.md"]
        answer = client.request("textDocument/diagnostic", {"textDocument": {"uri": agents}})
        codes = [d["code"] for d in answer["result"]["items"]]
        assert "missing-detail" in codes, answer
        for method, params in (
            ("textDocument/hover", {"textDocument": {"uri": agents}, "position": {"line": 0, "character": 3}}),
            ("textDocument/completion", {"textDocument": {"uri": agents}, "position": {"line": 0, "character": 19}}),
            (
                "textDocument/codeAction",
                {
                    "textDocument": {"uri": agents},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}},
                    "context": {"diagnostics": answer["result"]["items"]},
                },
            ),
            (
                "textDocument/inlayHint",
                {
                    "textDocument": {"uri": agents},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
                },
            ),
            ("textDocument/documentSymbol", {"textDocument": {"uri": uris["app.py"]}}),
            ("textDocument/diagnostic", {"textDocument": {"uri": uris["web/server.ts"]}}),
        ):
            reply = client.request(method, params)
            assert "error" not in reply, (method, reply)
        changed = [
            {"uri": (workspace / name).as_uri(), "type": 2}
            for name in ("package.json", "pyproject.toml", ".promptcoach.yaml", ".env")
        ]
        client.notify("workspace/didChangeWatchedFiles", {"changes": changed})
        client.notify(
            "workspace/didChangeConfiguration",
            {"settings": {"promptcoach": {"debounceMs": 0, "configFile": str(workspace / "setup.py")}}},
        )
        reply = client.request("textDocument/diagnostic", {"textDocument": {"uri": agents}})
        assert "error" not in reply
        assert client.alive
    finally:
        client.close()
    assert "sk_live_do_not_read" not in client.stderr_text()
    events = audit_events(log)
    assert any(event == "open" for event, _ in events), "the audit hook recorded nothing"
    assert_clean(events, workspace)
    assert not pwned.exists(), pwned.read_text()


def test_audit_hook_catches_a_connect(tmp_path):
    """The harness itself works: a connect attempt is logged and refused."""
    log = tmp_path / "audit.log"
    code = (
        "import runpy, sys, socket; sys.argv=['audited', sys.argv[1]]; "
        f"exec(open({str(AUDITED)!r}).read().split('if __name__')[0]); install(sys.argv[1]); "
        "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(log)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "refused" in result.stderr
    assert any(event == "socket.__new__" for event, _ in audit_events(log))
