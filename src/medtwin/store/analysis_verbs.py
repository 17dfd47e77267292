"""The store's verbs of what is computed on a twin (insights, tissues, rankings, ...).

Its insights, tissues, phenotype module, drug rankings and the regulator network's centrality:
protocols :class:`medtwin.store.base.GraphStore` is made of (``store.insights``,
``store.tissues``, ``store.phenotype_modules``, ``store.rankings``,
``store.regulator_network``), with the number of drugs a ranking keeps as relationships
(:data:`RANKING_TOP_N`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from medtwin.store.regulator_network import RegulatorCentrality

__all__ = [
    "RANKING_TOP_N",
    "InsightVerbs",
    "PhenotypeModuleVerbs",
    "RankingVerbs",
    "RegulatorNetworkVerbs",
    "TissueVerbs",
]


class InsightVerbs(Protocol):
    """Twin insights (see :class:`~medtwin.store.insights.InsightStore`)."""

    def resemblances(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored disease resemblance of a twin, closest first (empty when none)."""
        ...

    def replace_resemblances(self, twin_id: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the twin's resemblance rows in one step; the number written."""
        ...

    def biomarkers(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored biomarker suggestions of a twin (key, rank, suggestion_json), best first."""
        ...

    def replace_biomarkers(self, twin_id: str, key: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the twin's biomarker suggestions (entrez, rank, suggestion_json) for ``key``."""
        ...

    def ligands(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that are ligands of the cell–cell layer."""
        ...


class TissueVerbs(Protocol):
    """A twin's tissue layer (see :class:`~medtwin.store.tissues.TissueStore`)."""

    def set_scores(
        self, twin_id: str, *, tissues: list[dict[str, Any]], cell_types: list[dict[str, Any]]
    ) -> int:
        """Store meta-network scores on the twin's tissues and cell types."""
        ...

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types of the twin's tissues with scores and signal counts, most central first."""
        ...

    def signals(self, twin_id: str) -> list[dict[str, Any]]:
        """Signalling links of the tissue layer, cross-tissue first."""
        ...


class PhenotypeModuleVerbs(Protocol):
    """Symptom vocabulary reads and a twin's phenotype module (``PhenotypeStore``)."""

    def known_terms(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The ids that are Symptom or Phenotype terms → ``{name, kind}``."""
        ...

    def cooccurrence(self, ids: list[str]) -> list[tuple[str, str, float, str]]:
        """Co-occurrence edges ``(a, b, weight, kind)`` touching any of ``ids``."""
        ...

    def genes(self, ids: list[str]) -> dict[str, list[str]]:
        """Term id → annotated genes."""
        ...

    def save_module(
        self,
        twin_id: str,
        patient_id: str,
        *,
        props: dict[str, Any],
        terms: list[dict[str, Any]],
        genes: list[dict[str, Any]],
    ) -> None:
        """Store the twin's phenotype module with its terms and linked genes."""
        ...

    def module(self, twin_id: str) -> dict[str, Any] | None:
        """The twin's phenotype module ``{module, terms, genes}``, or ``None``."""
        ...


# Why 100: the first two default pages (limit 50), every cohort summary up to --top 100 and the
# Browser/Bloom examples read relationships only; 100 of ~5,000 drugs keeps the graph part of a
# ranking at 2 % of the old size. Each store's module reads its copy at call time (tests lower it).
RANKING_TOP_N = 100


class RankingVerbs(Protocol):
    """Stored drug rankings (see :class:`~medtwin.store.rankings.RankingStore`)."""

    def save_ranking(
        self,
        twin_id: str,
        ranking_id: str,
        meta: dict[str, Any],
        rows: Sequence[dict[str, Any]],
        *,
        custom: bool = False,
    ) -> dict[str, Any]:
        """Store a ranking (rows best first) and publish it atomically.

        Returns ``meta`` with the published ranking's ``id``, ``twin_id`` and ``created_at``.
        """
        ...

    def latest_ranking(
        self,
        patient_id: str,
        version: int | None = None,
        targets: Sequence[str] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """``(twin, ranking)`` of the latest (or given) complete twin, or ``None``.

        ``targets``: only rankings made with one of these target sources (``None``: any).
        """
        ...

    def ranking_page(
        self,
        ranking: dict[str, Any],
        offset: int = 0,
        limit: int = 50,
        drug_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs ``offset .. offset+limit`` (or the one ``drug_id``): ``{drug_name, score}``."""
        ...


class RegulatorNetworkVerbs(Protocol):
    """Upstream-regulator centrality in GDS (:mod:`medtwin.store.regulator_network`)."""

    def centrality(
        self,
        reference_key: str,
        seeds: Mapping[str, float],
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
        column_budget: int | None = None,
    ) -> RegulatorCentrality:
        """Personalised PageRank of the seeds and their Louvain communities.

        More than ``column_budget`` missing PageRank columns: no scores, the seeds in
        ``pending``. The in-memory store raises :class:`~medtwin.errors.UnsupportedByStore`
        (the caller then computes in process).
        """
        ...

    def edges(self, reference_key: str) -> tuple[list[str], list[str]]:
        """The shared projection's edges as two lists of node ids, each pair once."""
        ...

    def edges_kept(self, reference_key: str) -> bool:
        """Whether :meth:`edges` would be a cheap read (kept on disk), not a GDS stream."""
        ...

    def prefill_columns(
        self,
        reference_key: str,
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
    ) -> tuple[int, float]:
        """Compute every TF's PageRank column before a batch of twins: ``(computed, seconds)``.

        The in-memory store raises :class:`~medtwin.errors.UnsupportedByStore` (nothing to fill).
        """
        ...
