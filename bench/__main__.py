"""Run every ``bench/bench_*.py`` module's ``run()`` and print one table
(``python -m bench scaling`` runs only the modules named).

Each ``run()`` returns rows ``(name, value, unit, budget, ok)``; ``budget`` may be
None for figures that are only reported. Timings are noisy, so a missed budget is
printed clearly but does not change the exit status; a benchmark that crashes does.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import traceback
from pathlib import Path

import bench

Row = tuple  # (name, value, unit, budget, ok)


def modules() -> list[str]:
    names = [info.name for info in pkgutil.iter_modules(bench.__path__) if info.name.startswith("bench_")]
    return sorted(names)


def format_value(value: float | int | None, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, int) or float(value).is_integer() and unit not in ("ms", "s"):
        return f"{int(value):,} {unit}".rstrip()
    return f"{value:,.1f} {unit}".rstrip() if value >= 10 else f"{value:,.3g} {unit}".rstrip()


def print_table(rows: list[tuple[str, Row]]) -> None:
    header = ("benchmark", "measured", "budget", "")
    lines = [header]
    for module, (name, value, unit, budget, ok) in rows:
        verdict = "" if budget is None else ("ok" if ok else "OVER BUDGET")
        budget_text = "" if budget is None else f"< {format_value(budget, unit)}"
        lines.append((f"{module}: {name}", format_value(value, unit), budget_text, verdict))
    widths = [max(len(line[column]) for line in lines) for column in range(4)]
    for index, line in enumerate(lines):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "unknown"


def chosen(argv: list[str]) -> list[str]:
    """The modules named on the command line (``scaling`` or ``bench_scaling``); all without names."""
    names = modules()
    if not argv:
        return names
    wanted = [arg if arg.startswith("bench_") else f"bench_{arg}" for arg in argv]
    unknown = [arg for arg, name in zip(argv, wanted) if name not in names]
    if unknown:
        known = ", ".join(name.removeprefix("bench_") for name in names)
        raise SystemExit(f"python -m bench: no benchmark {', '.join(unknown)} (known: {known})")
    return [name for name in names if name in wanted]


def main(argv: list[str] | None = None) -> int:
    """``python -m bench`` runs every benchmark; ``python -m bench scaling cli`` only those named."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    selected = chosen(sys.argv[1:] if argv is None else argv)
    print(f"{os.cpu_count()} cores; load average before: {_load()}", file=sys.stderr)
    rows: list[tuple[str, Row]] = []
    crashed = []
    for name in selected:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            rows.extend((name.removeprefix("bench_"), tuple(row)) for row in module.run())
        except Exception:  # a broken benchmark is reported, the others still run
            traceback.print_exc()
            crashed.append(name)
    print()
    print(f"{os.cpu_count()} cores, load average {_load()} (a loaded machine makes timings slower)")
    print_table(rows)
    over = [f"{module}: {row[0]}" for module, row in rows if row[3] is not None and not row[4]]
    print()
    if over:
        print(f"{len(over)} over budget (timings are noisy; rerun to confirm): " + "; ".join(over))
    else:
        print("All budgets met.")
    if crashed:
        print(f"crashed: {', '.join(crashed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
