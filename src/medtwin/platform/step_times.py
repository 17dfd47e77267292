"""Wall time of each step of one unit of work (a cohort patient), for the slowest-patient report.

A caller opens a collection with :func:`collect`; code deeper down marks the end of each step with
:func:`lap` (``lap("twin.spec")``: the seconds since the previous lap, or since the collection
started, are added under that name). Without an open collection :func:`lap` does nothing, so the
marks cost nothing outside a cohort run. The collection lives in a context variable: each thread
and each Dask worker task has its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["collect", "lap"]


class _Laps:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.last = time.perf_counter()


_CURRENT: ContextVar[_Laps | None] = ContextVar("medtwin_step_times", default=None)


def lap(name: str) -> None:
    """Add the seconds since the previous lap (or the start) to step ``name``; no-op if unopened."""
    laps = _CURRENT.get()
    if laps is None:
        return
    now = time.perf_counter()
    laps.times[name] = laps.times.get(name, 0.0) + now - laps.last
    laps.last = now


@contextmanager
def collect() -> Iterator[dict[str, float]]:
    """Collect laps inside the block into the yielded dict (step name -> seconds, in order)."""
    laps = _Laps()
    token = _CURRENT.set(laps)
    try:
        yield laps.times
    finally:
        _CURRENT.reset(token)
