"""The API on an in-memory store (no Neo4j): the ``store`` and ``client`` of every test here.

``store`` is the small reference of :func:`tests.unit.services.conftest.reference_store`; a
module that needs another reference overrides ``store`` alone. These tests never talk to the
test server, so they run on the worker without it (``tests/conftest.STANDALONE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.store.memory import MemoryStore
from tests.api.conftest import TestClient, memory_client
from tests.unit.services.conftest import reference_store


@pytest.fixture
def store() -> MemoryStore:
    return reference_store()


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    yield from memory_client(store)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The app's ``/openapi.json`` (an empty memory store: the document holds no data)."""
    for c in memory_client(MemoryStore()):
        r = c.get("/openapi.json")
        assert r.status_code == 200
        return r.json()
    raise AssertionError("no client")
