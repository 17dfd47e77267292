"""The import itself: the server stopped, ``neo4j-admin`` run, the schema and datasets written.

Or the importer's kept output copied back instead of running it; the server is started again
after either. The steps :class:`medtwin.store.bulk.LocalBulkImporter` runs once the CSV files
are written, and :func:`empty_database` (the importer with a header-only file) for tests and
benchmarks.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from medtwin.cypher.catalog import query, statements
from medtwin.store.bulk_csv import BulkFiles
from medtwin.store.connection import open_driver, translate_errors
from medtwin.store.dataset_node import count_lines
from medtwin.store.runner import CypherRunner
from medtwin.store.server import LocalServer

__all__ = ["DatasetRecord", "database_is_empty", "empty_database", "import_graph", "write_datasets"]

log = logging.getLogger(__name__)

# One ``Dataset`` node to write after an import: (name, properties, row counts, seconds).
DatasetRecord = tuple[str, dict[str, Any], dict[str, int], float]


def database_is_empty(store: CypherRunner) -> bool:
    """Whether the database holds no node at all (the bulk importer replaces the database)."""
    got = store.read("admin/any_node")
    return not (got and got[0]["any"])


def empty_database(server: LocalServer) -> float:
    """Replace the database with an empty one (no schema either); returns the importer's seconds.

    The importer with a header-only file: much faster than deleting a large graph with Cypher
    (which a small test heap may not survive). The server is stopped and started around it as
    for an import; Drivers must reconnect afterwards. For tests and benchmarks.
    """
    home = server.settings.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home, prefix="bulk-empty-") as tmp:
        path = Path(tmp) / "nodes_empty.csv"
        path.write_text("id:ID\n", encoding="utf-8")
        return server.import_full([("BulkEmpty", path)], [])


def _create_schema(store: CypherRunner) -> None:
    """Every constraint and index of ``schema/constraints`` in ONE transaction.

    Created together, the indexes of a label are populated in one scan of the imported store
    instead of one scan per statement.
    """
    with (
        translate_errors(store.settings.neo4j_uri),
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        for statement in statements("schema/constraints"):
            tx.run(statement).consume()
        tx.commit()


def write_datasets(store: CypherRunner, datasets: Sequence[DatasetRecord]) -> None:
    """The ``Dataset`` nodes of an import, in ONE write transaction.

    Each through ``load/start_dataset`` then ``load/finish_dataset``, the incremental path's
    statements, so the nodes are the same; one commit instead of two per dataset.
    """
    with (
        translate_errors(store.settings.neo4j_uri),
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        for name, props, counts, seconds in datasets:
            tx.run(query("load/start_dataset"), id=name, props=props).consume()
            tx.run(
                query("load/finish_dataset"),
                id=name,
                counts=count_lines(counts),
                rows=sum(counts.values()),
                seconds=seconds,
            ).consume()
        tx.commit()


def import_graph(
    files: BulkFiles,
    server: LocalServer,
    store: CypherRunner,
    *,
    stopping: Future[bool] | None = None,
    saved: Path | None = None,
    keep: Callable[[Callable[[Path], None]], object] | None = None,
) -> dict[str, Any]:
    """Import the CSV ``files`` with the server stopped, then create the schema.

    ``stopping`` is a server stop already under way (begun while the rows were parsed);
    otherwise the server is stopped here. It is started again afterwards (also when the import
    fails) if it was running. Constraints and indexes are created in one transaction. Returns
    the seconds of each phase and ``counts``.

    ``saved``: database files the importer made of these same ``files`` earlier
    (:meth:`LocalServer.save_database`); they are copied back instead of importing again.
    ``keep``: called with :meth:`LocalServer.save_database` right after an import, while the
    server is still stopped, to keep the importer's output for a later ``saved``.
    """
    figures: dict[str, Any] = {}
    was_running = False
    try:
        t0 = time.perf_counter()
        was_running = stopping.result() if stopping is not None else server.stop()
        figures["stop_wait_seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        if saved is not None:
            server.load_database(saved)
            figures["restore_seconds"] = time.perf_counter() - t0
        else:
            figures["import_seconds"] = server.import_full(
                files.nodes, files.relationships, multiline=files.multiline
            )
            if keep is not None:
                t0 = time.perf_counter()
                keep(server.save_database)
                figures["keep_seconds"] = time.perf_counter() - t0
    finally:
        t0 = time.perf_counter()
        if was_running:
            server.start()
        figures["start_seconds"] = time.perf_counter() - t0
    # The import starts a new transaction log: a Driver's bookmarks from before it point past its
    # end, so this process reconnects (other clients must too, as after `db restore`).
    store.driver.close()
    store.driver = open_driver(store.settings)
    # Its constraint indexes are populated before it commits, the other indexes in the
    # background.
    t0 = time.perf_counter()
    _create_schema(store)
    figures["schema_seconds"] = time.perf_counter() - t0
    figures["counts"] = files.counts
    figures["sources"] = files.sources
    log.info("bulk import: %s", {k: v for k, v in figures.items() if k.endswith("seconds")})
    return figures
