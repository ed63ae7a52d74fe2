"""Scaling: every adversarial input shape of ``bench/scaling.py`` at growing sizes (issue 16).

One row per shape: its growth ``t(8n) / t(n)`` for 8x the input, budget 12 (linear
work gives about 8, quadratic about 64; a shape whose ``8n`` run passed the cap
shows the lower bound ``cap / t(n)``). One more row: the worst time of any input of
at most 1 MB (the ~1 MB run of each shape whose extrapolation fits within the cap,
besides n .. 8n), budget 1 s; a shape too slow to run at 1 MB counts with its
extrapolated lower bound, one over the cap with the cap. A last row, reported only,
gives the worst time among the runs that finished, and one more the worst ~1 MB run in
yardsticks (``scaling.yardstick``: PyYAML's pure-Python load of a fixed document, timed
in the worker before each run), a figure that moves much less than seconds when the
machine is slower or faster in one hour than in another.

The full table (sizes, times, 2n and 4n, the ~1 MB run, prompts and findings) is
printed before the summary; each shape's line goes to standard error as it finishes.
Environment: ``PROMPTCOACH_SCALING_CAP`` (seconds a run may take, default 5),
``PROMPTCOACH_SCALING_SHAPES`` (names or globs, separated by spaces or commas).
"""

from __future__ import annotations

import os
import re
import statistics
import sys

from bench import scaling

GROWTH_BUDGET = 12.0
WORST_BUDGET_S = 1.0


def run() -> list[tuple]:
    patterns = [p for p in re.split(r"[\s,]+", os.environ.get("PROMPTCOACH_SCALING_SHAPES", "")) if p]
    cap = float(os.environ.get("PROMPTCOACH_SCALING_CAP", "5"))
    items = scaling.shapes(patterns)
    echo = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    # CPU time: the work a shape costs; on this shared machine the wall clock of the same
    # run moved by up to 1.7 x with what else ran (docs/scaling.md). Growth from the
    # fastest runs, the ~1 MB time from the median (scaling.CPU_READING).
    with scaling.Harness(cap=cap, **scaling.CPU_READING) as harness:
        results = scaling.run_all(items, harness, echo)
    print(scaling.table([scaling.row(r) for r in results], harness.clock))
    print(scaling.summary(results, GROWTH_BUDGET))
    print()
    return rows(results)


def rows(results: list[scaling.Result]) -> list[tuple]:
    out = []
    for result in results:
        growth = result.growth
        name = result.shape.name
        if growth is None:
            out.append((f"{name}: {result.status}", None, "x", GROWTH_BUDGET, False))
            continue
        base, eight = result.base, result.eight
        sizes = f"{scaling.fmt_bytes(base.size)} -> {scaling.fmt_bytes(eight.size or base.size * 8)}"
        label = f"{name}: growth for 8x input ({sizes})"
        if result.growth_is_bound:
            label = f"{name}: growth for 8x input, at least ({sizes}, 8n over the {result.cap:g} s cap)"
        out.append((label, round(growth, 1), "x", GROWTH_BUDGET, growth <= GROWTH_BUDGET))
    for measured_only in (False, True):
        worst = None
        for result in results:
            found = result.worst_under(scaling.MB, measured_only)
            if found is not None and (worst is None or found[0] > worst[0]):
                worst = (found[0], found[1], result)
        if worst is None:
            continue
        seconds, measurement, result = worst
        how = (
            "over the cap"
            if measurement.over_cap
            else "estimated lower bound, not run"
            if measurement.estimated is not None
            else "measured"
        )
        where = f"{result.shape.name}, {scaling.fmt_bytes(measurement.size)}"
        if measured_only:  # reported only: the budgeted row above also counts what could not be run
            out.append((f"worst measured time of an input <= 1 MB ({where})", seconds, "s", None, True))
        else:
            out.append(
                (
                    f"worst time of any input <= 1 MB ({where}, {how})",
                    seconds,
                    "s",
                    WORST_BUDGET_S,
                    seconds <= WORST_BUDGET_S,
                )
            )
    most = scaling.worst_in_yardsticks(results)
    if most is not None:
        ratio, result = most
        assert result.megabyte is not None
        yardstick_ms = statistics.median(result.megabyte.yardsticks) * 1000
        label = f"worst ~1 MB run in yardsticks ({result.shape.name}; its yardstick {yardstick_ms:.1f} ms)"
        out.append((label, ratio, "x", None, True))
    return out
