"""Cohort reads and writes: resume state, ranking tops, twin modules, patient similarity, GDS.

Everything stays patient-specific: ``SIMILAR_TO`` relationships join two ``Patient`` nodes and go
with either patient when it is deleted (``DETACH DELETE``); communities are written on the
``Patient`` node itself. The one exception, ``(:CohortLoad)`` (how the last ``patient add-cohort``
of a set of files to a cohort went: ``'adding'`` until its last sample is stored, then
``'complete'``), names the cohort, its files' checksums and counts its samples, never a patient.
"""

from __future__ import annotations

import json
import logging
import math
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from medtwin.store import rankings
from medtwin.store.cohort_keys import load_key
from medtwin.store.cohort_verbs import ACTIVITY_BATCH
from medtwin.store.gds import Gds, projection_name
from medtwin.store.locks import cohort_lock, holder_alive
from medtwin.store.runner import CypherRunner

__all__ = ["ACTIVITY_BATCH", "CohortStore"]

log = logging.getLogger(__name__)

_BATCH = 5000


def _finite(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows with a NaN or infinite q/direction/combined as None.

    JSON has no such numbers: the API and ``--json`` wrote null for them already, and no count
    changes (``NaN < x`` is false, as ``None`` is skipped).
    """
    return [[None if isinstance(v, float) and not math.isfinite(v) else v for v in r] for r in rows]


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

    def top_lists(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """Ranks ``1..top`` of each patient's latest ranking: one item per ranked patient.

        Items: ``patient_id``, ``twin_id``, ``ranking_id``, ``targets``, ``rules`` (the ranking
        rules it was made under, None before they were recorded) and ``drugs`` (best
        first: ``rank``, ``drug_id``, ``drug_name``, ``q``, ``direction``), by patient id within
        each batch of ids. Read from each ranking's top summary (one string per patient), or its
        SCORES relationships for a ranking stored before the summary, when ``top`` is within the
        stored top (:data:`medtwin.store.rankings.TOP_N`); else from each ranking's table. A NaN
        or infinite ``q``/``direction`` there is None (JSON-ready rows).
        """
        if top > rankings.TOP_N:  # read at call time (tests lower it)
            return self._deep_lists(ids, top)
        per: list[tuple[list[Any], list[list[Any]]]] = []
        loads = json.loads
        for i in range(0, len(ids), _BATCH):
            batch = list(ids[i : i + _BATCH])
            got = self.store.read_raw("cohort/top_summaries", ids=batch, top=top)
            for item in got[0]["items"] if got else ():
                summary, rows = item[4], item[5]
                if summary is not None:  # best first: ranks 1..top are a prefix
                    rows = loads(summary)
                    if rows and rows[-1][0] > top:
                        rows = [r for r in rows if r[0] <= top]
                    if "NaN" in summary or "Infinity" in summary:  # a C scan; rarely true
                        rows = _finite(rows)
                else:
                    rows = _finite(sorted(rows, key=lambda r: r[0]))
                if rows:
                    per.append((item, rows))
        names = rankings.RankingStore(self.store).drug_names(
            {r[1] for _, rows in per for r in rows if len(r) == 5}
        )
        get = names.get
        return [
            {
                "patient_id": item[0],
                "twin_id": item[1],
                "ranking_id": item[2],
                "targets": item[3],
                "rules": item[6],
                "drugs": [
                    {
                        "rank": r[0],
                        "drug_id": r[1],
                        "drug_name": r[5] if len(r) == 6 else get(r[1]),
                        "q": r[2],
                        "direction": r[3],
                    }
                    for r in rows
                ],
            }
            for item, rows in per
        ]

    def _deep_lists(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """:meth:`top_lists` from the rankings' tables (``top`` beyond the stored top)."""
        out: list[dict[str, Any]] = []
        for i in range(0, len(ids), _BATCH):
            rows = rankings.RankingStore(self.store).top_tables(list(ids[i : i + _BATCH]), top)
            for r in rows:
                if not out or out[-1]["patient_id"] != r["patient_id"]:
                    out.append(
                        {
                            k: r[k]
                            for k in ("patient_id", "twin_id", "ranking_id", "targets", "rules")
                        }
                        | {"drugs": []}
                    )
                out[-1]["drugs"].append(
                    {k: r[k] for k in ("rank", "drug_id", "drug_name", "q", "direction")}
                )
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
        Read in batches of ``ACTIVITY_BATCH`` patients, so a caller that streams keeps memory
        bounded by the batch, not the cohort.
        """
        for i in range(0, len(ids), ACTIVITY_BATCH):
            yield from self.store.read(
                "cohort/cohort_activity", ids=list(ids[i : i + ACTIVITY_BATCH])
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

    def set_endotypes(
        self, method: str, communities: dict[str, int], *, run: str, refresh: str
    ) -> None:
        """Write each patient's community on its ``Patient`` node, with the run and ``refresh``."""
        rows = [{"id": k, "community": v} for k, v in sorted(communities.items())]
        for i in range(0, len(rows), _BATCH):
            self.store.write(
                "cohort/set_endotypes", method=method, run=run, refresh=refresh,
                rows=rows[i : i + _BATCH],
            )  # fmt: skip

    def similar_patients(self, patient_id: str, limit: int) -> list[dict[str, Any]]:
        """Patients joined to ``patient_id`` by ``SIMILAR_TO``, best score first."""
        return self.store.read("cohort/similar_patients", id=patient_id, limit=limit)

    def begin_load(
        self,
        cohort: str,
        samples: int,
        command: str | None,
        inputs: Sequence[str] = (),
        options: str | None = None,
        *,
        superseded: Sequence[str] = (),
    ) -> None:
        """Record that an add-cohort of ``cohort`` (``samples`` patients) starts (``'adding'``).

        ``inputs`` are the samples' ``file_checksums_json`` and ``options`` the add's options
        (canonical JSON, or None): the record is the add of these files with these options
        (:func:`load_key`), and counts the cohort's patients that came from the files. An add
        with options takes over the record of the same files without options (an add recorded
        before options were kept, or the demo's): it adds every sample of those files again.
        ``superseded``: ids of the cohort's records removed in the same write.
        """
        self.store.write(
            "cohort/begin_cohort_load", id=load_key(cohort, inputs, options), cohort=cohort,
            samples=samples, inputs=sorted(set(inputs)), options=options,
            files_id=load_key(cohort, inputs), host=socket.gethostname(), pid=os.getpid(),
            command=command, superseded=list(superseded),
        )  # fmt: skip

    def finish_load(
        self,
        cohort: str,
        *,
        complete: bool = True,
        inputs: Sequence[str] = (),
        options: str | None = None,
    ) -> None:
        """Mark the add-cohort of ``inputs`` with ``options`` complete (after its last sample)."""
        status = "complete" if complete else "failed"
        self.store.write(
            "cohort/finish_cohort_load", id=load_key(cohort, inputs, options), status=status
        )

    def load_states(self, cohort: str) -> list[dict[str, Any]]:
        """The records of the add-cohorts of ``cohort`` (one per set of files), oldest first.

        ``status``, ``samples``, ``inputs``, ``options`` (absent without), ``command``,
        ``started_at``, and ``running``: whether the process that began it still runs.
        """
        out = []
        for row in self.store.read("cohort/get_cohort_load", cohort=cohort):
            load = dict(row["load"])
            for key in ("started_at", "completed_at"):  # native datetimes (UTC), as in memory
                if hasattr(load.get(key), "to_native"):
                    load[key] = load[key].to_native()
            # 'adding' by a live process (running: True) or left by a killed or failed one
            held = {
                "host": load.get("host"),
                "pid": load.get("pid"),
                "acquired_at": load.get("started_at"),
            }
            load["running"] = load.get("status") == "adding" and holder_alive(held)
            out.append(load)
        return out

    def add_lock(
        self, cohort: str, *, wait: float = 0.0, waiting: Callable[[str], None] | None = None
    ) -> AbstractContextManager[str]:
        """Hold ``cohort``'s lock for an add (:func:`medtwin.store.locks.cohort_lock`)."""
        return cohort_lock(self.store, cohort, "patient add-cohort", wait=wait, waiting=waiting)
