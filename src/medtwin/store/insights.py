"""Reads and writes behind the twin's insights: disease resemblance, biomarkers, trajectories.

Domain verbs over the ``insight/*`` Cypher files, so :mod:`medtwin.platform` names no query.
Stored results hang off the patient-specific ``Twin`` node (``RESEMBLES`` relationships), so they
are versioned with the twin and deleted with the patient.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from medtwin.store.runner import CypherRunner

__all__ = ["InsightStore"]


def _finite(x: Any) -> Any:
    return None if isinstance(x, float) and not math.isfinite(x) else x


class InsightStore:
    """Insight reads and writes on a :class:`~medtwin.store.runner.CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    def resemblances(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored disease resemblance of a twin, closest first (empty when none)."""
        return self.store.read("insight/get_resemblances", twin_id=twin_id)

    def replace_resemblances(self, twin_id: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the twin's ``RESEMBLES`` relationships with ``rows`` in one transaction.

        Each row: disease_id, rank, d_c, z, p, q, s_ab, shared, n_genes, n_samples, seed, source.
        Returns the number of relationships written (0 when the twin is not complete).
        """
        clean = [{k: _finite(v) for k, v in r.items()} for r in rows]
        got = self.store.write("insight/replace_resemblances", twin_id=twin_id, rows=clean)
        return int(got[0]["n"]) if got else 0

    def biomarkers(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored biomarker suggestions of a twin (key, rank, suggestion_json), best first."""
        return self.store.read("insight/get_biomarkers", twin_id=twin_id)

    def replace_biomarkers(self, twin_id: str, key: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the twin's ``SUGGESTS_BIOMARKER`` relationships in one transaction.

        ``rows``: entrez, rank, suggestion_json, computed for ``key``. Returns the number written.
        """
        got = self.store.write(
            "insight/replace_biomarkers", twin_id=twin_id, key=key, rows=list(rows)
        )
        return int(got[0]["n"]) if got else 0

    def ligands(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that are ligands of the cell–cell (``BINDS``) layer."""
        if not ids:
            return set()
        return {r["id"] for r in self.store.read("insight/ligands", ids=list(ids))}
