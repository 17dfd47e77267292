"""A closed in-memory store refuses every use, as a closed Neo4j store does, with the way out.

Before, ``MemoryStore.close()`` did nothing and the store went on answering, so a notebook tried
on it failed only on the database (``GraphStoreError: driver error talking to …: Driver closed``).
``tests/integration/test_closed_store.py`` checks the Neo4j store.
"""

from __future__ import annotations

import pytest

from medtwin.errors import GraphStoreError, StoreClosed
from medtwin.platform import patients, rankings, twins
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


def _closed() -> MemoryStore:
    with MemoryStore() as store:
        store.add_reference(genes={"1": "A", "2": "B"}, ppi=[("1", "2")])
        patients.add_patient(store, profile())
    return store


@pytest.mark.parametrize(
    "use",
    [
        lambda s: patients.list_patients(s),
        lambda s: patients.get_patient(s, "P1"),
        lambda s: twins.build_twin(s, "P1"),
        lambda s: rankings.rank_drugs(s, "P1"),
        lambda s: s.twins.patients(),
        lambda s: s.add_reference(genes={"3": "C"}),
    ],
)
def test_every_use_of_a_closed_memory_store_is_store_closed(use):
    store = _closed()
    with pytest.raises(StoreClosed) as got:
        use(store)
    assert isinstance(got.value, GraphStoreError)
    assert str(got.value) == (
        f"the store <MemoryStore {store.identity}> is closed; open a new one with `MemoryStore()`"
    )
    assert "with MemoryStore() as store:" in (got.value.hint or "")


def test_closing_twice_is_fine_and_the_repr_says_closed():
    store = _closed()
    store.close()
    assert repr(store) == f"<MemoryStore {store.identity} (closed)>"
    assert isinstance(store, MemoryStore)


def test_an_open_store_is_unchanged():
    store = MemoryStore()
    assert patients.list_patients(store) == []
