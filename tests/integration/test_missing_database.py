"""A database name that the server does not have is a setting to fix, said as one.

Before: ``medtwin.connect(neo4j_database="nope")`` opened, and its first query failed with
``QueryFailed: query failed: Neo.ClientError.Database.DatabaseNotFound: Graph not found: nope``;
the CLI (``MEDTWIN_NEO4J_DATABASE=nope medtwin patient list``) printed the same.
"""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.errors import ConfigError
from medtwin.store.neo4j import Neo4jStore


def test_a_missing_database_is_a_config_error(neo4j_driver: Any, test_settings: Any) -> None:
    settings = test_settings.model_copy(update={"neo4j_database": "nope"})
    with Neo4jStore.open(settings) as store, pytest.raises(ConfigError) as got:
        store.twins.count_patients()
    assert "nope" in got.value.message
    assert "MEDTWIN_NEO4J_DATABASE" in (got.value.hint or "")


def test_connect_reports_a_missing_database_at_once(neo4j_driver: Any, test_settings: Any) -> None:
    """A notebook's ``connect`` sees the wrong name, not its first use case (before: it opened)."""
    from medtwin.store.neo4j import connect

    with pytest.raises(ConfigError, match="no such database") as got:
        connect(test_settings, neo4j_database="nope")
    assert "MEDTWIN_NEO4J_DATABASE" in (got.value.hint or "")
    with connect(test_settings) as store:  # the configured database: opens as before
        assert store.audit_actor is not None
