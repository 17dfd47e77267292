"""A closed Neo4j store (``medtwin.connect()`` then ``close()``) is one clear StoreClosed error.

Before: ``GraphStoreError: driver error talking to bolt://…: Driver closed`` (the driver's words,
no way out). The in-memory store's side: ``tests/unit/store/test_closed_store.py``.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from medtwin.errors import StoreClosed
from medtwin.platform import patients, rankings, twins

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize(
    "use",
    [
        lambda s: patients.list_patients(s),
        lambda s: twins.build_twin(s, "P1"),
        lambda s: rankings.rank_drugs(s, "P1"),
        lambda s: s.read("health/ping"),
    ],
)
def test_every_use_of_a_closed_neo4j_store_is_store_closed(
    neo4j_driver: Any, test_settings: Any, use: Any, caplog: Any
) -> None:
    from medtwin.store.neo4j import connect

    with connect(test_settings) as store:
        pass
    with caplog.at_level(logging.ERROR), pytest.raises(StoreClosed) as got:
        use(store)
    assert str(got.value) == (
        f"the store <Neo4jStore {store.identity}> is closed; "
        "open a new one with `medtwin.connect()`"
    )
    assert not caplog.records  # no "call not audited" error beside it
    store.close()  # closing again is fine
    assert repr(store).endswith("(closed)>")
