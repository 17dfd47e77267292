"""Pause CPython's cyclic garbage collector while millions of acyclic objects are built.

Why: the collector runs whenever allocations outnumber deallocations by a threshold, and its
oldest-generation passes walk every live container. Parsing the reference (2 M row models),
merging it in memory and writing the CSV files keeps millions of dicts, tuples and models alive
at once, so the collector walks them again and again without finding anything: the rows hold no
cycles, reference counting frees them. ``make bench-bulk-python PAIRS=3`` (parse + in-memory
MERGE + CSV of ``load --bulk`` on the full reference, fresh processes, alternating): median
37.2 s collecting, 27.1 s paused.

The API pauses it while a cohort summary is built and rendered: tens of thousands of row dicts
alive for a second made the oldest generation's passes (50-170 ms under load, in the event loop's
GIL) the longest ``/health`` stalls of ``make bench-api``'s burst. Requests overlap there, so the
pause is counted across threads: the collector runs again when the last block ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its previous state after.

    Blocks may nest and overlap across threads: the state seen by the first block to begin is
    restored when the last one ends. Cycles made inside (rare: caught exceptions) are collected
    by the next automatic pass once the collector runs again.
    """
    global _depth, _was_enabled  # noqa: PLW0603 -- one collector per process: one counter
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
