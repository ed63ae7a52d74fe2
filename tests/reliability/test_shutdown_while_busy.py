"""The server answers ``shutdown`` within a second while it analyses the slowest input of
the scaling harness at just under the 1 MB file limit (issue 16): analyses run on a
worker thread, so the event loop stays free. ``maxProblems: 0`` (no limit) keeps each
analysis busy for seconds."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from lspfuzz import RawClient

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench import scaling  # noqa: E402

# Among the slowest shapes at 1 MB (a finding every few words of one prompt).
SLOWEST = ["md-long-line-words", "md-curly-unclosed", "md-github-tokens"]
LIMIT = 1_000_000


def _just_under_the_limit(name: str) -> str:
    """The shape's largest text of at most ``LIMIT`` bytes (found by bisection on n)."""
    item = scaling.by_name(name)

    def size(n: int) -> int:
        return len(item.text(n).encode("utf-8"))

    low, high = 1, 2
    while size(high) <= LIMIT:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if size(middle) <= LIMIT else (low, middle)
    text = item.text(low)
    assert LIMIT - 5000 < len(text.encode("utf-8")) <= LIMIT
    return text


@pytest.mark.parametrize("name", SLOWEST)
def test_shutdown_is_answered_within_a_second_during_the_slowest_analysis(tmp_path, name):
    path = tmp_path / scaling.by_name(name).path
    text = _just_under_the_limit(name)
    path.write_text(text, encoding="utf-8")
    (tmp_path / ".promptcoach.yaml").write_text("maxProblems: 0\n", encoding="utf-8")
    client = RawClient(tmp_path)
    try:
        client.initialize(tmp_path)
        uri = path.as_uri()
        client.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}
        )
        pulled = client.request_async("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        time.sleep(0.3)  # the analysis is under way
        started = time.monotonic()
        answer = client.request("shutdown", None, timeout=10)
        elapsed = time.monotonic() - started
        assert "error" not in answer, answer
        assert elapsed < 1.0, f"shutdown answered after {elapsed:.2f} s"
        client.wait(pulled, timeout=60)  # the analysis still ends with an answer (or a cancellation)
        client.notify("exit", None)
        assert client.process.wait(timeout=60) == 0
    finally:
        client.close()


def test_shutdown_with_commands_still_pending_is_answered(tmp_path):
    """pygls cancels pending requests while iterating them, and cancelling a command
    removed it from under the loop: shutdown was answered "internal error: RuntimeError:
    dictionary changed size during iteration"."""
    (tmp_path / ".git").mkdir()
    client = RawClient(tmp_path)
    try:
        client.initialize(tmp_path)
        pending = [
            client.request_async(
                "workspace/executeCommand",
                {"command": "promptcoach.checkPrompt", "arguments": [{"text": "Make a posts table."}]},
            )
            for _ in range(3)
        ]
        answer = client.request("shutdown", None, timeout=10)
        assert "error" not in answer, answer
        for request in pending:
            client.wait(request, timeout=30)  # each ends with an answer or a cancellation
        client.notify("exit", None)
        assert client.process.wait(timeout=60) == 0
    finally:
        client.close()
