"""CLI speed, as a user runs it (a fresh process, so start-up and imports count):

* start-up beside ``python -c "import yaml, rapidfuzz"`` in the same run, runs
  alternating, medians of 9: one-file ``check`` (budget 2x), ``--version`` and
  ``--help`` (budget 1.5x);
* ``promptcoach check`` over 1,000 generated prompt files (about 5 MB), budget 3 s;
* a run over a corpus of 257 real rule files (named file by file, as a user of a
  glob would), budget 0.5 s, when the corpus is present next to the repository."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import prompt_files

BUDGET_S = 3.0
CORPUS_BUDGET_S = 0.5
START_RUNS = 9
YARDSTICK = [sys.executable, "-c", "import yaml, rapidfuzz"]
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "prompts" / "posts.prompt.md"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "cursorrules"


def _check(args: list[str], cwd: Path, fmt: str = "json") -> tuple[float, str, float]:
    """Wall time, standard output and CPU time (user + system, all processes) of one run."""
    command = [
        sys.executable,
        "-m",
        "promptcoach",
        "check",
        "--format",
        fmt,
        "--no-config",
        "--fail-on",
        "never",
        *args,
    ]
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"promptcoach check failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.stdout, _children_cpu() - before


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _counts(report: dict) -> tuple[int, int, int]:
    files = report["files"]
    prompts = sum(len(f["prompts"]) for f in files)
    findings = sum(len(p["findings"]) for f in files for p in f["prompts"])
    return len(files), prompts, findings


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def _startup_rows() -> list[tuple]:
    """Each command and the yardstick run in turn, so a drift of the machine's speed
    affects both; the ratio is the median of the pairs' ratios."""
    script = [str(Path(sys.executable).with_name("promptcoach"))]
    if not Path(script[0]).exists():
        script = [sys.executable, "-m", "promptcoach"]
    commands = [
        ("one-file check", [*script, "check", str(EXAMPLE)], 2.0),
        ("--version", [*script, "--version"], 1.5),
        ("--help", [*script, "--help"], 1.5),
    ]
    rows = []
    for name, command, budget in commands:
        _wall(command), _wall(YARDSTICK)  # warm: .pyc files, the cache of parsed data
        pairs = [(_wall(command), _wall(YARDSTICK)) for _ in range(START_RUNS)]
        ours = statistics.median(a for a, _ in pairs)
        ratio = statistics.median(a / b for a, b in pairs)
        rows.append((f"{name}", ours, "s", None, True))
        rows.append((f"{name} / import yaml, rapidfuzz", ratio, "x", budget, ratio <= budget))
    return rows


def _generated_rows() -> list[tuple]:
    with tempfile.TemporaryDirectory(prefix="promptcoach-bench-") as tmp:
        root = Path(tmp)
        size = 0
        for name, text in prompt_files(1000, 5_000_000):
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            size += len(text.encode("utf-8"))
        _check(["."], root, "text")  # warm the file system cache and .pyc files
        text_time, _, text_cpu = _check(["."], root, "text")
        json_time, output, _ = _check(["."], root, "json")
    files, prompts, findings = _counts(json.loads(output))
    return [
        (
            f"check {files} files, {size / 1e6:.1f} MB, {prompts} prompts (text output)",
            text_time,
            "s",
            BUDGET_S,
            text_time < BUDGET_S,
        ),
        ("  its CPU time, all processes (wall time on idle cores ~ this / cores)", text_cpu, "s", None, True),
        ("  the same with --format json", json_time, "s", None, True),
        ("  findings", findings, "", None, True),
    ]


def _corpus_rows() -> list[tuple]:
    if not CORPUS.is_dir():
        return [("corpus (absent, skipped)", None, "", None, True)]
    paths = sorted(str(p) for p in CORPUS.iterdir() if p.is_file())
    _, output, _ = _check(paths, CORPUS)
    elapsed = statistics.median(_check(paths, CORPUS, "text")[0] for _ in range(5))
    files, prompts, findings = _counts(json.loads(output))
    return [
        (
            f"corpus: {files} real prompt files, {prompts} prompts (median of 5)",
            elapsed,
            "s",
            CORPUS_BUDGET_S,
            elapsed <= CORPUS_BUDGET_S,
        ),
        ("  corpus throughput", files / elapsed, "files/s", None, True),
        ("  corpus findings", findings, "", None, True),
    ]


def run() -> list[tuple]:
    return _startup_rows() + _generated_rows() + _corpus_rows()
