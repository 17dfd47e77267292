"""A database restored under a running process: its queries say so, not "query failed".

The sweep of stop 45 restored a backup while `medtwin serve` ran: every request then waited for a
transaction the database no longer had and ended in a 500 "query failed: …BookmarkTimeout".
"""

from __future__ import annotations

import neo4j.exceptions as nx
import pytest

from medtwin.errors import GraphStoreUnavailable, QueryFailed
from medtwin.store.connection import translate_errors


def _raise(code: str) -> None:
    raise nx.Neo4jError._hydrate_neo4j(code=code, message="Database 'neo4j' not up to …")


def test_a_bookmark_from_the_future_is_unavailable_with_the_fix() -> None:
    with (
        pytest.raises(GraphStoreUnavailable, match="restored or replaced") as got,
        translate_errors("bolt://127.0.0.1:7687"),
    ):
        _raise("Neo.TransientError.Transaction.BookmarkTimeout")
    assert "restart" in (got.value.hint or "")
    # another transient error stays a failed query
    with pytest.raises(QueryFailed), translate_errors("bolt://127.0.0.1:7687"):
        _raise("Neo.TransientError.Transaction.DeadlockDetected")
