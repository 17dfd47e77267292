"""A store whose reads of a stored twin's rows run once: for views made of several parts.

The report reads one twin in many parts (its detail, its drawing, its regulators, the
explanations), and each part read the twin's genes, cell types, regulators or activity again: 42
queries for the demo's report of GSM389703, 5 of them repeats of a read made before. A stored
twin never changes (a new version is another twin, deleting a patient deletes its twins in one
transaction), so the rows read by twin id are the same for the whole view, and
:func:`kept_twin_reads` keeps them. Reads by patient (which twin is the latest, whether it still
exists) are made every time: :func:`medtwin.platform.twins.confirm_read_whole` must see a
deletion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from medtwin.store.base import GraphStore, TwinVerbs

__all__ = ["KEPT", "kept_twin_reads"]

KEPT = ("genes", "cell_types", "symptoms", "edges", "upstream_regulators", "activity")
"""The twin verbs (each takes a twin id) whose rows are kept."""

Rows = list[dict[str, Any]]


class _KeptTwinVerbs:
    """:class:`~medtwin.store.base.TwinVerbs` with the :data:`KEPT` reads made once per twin."""

    def __init__(self, twins: TwinVerbs) -> None:
        self._twins = twins
        self._kept: dict[tuple[str, str], Rows] = {}

    def __getattr__(self, name: str) -> Any:
        verb = getattr(self._twins, name)
        if name not in KEPT:
            return verb
        return self._once(name, verb)

    def _once(self, name: str, verb: Callable[[str], Rows]) -> Callable[[str], Rows]:
        def read(twin_id: str) -> Rows:
            if (name, twin_id) not in self._kept:
                self._kept[name, twin_id] = verb(twin_id)
            # copies of the rows: a part that changed one would change it for the next part
            return [dict(row) for row in self._kept[name, twin_id]]

        return read


class _KeptReadsStore:
    """``store`` with its twin verbs in :class:`_KeptTwinVerbs`; everything else is the store's."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._twins = _KeptTwinVerbs(store.twins)

    @property
    def twins(self) -> TwinVerbs:
        return cast(TwinVerbs, self._twins)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def kept_twin_reads(store: GraphStore) -> GraphStore:
    """``store``, with the rows of each stored twin (:data:`KEPT`) read once and kept.

    For one view only (the object keeps every row it read): make it where the view starts.
    ``tests/unit/services/test_report_reads_memory.py`` checks it.
    """
    return cast(GraphStore, _KeptReadsStore(store))
