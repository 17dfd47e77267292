"""A store whose reads of one patient's stored rows run once: for views made of several parts.

The report reads one twin in many parts (its detail, its drawing, its regulators, the
explanations, the insights), and each part read the twin's rows, and the patient, its latest
twin and its latest ranking, again: 42 queries for the demo's report of GSM389703, 5 of them
repeats of a read by twin id; after those were kept, 39, with the latest twin read 4 times and
the patient and the latest ranking twice each. A stored twin never changes (a new version is
another twin, deleting a patient deletes its twins in one transaction), so the rows read by twin
id are the same for the whole view; and the reads by patient that pick what the view shows (the
patient, its twins, the latest twin, the latest ranking) are kept too, so every part shows the
twin and ranking the first read found, even when a new version is built during the view.
:func:`kept_twin_reads` keeps both. Whether the twin still exists at the end is asked of the
store every time (a twin by version, never kept):
:func:`medtwin.platform.twins.confirm_read_whole` must see a deletion.

A cohort command is made of parts too: ``cohort summary`` chose its patients from every patient's
metadata and refused an unfinished add (the cohort's add records), then read the metadata again
to tell an unknown id, and the metadata and the add records again for its completeness note: 3
reads of the metadata and 2 of the records in its 9 statements. :func:`kept_cohort_reads` keeps
those two reads for one command, so every part sees the same patients and records.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any, cast

from medtwin.store.analysis_verbs import RankingVerbs
from medtwin.store.base import GraphStore
from medtwin.store.cohort_verbs import CohortVerbs
from medtwin.store.twin_verbs import TwinVerbs

__all__ = ["KEPT", "KEPT_BY_PATIENT", "kept_cohort_reads", "kept_twin_reads"]

KEPT = ("genes", "cell_types", "symptoms", "edges", "upstream_regulators", "activity")
"""The twin verbs (each takes a twin id) whose rows are kept."""
KEPT_BY_PATIENT = ("patients", "twins", "twin", "latest_ranking")
"""The verbs by patient whose answers are kept: ``twins.patients`` of one patient,
``twins.twins`` and ``twins.twin`` of the latest version (``version`` None: a twin by version is
asked each time), and ``rankings.latest_ranking``."""

Rows = list[dict[str, Any]]


class _Kept:
    """Answers kept by verb name and arguments, each given as a deep copy.

    A copy: a part that changed a row would change it for the next part. ``copied`` False gives
    the kept answer itself, for parts that only read it (:func:`kept_cohort_reads`).
    """

    def __init__(self, *, copied: bool = True) -> None:
        self._kept: dict[tuple[Any, ...], Any] = {}
        self._copied = copied

    def once(self, key: tuple[Any, ...], read: Callable[[], Any]) -> Any:
        if key not in self._kept:
            self._kept[key] = read()
        return copy.deepcopy(self._kept[key]) if self._copied else self._kept[key]


class _KeptTwinVerbs:
    """:class:`~medtwin.store.twin_verbs.TwinVerbs` with :data:`KEPT` and by-patient reads kept.

    The :data:`KEPT` rows once per twin; one patient's row, twin list and latest twin once.
    """

    def __init__(self, twins: TwinVerbs, kept: _Kept) -> None:
        self._twins = twins
        self._kept = kept

    def __getattr__(self, name: str) -> Any:
        verb = getattr(self._twins, name)
        if name not in KEPT:
            return verb

        def read(twin_id: str) -> Rows:
            return cast(Rows, self._kept.once((name, twin_id), lambda: verb(twin_id)))

        return read

    def patients(
        self, patient_id: str | None = None, *, offset: int = 0, limit: int | None = None
    ) -> Rows:
        if patient_id is None or offset or limit is not None:  # a page of patients: as asked
            return self._twins.patients(patient_id, offset=offset, limit=limit)
        return cast(
            Rows,
            self._kept.once(("patients", patient_id), lambda: self._twins.patients(patient_id)),
        )

    def twins(self, patient_id: str, version: int | None = None) -> Rows:
        if version is not None:  # by version: asked each time (confirm_read_whole)
            return self._twins.twins(patient_id, version)
        return cast(
            Rows, self._kept.once(("twins", patient_id), lambda: self._twins.twins(patient_id))
        )

    def twin(self, patient_id: str, version: int | None = None) -> dict[str, Any]:
        if version is not None:
            return self._twins.twin(patient_id, version)
        listed = self.twins(patient_id)  # newest first: its first is the latest
        if listed:
            return listed[0]
        return self._twins.twin(patient_id)  # none: the store's NotFoundError, worded as usual


class _KeptRankingVerbs:
    """:class:`~medtwin.store.analysis_verbs.RankingVerbs`, a patient's latest ranking read once."""

    def __init__(self, rankings: RankingVerbs, kept: _Kept) -> None:
        self._rankings = rankings
        self._kept = kept

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rankings, name)

    def latest_ranking(
        self, patient_id: str, version: int | None = None, targets: Sequence[str] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        key = ("latest_ranking", patient_id, version, None if targets is None else tuple(targets))
        return cast(
            "tuple[dict[str, Any], dict[str, Any] | None] | None",
            self._kept.once(
                key, lambda: self._rankings.latest_ranking(patient_id, version, targets)
            ),
        )


class _KeptReadsStore:
    """``store`` with its twin and ranking verbs kept; everything else is the store's."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        kept = _Kept()
        self._twins = _KeptTwinVerbs(store.twins, kept)
        self._rankings = _KeptRankingVerbs(store.rankings, kept)

    @property
    def twins(self) -> TwinVerbs:
        return cast(TwinVerbs, self._twins)

    @property
    def rankings(self) -> RankingVerbs:
        return cast(RankingVerbs, self._rankings)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def kept_twin_reads(store: GraphStore) -> GraphStore:
    """``store`` with its twins' rows and the reads that pick what a view shows kept.

    The rows of each stored twin (:data:`KEPT`) and the reads by patient
    (:data:`KEPT_BY_PATIENT`) are made once each.

    For one view only (the object keeps every row it read): make it where the view starts.
    ``tests/unit/services/test_report_reads_memory.py`` checks it.
    """
    return cast(GraphStore, _KeptReadsStore(store))


class _KeptCohortStore:
    """``store`` with ``twins.patient_metadata()`` and ``cohorts.load_states(name)`` kept."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._kept = _Kept(copied=False)

    @property
    def twins(self) -> TwinVerbs:
        return cast(TwinVerbs, _Only(self._store.twins, "patient_metadata", self._kept))

    @property
    def cohorts(self) -> CohortVerbs:
        return cast(CohortVerbs, _Only(self._store.cohorts, "load_states", self._kept))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _Only:
    """``verbs`` with the answers of its verb ``name`` kept by arguments; the rest as they are."""

    def __init__(self, verbs: Any, name: str, kept: _Kept) -> None:
        self._verbs, self._name, self._kept = verbs, name, kept

    def __getattr__(self, name: str) -> Any:
        verb = getattr(self._verbs, name)
        if name != self._name:
            return verb
        return lambda *args: self._kept.once((name, *args), lambda: verb(*args))


def kept_cohort_reads(store: GraphStore) -> GraphStore:
    """``store`` with every patient's metadata and a cohort's add records read once each.

    For one cohort command only (``cohort summary``, ``cohort activities``): make it where the
    command starts, so the choice of patients, the check of the cohort's adds and the notes all
    see one read. The rows are shared, not copied: the parts only read them, and a deep copy of
    10,000 patients' metadata (6 keys each) took 0.39 s at a load of ~4, more than the read saved.
    ``tests/unit/services/test_cohort_reads.py`` checks it.
    """
    return cast(GraphStore, _KeptCohortStore(store))
