"""CLI speed: ``promptcoach check`` over 1,000 prompt files (about 5 MB), budget 3 s,
as a user runs it (a fresh process, so start-up and imports count). Also a run
over the shared corpus of real prompt files when it is present."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import prompt_files

BUDGET_S = 3.0
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "cursorrules"


def _check(args: list[str], cwd: Path, fmt: str = "json") -> tuple[float, str, float]:
    """Wall time, standard output and CPU time (user + system, all processes) of one run."""
    command = [sys.executable, "-m", "promptcoach", "check", "--format", fmt, "--no-config",
               "--fail-on", "never", *args]
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


def _startup() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "promptcoach", "--version"], capture_output=True, check=True)
    return time.perf_counter() - start


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
        (f"check {files} files, {size / 1e6:.1f} MB, {prompts} prompts (text output)", text_time, "s",
         BUDGET_S, text_time < BUDGET_S),
        ("  its CPU time, all processes (wall time on idle cores ~ this / cores)", text_cpu, "s", None, True),
        ("  the same with --format json", json_time, "s", None, True),
        ("  findings", findings, "", None, True),
    ]


def _corpus_rows() -> list[tuple]:
    if not CORPUS.is_dir():
        return [("corpus (absent, skipped)", None, "", None, True)]
    paths = sorted(str(p) for p in CORPUS.iterdir() if p.is_file())
    elapsed, output, _ = _check(paths, CORPUS)
    files, prompts, findings = _counts(json.loads(output))
    return [
        (f"corpus: {files} real prompt files, {prompts} prompts", elapsed, "s", None, True),
        ("  corpus throughput", files / elapsed, "files/s", None, True),
        ("  corpus findings", findings, "", None, True),
    ]


def run() -> list[tuple]:
    return [("start-up (--version)", _startup(), "s", None, True)] + _generated_rows() + _corpus_rows()
