"""The cohort's activity table: patients × regulators, the activity t-value of each latest twin.

Each twin stores its patient-level TF and pathway activities as it is built (``medtwin twin
build``, and so in every ``medtwin cohort run`` worker: :func:`medtwin.platform.twins.build_twin`
calls :func:`medtwin.platform.twin_regulators.store_activity`). This module only reads them back.

Memory stays bounded by a batch of patients, not by the cohort: the table is read twice in
batches (``store.cohorts.activities``), once for its columns (the regulators scored in any
patient) and once to stream its rows, so a 10,000-patient cohort is never held in memory. A
regulator a patient's twin did not score (too few measured targets) is missing (empty / null),
not 0. Columns are named ``tf:<symbol>`` and ``pathway:<name>``, sorted.

Also the feature matrix of :mod:`medtwin.platform.stratify_features` (``cohort stratify
--features activities|pathways``), which needs the whole matrix anyway: it reads the activities
once (:func:`activity_matrix`), whatever the cohort's size.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from medtwin.errors import InputError
from medtwin.platform.python_audit import audited
from medtwin.platform.twin_currency import CohortCurrency
from medtwin.store.base import GraphStore
from medtwin.store.cohort_verbs import ACTIVITY_BATCH

__all__ = [
    "ActivityRow",
    "activity_matrix",
    "activity_rows",
    "write_activity_table",
]

KINDS = ("all", "tf", "pathway")
"""Which regulators a table holds."""


@dataclass(frozen=True)
class ActivityRow:
    """One patient's activities, aligned with the table's columns (``None`` = not scored)."""

    patient_id: str
    twin_id: str
    values: tuple[float | None, ...]


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown activity kind {kind!r}; valid: {', '.join(KINDS)}")


Source = Callable[[], Iterable[dict[str, Any]]]
"""A pass over the activity rows of the table's patients (each call reads them again, or not)."""


def _source(store: GraphStore, ids: Sequence[str]) -> Source:
    """The table's passes: one read kept for both when ``ids`` fit in one of the store's batches.

    Memory stays bounded by a batch (a larger cohort is read again for its second pass), and the
    demo's cohorts (up to 81 patients) are read once, not twice (``cohort activities``).
    """
    if len(ids) > ACTIVITY_BATCH:
        return lambda: store.cohorts.activities(ids)
    rows = list(store.cohorts.activities(ids))
    return lambda: rows


def _grouped(source: Source, kind: str) -> Iterator[tuple[str, str, dict[str, float]]]:
    """(patient, twin, {column: score}) per patient with activities, in ``ids`` order per batch."""
    current: tuple[str, str] | None = None
    values: dict[str, float] = {}
    for r in source():
        if kind != "all" and r["kind"] != kind:
            continue
        key = (str(r["patient_id"]), str(r["twin_id"]))
        if current is not None and key != current:
            yield (*current, values)
            values = {}
        current = key
        values.update(
            {f"{r['kind']}:{n}": float(s) for n, s in zip(r["names"], r["scores"], strict=True)}
        )
    if current is not None:
        yield (*current, values)


def activity_columns(store: GraphStore, ids: Sequence[str], kind: str = "all") -> list[str]:
    """Every regulator scored in at least one patient's latest twin, sorted (first pass)."""
    _check(kind)
    return _columns(lambda: store.cohorts.activities(ids), kind)


def _columns(source: Source, kind: str) -> list[str]:
    cols: set[str] = set()
    for _, _, values in _grouped(source, kind):
        cols.update(values)
    return sorted(cols)


def activity_rows(
    store: GraphStore, ids: Sequence[str], columns: Sequence[str], kind: str = "all"
) -> Iterator[ActivityRow]:
    """Each patient with activities, its values aligned with ``columns`` (second pass)."""
    _check(kind)
    return _rows(lambda: store.cohorts.activities(ids), columns, kind)


def activity_matrix(
    store: GraphStore, ids: Sequence[str], kind: str = "all"
) -> tuple[list[str], list[ActivityRow]]:
    """The columns and every row, from one read of the activities (one pass, not two).

    For a caller that holds the whole matrix anyway (``cohort stratify --features``): the
    patients' grouped scores are kept instead of read again for the rows, so memory grows with
    the cohort, as that caller's matrix does.
    """
    _check(kind)
    grouped = list(_grouped(lambda: store.cohorts.activities(ids), kind))
    columns = sorted({c for _, _, values in grouped for c in values})
    return columns, [
        ActivityRow(pid, twin_id, tuple(values.get(c) for c in columns))
        for pid, twin_id, values in grouped
    ]


def _rows(source: Source, columns: Sequence[str], kind: str) -> Iterator[ActivityRow]:
    for pid, twin_id, values in _grouped(source, kind):
        yield ActivityRow(pid, twin_id, tuple(values.get(c) for c in columns))


def _cell(v: float | None) -> str:
    return "" if v is None or math.isnan(v) else f"{v:.6g}"


@audited("read")
def write_activity_table(
    store: GraphStore,
    ids: Sequence[str],
    out: IO[str],
    *,
    kind: str = "all",
    as_json: bool = False,
    currency: CohortCurrency | None = None,
) -> tuple[int, int]:
    """Stream the table to ``out`` as TSV (or one JSON object); returns (patients, columns).

    TSV: header ``patient_id twin_id <columns>``, one line per patient with activities. JSON:
    ``{"columns": [...], "stale_twins": n, "stale_note": ..., "completeness_note": ...,
    "rows": [{"patient_id",
    "twin_id", "z": [...]}, ...]}``, written row by row; ``stale_*`` from ``currency`` (the
    patients whose twins predate their inputs: :func:`~medtwin.platform.twin_currency.
    cohort_currency`; 0 and null without it). The key ``z`` is kept for readers of the format;
    its values are ULM/MLM t-values.
    """
    _check(kind)
    source = _source(store, ids)
    columns = _columns(source, kind)
    n = 0
    if as_json:
        stale = currency.stale if currency is not None else ()
        note = currency.note if currency is not None else None
        complete = currency.completeness if currency is not None else None
        out.write(
            '{"columns": ' + json.dumps(columns) + f', "stale_twins": {len(stale)}, '
            '"stale_note": '
            + json.dumps(note)
            + ', "completeness_note": '
            + json.dumps(complete)
            + ', "rows": ['
        )
    else:
        out.write("\t".join(["patient_id", "twin_id", *columns]) + "\n")
    for row in _rows(source, columns, kind):
        if as_json:
            z = [None if v is None or math.isnan(v) else v for v in row.values]
            body = {"patient_id": row.patient_id, "twin_id": row.twin_id, "z": z}
            out.write(("," if n else "") + "\n" + json.dumps(body))
        else:
            out.write("\t".join([row.patient_id, row.twin_id, *map(_cell, row.values)]) + "\n")
        n += 1
    if as_json:
        out.write("\n]}\n")
    return n, len(columns)
