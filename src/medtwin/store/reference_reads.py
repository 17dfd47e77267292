"""Reads of the reference graph that the platform needs, as domain verbs (no Cypher names above).

Each method runs one ``.cypher`` file of the catalog and returns plain Python values, so
:mod:`medtwin.platform` never names a query file.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from medtwin.loaders.gene_names import clean_gene_name
from medtwin.name_key import name_key
from medtwin.store.library import paths_statement
from medtwin.store.runner import CypherRunner

__all__ = ["ReferenceStore"]


class ReferenceStore:
    """Reference-graph reads on a :class:`~medtwin.store.runner.CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    def ppi_edges(self) -> list[tuple[str, str]]:
        """Every interaction as an (a, b) pair of Entrez ids."""
        got = self.store.read("query/ppi_edges")[0]
        return list(zip(got["a"], got["b"], strict=True))

    def gene_table(self, names: Collection[str] | None = None) -> dict[str, list[Any]]:
        """Parallel lists ``entrez``, ``symbol``, ``synonyms``, ``hgnc``, ``ensembl`` of the genes.

        ``names``: only the genes whose symbol, a synonym or Ensembl id is one of them
        (case-insensitive; an Ensembl id's version ignored).
        """
        if names is None:
            got: dict[str, list[Any]] = self.store.read("query/gene_lookup")[0]
        else:
            upper = sorted({clean_gene_name(n).upper() for n in names})
            got = self.store.read("query/gene_lookup_names", names=upper)[0]
        return got

    def regulator_layers(self) -> dict[str, list[Any]]:
        """Parallel lists ``tf, target, mor`` (REGULATES) and ``pathway, gene, weight``."""
        got: dict[str, list[Any]] = self.store.read("query/regulator_layers")[0]
        return got

    def perturbations(self) -> dict[str, list[Any]]:
        """Parallel lists ``drug, gene, z`` of the PERTURBS layer (LINCS)."""
        got: dict[str, list[Any]] = self.store.read("query/perturbations")[0]
        return got

    def ligand_receptor_pairs(self) -> list[tuple[str, str]]:
        """(ligand, receptor) Entrez pairs of the ``BINDS`` layer."""
        return [
            (r["ligand"], r["receptor"]) for r in self.store.read("query/ligand_receptor_pairs")
        ]

    def disease_gene_sets(self, source: str) -> dict[str, tuple[str, list[str]]]:
        """Disease id -> (name, Entrez genes) of one disease–gene source."""
        rows = self.store.read("query/disease_gene_sets", source=source)
        return {r["disease_id"]: (r["name"], list(r["genes"])) for r in rows}

    def drug_targets(
        self,
        source: str,
        *,
        categories: list[str] | None,
        approved_only: bool,
        direction_fallback: str | None = None,
        drug_ids: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs of one target source: drug_id, name, groups, targets, directions."""
        return self.store.read(
            "query/drug_targets",
            source=source,
            categories=categories,
            approved_only=approved_only,
            direction_fallback=direction_fallback,
            drug_ids=drug_ids,
        )

    def protein_symbols(self, ids: list[str]) -> dict[str, str]:
        """Entrez id -> symbol (ids without a symbol left out)."""
        rows = self.store.read("query/protein_symbols", ids=ids)
        return {r["id"]: r["symbol"] for r in rows if r["symbol"]}

    def drug_info(self, drug_id: str) -> dict[str, Any] | None:
        """A drug with its targets of every source, or ``None``."""
        rows = self.store.read("query/drug_info", drug_id=drug_id)
        return rows[0] if rows else None

    def drugs_named(self, name: str, limit: int = 5) -> list[tuple[str, str, str | None]]:
        """(id, name, other name that matched) of drugs whose name or other name holds ``name``."""
        rows = self.store.read("query/drugs_named", key=name_key(name), limit=limit)
        return [(r["id"], r["name"], r["matched"]) for r in rows]

    def paths_statement(self) -> str:
        """The Cypher that draws a drug's shortest paths to a twin (for Neo4j Browser)."""
        return paths_statement()
