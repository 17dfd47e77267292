"""Wall time of each step of one unit of work (a cohort patient), for the slowest-patient report.

A caller opens a collection with :func:`collect`; code deeper down marks the end of each step with
:func:`lap` (``lap("twin.spec")``: the seconds since the previous lap, or since the collection
started, are added under that name). Without an open collection :func:`lap` does nothing, so the
marks cost nothing outside a cohort run. The collection lives in a context variable: each thread
and each Dask worker task has its own.

The same marks drive a caller's progress callback (:func:`reporting`): ``build_twin`` and
``rank_drugs`` take ``progress=`` and report ``progress(step, done, total)`` at each of their
steps, the signature the CLI's progress display and ``load_reference`` already use. A step of
countable parts (the disease modules a twin is compared with) may also :func:`tally` them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["StepProgress", "collect", "lap", "reporting", "tally"]

StepProgress = Callable[[str, int, int], object]
"""``progress(step, done, total)``: ``done`` of ``total`` steps finished, the last one ``step``."""


class _Laps:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.last = time.perf_counter()


_CURRENT: ContextVar[_Laps | None] = ContextVar("medtwin_step_times", default=None)


class _Report:
    def __init__(self, progress: StepProgress, steps: Sequence[str]) -> None:
        self.progress = progress
        self.steps = {name: i for i, name in enumerate(steps, start=1)}
        self.done = 0

    def mark(self, name: str) -> None:
        done = self.steps.get(name, 0)
        if done > self.done:  # never backwards: a step marked again, or out of order, is no news
            self.done = done
            self.progress(name, done, len(self.steps))


_REPORT: ContextVar[_Report | None] = ContextVar("medtwin_step_report", default=None)


def lap(name: str) -> None:
    """Add the seconds since the previous lap (or the start) to step ``name``; no-op if unopened.

    Inside :func:`reporting`, a step of its list also reports progress.
    """
    report = _REPORT.get()
    if report is not None:
        report.mark(name)
    laps = _CURRENT.get()
    if laps is None:
        return
    now = time.perf_counter()
    laps.times[name] = laps.times.get(name, 0.0) + now - laps.last
    laps.last = now


def tally(what: str, done: int, total: int) -> None:
    """Inside :func:`reporting`, tell its callback ``(what, done, total)``: parts of a step.

    ``what`` names the parts of the step under way (``"scoring 299 disease modules"``), never a
    step of the list, so a caller tells the two apart: a listed name ends that step, any other
    counts parts of the next one. The step count is not moved. No-op outside :func:`reporting`.

    >>> seen = []
    >>> with reporting(lambda *a: seen.append(a), ["a", "b"]):
    ...     lap("a"); tally("parts", 1, 2); tally("parts", 2, 2); lap("b")
    >>> seen
    [('a', 1, 2), ('parts', 1, 2), ('parts', 2, 2), ('b', 2, 2)]
    """
    report = _REPORT.get()
    if report is not None:
        report.progress(what, done, total)


@contextmanager
def collect() -> Iterator[dict[str, float]]:
    """Collect laps inside the block into the yielded dict (step name -> seconds, in order)."""
    laps = _Laps()
    token = _CURRENT.set(laps)
    try:
        yield laps.times
    finally:
        _CURRENT.reset(token)


@contextmanager
def reporting(progress: StepProgress | None, steps: Sequence[str]) -> Iterator[None]:
    """Call ``progress(step, done, total)`` as the :func:`lap` marks of ``steps`` pass inside.

    ``progress(steps[0]... , 0, total)`` is not sent: the first call is the first step done;
    ``done`` only grows, and the last call is ``(steps[-1], total, total)`` when the work ends
    normally. ``None`` reports nothing. A call nested in a reporting call (``rank_drugs`` inside
    a reporting ``build_twins``) reports to the innermost.

    >>> seen = []
    >>> with reporting(lambda *a: seen.append(a), ["a", "b", "c"]):
    ...     lap("a"); lap("x"); lap("c"); lap("b")
    >>> seen
    [('a', 1, 3), ('c', 3, 3)]
    """
    if progress is None:
        yield
        return
    token = _REPORT.set(_Report(progress, steps))
    try:
        yield
    finally:
        _REPORT.reset(token)
