"""The engine's one-entry memos (words of the last prompt, the enabled rules) are safe
when engines analyse in several threads at once."""

from __future__ import annotations

import random
import sys
import threading

from bench.generate import prompt
from promptcoach.engine.analyze import Engine


def _summary(engine: Engine, texts: list[str]) -> list[tuple]:
    found = []
    for text in texts:
        for item in engine.analyze(text + "\n", "t.prompt.md").prompts:
            found.append(
                (
                    item.category,
                    item.classification.present,
                    tuple((f.rule, f.start, f.end, f.message) for f in item.findings),
                )
            )
    return found


def test_threads_get_the_answers_one_thread_gets() -> None:
    rng = random.Random(11)
    batches = [[prompt(rng) for _ in range(300)] for _ in range(4)]
    expected = [_summary(Engine(fixes=False), batch) for batch in batches]
    results: list = [None] * len(batches)

    def work(index: int) -> None:
        results[index] = _summary(Engine(fixes=False), batches[index])

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(batches))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert results == expected
