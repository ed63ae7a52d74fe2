"""The garbage collector is held off during an analysis and comes back as it was."""

from __future__ import annotations

import gc
import threading

from promptcoach.engine.analyze import Engine
from promptcoach.engine.collector import collector_paused


def test_pauses_nest_and_the_collector_comes_back_on():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_resumes_it():
    try:
        with collector_paused():
            raise ValueError("inside")
    except ValueError:
        pass
    assert gc.isenabled()


def test_an_analysis_runs_paused_and_leaves_it_on():
    seen: list[bool] = []
    engine = Engine()
    original = engine.analyze_prompt

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    engine.analyze_prompt = spy  # type: ignore[method-assign]
    engine.analyze("Make a posts table.\n\nAdd a login endpoint.\n", "a.prompt.md", explicit=True)
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_report_is_made_paused_and_leaves_it_on(monkeypatch):
    from promptcoach.output import report

    seen: list[bool] = []
    original = report._Positions.span

    def spy(self, start: int, end: int):
        seen.append(gc.isenabled())
        return original(self, start, end)

    analysis = Engine().analyze("Make a posts table.\n\nAdd a login endpoint.\n", "a.prompt.md", explicit=True)
    monkeypatch.setattr(report._Positions, "span", spy)
    report.file_report(analysis, "a.prompt.md")
    assert seen and not any(seen)
    assert gc.isenabled()


def test_threads_pausing_at_once_leave_it_on():
    start = threading.Barrier(4)

    def analyse() -> None:
        start.wait()
        for _ in range(200):
            with collector_paused():
                pass

    threads = [threading.Thread(target=analyse) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()
