"""Cohort reads and writes: resume state, ranking tops, twin modules, patient similarity, GDS.

Everything stays patient-specific: ``SIMILAR_TO`` relationships join two ``Patient`` nodes and go
with either patient when it is deleted (``DETACH DELETE``); communities are written on the
``Patient`` node itself.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from medtwin.store import rankings
from medtwin.store.gds import Gds, projection_name
from medtwin.store.runner import CypherRunner

__all__ = ["CohortStore"]

log = logging.getLogger(__name__)

_BATCH = 5000
_ACTIVITY_BATCH = 200


class CohortStore:
    """Cohort operations on a :class:`~medtwin.store.runner.CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    def patient_states(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Inputs, latest twin and its rankings per patient (see ``cohort/patient_states``)."""
        out: list[dict[str, Any]] = []
        for i in range(0, len(ids), _BATCH):
            out += self.store.read("cohort/patient_states", ids=list(ids[i : i + _BATCH]))
        return out

    def top_drugs(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """Ranks ``1..top`` of each patient's latest ranking, by patient and rank.

        Read from the SCORES relationships when ``top`` is within the stored top
        (:data:`medtwin.store.rankings.TOP_N`), else from each ranking's table.
        """
        out: list[dict[str, Any]] = []
        for i in range(0, len(ids), _BATCH):
            batch = list(ids[i : i + _BATCH])
            if top <= rankings.TOP_N:  # read at call time (tests lower it)
                out += self.store.read("cohort/top_drugs", ids=batch, top=top)
            else:
                out += rankings.RankingStore(self.store).top_tables(batch, top)
        return out

    def twin_modules(self, ids: Sequence[str], *, module_only: bool = True) -> list[dict[str, Any]]:
        """Module genes (or all genes) and their log2fc of each patient's latest twin."""
        out: list[dict[str, Any]] = []
        for i in range(0, len(ids), _BATCH):
            out += self.store.read(
                "cohort/twin_modules", ids=list(ids[i : i + _BATCH]), module_only=module_only
            )
        return out

    def activities(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Patient-level activities of each patient's latest twin, one row per patient and kind.

        Rows: patient_id, twin_id, kind (``tf`` | ``pathway``), names, scores (aligned lists).
        Read in batches of ``_ACTIVITY_BATCH`` patients, so a caller that streams keeps memory
        bounded by the batch, not the cohort.
        """
        for i in range(0, len(ids), _ACTIVITY_BATCH):
            yield from self.store.read(
                "cohort/cohort_activity", ids=list(ids[i : i + _ACTIVITY_BATCH])
            )

    def replace_similarities(
        self, ids: Sequence[str], method: str, rows: Sequence[dict[str, Any]]
    ) -> int:
        """Delete the ``method`` similarities touching ``ids``, store ``rows``; return the count."""
        self.store.write("cohort/delete_similarity", ids=list(ids), method=method)
        n = 0
        for i in range(0, len(rows), _BATCH):
            got = self.store.write(
                "cohort/create_similarity", method=method, rows=list(rows[i : i + _BATCH])
            )
            n += int(got[0]["n"]) if got else 0
        return n

    def communities(self, ids: Sequence[str], method: str) -> dict[str, int]:
        """GDS Louvain (concurrency 1: deterministic) on the ``method`` similarity graph of ``ids``.

        Weighted by ``score``; a patient without similar patients is its own community.
        """
        s = self.store.settings
        gds = Gds(self.store.driver, s.neo4j_database, s.neo4j_uri)
        name = projection_name("similarity", method, {"ids": sorted(ids), "run": uuid.uuid4().hex})
        with gds.projection(name, "gds/project_similarity", ids=list(ids), method=method) as graph:
            got = gds.louvain(graph, weight="score", concurrency=1)
        return {n.id: int(n.value) for n in got}

    def set_endotypes(self, method: str, communities: dict[str, int]) -> None:
        """Write each patient's community on its ``Patient`` node."""
        rows = [{"id": k, "community": v} for k, v in sorted(communities.items())]
        for i in range(0, len(rows), _BATCH):
            self.store.write("cohort/set_endotypes", method=method, rows=rows[i : i + _BATCH])

    def similar_patients(self, patient_id: str, limit: int) -> list[dict[str, Any]]:
        """Patients joined to ``patient_id`` by ``SIMILAR_TO``, best score first."""
        return self.store.read("cohort/similar_patients", id=patient_id, limit=limit)
