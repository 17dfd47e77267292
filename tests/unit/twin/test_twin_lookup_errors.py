"""A twin lookup that finds nothing says what is missing: the patient, or its (such) twin."""

from __future__ import annotations

import pytest

from medtwin.errors import InputError, NotFoundError
from medtwin.store.base import GraphStore
from medtwin.store.memory import MemoryStore


def _lookups(store: GraphStore) -> None:
    # pytest matches the message and then the notes (the hint: medtwin.errors), hence (\n|$)
    with pytest.raises(NotFoundError, match="^no patient NOPE(\n|$)") as err:
        store.twins.twin("NOPE")
    assert "medtwin patient add NOPE" in (err.value.hint or "")
    with pytest.raises(NotFoundError, match="^no patient NOPE(\n|$)"):
        store.twins.twin("NOPE", 2)
    with pytest.raises(NotFoundError, match="^patient P1 has no twin(\n|$)") as err:
        store.twins.twin("P1")
    assert "medtwin twin build P1" in (err.value.hint or "")
    with pytest.raises(NotFoundError, match="^patient P1 has no twin version 0(\n|$)"):
        store.twins.twin("P1", 0)  # was "has no twin": 0 read as no version
    for bad in ("1", 1.0, True):
        with pytest.raises(InputError, match="a twin version is an integer"):
            store.twins.twin("P1", bad)  # type: ignore[arg-type]


def test_memory_store() -> None:
    store = MemoryStore()
    store.twins.merge_patient("P1", {})
    _lookups(store)
