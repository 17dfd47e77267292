"""Reference-graph reads of the in-memory store."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from medtwin.loaders.actions import with_fallback
from medtwin.loaders.gene_names import clean_gene_name
from medtwin.name_key import name_key
from medtwin.store.library import paths_statement
from medtwin.store.memory.state import MemoryData

__all__ = ["MemoryReference"]


class MemoryReference:
    """Reference-graph reads over :class:`~medtwin.store.memory.MemoryStore`'s dictionaries."""

    def __init__(self, store: MemoryData) -> None:
        self.store = store

    def ppi_edges(self) -> list[tuple[str, str]]:
        """Every interaction once, as loaded, sorted."""
        return sorted(self.store.ppi)

    def gene_table(self, names: Collection[str] | None = None) -> dict[str, list[Any]]:
        """Parallel lists of the genes that have a symbol (``names``: as the protocol says)."""
        genes = [(e, g) for e, g in sorted(self.store.genes.items()) if g.get("symbol")]
        if names is not None:
            wanted = {clean_gene_name(n).upper() for n in names}
            genes = [
                (e, g)
                for e, g in genes
                if {
                    str(x).upper()
                    for x in [g["symbol"], *(g.get("synonyms") or []), g.get("ensembl") or ""]
                }
                & wanted
            ]
        return {
            "entrez": [e for e, _ in genes],
            "symbol": [g["symbol"] for _, g in genes],
            "synonyms": [list(g.get("synonyms") or []) for _, g in genes],
            "hgnc": [g.get("hgnc") or "" for _, g in genes],
            "ensembl": [g.get("ensembl") or "" for _, g in genes],
        }

    def ligand_receptor_pairs(self) -> list[tuple[str, str]]:
        """(ligand, receptor) pairs as seeded."""
        return list(self.store.lr_pairs)

    def regulator_layers(self) -> dict[str, list[Any]]:
        """Regulon and footprint layers as seeded (empty lists when none)."""
        return {k: list(v) for k, v in self.store.regulator_tables.items()}

    def perturbations(self) -> dict[str, list[Any]]:
        """The memory store holds no perturbation layer: empty lists."""
        return {"drug": [], "gene": [], "z": []}

    def disease_gene_sets(self, source: str) -> dict[str, tuple[str, list[str]]]:
        """Disease id -> (name, genes) of one source."""
        return {
            d: (name, sorted(genes))
            for d, (name, genes) in self.store.disease_genes.get(source, {}).items()
        }

    def drug_targets(
        self,
        source: str,
        *,
        categories: list[str] | None,
        approved_only: bool,
        direction_fallback: str | None = None,
        drug_ids: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs with at least one target of ``source`` (same filters as the Cypher)."""
        out = []
        wanted = None if drug_ids is None else set(drug_ids)
        for drug_id, d in sorted(self.store.drugs.items()):
            if approved_only and "approved" not in (d.get("groups") or []):
                continue
            if wanted is not None and drug_id not in wanted:
                continue
            targets = sorted(
                (
                    t
                    for t in d["targets"]
                    if t["source"] == source
                    and t["entrez"] in self.store.genes
                    and (categories is None or t.get("category") in (None, *categories))
                ),
                key=lambda t: t["entrez"],
            )
            if targets:
                directions = [
                    with_fallback(
                        t.get("direction"),
                        [
                            f.get("direction")
                            for f in d["targets"]
                            if direction_fallback is not None
                            and f["source"] == direction_fallback
                            and f["entrez"] == t["entrez"]
                        ],
                    )
                    for t in targets
                ]
                out.append(
                    {
                        "drug_id": drug_id,
                        "name": d.get("name"),
                        "groups": d.get("groups"),
                        "targets": [t["entrez"] for t in targets],
                        "directions": directions,
                        # the fallback filled exactly the directions it changed
                        "direction_sources": [
                            source if got == t.get("direction") else direction_fallback
                            for t, got in zip(targets, directions, strict=True)
                        ],
                        "symbols": [
                            self.store.genes.get(t["entrez"], {}).get("symbol") or ""
                            for t in targets
                        ],
                        "known_actions": [t.get("known_action") or "" for t in targets],
                    }
                )
        return out

    def protein_symbols(self, ids: list[str]) -> dict[str, str]:
        """Entrez id -> symbol for ids with a symbol."""
        return {i: s for i in ids if (s := self.store.genes.get(i, {}).get("symbol"))}

    def drugs_named(self, name: str, limit: int = 5) -> list[tuple[str, str, str | None]]:
        """(id, name, other name that matched) of drugs whose name or other name holds ``name``."""
        wanted = name_key(name)

        def order(text: str) -> tuple[bool, bool, int, str]:
            key = name_key(text)
            return (key != wanted, not key.startswith(wanted), len(text), text)

        found = []
        for d_id, d in self.store.drugs.items():
            names = [n for n in [d.get("name"), *(d.get("other_names") or [])] if n]
            hits = sorted((str(n) for n in names if wanted in name_key(str(n))), key=order)
            if hits:
                found.append((order(hits[0])[:3], d_id, str(d["name"]), hits[0]))
        found.sort(key=lambda x: (x[0], x[1]))
        return [(d_id, n, None if hit == n else hit) for _, d_id, n, hit in found[:limit]]

    def drug_info(self, drug_id: str) -> dict[str, Any] | None:
        """A drug with its targets of every source, or ``None``."""
        d = self.store.drugs.get(drug_id)
        if d is None:
            return None
        return {
            "name": d.get("name"),
            "groups": d.get("groups"),
            "targets": [
                {
                    "entrez": t["entrez"],
                    "symbol": self.store.genes.get(t["entrez"], {}).get("symbol"),
                    "source": t["source"],
                    "actions": t.get("actions"),
                    "direction": t.get("direction"),
                    "category": t.get("category"),
                    "known_action": t.get("known_action"),
                }
                for t in d["targets"]
                if t["entrez"] in self.store.genes
            ],
        }

    def paths_statement(self) -> str:
        """The Cypher the real store gives (the text only: nothing runs it here)."""
        return paths_statement()
