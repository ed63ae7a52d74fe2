"""Pausing Python's cyclic garbage collector while a document is analysed.

An analysis makes many small objects that all live until it ends: the Markdown blocks
and the containers open while they are read (a list nested thousands deep keeps
thousands open at once), the prompts, their readings and findings. The collector's
passes walk the objects alive at the time, again and again as they grow in number:

* on a one-line list nested n deep the parse grew faster than the file (0.21 µs a byte
  at 20 KB, 0.45 µs at 640 KB; paused, 0.18-0.25 µs throughout);
* on the largest files of many small prompts (1 MB of them) the passes took 5-15 % of
  the analysis.

:func:`collector_paused` holds the collector off for one analysis (``Engine.analyze``
and an edit's re-analysis, which every parse of a document runs inside) and for the
report made of it (``output.report.file_report``: 10-70 ms of collector passes in the
report of 21,000 prompts); what the analysis left unreachable is
collected by the next pass after it, and most objects are freed by reference counting
anyway. The collector is one per process: pauses nest (a counter, as threads may
analyse at once), and a collector that was already off stays off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # pauses in force (threads may parse at once)
_resume = False  # whether the collector was on when the first pause began


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
