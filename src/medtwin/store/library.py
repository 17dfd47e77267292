"""The Cypher query library: read-only statements users run (``medtwin query``) or paste.

Each entry names a statement of ``cypher/query/``, the question it answers and its parameters
with an example value; values are always passed as parameters. The stores run an entry by its
library name (:meth:`~medtwin.store.neo4j.Neo4jStore.library_rows`); only this module knows which
``.cypher`` file that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from types import MappingProxyType

from medtwin.cypher.catalog import query
from medtwin.errors import InputError

__all__ = [
    "LIBRARY",
    "LibraryQuery",
    "LibraryRow",
    "LibraryValue",
    "library_file",
    "library_statement",
    "paths_statement",
]


LibraryValue = str | int | float | bool | None | datetime | date | time | list["LibraryValue"]
"""A value of a library row: plain Python; a path is ``A – B – C`` text, a node its name."""
LibraryRow = dict[str, LibraryValue]
"""One row of a library query: column -> value."""


@dataclass(frozen=True)
class LibraryQuery:
    """One library statement: its name, what it answers, its parameters (with examples)."""

    name: str
    question: str
    params: dict[str, str]  # parameter -> example value


_FILES: dict[str, str] = {}  # library name -> catalog statement


def _entry(statement: str, question: str, params: dict[str, str]) -> LibraryQuery:
    name = statement.removeprefix("query/")
    _FILES[name] = statement
    return LibraryQuery(name, question, params)


LIBRARY = MappingProxyType(
    {
        q.name: q
        for q in (
            _entry(
                "query/targets_and_interactors",
                "Targets of drug X and their interactors",
                {"drug": "Methotrexate"},
            ),
            _entry(
                "query/symptoms_cooccurring", "Symptoms co-occurring with Y", {"symptom": "Fever"}
            ),
            _entry(
                "query/diseases_sharing_genes",
                "Diseases sharing genes with Z",
                {"disease": "arthritis, rheumatoid"},
            ),
            _entry("query/twin_of_patient", "The twin of patient P", {"patient_id": "P1"}),
            _entry("query/regulon_of_tf", "The DoRothEA regulon of TF T", {"tf": "STAT1"}),
            _entry(
                "query/pathway_footprint", "The PROGENy footprint of pathway W", {"pathway": "MAPK"}
            ),
            _entry(
                "query/drug_perturbation",
                "The LINCS consensus signature of drug D",
                {"drug": "Methotrexate"},
            ),
            _entry(
                "query/drugs_ranked_for_patient",
                "Drugs ranked for patient P",
                {"patient_id": "P1", "limit": "20"},
            ),
            _entry(
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
)
"""Library name -> entry."""


def library_file(name: str) -> str:
    """The catalog name (``query/<file>``) of the library entry ``name``, for the runner.

    Raises
    ------
    InputError
        ``name`` is not in :data:`LIBRARY`; the message lists the valid names.
    """
    if name not in _FILES:
        raise InputError(f"unknown query {name!r}; valid: {', '.join(sorted(LIBRARY))}")
    return _FILES[name]


def library_statement(name: str) -> str:
    """The Cypher text of the library entry ``name`` (to paste into Neo4j Browser).

    Raises
    ------
    InputError
        ``name`` is not in :data:`LIBRARY`; the message lists the valid names.
    """
    return query(library_file(name))


def paths_statement() -> str:
    """The library's statement that draws a drug's shortest paths to a twin."""
    return library_statement("paths_drug_to_twin")
