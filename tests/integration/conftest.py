"""A tiny reference graph seeded through the real load path, for twin and ranking tests."""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.store.tiny import seed_tiny_reference


@pytest.fixture
def tiny_reference(clean_db: Any, test_settings: Any) -> Any:
    """A 60-protein interactome (two dense clusters joined by a path), 3 drugs, 2 LR pairs."""
    from medtwin.platform.context import reference_context
    from medtwin.store.neo4j import Neo4jStore

    reference_context().clear()
    store = Neo4jStore(clean_db, test_settings)
    return store, seed_tiny_reference(store)
