"""Engine speed: one 5,000-line prompt file and one 5,000-line source file.

Budget: each analysed in under 50 ms. The warm figure (median of several runs
after a warm-up) is what an editor sees while you type, since classifications are
cached by prompt text; the cold figure is the first analysis by a fresh engine
with empty caches, after the process's one-time warm-up (loading the knowledge
base, building its tables, compiling patterns and vocabularies), which the server does while the editor is idle and the CLI
before it starts its workers; the warm-up is timed on its own row. Two modes:
findings only, as ``promptcoach check`` runs the engine, and with every
finding's quick fixes built (expansions, added clauses, suppression comments), as
the language server runs it. Times are CPU time of this process.
"""

from __future__ import annotations

import statistics
import time

from bench.generate import prompt_file, source_file

BUDGET_MS = 50.0
RUNS = 7


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _time(function) -> float:
    """CPU time of one call: the engine runs in one thread, and CPU time is not
    inflated by other processes on a busy machine (on an idle one it equals wall time)."""
    start = time.process_time()
    function()
    return time.process_time() - start


def _document_rows(label: str, text: str, path: str, budget: float | None = BUDGET_MS) -> list[tuple]:
    from promptcoach.engine import intent, statements
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.rules.runner import CACHE

    knowledge = Engine().knowledge
    rows = []
    for fixes, mode in ((False, "findings only (CLI)"), (True, "with quick fixes (editor)")):
        CACHE.clear()  # the rules' cache is shared by engines: empty it for a cold run
        intent.clear_readings()
        statements.clear_statements()
        cold = _time(lambda: Engine(knowledge=knowledge, fixes=fixes).analyze(text, path))
        engine = Engine(knowledge=knowledge, fixes=fixes)
        engine.analyze(text, path)  # warm-up
        warm = statistics.median(_time(lambda: engine.analyze(text, path)) for _ in range(RUNS))
        prompts = len(engine.analyze(text, path).prompts)
        rows += [
            (
                f"{label}, {mode}: warm median of {RUNS} ({prompts} prompts)",
                _ms(warm),
                "ms",
                budget,
                budget is None or _ms(warm) < budget,
            ),
            (f"{label}, {mode}: cold first run", _ms(cold), "ms", budget, budget is None or _ms(cold) < budget),
        ]
    return rows


def run() -> list[tuple]:
    from promptcoach.engine.analyze import Engine

    start = time.perf_counter()
    Engine().warm_up()
    load = time.perf_counter() - start
    rows = [("warm-up, once per process (knowledge base, tables, patterns, vocabularies)", _ms(load), "ms", None, True)]
    # a stress row: 5,000 lines of distinct backend prompts, denser than any real file
    rows += _document_rows("5,000-line generated prompt file (stress)", prompt_file(5000), "bench/big.prompt.md", None)
    rows += _document_rows("5,000-line source file, 200 marked comments", source_file(5000, 200), "bench/big.ts")
    corpus = _corpus_text(5000)
    if corpus:  # realistic files: the budget is read on these (the generated file is a stress row)
        rows += _document_rows(
            "5,000 lines of the real corpus, read as a task prompt file", corpus, "bench/corpus.prompt.md"
        )[:2]
        rows += _document_rows(
            "5,000 lines of the real corpus, read as an instruction file", corpus, "bench/AGENTS.md"
        )[:2]
    return rows


def _corpus_text(lines: int) -> str | None:
    """The first ``lines`` lines of the shared corpus of real prompt files, one after
    another (fewer, mostly non-backend prompts than the generated file), if present."""
    from bench.bench_cli import CORPUS

    if not CORPUS.is_dir():
        return None
    taken: list[str] = []
    for path in sorted(CORPUS.iterdir()):
        taken += path.read_text(encoding="utf-8", errors="replace").splitlines()
        if len(taken) >= lines:
            break
    return "\n".join(taken[:lines]) + "\n"
