"""Which load statement writes each row kind, and the rows as that statement's parameters.

The incremental load (:meth:`medtwin.store.neo4j.Neo4jStore.merge_rows`) sends each batch of
rows to the ``cypher/load/`` statement :func:`query_for_row` names (the CREATE variant for a
dataset never loaded), with :func:`row_params` as its ``$rows``. No database driver is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, get_origin

from pydantic import BaseModel

from medtwin.errors import InputError

__all__ = ["query_for_row", "row_params"]


@cache
def _row_queries() -> dict[type[BaseModel], str]:
    """The catalog statement that writes each row model.

    Imported at a load's first batch: a data command imports no row model (~5 ms of start-up).
    """
    from medtwin.loaders import rows as R

    return {
        R.GeneRow: "load/merge_proteins",
        R.InteractionRow: "load/merge_interactions",
        R.DrugRow: "load/merge_drugs",
        R.DrugTargetRow: "load/merge_drug_targets",
        R.DiseaseRow: "load/merge_diseases",
        R.DiseaseGeneRow: "load/merge_disease_genes",
        R.SymptomRow: "load/merge_symptoms",
        R.DiseaseSymptomRow: "load/merge_disease_symptoms",
        R.PhenotypeRow: "load/merge_phenotypes",
        R.PhenotypeIsARow: "load/merge_phenotype_is_a",
        R.GenePhenotypeRow: "load/merge_gene_phenotypes",
        R.DiseasePhenotypeRow: "load/merge_disease_phenotypes",
        R.LigandReceptorRow: "load/merge_ligand_receptors",
        R.RegulationRow: "load/merge_regulations",
        R.FootprintRow: "load/merge_footprints",
        R.PerturbationRow: "load/merge_perturbations",
        R.CoOccurrenceRow: _SYMPTOM_COOCCURRENCE,  # or the phenotypes': by the row's label
    }


_SYMPTOM_COOCCURRENCE = "load/merge_symptom_cooccurrence"


# CREATE instead of MERGE for the edges of a dataset that was never loaded (nothing to match),
# ~3x faster for the three largest edge sets; reruns and resumed loads always MERGE.
_FRESH_QUERIES: dict[str, str] = {
    "load/merge_interactions": "load/create_interactions",
    "load/merge_gene_phenotypes": "load/create_gene_phenotypes",
    "load/merge_disease_phenotypes": "load/create_disease_phenotypes",
    "load/merge_perturbations": "load/create_perturbations",
}


def query_for_row(row: BaseModel, *, fresh: bool = False) -> str:
    """Name of the catalog statement that writes rows of ``row``'s type.

    ``fresh`` selects the CREATE variant where one exists (dataset never loaded before).
    """
    name = _query_for_row(row)
    return _FRESH_QUERIES.get(name, name) if fresh else name


def _query_for_row(row: BaseModel) -> str:
    name = _row_queries().get(type(row))
    if name is None:
        raise InputError(f"no load statement for rows of type {type(row).__name__}")
    if name == _SYMPTOM_COOCCURRENCE and getattr(row, "label", None) != "Symptom":
        return "load/merge_phenotype_cooccurrence"
    return name


def row_params(rows: Sequence[BaseModel]) -> list[dict[str, Any]]:
    """Rows of one type as statement parameters, an empty list as null (no property).

    Neo4j keeps no element type for an empty list, and the offline importer cannot write one
    (:mod:`medtwin.store.bulk_graph` leaves the cell empty): both load paths therefore store an
    empty list as no property, so they build the same graph and a bulk import needs no pass to
    set lists after it. Readers take a missing list as empty (``coalesce(x, [])``, ``or ()``).

    >>> from medtwin.loaders import rows as R
    >>> row_params([R.DrugRow(id="DB1", name="x", drug_type=None, groups=(), atc_codes=("A",),
    ...                       inchikey=None, source="s", source_version="1")])[0]["groups"] is None
    True
    """
    out = [r.model_dump(mode="json") for r in rows]
    for k in _list_fields(type(rows[0])) if rows else ():  # most row kinds have none
        for d in out:
            if not d[k]:
                d[k] = None
    return out


@cache
def _list_fields(kind: type[BaseModel]) -> tuple[str, ...]:
    return tuple(
        name for name, f in kind.model_fields.items() if get_origin(f.annotation) in (tuple, list)
    )
