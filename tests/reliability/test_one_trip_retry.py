"""The CLI's one-round-trip reads are retried after a transient fault, as managed ones are.

The data commands (``twin show``, ``patient show``, ...) read with ``read_once`` (an auto-commit
query, which the driver never retries). Before, a connection dropped under such a command (the
server restarted, a link cut) ended it with ``GraphStoreUnavailable`` and the user reran it;
``execute_query``'s reads retried. The fault is real: a TCP proxy in front of the test server
closes the driver's pooled connection when the query is sent on it.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from medtwin.errors import GraphStoreUnavailable
from medtwin.store import runner
from medtwin.store.connection import open_driver
from medtwin.store.neo4j import Neo4jStore
from tests.reliability.bolt_proxy import bolt_proxy

pytestmark = pytest.mark.neo4j


def _lean_store(neo4j_driver: Any, settings: Any, port: int) -> Neo4jStore:
    """A store as ``open_store(lean=True)`` makes it, through the proxy at ``port``."""
    through = settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{port}"})
    store = Neo4jStore(open_driver(through), through)
    store.one_trip_reads = True
    return store


def test_a_read_after_the_connections_dropped_is_retried(neo4j_driver, test_settings):
    with bolt_proxy(test_settings.neo4j_uri) as proxy:
        store = _lean_store(neo4j_driver, test_settings, proxy.port)
        try:
            assert store.patient_exists("NOBODY") is False  # a pooled connection now
            opened = proxy.accepted
            proxy.break_open()  # the pooled connection breaks under the next query
            assert store.patient_exists("NOBODY") is False  # was: GraphStoreUnavailable
            assert proxy.accepted > opened  # answered on a new connection
        finally:
            store.close()


def test_retries_are_bounded_and_the_error_is_the_same(neo4j_driver, test_settings):
    with bolt_proxy(test_settings.neo4j_uri) as proxy:
        store = _lean_store(neo4j_driver, test_settings, proxy.port)
        try:
            assert store.patient_exists("NOBODY") is False
            proxy.refuse = True  # the server is gone for good
            proxy.break_open()
            opened, started = proxy.accepted, time.monotonic()
            with pytest.raises(GraphStoreUnavailable, match="does not answer"):
                store.patient_exists("NOBODY")
            assert time.monotonic() - started < runner.ONE_TRIP_RETRY_S + 5
            # a new connection per attempt (the first may find the pooled one dead), no more
            n = runner.ONE_TRIP_ATTEMPTS
            assert n - 1 <= proxy.accepted - opened <= n
        finally:
            store.close()
