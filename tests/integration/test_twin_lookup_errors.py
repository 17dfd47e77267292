"""The same twin lookup errors on the real server as on the memory store."""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.store.neo4j import Neo4jStore
from tests.unit.twin.test_twin_lookup_errors import _lookups

pytestmark = pytest.mark.neo4j


def test_neo4j_store(clean_db: Any, test_settings: Any) -> None:
    store = Neo4jStore(clean_db, test_settings)
    store.twins.merge_patient("P1", {})
    _lookups(store)
