"""Runs the Cypher catalog's statements on one Neo4j database (what every Neo4j store builds on).

:class:`CypherRunner` holds the Driver and the settings and runs a catalog statement by name as a
read or a write, converting driver values to plain Python (temporal values become
:class:`datetime.datetime`), so no driver type leaves ``store/``.
:class:`~medtwin.store.neo4j.Neo4jStore` is one; its sub-stores (:mod:`medtwin.store.twins`,
:mod:`medtwin.store.rankings`, ...) take one, so they need not import the store that wires them.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import exceptions as nx

from medtwin.cypher.catalog import query, statements
from medtwin.settings import Settings
from medtwin.store.connection import translate_errors

__all__ = [
    "ONE_TRIP_ATTEMPTS",
    "ONE_TRIP_RETRY_S",
    "CypherRunner",
    "iso",
    "retry_transient",
    "to_plain",
    "write_metadata",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

ONE_TRIP_ATTEMPTS = 4
"""Most attempts of a one-round-trip read (:meth:`CypherRunner.read_once`), the first included."""

ONE_TRIP_RETRY_S = 10.0
"""No new attempt of a one-round-trip read starts later than this after the first failed.

The driver's managed transactions retry for up to 30 s (``max_transaction_retry_time``); a
read of a few rows that a user waits for gives up sooner, with the same error as before."""

_NOT_RETRIED = frozenset({"Neo.TransientError.Transaction.BookmarkTimeout"})
"""Transient by code but never cured by waiting: the database was restored under this process
(:func:`~medtwin.store.connection.translate_errors` says to restart it)."""


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


def _retryable(error: Exception) -> bool:
    """Whether a managed transaction would be retried after ``error``, less :data:`_NOT_RETRIED`.

    The driver's own test, ``is_retryable()``: ServiceUnavailable, SessionExpired and most
    TransientErrors.
    """
    if isinstance(error, nx.Neo4jError) and error.code in _NOT_RETRIED:
        return False
    return isinstance(error, nx.DriverError | nx.Neo4jError) and error.is_retryable()


def retry_transient(
    run: Callable[[], T],
    *,
    attempts: int = ONE_TRIP_ATTEMPTS,
    within_s: float = ONE_TRIP_RETRY_S,
    first_delay_s: float = 0.5,
) -> T:
    """``run()``, again after a transient driver error, as a managed transaction would be.

    Up to ``attempts`` calls, none started more than ``within_s`` after the first failure; the
    waits double from ``first_delay_s`` with the driver's ±20 % jitter. The last error is raised
    (untranslated: the caller's :func:`~medtwin.store.connection.translate_errors` names it).
    Only for work that may run twice: a read.
    """
    failed_at: float | None = None
    delay = first_delay_s
    for attempt in range(1, attempts + 1):
        try:
            return run()
        except (nx.DriverError, nx.Neo4jError) as e:
            now = time.monotonic()
            failed_at = now if failed_at is None else failed_at
            wait = delay * random.uniform(0.8, 1.2)  # jitter, not a secret
            if not _retryable(e) or attempt == attempts or now + wait - failed_at > within_s:
                raise
            log.info("read failed, attempt %d of %d in %.1f s (%s)", attempt + 1, attempts, wait, e)
            time.sleep(wait)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


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
    """:meth:`read` runs as :meth:`read_once` (one round trip; retried). The CLI's data commands
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
        bookmark manager, so it still sees this process's earlier writes. A transient error
        (the server restarted, a connection dropped, ``TransientError``) runs it again, bounded
        (:func:`retry_transient`), as ``execute_query`` retries its transaction; the driver
        retries no auto-commit query itself. The records are all read inside an attempt, so a
        retry never returns part of a result.
        """
        text = query(name)

        def once() -> list[dict[str, Any]]:
            with self.driver.session(
                database=self.database,
                default_access_mode=neo4j.READ_ACCESS,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            ) as session:
                return [to_plain(r.data()) for r in session.run(text, params)]

        with translate_errors(self.settings.neo4j_uri):
            return retry_transient(once)

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

    def write_once(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Like :meth:`write`, in one round trip: an auto-commit query (RUN+PULL, no COMMIT).

        Only for a statement that may run twice (it MERGEs on a unique id, as the audit events
        do): a transient error runs it again (:func:`retry_transient`), and an attempt whose
        answer was lost may have committed. :meth:`write`'s managed transaction sends BEGIN+RUN+
        PULL and then COMMIT, a second round trip, which on a loaded machine waits for the
        server's thread again. The write sees this process's earlier reads and writes (the
        bookmark manager of ``execute_query``) and carries :func:`write_metadata` too.
        """
        text = neo4j.Query(query(name), metadata=write_metadata(name))

        def once() -> list[dict[str, Any]]:
            with self.driver.session(
                database=self.database,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            ) as session:
                return [to_plain(r.data()) for r in session.run(text, params)]

        with translate_errors(self.settings.neo4j_uri):
            return retry_transient(once)

    def write_together(self, *steps: tuple[str, dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """Run catalog statements ``(name, params)`` in order in ONE write transaction.

        Returns each statement's rows. One commit instead of one per statement: each commit
        waits for the transaction log to reach the disk, which on a busy machine cost a ranking's
        store step ~30-250 ms a statement (stop 54).
        """
        names = "+".join(name for name, _ in steps)

        @neo4j.unit_of_work(metadata=write_metadata(names))
        def work(tx: neo4j.ManagedTransaction) -> list[list[dict[str, Any]]]:
            return [[to_plain(r.data()) for r in tx.run(query(n), p)] for n, p in steps]

        with (
            translate_errors(self.settings.neo4j_uri),
            self.driver.session(database=self.database) as session,
        ):
            return session.execute_write(work)

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
