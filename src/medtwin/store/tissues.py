"""A twin's tissue layer in Neo4j: tissues, their cell types, signalling, meta-network scores.

Store verbs for :mod:`medtwin.platform.tissues`. Every node written here (``Tissue``,
``CellType``) is patient-specific: it carries ``patient_id`` and ``twin_id`` and hangs under
its twin, so it is versioned with the twin and deleted with the patient.
"""

from __future__ import annotations

from typing import Any

from medtwin.store.runner import CypherRunner

__all__ = ["TissueStore"]


class TissueStore:
    """Tissue-layer operations on a :class:`~medtwin.store.runner.CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    def create_layer(
        self,
        twin_id: str,
        patient_id: str,
        cell_types: list[dict[str, Any]],
        signals: list[dict[str, Any]],
    ) -> int:
        """Create tissues, their cell types and the signalling links; returns cell types made.

        Parameters
        ----------
        twin_id, patient_id
            The twin (status ``'building'``) and its patient.
        cell_types
            Rows ``{tissue, name, genes}`` (genes: Entrez ids changed in the cell type).
        signals
            Rows ``{source_tissue, source, target_tissue, target, pairs, cross_tissue}``.
        """
        got = self.store.write(
            "twin/create_tissues", twin_id=twin_id, patient_id=patient_id, rows=cell_types
        )
        if signals:
            self.store.write("twin/create_tissue_signals", twin_id=twin_id, rows=signals)
        return int(got[0]["n"]) if got else 0

    def set_scores(
        self, twin_id: str, *, tissues: list[dict[str, Any]], cell_types: list[dict[str, Any]]
    ) -> int:
        """Store meta-network scores (``meta_pagerank``, ``meta_rank``) on the twin's nodes."""
        got = self.store.write(
            "twin/set_tissue_scores", twin_id=twin_id, tissues=tissues, cell_types=cell_types
        )
        return int(got[0]["n"]) if got else 0

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types of the twin's tissues with scores and signal counts, most central first."""
        return self.store.read("twin/get_twin_tissues", twin_id=twin_id)

    def signals(self, twin_id: str) -> list[dict[str, Any]]:
        """Signalling links of the tissue layer, cross-tissue first."""
        return self.store.read("twin/get_twin_tissue_signals", twin_id=twin_id)
