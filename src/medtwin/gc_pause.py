"""Pause CPython's cyclic garbage collector while millions of acyclic objects are built.

Why: the collector runs whenever allocations outnumber deallocations by a threshold, and its
oldest-generation passes walk every live container. Parsing the reference (2 M row models),
merging it in memory and writing the CSV files keeps millions of dicts, tuples and models alive
at once, so the collector walks them again and again without finding anything: the rows hold no
cycles, reference counting frees them. ``make bench-bulk-python PAIRS=3`` (parse + in-memory
MERGE + CSV of ``load --bulk`` on the full reference, fresh processes, alternating): median
37.2 s collecting, 27.1 s paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its previous state after.

    Nested blocks keep the outermost state; cycles made inside (rare: caught exceptions) are
    collected by the next automatic pass once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
