"""Accuracy on whole files: prompt boundaries, kinds, categories, details and inherited
details, on the hand-labeled workspaces of ``tests/data/files`` (see its README).

Budgets (issue "Judge prompts as people write them"): boundaries right >= 0.95, category
>= 0.95, detail F1 >= 0.90, and no missing-detail on a guideline or context statement.
Run ``pytest tests/test_accuracy_files.py -s`` to see the figures and every miss.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

import pytest

from promptcoach.engine.analyze import Engine
from promptcoach.engine.yamldata import load_yaml_file

DATA = Path(__file__).parent / "data"
FILES = DATA / "files"
MIN_BOUNDARIES = 0.95
MIN_KIND = 0.90
MIN_CATEGORY = 0.95
MIN_F1 = 0.90


TUNED = ("files-1.yaml", "files-2.yaml")  # the engine was tuned on these
HELDOUT = "files-heldout.yaml"  # written apart and never tuned on: the honest estimate
# Floors of the held-out set: what it measured when it was first run (2026-12-06), so a
# change that makes unseen files worse fails; its figures are reported beside the budgets.
HELDOUT_FLOORS = {"boundaries": 0.95, "kind": 0.90, "category": 0.85, "f1": 0.90}


def cases(names: tuple[str, ...] = TUNED) -> list[dict]:
    found = []
    for name in names:
        found.extend(load_yaml_file(DATA / name) or [])
    return found


def _lines(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")
    return starts


def engine_prompts(case: dict) -> tuple[list[dict], str]:
    """The engine's prompts of a case's file: 1-based first/last line, kind, category,
    present, inherited, missing-detail finding or not; and the file's role."""
    root = FILES / case["case"]
    path = root / case["file"]
    text = path.read_text(encoding="utf-8")
    analysis = Engine(root=root).analyze(text, str(path), explicit=True)
    starts = _lines(text)

    def line(offset: int) -> int:
        return bisect_right(starts, offset)

    prompts = []
    for item in analysis.prompts:
        end = item.prompt.end
        while end > item.prompt.start and text[end - 1] in "\r\n":
            end -= 1
        prompts.append(
            {
                "lines": (line(item.prompt.start), line(max(item.prompt.start, end - 1))),
                "kind": item.kind,
                "category": item.classification.category,
                "present": set(item.classification.present),
                "inherited": {i.detail for i in item.classification.inherited},
                "missing_detail": any(f.rule == "missing-detail" for f in item.findings),
            }
        )
    return prompts, analysis.role


def evaluate(all_cases: list[dict]) -> dict:
    labeled = right_bounds = right_kind = requests = right_category = 0
    tp = fp = fn = itp = ifp = ifn = 0
    on_statements = 0
    misses: list[str] = []
    for case in all_cases:
        found, role = engine_prompts(case)
        by_lines = {p["lines"]: p for p in found}
        for label in case["prompts"]:
            labeled += 1
            first, last = label["lines"]
            where = f"{case['case']}:{first}-{last}"
            exact = by_lines.get((first, last))
            if exact is not None:
                right_bounds += 1
            else:
                near = [p["lines"] for p in found if p["lines"][0] <= last and p["lines"][1] >= first]
                misses.append(f"bounds {where} engine {near}")
            engine = exact or next((p for p in found if p["lines"][0] <= first <= p["lines"][1]), None)
            kind = label["kind"]
            if engine is not None and engine["kind"] == kind:
                right_kind += 1
            else:
                misses.append(f"kind {where} {kind} engine {engine and engine['kind']}")
            if (
                kind in ("guideline", "context")
                and engine is not None
                and engine["missing_detail"]
                and (engine["lines"][0] == first or role == "instructions")
            ):
                on_statements += 1
                misses.append(f"MISSING-DETAIL ON {kind} {where}")
            if kind != "request":
                continue
            requests += 1
            category = label.get("category")
            got = engine["category"] if engine is not None else None
            if got == category:
                right_category += 1
            else:
                misses.append(f"category {where} {category} engine {got}")
            if category is None:
                continue
            gold, inherited_gold = set(label.get("present") or ()), set(label.get("inherited") or ())
            predicted = engine["present"] if got == category else set()
            inherited = engine["inherited"] if got == category else set()
            tp += len(gold & predicted)
            fp += len(predicted - gold)
            fn += len(gold - predicted)
            itp += len(inherited_gold & inherited)
            ifp += len(inherited - inherited_gold)
            ifn += len(inherited_gold - inherited)
            if got == category and predicted != gold:
                misses.append(f"details {where} {category} +{sorted(predicted - gold)} -{sorted(gold - predicted)}")
    return {
        "prompts": labeled,
        "boundaries": right_bounds / labeled,
        "kind": right_kind / labeled,
        "requests": requests,
        "category": right_category / requests if requests else 1.0,
        "f1": _f1(tp, fp, fn),
        "inherited_f1": _f1(itp, ifp, ifn),
        "on_statements": on_statements,
        "misses": misses,
    }


def _f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _report(name: str, report: dict) -> None:
    print(
        f"\n{name}: prompts {report['prompts']}  boundaries {report['boundaries']:.3f}  kind {report['kind']:.3f}  "
        f"requests {report['requests']}  category {report['category']:.3f}  detail F1 {report['f1']:.3f}  "
        f"inherited F1 {report['inherited_f1']:.3f}  missing-detail on guidelines/context {report['on_statements']}"
    )
    for miss in report["misses"]:
        print("  ", miss)


@pytest.fixture(scope="module")
def figures() -> dict:
    report = evaluate(cases())
    _report("tuned sets", report)
    return report


@pytest.fixture(scope="module")
def heldout() -> dict:
    if not (DATA / HELDOUT).exists():
        pytest.skip("no held-out set")
    report = evaluate(cases((HELDOUT,)))
    _report("held-out set", report)
    return report


def test_prompt_boundaries(figures: dict) -> None:
    assert figures["boundaries"] >= MIN_BOUNDARIES


def test_prompt_kinds(figures: dict) -> None:
    assert figures["kind"] >= MIN_KIND


def test_category_accuracy(figures: dict) -> None:
    assert figures["category"] >= MIN_CATEGORY


def test_detail_f1(figures: dict) -> None:
    assert figures["f1"] >= MIN_F1


def test_no_missing_detail_on_guidelines_or_context(figures: dict) -> None:
    assert figures["on_statements"] == 0


@pytest.mark.parametrize("figure", sorted(HELDOUT_FLOORS))
def test_heldout_set_stays_at_its_floor(heldout: dict, figure: str) -> None:
    assert heldout[figure] >= HELDOUT_FLOORS[figure]


def test_heldout_set_has_no_missing_detail_on_guidelines_or_context(heldout: dict) -> None:
    assert heldout["on_statements"] == 0
