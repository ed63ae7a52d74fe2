"""DeferredFix: edits worked out on first read, also when two threads read at once."""

from __future__ import annotations

import sys
import threading

import pytest

from promptcoach.engine.model import DeferredFix, Edit, Fix

EXPANDED = (Edit(0, 5, "expanded"),)


def _lines_of_edits() -> range:
    code = DeferredFix.edits.fget.__code__
    last = max(line for _, _, line in code.co_lines() if line is not None)
    return range(code.co_firstlineno, last + 1)


@pytest.mark.parametrize("variant", ["plain", "moved"])
def test_two_threads_reading_first_at_once_both_get_the_edits(variant):
    """Thread B is held at each line of ``edits`` in turn while thread A reads the fix
    to the end; then B goes on. Both, and every later read, see the edits."""
    for line in _lines_of_edits():
        base = DeferredFix("Expand", lambda: EXPANDED)
        fix = base.moved(10) if variant == "moved" else base
        expected = (Edit(10, 15, "expanded"),) if variant == "moved" else EXPANDED
        a_done, b_held, out = threading.Event(), threading.Event(), {}

        def hold_at_line(frame, event, arg):
            if frame.f_code is not DeferredFix.edits.fget.__code__:
                return None

            def local(frame, event, arg):
                if event == "line" and frame.f_lineno == line and not b_held.is_set():
                    b_held.set()
                    a_done.wait(5)
                return local

            return local

        def reader_b():
            sys.settrace(hold_at_line)
            try:
                out["b"] = fix.edits
            except Exception as error:  # noqa: BLE001 - reported below
                out["b"] = error
            finally:
                sys.settrace(None)
                b_held.set()

        thread = threading.Thread(target=reader_b)
        thread.start()
        b_held.wait(5)
        out["a"] = fix.edits
        a_done.set()
        thread.join(5)
        assert (out["a"], out["b"], fix.edits) == (expected, expected, expected), line


def test_equal_to_a_fix_with_the_same_edits_and_repr_works_nothing_out():
    made = []
    fix = DeferredFix("Expand", lambda: made.append(1) or EXPANDED, preferred=True)
    assert "not worked out" in repr(fix) and made == []
    assert fix == Fix("Expand", EXPANDED, preferred=True) and Fix("Expand", EXPANDED, preferred=True) == fix
    assert fix != Fix("Expand", EXPANDED) and made == [1]
