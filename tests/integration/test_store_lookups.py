"""Lookups on the real server: twin lookup errors as on the memory store, patient pages."""

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


def test_a_page_of_patients_from_an_offset_without_a_limit(
    clean_db: Any, test_settings: Any
) -> None:
    """`patient list --offset 1` failed for any offset: SKIP + the default LIMIT overflowed."""
    store = Neo4jStore(clean_db, test_settings)
    for pid in ("P3", "P1", "P2"):
        store.twins.merge_patient(pid, {})
    assert [r["id"] for r in store.twins.patients(offset=1)] == ["P2", "P3"]
    assert [r["id"] for r in store.twins.patients(offset=2, limit=5)] == ["P3"]
    assert store.twins.patients(offset=10) == []
