"""The Cypher query library users run from the CLI (``medtwin query``) or paste into the Browser.

Each entry names a read-only statement of ``cypher/query/`` and its parameters; values are always
passed as parameters. Results are returned as plain rows; paths are rendered as text
(``A – B – C``, by the store) so they print in a terminal, while the Browser draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medtwin.cypher.catalog import query
from medtwin.errors import InputError
from medtwin.store.base import GraphStore

__all__ = ["LIBRARY", "LibraryQuery", "run_library_query"]


@dataclass(frozen=True)
class LibraryQuery:
    """One library statement: its catalog name, what it answers, its parameters."""

    name: str
    question: str
    params: dict[str, str]  # parameter -> example value


LIBRARY: dict[str, LibraryQuery] = {
    q.name.removeprefix("query/"): q
    for q in (
        LibraryQuery(
            "query/targets_and_interactors",
            "Targets of drug X and their interactors",
            {"drug": "Methotrexate"},
        ),
        LibraryQuery(
            "query/symptoms_cooccurring", "Symptoms co-occurring with Y", {"symptom": "Fever"}
        ),
        LibraryQuery(
            "query/diseases_sharing_genes",
            "Diseases sharing genes with Z",
            {"disease": "arthritis, rheumatoid"},
        ),
        LibraryQuery("query/twin_of_patient", "The twin of patient P", {"patient_id": "P1"}),
        LibraryQuery("query/regulon_of_tf", "The DoRothEA regulon of TF T", {"tf": "STAT1"}),
        LibraryQuery(
            "query/pathway_footprint", "The PROGENy footprint of pathway W", {"pathway": "MAPK"}
        ),
        LibraryQuery(
            "query/drug_perturbation",
            "The LINCS consensus signature of drug D",
            {"drug": "Methotrexate"},
        ),
        LibraryQuery(
            "query/drugs_ranked_for_patient",
            "Drugs ranked for patient P",
            {"patient_id": "P1", "limit": "20"},
        ),
        LibraryQuery(
            "query/paths_drug_to_twin",
            "Paths from drug D to the twin of patient P",
            {
                "drug_id": "DB00563",
                "twin_id": "P1@v1",
                "source": "drugbank_dhimmel",
                "max_hops": "3",
            },
        ),
    )
}


def run_library_query(store: GraphStore, name: str, params: dict[str, str]) -> list[dict[str, Any]]:
    """Run a library statement with string parameters (ints converted where the example is one)."""
    entry = LIBRARY.get(name)
    if entry is None:
        raise InputError(f"unknown query {name!r}; valid: {', '.join(sorted(LIBRARY))}")
    missing = sorted(set(entry.params) - set(params))
    if missing:
        raise InputError(
            f"query {name} needs parameter(s) {', '.join(missing)} "
            f"(e.g. {' '.join(f'-p {k}={v}' for k, v in entry.params.items())})"
        )
    typed: dict[str, Any] = {}
    for k, v in params.items():
        typed[k] = int(v) if entry.params.get(k, "").isdigit() and v.isdigit() else v
    return store.library_rows(entry.name, typed)


def statement(name: str) -> str:
    """The Cypher text of a library entry (to paste into the Browser)."""
    return query(LIBRARY[name].name)
