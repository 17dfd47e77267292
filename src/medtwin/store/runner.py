"""Runs the Cypher catalog's statements on one Neo4j database (what every Neo4j store builds on).

:class:`CypherRunner` holds the Driver and the settings and runs a catalog statement by name as a
read or a write, converting driver values to plain Python (temporal values become
:class:`datetime.datetime`), so no driver type leaves ``store/``.
:class:`~medtwin.store.neo4j.Neo4jStore` is one; its sub-stores (:mod:`medtwin.store.twins`,
:mod:`medtwin.store.rankings`, ...) take one, so they need not import the store that wires them.
"""

from __future__ import annotations

from typing import Any, LiteralString

import neo4j

from medtwin.cypher.catalog import query, statements
from medtwin.settings import Settings
from medtwin.store.connection import translate_errors

__all__ = ["CypherRunner", "iso", "to_plain", "write_metadata"]


def to_plain(value: Any) -> Any:
    """Driver values → plain Python: temporal values via ``to_native``, containers recursively."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Date | neo4j.time.Time):
        return value.to_native()
    return value


def write_metadata(statement: str) -> dict[str, str]:
    """Transaction metadata of medtwin's writes (``SHOW TRANSACTIONS`` shows it as ``metaData``)."""
    return {"medtwin": "write", "statement": statement}


def iso(value: Any) -> Any:
    """Driver temporal values → ISO 8601 text; anything else unchanged."""
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Date | neo4j.time.Time):
        return value.iso_format()
    return value


class CypherRunner:
    """Runs catalog statements on one Neo4j database.

    Parameters
    ----------
    driver
        The process's Driver.
    settings
        Database name, URI (for messages) and batch size.
    """

    one_trip_reads: bool = False
    """:meth:`read` runs as :meth:`read_once` (one round trip, no retry). The CLI's data commands
    set it (``open_store(lean=True)``): ``twin show`` makes ten reads, and a managed transaction's
    second round trip (COMMIT) cost each of them 2-130 ms of a loaded machine's wall time."""

    def __init__(self, driver: neo4j.Driver, settings: Settings) -> None:
        self.driver = driver
        self.settings = settings
        self.database = settings.neo4j_database

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the catalog statement ``name`` as a read; records as dicts of plain values."""
        if self.one_trip_reads:
            return self.read_once(name, **params)
        return [to_plain(r) for r in self._read_data(name, params)]

    def _read_data(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with translate_errors(self.settings.neo4j_uri):
            records, _, _ = self.driver.execute_query(
                query(name), params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        return [r.data() for r in records]

    def read_once(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Like :meth:`read`, in one round trip: an auto-commit query, not a managed transaction.

        A managed transaction (``execute_query``) sends BEGIN+RUN+PULL, then COMMIT after the
        records arrive: two round trips. The API's hot single-statement reads (the latest
        ranking) run as one auto-commit query instead (RUN+PULL): 0.84 -> 0.61 ms of client CPU
        and a round trip less per request (``make bench-api``). It shares ``execute_query``'s
        bookmark manager, so it still sees this process's earlier writes; it is not retried on
        a transient error (a read of a few rows: the caller's error maps to 503 as before).
        """
        with (
            translate_errors(self.settings.neo4j_uri),
            self.driver.session(
                database=self.database,
                default_access_mode=neo4j.READ_ACCESS,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            ) as session,
        ):
            return [to_plain(r.data()) for r in session.run(query(name), params)]

    def read_raw(
        self, name: str, *, timeout_s: float | None = None, **params: Any
    ) -> list[dict[str, Any]]:
        """Like :meth:`read` but keeps graph values (nodes, paths) as driver objects.

        ``timeout_s``: the server stops the transaction after that many seconds.
        """
        with translate_errors(self.settings.neo4j_uri):
            records, _, _ = self.driver.execute_query(
                neo4j.Query(query(name), timeout=timeout_s),
                params,
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
            )
        return [{key: r[key] for key in r.keys()} for r in records]  # noqa: SIM118

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the catalog statement ``name`` in one write transaction.

        The transaction carries :func:`write_metadata`, so ``SHOW TRANSACTIONS`` tells it from a
        read even between its statements (``medtwin db backup`` names it).
        """
        with translate_errors(self.settings.neo4j_uri):
            records, _, _ = self.driver.execute_query(
                neo4j.Query(query(name), metadata=write_metadata(name)),
                params,
                database_=self.database,
            )
        return [to_plain(r.data()) for r in records]

    def _write_batch(self, text: LiteralString, batch: list[dict[str, Any]]) -> None:
        @neo4j.unit_of_work(metadata=write_metadata("merge"))
        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(text, rows=batch).consume()

        with (
            translate_errors(self.settings.neo4j_uri),
            self.driver.session(database=self.database) as session,
        ):
            session.execute_write(work)

    def ensure_schema(self) -> None:
        """Create constraints and indexes (idempotent)."""
        with translate_errors(self.settings.neo4j_uri):
            for statement in statements("schema/constraints"):
                self.driver.execute_query(statement, database_=self.database)
