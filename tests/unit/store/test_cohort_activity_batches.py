"""The cohort activity table reads the store in batches of patients, lazily (bounded memory)."""

from __future__ import annotations

import io
from typing import Any

from medtwin.platform.cohort_activities import write_activity_table
from medtwin.store import cohorts
from medtwin.store.cohorts import CohortStore


class _Recorder:
    """Answers ``cohort/cohort_activity`` with one TF row per patient, recording each batch."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        assert name == "cohort/cohort_activity"
        self.batches.append(len(params["ids"]))
        return [
            {"patient_id": p, "twin_id": f"{p}@v1", "kind": "tf", "names": [f"T{i % 3}"],
             "scores": [float(i)]}
            for i, p in enumerate(params["ids"])
        ]  # fmt: skip


class _Store:
    def __init__(self, runner: _Recorder) -> None:
        self.cohorts = CohortStore(runner)  # type: ignore[arg-type]


def test_batches_are_bounded_and_read_lazily():
    runner = _Recorder()
    ids = [f"P{i:03d}" for i in range(450)]
    rows = CohortStore(runner).activities(ids)  # type: ignore[arg-type]
    assert runner.batches == []  # nothing read until iterated
    first = next(iter(rows))
    assert first["patient_id"] == "P000"
    assert runner.batches == [cohorts.ACTIVITY_BATCH]
    list(rows)
    assert runner.batches == [200, 200, 50]


def test_table_is_two_passes_of_batches_with_missing_cells_empty():
    runner = _Recorder()
    buf = io.StringIO()
    n, cols = write_activity_table(_Store(runner), [f"P{i}" for i in range(250)], buf)  # type: ignore[arg-type]
    assert (n, cols) == (250, 3)
    assert runner.batches == [200, 50, 200, 50]
    lines = buf.getvalue().splitlines()
    assert lines[0] == "patient_id\ttwin_id\ttf:T0\ttf:T1\ttf:T2"
    assert lines[1] == "P0\tP0@v1\t0\t\t"
    assert lines[3] == "P2\tP2@v1\t\t\t2"
