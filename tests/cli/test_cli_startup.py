"""Start-up: `check` never loads the language server or modules it does not need;
`--help` width; `serve` argument errors; the demo."""

from __future__ import annotations

import subprocess
import sys

from testkit.cli import ROOT, VAGUE_SCHEMA, run_cli, write

# the language server, and what only its start or a help text's width would need
# (shutil brings bz2, lzma and zlib: argparse imports it for every formatter it makes)
NOT_FOR_CHECK = ("pygls", "lsprotocol", "cattrs", "shutil", "bz2", "lzma")


def test_check_does_not_import_the_language_server(tmp_path):
    path = write(tmp_path, "a.prompt.md", VAGUE_SCHEMA)
    code = (
        "import sys\n"
        "from promptcoach.cli import main\n"
        f"status = main(['check', '--no-config', {str(path)!r}])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {NOT_FOR_CHECK!r})\n"
        "print(status, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().endswith("1 []"), done.stderr


def test_help_is_laid_out_for_columns():
    narrow = run_cli("check", "--help", env={"COLUMNS": "40"})
    wide = run_cli("check", "--help", env={"COLUMNS": "200"})
    assert narrow.returncode == wide.returncode == 0
    # argparse wraps the words of the help and the usage, but never breaks one
    assert len(narrow.stdout.splitlines()) > len(wide.stdout.splitlines())
    assert max(map(len, narrow.stdout.splitlines())) < 80 < max(map(len, wide.stdout.splitlines()))


def test_serve_rejects_a_bad_tcp_address():
    done = run_cli("serve", "--tcp", "localhost")
    assert done.returncode == 2
    assert "HOST:PORT" in done.stderr


def test_demo_runs_and_exits_0():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "[missing-detail]" in done.stdout
    assert done.stdout.count("$ promptcoach expand") == 7  # five basic prompts, a snippet, a longer prompt
    assert "older than 30 days. Use <services" in done.stdout  # the longer one kept as written
    assert "(exit status 2)" not in done.stdout
