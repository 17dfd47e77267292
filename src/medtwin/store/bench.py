"""Benchmark-only store verbs.

Used by ``benchmarks/bench_cohort.py`` to put 10,000+ twins and rankings in the database in
seconds (not through the pipeline), with the shape of real ones, to measure reads at scale; by
``benchmarks/bench_describe.py`` to time ``describe`` without the counts a load keeps; and by
``benchmarks/bench_delete.py`` to delete a fresh copy of a whole patient each time.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from medtwin.errors import ConflictError
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.twin_verbs import DELETE_BATCH

__all__ = ["CLONE_BATCH", "BenchStore", "Clones"]

CLONE_BATCH = 20
"""Patients copied per transaction. A copy is ~150 relationships of ~14 properties each, the
server holds all of a transaction until its commit, and its collector is ~40 % of the copy's
server CPU. 20 a batch instead of 250: 1,000 copies 87.6 -> 77.8 s, server CPU 18.9 -> 17.1 s
(collector 8.5 -> 7.1 s), the longest transaction 23 -> 3.6 s (docs/cohorts.md,
stop 55)."""


@dataclass(frozen=True)
class Clones:
    """What :meth:`BenchStore.clone_patients` created, and the seconds of each batch."""

    patients: int = 0
    includes: int = 0
    scores: int = 0
    batch_seconds: tuple[float, ...] = field(default=())


class BenchStore:
    """Synthetic-patient operations on a :class:`~medtwin.store.neo4j.Neo4jStore`."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def clone_patients(
        self,
        sources: Sequence[str],
        ids: Sequence[str],
        cohort: str,
        *,
        batch: int = CLONE_BATCH,
    ) -> Clones:
        """Copy ranked patient ``sources[i % len(sources)]`` as ``ids[i]``; return what was made.

        ``batch`` copies per transaction: a failed batch leaves none of its copies, and an id
        that is a patient already is skipped, so a rerun adds only the missing copies.
        """
        counts = {"patients": 0, "includes": 0, "scores": 0}
        seconds = []
        rows = [{"source": sources[i % len(sources)], "id": pid} for i, pid in enumerate(ids)]
        for i in range(0, len(rows), batch):
            t0 = time.perf_counter()
            got = self.store.write("bench/clone_patients", rows=rows[i : i + batch], cohort=cohort)
            seconds.append(time.perf_counter() - t0)
            for k in counts:
                counts[k] += int(got[0][k] or 0) if got else 0
        return Clones(**counts, batch_seconds=tuple(seconds))

    def copy_patient(self, source: str, copy: str) -> tuple[int, int]:
        """Copy every node of patient ``source`` as patient ``copy`` (``make bench-delete``).

        Returns the (nodes, relationships) created, in one transaction.
        """
        got = self.store.write("bench/copy_patient", source=source, copy=copy)
        return int(got[0]["nodes"]), int(got[0]["relationships"])

    def drop_count_cache(self) -> int:
        """Remove ``describe``'s kept counts (``make bench-describe``); returns nodes removed."""
        got = self.store.write("bench/drop_count_cache")
        return int(got[0]["n"]) if got else 0

    def delete_clones(self, prefix: str, *, batch: int = DELETE_BATCH) -> int:
        """Delete every patient whose id starts with ``prefix``; returns how many.

        Through the product's batched deletion (``patient/delete_patients``, ``batch`` whole
        patients per transaction, as ``patient delete --cohort`` runs it): a run killed between
        two batches leaves whole patients, and a rerun deletes what is left.
        """
        ids = [r["id"] for r in self.store.read("bench/patient_ids", prefix=prefix)]
        for i in range(0, len(ids), batch):
            got = self.store.twins.delete_patients(ids[i : i + batch])
            if busy := [r.patient_id for r in got if r.held is not None]:
                raise ConflictError(f"bench patients busy, kept: {', '.join(busy)}")
        return len(ids)

    def ranking_sizes(self, prefix: str) -> dict[str, Any]:
        """Per ranking of ``prefix`` patients: mean table and score-line bytes, rows, SCORES."""
        return self.store.read("bench/ranking_sizes", prefix=prefix)[0]
