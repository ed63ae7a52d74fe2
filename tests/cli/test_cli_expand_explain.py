"""`promptcoach expand` and `promptcoach explain` as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from promptcoach.engine.knowledge import load_knowledge
from testkit.cli import run_cli

BASIC = (
    "Make a posts table.",
    "API to get posts.",
    "Add user login.",
    "Process a new user signup.",
    "Get stock price data.",
)


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.mark.parametrize("prompt", BASIC)
def test_expand_each_basic_prompt(tmp_path, knowledge, prompt):
    done = run_cli("expand", "--no-config", prompt, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout.strip()
    assert len(text) > 3 * len(prompt)
    assert "<" in text and ">" in text  # placeholders for what the prompt leaves open
    assert "{" not in text.replace("{ticker}", "")  # every slot filled


def test_expand_fills_model_and_keeps_named_technology(tmp_path, knowledge):
    done = run_cli("expand", "--no-config", "Make a posts table in prisma.", cwd=tmp_path)
    assert done.returncode == 0
    assert "`Post`" in done.stdout
    assert "Prisma" in done.stdout
    technology = knowledge.category("database-schema").detail("technology")
    assert technology.clause.placeholder not in done.stdout


def test_expand_snippet_syntax(tmp_path):
    done = run_cli("expand", "--no-config", "--snippet", "Make a posts table.", cwd=tmp_path)
    assert done.returncode == 0
    snippet = done.stdout.strip()
    assert snippet.endswith("$0")
    assert "${1|Prisma," in snippet
    assert "${2:Post}" in snippet


def test_expand_reads_stdin(tmp_path):
    done = run_cli("expand", "--no-config", "-", cwd=tmp_path, stdin="API to get\nposts.\n")
    assert done.returncode == 0
    assert "`posts`" in done.stdout


def run_on_a_terminal(*args: str, cwd, typed: bytes = b"") -> subprocess.CompletedProcess:
    """``python -m promptcoach ARGS`` with standard input on a pseudo-terminal into
    which ``typed`` is typed; stdout and stderr are captured as text."""
    pty = pytest.importorskip("pty")
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "promptcoach", *args],
            cwd=cwd,
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.close(terminal)
        terminal = -1
        os.write(controller, typed)
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail(f"promptcoach {' '.join(args)} waited for input on the terminal")
    finally:
        os.close(controller)
        if terminal != -1:
            os.close(terminal)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_expand_without_text_on_a_terminal_is_a_usage_error(tmp_path):
    done = run_on_a_terminal("expand", "--no-config", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "TEXT" in done.stderr and "-" in done.stderr and "terminal" in done.stderr
    assert "Traceback" not in done.stderr


def test_expand_dash_reads_what_is_typed_on_a_terminal(tmp_path):
    done = run_on_a_terminal("expand", "--no-config", "-", cwd=tmp_path, typed=b"API to get posts.\n\x04")
    assert done.returncode == 0, done.stderr
    assert "`posts`" in done.stdout


def test_expand_without_text_reads_piped_stdin(tmp_path):
    done = run_cli("expand", "--no-config", cwd=tmp_path, stdin="API to get posts.\n")
    assert done.returncode == 0, done.stderr
    assert "`posts`" in done.stdout


def test_expand_uncategorized_prompt_needs_a_category(tmp_path):
    done = run_cli("expand", "--no-config", "Make the navbar sticky.", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "--category" in done.stderr and "database-schema" in done.stderr
    forced = run_cli("expand", "--no-config", "--category", "api-endpoint", "list the invoices", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "list the invoices" in forced.stdout  # kept as written: "list" says more than the template


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["expand", "--no-config", "--category", "frontend-magic", "list posts"], "frontend-magic"),
        (["expand", "--no-config", "   "], "empty"),
    ],
)
def test_expand_errors_exit_2(tmp_path, args, word):
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert word in done.stderr


def test_explain_category_prints_the_card(tmp_path, knowledge):
    done = run_cli("explain", "--no-config", "database-schema", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    category = knowledge.category("database-schema")
    assert done.stdout.startswith(f"{category.title} (database-schema)")
    for detail in category.details:
        assert f"  {detail.id} " in done.stdout
        assert detail.title in done.stdout
    text = " ".join(done.stdout.split())
    for part in ("basic", "specific", "why"):
        assert " ".join(getattr(category.example, part).split()) in text
    assert "Basic prompt:" in done.stdout and "Why the specific prompt is better:" in done.stdout


def test_explain_rule_prints_its_page_as_a_card(tmp_path):
    """Like a category's card: title underlined, sections, wrapped prose, no Markdown."""
    from promptcoach.engine.rules.pages import rule_texts

    for rule in sorted(rule_texts().rules.values(), key=lambda meta: meta.id):
        done = run_cli("explain", "--no-config", rule.id, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[0] == f"{rule.title} ({rule.id})" and set(lines[1]) == {"="}, lines[:2]
        assert "Configuration" in lines and lines[-1].startswith("Documentation: "), rule.id
        prose = [line for line in lines if not line.startswith("    ") and not line.startswith("Documentation: ")]
        for marker in ("**", "```", "|---", "| ", "## "):
            assert not any(marker in line for line in prose), (rule.id, marker)
        assert max(len(line) for line in prose) <= 100, rule.id


def test_explain_unknown_id_exits_2_with_suggestions(tmp_path):
    done = run_cli("explain", "--no-config", "databse-schema", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown id 'databse-schema'" in done.stderr
    assert "Did you mean database-schema" in done.stderr
    assert "missing-detail" in done.stderr  # the known rules are listed
