"""The store's reads of the reference graph (:class:`ReferenceReads`, ``store.reference``).

One of the protocols :class:`medtwin.store.base.GraphStore` is made of.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol

__all__ = ["ReferenceReads"]


class ReferenceReads(Protocol):
    """Reads of the reference graph (see :class:`~medtwin.store.reference_reads.ReferenceStore`)."""

    def ppi_edges(self) -> list[tuple[str, str]]:
        """Every interaction as an (a, b) pair of Entrez ids."""
        ...

    def gene_table(self, names: Collection[str] | None = None) -> dict[str, list[Any]]:
        """Parallel lists ``entrez``, ``symbol``, ``synonyms``, ``hgnc``, ``ensembl`` of the genes.

        ``names``: only the genes whose symbol, a synonym or Ensembl id is one of them
        (case-insensitive, an Ensembl version ignored), which is all a resolver of those names
        needs.
        """
        ...

    def ligand_receptor_pairs(self) -> list[tuple[str, str]]:
        """(ligand, receptor) Entrez pairs of the ``BINDS`` layer."""
        ...

    def regulator_layers(self) -> dict[str, list[Any]]:
        """Parallel lists ``tf, target, mor`` (REGULATES) and ``pathway, gene, weight``."""
        ...

    def perturbations(self) -> dict[str, list[Any]]:
        """Parallel lists ``drug, gene, z`` of the PERTURBS layer."""
        ...

    def disease_gene_sets(self, source: str) -> dict[str, tuple[str, list[str]]]:
        """Disease id -> (name, Entrez genes) of one disease–gene source."""
        ...

    def drug_targets(
        self,
        source: str,
        *,
        categories: list[str] | None,
        approved_only: bool,
        direction_fallback: str | None = None,
        drug_ids: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs of one target source: drug_id, name, groups and lists aligned with targets.

        The lists: targets, directions, direction_sources, symbols, known_actions.
        ``direction_fallback``: a second source whose inhibit/activate direction stands in where
        ``source`` gives none for the same (drug, target) pair; ``direction_sources`` names the
        source of each direction (``source``, or the fallback where it filled one in).
        ``drug_ids``: only these drugs (a ranking page), instead of every drug of the source.
        """
        ...

    def protein_symbols(self, ids: list[str]) -> dict[str, str]:
        """Entrez id -> symbol (ids without a symbol left out)."""
        ...

    def drug_info(self, drug_id: str) -> dict[str, Any] | None:
        """A drug (drug_id, name, targets: entrez, symbol, source, direction), or ``None``."""
        ...

    def drugs_named(self, name: str, limit: int = 5) -> list[tuple[str, str, str | None]]:
        """(id, name, matched) of up to ``limit`` drugs whose name or other name holds ``name``.

        Any case. ``matched`` is the other name (a later source's, e.g. DrugCentral's INN) that
        matched, ``None`` when the name did. Each drug is ordered by its best name: exact names
        first, then names beginning with it, then shorter names, then ids.
        """
        ...

    def paths_statement(self) -> str:
        """The Cypher that draws a drug's shortest paths to a twin, to paste into the Browser.

        Its parameters are ``drug_id``, ``twin_id``, ``source`` and ``max_hops``.
        """
        ...
