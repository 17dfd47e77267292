"""Helpers for integration tests: wiping the dedicated test database safely."""

from __future__ import annotations

import os

import neo4j

from medtwin.cypher.catalog import query
from medtwin.errors import ConfigError
from medtwin.settings import Settings
from medtwin.store.bulk_import import empty_database
from medtwin.store.server import LocalServer

__all__ = [
    "LARGE_TEST_DATABASE",
    "empty_large_test_database",
    "empty_test_database",
    "wipe_test_database",
]

# A second checkout (e.g. a git worktree) may run its own test server on another port; it names
# that port in MEDTWIN_TEST_BOLT_PORT. The user's server (7687) can never be named here.
_TEST_PORT = int(os.environ.get("MEDTWIN_TEST_BOLT_PORT", "7688"))


def wipe_test_database(driver: neo4j.Driver, settings: Settings) -> None:
    """Delete every node, relationship and in-memory GDS graph of the test server.

    Refuses unless the URI is the loopback test server (port 7688, or MEDTWIN_TEST_BOLT_PORT),
    so a test run can never empty a user's database.
    """
    if _TEST_PORT == 7687 or settings.neo4j_uri.rstrip("/") not in {
        f"bolt://127.0.0.1:{_TEST_PORT}",
        f"bolt://localhost:{_TEST_PORT}",
    }:
        raise ConfigError(f"refusing to wipe {settings.neo4j_uri}: not the test server")
    driver.execute_query(query("admin/drop_all_projections"), database_=settings.neo4j_database)
    # CALL { } IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    with driver.session(database=settings.neo4j_database) as session:
        session.run(query("admin/delete_all")).consume()


def empty_test_database(settings: Settings) -> float:
    """Replace the test server's database by an empty one (no schema); returns seconds.

    The importer with a header-only file (:func:`medtwin.store.bulk_import.empty_database`), with
    the server stopped and started: for benchmarks that empty the full reference, which Cypher
    deletes slowly and a small test heap may not survive. Refuses any server but the test
    server, like :func:`wipe_test_database`; Drivers opened before must reconnect.
    """
    if _TEST_PORT == 7687 or settings.neo4j_uri.rstrip("/") not in {
        f"bolt://127.0.0.1:{_TEST_PORT}",
        f"bolt://localhost:{_TEST_PORT}",
    }:
        raise ConfigError(f"refusing to empty {settings.neo4j_uri}: not the test server")
    return empty_database(LocalServer(settings))


LARGE_TEST_DATABASE = 200_000
"""Relationships above which a test session empties the database with the importer first."""


def empty_large_test_database(driver: neo4j.Driver, settings: Settings) -> bool:
    """Empty the test database with the importer when it holds a full reference; True if it did.

    ``make bench-demo`` / ``bench-load`` leave the whole reference (≈ 2 M relationships) in the
    test server; the per-test Cypher wipe of that takes many minutes on two cores and can exhaust
    a small heap. A session starting on such a database replaces it by an empty one instead
    (seconds); drivers opened before must reconnect. Refuses any server but the test server.
    """
    records, _, _ = driver.execute_query(
        query("admin/count_relationships"), database_=settings.neo4j_database
    )
    if int(records[0]["n"]) <= LARGE_TEST_DATABASE:
        return False
    empty_test_database(settings)
    return True
