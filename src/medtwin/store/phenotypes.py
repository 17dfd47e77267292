"""Phenotype modules in Neo4j: co-occurrence and annotation reads, the twin's module node.

Store verbs for :mod:`medtwin.platform.phenotype_module`. Reads touch the reference layers
(``CO_OCCURS_WITH``, ``HAS_PHENOTYPE``, ``HAS_SYMPTOM``/``ASSOCIATED_WITH``); the one write creates
the patient-specific ``PhenotypeModule`` node under its twin (versioned with the twin, deleted with
the patient through its ``patient_id``).
"""

from __future__ import annotations

from typing import Any

from medtwin.store.runner import CypherRunner

__all__ = ["PhenotypeStore"]


class PhenotypeStore:
    """Phenotype-module operations on a :class:`~medtwin.store.runner.CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    def known_terms(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The ids that are Symptom or Phenotype nodes → ``{name, kind}``."""
        rows = self.store.read("phenotype/known_terms", ids=ids)
        return {r["id"]: {"name": r["name"], "kind": r["kind"]} for r in rows}

    def cooccurrence(self, ids: list[str]) -> list[tuple[str, str, float, str]]:
        """Co-occurrence edges ``(a, b, weight, kind)`` touching any of ``ids``."""
        rows = self.store.read("phenotype/cooccurrence", ids=ids)
        return [(r["a"], r["b"], float(r["weight"] or 0.0), str(r["kind"])) for r in rows]

    def genes(self, ids: list[str]) -> dict[str, list[str]]:
        """Term id → annotated genes (HPO annotations; HSDN symptom → disease genes)."""
        rows = self.store.read("phenotype/term_genes", ids=ids)
        return {r["id"]: list(r["genes"]) for r in rows}

    def save_module(
        self,
        twin_id: str,
        patient_id: str,
        *,
        props: dict[str, Any],
        terms: list[dict[str, Any]],
        genes: list[dict[str, Any]],
    ) -> None:
        """Create the twin's ``PhenotypeModule`` with its terms and linked genes."""
        self.store.write(
            "phenotype/create_module",
            twin_id=twin_id,
            patient_id=patient_id,
            props=props,
            terms=terms,
            genes=genes,
        )

    def module(self, twin_id: str) -> dict[str, Any] | None:
        """The twin's phenotype module ``{module, terms, genes}``, or ``None``."""
        rows = self.store.read("phenotype/get_module", twin_id=twin_id)
        return rows[0] if rows else None
