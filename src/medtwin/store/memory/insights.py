"""Phenotype modules and twin insights of the in-memory store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medtwin.schema import Label
from medtwin.store.memory.state import MemoryData, TwinState

__all__ = ["MemoryInsights", "MemoryPhenotypeModules"]


def _complete_twin(store: MemoryData, twin_id: str) -> TwinState | None:
    """The twin if it is complete (what the graph's writes of its insights match on)."""
    t = store.twin_or_none(twin_id)
    return t if t is not None and t.props.get("status") == "complete" else None


def _by_rank(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((dict(r) for r in rows), key=lambda r: r["rank"])


class MemoryPhenotypeModules:
    """Phenotype modules over the store's ``phenotypes`` and ``cooccurrences``."""

    def __init__(self, store: MemoryData) -> None:
        self.store = store

    def known_terms(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Seeded terms among ``ids``."""
        return {
            i: {"name": t.get("name"), "kind": t.get("kind", Label.PHENOTYPE.value)}
            for i in ids
            if (t := self.store.phenotypes.get(i)) is not None
        }

    def cooccurrence(self, ids: list[str]) -> list[tuple[str, str, float, str]]:
        """Seeded co-occurrence edges touching ``ids``."""
        wanted = set(ids)
        return [e for e in self.store.cooccurrences if e[0] in wanted or e[1] in wanted]

    def genes(self, ids: list[str]) -> dict[str, list[str]]:
        """Seeded term genes."""
        return {
            i: sorted(t.get("genes", ()))
            for i in ids
            if (t := self.store.phenotypes.get(i)) is not None and t.get("genes")
        }

    def save_module(
        self,
        twin_id: str,
        patient_id: str,
        *,
        props: dict[str, Any],
        terms: list[dict[str, Any]],
        genes: list[dict[str, Any]],
    ) -> None:
        """Keep the module on the twin (replaced by a second save, as one node per twin)."""
        known = self.known_terms([t["id"] for t in terms])
        rows = [
            {
                "id": t["id"],
                "name": known.get(t["id"], {}).get("name"),
                "kind": known.get(t["id"], {}).get("kind"),
                "role": t["role"],
                "weight": t["weight"],
            }
            for t in terms
            if t["id"] in known  # as MATCH in the graph: unknown terms get no link
        ]
        rows.sort(key=lambda r: (r["role"] != "presented", -(r["weight"] or 0.0), r["id"]))
        symbol = {e: g.get("symbol") for e, g in self.store.genes.items()}
        linked = [
            {"entrez": g["entrez"], "symbol": symbol[g["entrez"]], "via": g["via"]}
            for g in genes
            if g["entrez"] in symbol
        ]
        linked.sort(key=lambda g: g["symbol"] or "")
        self.store.twin_of(twin_id).phenotype_module = {
            "module": dict(props),
            "terms": rows,
            "genes": linked,
        }

    def module(self, twin_id: str) -> dict[str, Any] | None:
        """The twin's stored module, or ``None``."""
        t = self.store.twin_or_none(twin_id)
        return None if t is None or t.phenotype_module is None else dict(t.phenotype_module)


class MemoryInsights:
    """Twin insights (resemblances live on the twin, like RESEMBLES in Neo4j)."""

    def __init__(self, store: MemoryData) -> None:
        self.store = store

    def resemblances(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored rows of a twin, by rank (empty when none or no such twin)."""
        t = self.store.twin_or_none(twin_id)
        return [] if t is None else _by_rank(t.resemblances)

    def replace_resemblances(self, twin_id: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the rows of a complete twin; 0 when the twin is missing or not complete."""
        t = _complete_twin(self.store, twin_id)
        if t is None:
            return 0
        diseases = {d for sets in self.store.disease_genes.values() for d in sets}
        known = [dict(r) for r in rows if r["disease_id"] in diseases]
        t.resemblances = known
        return len(known)

    def biomarkers(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored suggestions of a twin, best first (empty when none or no such twin)."""
        t = self.store.twin_or_none(twin_id)
        return [] if t is None else _by_rank(t.biomarkers)

    def replace_biomarkers(self, twin_id: str, key: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the suggestions of a complete twin; 0 when it is missing or not complete."""
        t = _complete_twin(self.store, twin_id)
        if t is None:
            return 0
        t.props["biomarkers_key"] = key  # what they (possibly none) were computed for
        t.biomarkers = [
            {"key": key, "rank": r["rank"], "suggestion_json": r["suggestion_json"]}
            for r in rows
            if r["entrez"] in self.store.genes
        ]
        return len(t.biomarkers)

    def ligands(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that are the ligand of a seeded pair."""
        ligands = {lig for lig, _ in self.store.lr_pairs}
        return {i for i in ids if i in ligands}
