"""The Cypher query library users run from the CLI (``medtwin query``) or paste into the Browser.

The entries (:data:`medtwin.store.library.LIBRARY`) belong to the store, which alone knows their
Cypher; this module checks a user's parameters against an entry and asks the store for the rows.
Results are returned as plain rows; paths are rendered as text (``A – B – C``, by the store) so
they print in a terminal, while the Browser draws them.
"""

from __future__ import annotations

from typing import Any

from medtwin.errors import InputError
from medtwin.field_names import closest_name
from medtwin.store.base import GraphStore
from medtwin.store.library import LIBRARY, LibraryQuery, LibraryRow, library_statement
from medtwin.store.not_found import no_patient

__all__ = ["LIBRARY", "LibraryQuery", "example", "run_library_query", "statement"]


def run_library_query(store: GraphStore, name: str, params: dict[str, str]) -> list[LibraryRow]:
    """Run a library statement with string parameters (ints converted where the example is one)."""
    entry = LIBRARY.get(name)
    if entry is None:
        raise InputError(f"unknown query {name!r}; valid: {', '.join(sorted(LIBRARY))}")
    missing = sorted(set(entry.params) - set(params))
    if missing:
        raise InputError(
            f"query {name} needs parameter(s) {', '.join(missing)} (e.g. {example(entry)})"
        )
    # the server ignores a parameter its statement does not use: a misspelt `-p limt=5` ran with
    # no word, its value unused
    unknown = [k for k in params if k not in entry.params]
    if unknown:
        named = []
        for k in unknown:
            meant = closest_name(k, list(entry.params))
            named.append(f"{k!r}" + (f" (did you mean {meant!r}?)" if meant else ""))
        raise InputError(
            f"query {name} takes no parameter {', '.join(named)}",
            hint=f"its parameters: {example(entry)}",
        )
    typed: dict[str, Any] = {}
    for k, v in params.items():
        typed[k] = int(v) if entry.params.get(k, "").isdigit() and v.isdigit() else v
    rows = store.library_rows(entry.name, typed)
    # no row may mean no such patient: say so (it printed "0 rows", as for a twin without data);
    # read only then, so that an answer costs no second round trip
    patient_id = typed.get("patient_id")
    if not rows and isinstance(patient_id, str) and not store.patient_exists(patient_id):
        raise no_patient(patient_id)
    return rows


def example(entry: LibraryQuery) -> str:
    """The ``-p key=value`` options of ``entry``'s example (``-p tf=STAT1``)."""
    return " ".join(f"-p {k}={v}" for k, v in entry.params.items())


def statement(name: str) -> str:
    """The Cypher text of a library entry (to paste into the Browser)."""
    return library_statement(name)
