"""The Cypher query library users run from the CLI (``medtwin query``) or paste into the Browser.

The entries (:data:`medtwin.store.library.LIBRARY`) belong to the store, which alone knows their
Cypher; this module checks a user's parameters against an entry and asks the store for the rows.
Results are returned as plain rows; paths are rendered as text (``A – B – C``, by the store) so
they print in a terminal, while the Browser draws them.
"""

from __future__ import annotations

from typing import Any

from medtwin.errors import InputError
from medtwin.store.base import GraphStore
from medtwin.store.library import LIBRARY, LibraryQuery, LibraryRow, library_statement

__all__ = ["LIBRARY", "LibraryQuery", "run_library_query", "statement"]


def run_library_query(store: GraphStore, name: str, params: dict[str, str]) -> list[LibraryRow]:
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
    return library_statement(name)
