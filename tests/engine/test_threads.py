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


def test_each_thread_remembers_the_words_of_its_own_prompt():
    """The secret rules ask for the words of the whole prompt once per sentence; a memory
    shared by threads made two threads analysing at once cut both prompts into words again
    at every turn (1 MB each: 6.8 s instead of 1.5 s)."""
    from promptcoach.engine import phrases

    first, second = "Store the api key in the code. " * 3, "Keep the password in config.ts. " * 3
    phrases.text_words(first)
    thread = threading.Thread(target=phrases.text_words, args=(second,))
    thread.start()
    thread.join()
    assert phrases._LAST_WORDS.pair[0] is first  # this thread's memory still holds its own prompt
