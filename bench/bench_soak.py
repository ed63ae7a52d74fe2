"""Soak: a long random LSP session against ``promptcoach serve`` (stdio).

The driver is ``tests/reliability/lspfuzz.py`` (the bounded version runs in
``make test``). Reports edits and requests per second, answers, RSS after
warm-up and at the end, and whether the server still diagnoses a vague prompt.
``PROMPTCOACH_SOAK_SECONDS`` sets the length (default 60).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "reliability"))

from lspfuzz import Fuzzer, RawClient, check_still_correct, rss_bytes  # noqa: E402

SECONDS = float(os.environ.get("PROMPTCOACH_SOAK_SECONDS", "60"))
RSS_BUDGET_MB = 300.0
GROWTH_BUDGET_MB = 60.0


def run() -> list[tuple]:
    with tempfile.TemporaryDirectory(prefix="promptcoach-soak-") as tmp:
        root = Path(tmp)
        client = RawClient(root)
        try:
            client.initialize(root)
            Fuzzer(client, root, seed=1, hostile_data=False).run(500)
            baseline = rss_bytes(client.process.pid) / 2**20
            fuzzer = Fuzzer(client, root, seed=int(time.time()), hostile_data=False)
            started = time.monotonic()
            stats = fuzzer.run(10**9, deadline=started + SECONDS)
            elapsed = time.monotonic() - started
            final = rss_bytes(client.process.pid) / 2**20
            items = check_still_correct(client, root)
            correct = any(d.get("code") == "missing-detail" for d in items)
            alive = client.alive
        finally:
            client.close()
    answered = stats.answered == stats.requests
    return [
        ("edits", stats.edits, "", None, True),
        ("requests (all answered)" if answered else "requests (SOME UNANSWERED)", stats.requests, "", None, answered),
        ("malformed messages", stats.malformed, "", None, True),
        ("steps per second", (stats.edits + stats.requests) / elapsed, "/s", None, True),
        ("internal errors on valid requests", len(stats.internal), "", 1, not stats.internal),
        ("RSS after warm-up", baseline, "MB", RSS_BUDGET_MB, baseline < RSS_BUDGET_MB),
        ("RSS at the end", final, "MB", RSS_BUDGET_MB, final < RSS_BUDGET_MB),
        ("RSS growth", final - baseline, "MB", GROWTH_BUDGET_MB, final - baseline < GROWTH_BUDGET_MB),
        ("alive and still correct", int(alive and correct), "", None, alive and correct),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
