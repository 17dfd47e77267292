"""Stored rankings of the in-memory store (the best ``TOP_N`` rows apart, as in Neo4j)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medtwin.store.analysis_verbs import RANKING_TOP_N
from medtwin.store.memory.state import MemoryData, RankingState, now
from medtwin.store.memory.twins import MemoryTwins

TOP_N = RANKING_TOP_N  # read at call time (tests lower it to exercise the table)
__all__ = ["TOP_N", "MemoryRankings"]


class MemoryRankings:
    """Stored rankings, as :class:`~medtwin.store.rankings.RankingStore` keeps them in Neo4j.

    A ranking keeps its best :data:`~medtwin.store.rankings.TOP_N` rows apart (the ``SCORES``
    relationships in Neo4j) and every row in its table; a page inside the top is cut from the top
    rows, any other page and a ``drug_id`` look-up from the table. Saving replaces the ranking of
    the same id whole; scores never carry ``drug_name`` (a Drug node, or the targets file's row,
    names the drug).
    """

    def __init__(self, store: MemoryData, twins: MemoryTwins) -> None:
        self.store = store
        self.twins = twins

    def save_ranking(
        self,
        twin_id: str,
        ranking_id: str,
        meta: dict[str, Any],
        rows: Sequence[dict[str, Any]],
        *,
        custom: bool = False,
    ) -> dict[str, Any]:
        """Store a ranking (``rows`` with ``rank`` and ``drug_id``) and publish it at once."""
        twin = self.store.twin_of(twin_id)
        ordered = sorted((dict(r) for r in rows), key=lambda r: int(r["rank"]))
        table = [{k: v for k, v in r.items() if custom or k != "drug_name"} for r in ordered]
        top_n = min(TOP_N, len(ordered))
        props = {k: v for k, v in meta.items() if v is not None}
        props.update(
            id=ranking_id,
            twin_id=twin_id,
            patient_id=twin.props["patient_id"],
            created_at=now(),
            status="complete",
            table_format="memory",
            table_rows=len(ordered),
            top_n=top_n,
        )
        with self.store._lock:
            twin.rankings[ranking_id] = RankingState(props=props, table=table, custom=custom)
        return {**meta, "id": ranking_id, "twin_id": twin_id, "created_at": props["created_at"]}

    def latest_ranking(
        self,
        patient_id: str,
        version: int | None = None,
        targets: Sequence[str] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """``(twin, ranking)`` of the patient's latest (or given) complete twin, or ``None``."""
        got = self.twins.twins(patient_id, version)
        if not got:
            return None
        t = got[0]
        twin = {
            "id": t["id"], "patient_id": patient_id, "version": t["version"],
            "rules": t.get("rules"),
            "module_z": t.get("module_z"), "module_p": t.get("module_p"),
            "input_checksums_json": t.get("input_checksums_json"),
            "inputs": self.twins.input_digests(patient_id),
        }  # fmt: skip
        stored = [
            r
            for r in self.store.twin_of(t["id"]).rankings.values()
            if targets is None or r.props.get("targets") in targets
        ]
        latest = max(stored, key=lambda r: r.props["created_at"], default=None)
        return twin, dict(latest.props) if latest is not None else None

    def ranking_page(
        self,
        ranking: dict[str, Any],
        offset: int = 0,
        limit: int = 50,
        drug_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs ``offset .. offset+limit`` (or the one ``drug_id``) as ``{drug_name, score}``."""
        r = self.store.twin_of(ranking["twin_id"]).rankings.get(ranking["id"])
        if r is None:
            return []
        if drug_id is not None:
            rows = [x for x in r.table if x["drug_id"] == drug_id]
        elif offset + limit <= int(r.props["top_n"]):
            rows = r.table[: int(r.props["top_n"])][max(offset, 0) : offset + limit]
        else:
            rows = r.table[max(offset, 0) : max(offset, 0) + max(limit, 0)]
        out = []
        for row in rows:
            score = {k: v for k, v in row.items() if k != "drug_name" and v is not None}
            name = row.get("drug_name") if r.custom else self._name(row["drug_id"])
            out.append({"drug_name": name, "score": score})
        return out

    def top_lists(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """Ranks ``1..top`` of each patient's latest ranking, by patient id (a cohort summary).

        Items as :meth:`medtwin.store.cohorts.CohortStore.top_lists`: ``patient_id``,
        ``twin_id``, ``ranking_id``, ``targets``, ``rules`` and ``drugs`` (``rank``,
        ``drug_id``, ``drug_name``, ``q``, ``direction``); a patient without one is left out.
        """
        out = []
        for pid in sorted(set(ids) & set(self.store.patients)):
            got = self.latest_ranking(pid)
            twin, props = got if got is not None else ({}, None)
            if props is None:
                continue
            r = self.store.twin_of(twin["id"]).rankings[props["id"]]
            drugs = [
                {
                    "rank": row["rank"],
                    "drug_id": row["drug_id"],
                    "drug_name": row.get("drug_name") if r.custom else self._name(row["drug_id"]),
                    "q": row.get("q"),
                    "direction": row.get("direction"),
                }
                for row in r.table[:top]  # best first: ranks 1..top
            ]
            if drugs:
                out.append(
                    {
                        "patient_id": pid,
                        "twin_id": twin["id"],
                        "ranking_id": props["id"],
                        "targets": props.get("targets"),
                        "rules": props.get("rules"),
                        "drugs": drugs,
                    }
                )
        return out

    def _name(self, drug_id: str) -> str | None:
        drug = self.store.drugs.get(drug_id)
        return None if drug is None else drug.get("name")
