"""Fuzz and soak ``promptcoach serve`` over stdio (bounded: well under a minute).

Thousands of random incremental edits (ranges past the end, stale versions,
unicode, lone surrogates, NUL, CR) and requests (completion, hover, codeAction,
diagnostic, inlayHint, documentSymbol) at valid, past-the-end, huge and
negative positions, on opened and never-opened documents, mixed with unknown
methods, malformed JSON bodies, wrong ``Content-Length`` headers and settings of
the wrong types. Every request must be answered, the process must stay alive
with bounded memory, and it must still diagnose correctly afterwards.

``PROMPTCOACH_FUZZ_SEED`` and ``PROMPTCOACH_FUZZ_STEPS`` change the run; run
with ``-s`` to see the figures. The longer soak is ``bench/bench_soak.py``.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from lspfuzz import INTERNAL_ERROR, VAGUE_PROMPT, Fuzzer, RawClient, check_still_correct, rss_bytes

SEED = int(os.environ.get("PROMPTCOACH_FUZZ_SEED", "20251123"))
STEPS = int(os.environ.get("PROMPTCOACH_FUZZ_STEPS", "8000"))
# Errors the server logs for the garbage the fuzzer sends on purpose (bad JSON, unknown methods).
EXPECTED_LOG_ERRORS = re.compile(
    r"line \d+ column \d+|Expecting|Extra data|Unterminated|Invalid control character|Method Not Found"
    r"|codec can't decode|object has no attribute 'jsonrpc'|Invalid params"
    # didChange for a document that was never opened: pygls raises KeyError (logged, harmless)
    r"|KeyError: 'file://[^']*/ghost\.prompt\.md'"
)
RSS_LIMIT = 300 * 2**20  # bytes: the whole server process
RSS_GROWTH_LIMIT = 60 * 2**20  # after warm-up


@pytest.fixture
def server(tmp_path):
    client = RawClient(tmp_path)
    client.initialize(tmp_path)
    yield client
    client.close()


def expect_vague_prompt_diagnosed(items: list[dict]) -> None:
    missing = [d for d in items if d.get("code") == "missing-detail"]
    assert len(missing) == 1, items
    diagnostic = missing[0]
    assert diagnostic["range"]["start"] == {"line": 0, "character": 0}
    assert diagnostic["range"]["end"] == {"line": 0, "character": len(VAGUE_PROMPT.strip())}
    assert diagnostic["source"] == "promptcoach"
    assert diagnostic["data"]["facts"]["category"] == "database-schema"


def test_fuzz_and_soak(server, tmp_path):
    # foreign Diagnostic.data has its own test below (test_code_action_on_foreign_diagnostic_data)
    fuzzer = Fuzzer(server, tmp_path, SEED, hostile_data=False)
    started = time.monotonic()
    warm = Fuzzer(server, tmp_path, SEED + 1, hostile_data=False).run(300)  # knowledge loaded, caches warm
    baseline = rss_bytes(server.process.pid)
    stats = fuzzer.run(STEPS, deadline=started + 45)
    elapsed = time.monotonic() - started
    final_rss = rss_bytes(server.process.pid)
    print(
        f"\nfuzz seed {SEED}: {stats.edits + warm.edits} edits, {stats.requests + warm.requests} requests "
        f"({stats.answered + warm.answered} answered, errors by code {stats.errors}), {stats.malformed} malformed messages, "
        f"{elapsed:.1f} s; RSS {baseline / 2**20:.1f} MB after warm-up, {final_rss / 2**20:.1f} MB at the end"
    )
    assert server.alive, server.stderr_text()[-3000:]
    assert stats.answered == stats.requests and not fuzzer.pending
    assert stats.edits > 1000 and stats.requests > 1000
    assert not stats.internal, f"internal errors on valid requests: {stats.internal[:5]}"
    unexpected = [message for message in server.log_errors if not EXPECTED_LOG_ERRORS.search(message)]
    assert not unexpected, unexpected[:5]
    assert final_rss < RSS_LIMIT
    assert final_rss - baseline < RSS_GROWTH_LIMIT, f"RSS grew {(final_rss - baseline) / 2**20:.1f} MB"
    expect_vague_prompt_diagnosed(check_still_correct(server, tmp_path))
    # every fuzzed document, replaced wholesale, is diagnosed like a fresh one
    for doc in fuzzer.docs:
        if not doc.uri.endswith(".prompt.md"):
            continue
        doc.version += 1
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": [{"text": VAGUE_PROMPT}]},
        )
        answer = server.request("textDocument/diagnostic", {"textDocument": {"uri": doc.uri}})
        expect_vague_prompt_diagnosed(answer["result"]["items"])


def test_push_diagnostics_client_after_fuzzing(tmp_path):
    """A client without pull diagnostics (Neovim's default) gets versioned pushes."""
    client = RawClient(tmp_path)
    try:
        client.initialize(tmp_path, pull_diagnostics=False)
        stats = Fuzzer(client, tmp_path, SEED + 2, hostile_data=False).run(800)
        assert client.alive and stats.answered == stats.requests
        uri = (tmp_path / "push.prompt.md").as_uri()
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": 7, "text": VAGUE_PROMPT}},
        )
        expect_vague_prompt_diagnosed(client.wait_diagnostics(uri, 7))
    finally:
        client.close()


def test_code_action_on_foreign_diagnostic_data(server, tmp_path):
    """Diagnostic.data is whatever the client sends back (another version of the
    server, another tool with source "promptcoach", a broken client): a code action
    request with data of the wrong shape is answered without an internal error."""
    uri = (tmp_path / "a.prompt.md").as_uri()
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": VAGUE_PROMPT}},
    )
    rng = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}}
    for data in (
        {"fixes": "nope"},
        {"fixes": [{"edits": [{"range": 1}]}]},
        {"fixes": [7]},
        {"fixes": [{"title": 3, "edits": "x"}]},
    ):
        diagnostic = {"range": rng, "message": "x", "source": "promptcoach", "code": "missing-detail", "data": data}
        answer = server.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": rng, "context": {"diagnostics": [diagnostic]}},
        )
        assert answer.get("error", {}).get("code") != INTERNAL_ERROR, (data, answer)


def test_inline_suppression_in_the_editor(server, tmp_path):
    """The editor honours ``promptcoach-disable-next-line`` like ``promptcoach check`` does."""
    uri = (tmp_path / "s.prompt.md").as_uri()
    text = "<!-- promptcoach-disable-next-line -->\n" + VAGUE_PROMPT
    server.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}
    )
    answer = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert answer["result"]["items"] == []
