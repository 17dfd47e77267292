"""Benchmark-only store verbs.

Used by ``benchmarks/bench_cohort.py`` to put 10,000+ twins and rankings in the database in
seconds (not through the pipeline), with the shape of real ones, to measure reads at scale; and by
``benchmarks/bench_describe.py`` to time ``describe`` without the counts a load keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medtwin.cypher.catalog import query
from medtwin.store.connection import translate_errors
from medtwin.store.neo4j import Neo4jStore

__all__ = ["BenchStore"]


class BenchStore:
    """Synthetic-patient operations on a :class:`~medtwin.store.neo4j.Neo4jStore`."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def clone_patients(
        self, sources: Sequence[str], ids: Sequence[str], cohort: str, *, batch: int = 250
    ) -> dict[str, int]:
        """Copy ranked patient ``sources[i % len(sources)]`` as ``ids[i]``; return counts."""
        out = {"patients": 0, "includes": 0, "scores": 0}
        rows = [{"source": sources[i % len(sources)], "id": pid} for i, pid in enumerate(ids)]
        for i in range(0, len(rows), batch):
            got = self.store.write("bench/clone_patients", rows=rows[i : i + batch], cohort=cohort)
            for k in out:
                out[k] += int(got[0][k] or 0) if got else 0
        return out

    def drop_count_cache(self) -> int:
        """Remove ``describe``'s kept counts (``make bench-describe``); returns nodes removed."""
        got = self.store.write("bench/drop_count_cache")
        return int(got[0]["n"]) if got else 0

    def delete_clones(self, prefix: str) -> None:
        """Delete every patient whose id starts with ``prefix`` (batched transactions)."""
        with (
            translate_errors(self.store.settings.neo4j_uri),
            self.store.driver.session(database=self.store.database) as session,
        ):
            session.run(query("bench/delete_clones"), prefix=prefix).consume()

    def ranking_sizes(self, prefix: str) -> dict[str, Any]:
        """Per ranking of ``prefix`` patients: mean table and score-line bytes, rows, SCORES."""
        return self.store.read("bench/ranking_sizes", prefix=prefix)[0]
