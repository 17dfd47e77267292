"""Bulk import of the reference graph into an empty database with ``neo4j-admin database import``.

The incremental path (:meth:`medtwin.store.neo4j.Neo4jStore.merge_rows`) sends rows to the
``cypher/load/*.cypher`` statements, which ``MERGE`` nodes and relationships one batch at a time.
For an empty database Neo4j's offline importer writes the store files directly and is an order
of magnitude faster, but it only creates: it cannot merge. The rows are therefore applied to a
:class:`~medtwin.store.bulk_graph.BulkGraph` in memory first, with the load statements' MERGE
semantics, and written as CSV files for the importer.

The importer needs the server stopped and an empty (here: overwritten) database; constraints
and indexes are created after it. The ``Dataset`` provenance nodes are imported with the graph,
with the properties the incremental path's ``load/start_dataset`` and ``load/finish_dataset``
give them (:mod:`medtwin.store.dataset_node`); a copy of kept database files gets them from
those statements instead (all in one transaction). The import's steps with the server are in
:mod:`medtwin.store.bulk_import`; a dataset may be built in another process meanwhile
(:mod:`medtwin.store.bulk_aside`).
"""

from __future__ import annotations

import dataclasses
import logging
import logging.handlers
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from medtwin.gc_pause import paused_gc
from medtwin.store import graph_counts
from medtwin.store.bulk_aside import AsideProcess
from medtwin.store.bulk_csv import AsideResult, BulkFiles, write_node_file
from medtwin.store.bulk_graph import BulkGraph, RowBuild
from medtwin.store.bulk_import import DatasetRecord, database_is_empty, import_graph, write_datasets
from medtwin.store.dataset_node import dataset_node
from medtwin.store.runner import CypherRunner
from medtwin.store.server import LocalServer
from medtwin.store.server_install import NEO4J_VERSION

__all__ = ["FilesCache", "LocalBulkImporter"]

log = logging.getLogger(__name__)


class FilesCache(Protocol):
    """Where CSV files are kept between imports (:class:`medtwin.store.bulk_cache.BulkCache`)."""

    def get(self, key: str) -> tuple[BulkFiles, dict[str, Any]] | None: ...  # noqa: D102

    def put(  # noqa: D102
        self, key: str, write: Callable[[Path], BulkFiles], meta: dict[str, Any]
    ) -> BulkFiles: ...

    def database(self, key: str, version: str) -> Path | None: ...  # noqa: D102

    def put_database(  # noqa: D102
        self, key: str, version: str, save: Callable[[Path], None]
    ) -> Path | None: ...


class LocalBulkImporter:
    """The bulk importer of the local server (:class:`~medtwin.store.server.LocalServer`).

    With a ``cache`` (a :class:`FilesCache`: :class:`~medtwin.store.bulk_cache.BulkCache`) the
    CSV files are kept, keyed by the caller's fingerprint of the source files, so importing the
    same reference again skips parsing, the in-memory MERGE and the CSV writing
    (:meth:`import_cached`); so are the database files the importer made of them, copied while
    the server is still stopped after the import, so that a re-import copies them back instead
    of running ``neo4j-admin`` again.
    """

    def __init__(
        self, store: CypherRunner, server: LocalServer, *, cache: FilesCache | None = None
    ) -> None:
        self.store = store
        self.server = server
        self.cache = cache
        self._pool: ThreadPoolExecutor | None = None
        self._stopping: Future[bool] | None = None
        self._asides: list[AsideProcess] = []
        self._aside_dir: Path | None = None

    def is_available(self) -> bool:
        """Whether the project-managed server is installed and running (it serves the store)."""
        return self.server.is_installed() and self.server.pid() is not None

    def is_empty(self) -> bool:
        """Whether the database holds no node."""
        return database_is_empty(self.store)

    def write_datasets(self, datasets: Sequence[DatasetRecord]) -> None:
        """Write the import's ``Dataset`` nodes in one transaction (``bulk_import``'s)."""
        write_datasets(self.store, datasets)

    def refresh_counts(self, figures: dict[str, Any] | None = None) -> bool:
        """Keep ``describe``'s counts of the imported graph (:mod:`medtwin.store.graph_counts`).

        ``figures`` of :meth:`import_rows` / :meth:`import_cached` carry the counts per source
        the CSV files were written with; checked against the database's totals, they spare the
        count (2.4-5 s on a just-started server).
        """
        if figures is not None and "counts" in figures and "sources" in figures:
            return graph_counts.keep(self.store, figures["counts"], figures["sources"])
        return graph_counts.refresh(self.store)

    def begin(self) -> None:
        """Start stopping the server in the background (the caller parses meanwhile).

        :meth:`import_rows` waits for it and starts the server again; a caller that gives up
        before that calls :meth:`abort`.
        """
        if self._stopping is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="bulk-stop")
            self._stopping = self._pool.submit(self.server.stop)

    def start_aside(self, build: RowBuild) -> AsideProcess:
        """Start building one dataset in another process (:class:`AsideProcess`).

        Its handle goes into :meth:`import_rows`' groups at the dataset's place in load order.
        ``build`` parses the dataset and must be picklable; its rows must be of the kinds in
        :data:`~medtwin.store.bulk_graph.ASIDE_ROWS`.
        """
        if self._aside_dir is None:
            home = self.server.settings.home.resolve()
            home.mkdir(parents=True, exist_ok=True)
            self._aside_dir = Path(tempfile.mkdtemp(dir=home, prefix="bulk-aside-"))
        aside = AsideProcess(build, self._aside_dir / str(len(self._asides)))
        self._asides.append(aside)
        return aside

    def abort(self) -> None:
        """Undo :meth:`begin` and :meth:`start_aside`.

        The aside processes end at once; the server stop is waited for, then the server is
        started again if it ran.
        """
        self._end_asides()
        stopping, self._stopping = self._stopping, None
        if stopping is not None and stopping.result():
            self.server.start()
        self._close_pool()

    def _end_asides(self) -> None:
        for aside in self._asides:
            aside.stop()
        self._asides = []
        if self._aside_dir is not None:
            shutil.rmtree(self._aside_dir, ignore_errors=True)
            self._aside_dir = None

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _keeper(self, cache_key: str) -> Callable[[Callable[[Path], None]], object] | None:
        """How :func:`import_graph` keeps the importer's output beside ``cache_key``'s CSV."""
        cache = self.cache
        if cache is None:
            return None
        return lambda save: cache.put_database(cache_key, NEO4J_VERSION, save)

    def import_cached(
        self,
        cache_key: str,
        *,
        datasets: Callable[[dict[str, Any]], Sequence[DatasetRecord]] | None = None,
        started: datetime | None = None,
    ) -> dict[str, Any] | None:
        """Import the CSV files cached under ``cache_key``; ``None`` when there are none.

        Where the database files the importer made of them were kept, those are copied back
        instead (``restore_seconds`` in the figures); otherwise the importer runs and its output
        is kept for the next re-import (``keep_seconds``). The figures carry the ``meta`` stored
        with them by :meth:`import_rows`. When the importer runs, the ``Dataset`` nodes that
        ``datasets(meta)`` lists are imported too, as by :meth:`import_rows`
        (``datasets_imported`` in the figures); copied files hold an earlier load's.
        """
        got = self.cache.get(cache_key) if self.cache is not None else None
        if got is None:
            return None
        files, meta = got
        assert self.cache is not None  # noqa: S101 -- got is not None
        saved = self.cache.database(cache_key, NEO4J_VERSION)
        self.begin()
        try:
            with tempfile.TemporaryDirectory(dir=self._home(), prefix="bulk-import-") as tmp:
                # only when the importer runs: copied files hold an earlier load's nodes
                records = datasets(meta) if datasets is not None and saved is None else None
                if records is not None:
                    files = self._with_datasets(files, Path(tmp), records, started)
                figures = import_graph(
                    files,
                    self.server,
                    self.store,
                    stopping=self._stopping,
                    saved=saved,
                    keep=None if saved is not None else self._keeper(cache_key),
                )
        finally:
            self._stopping = None
            self._close_pool()
        figures.update(
            cached=True,
            meta=meta,
            graph_seconds=0.0,
            csv_seconds=0.0,
            datasets_imported=records is not None,
        )
        return figures

    def _home(self) -> Path:
        """The server's home, made if missing: temporary import files go there (same disk)."""
        home = self.server.settings.home.resolve()
        home.mkdir(parents=True, exist_ok=True)
        return home

    @staticmethod
    def _with_datasets(
        files: BulkFiles, folder: Path, datasets: Sequence[DatasetRecord], started: datetime | None
    ) -> BulkFiles:
        """``files`` plus a node file of the ``datasets`` (a copy: ``files`` may be cached)."""
        loaded = datetime.now(UTC)
        nodes = [
            dataset_node(name, props, counts, seconds, started=started or loaded, loaded=loaded)
            for name, props, counts, seconds in datasets
        ]
        path, multiline = write_node_file(folder, "Dataset", nodes)
        return dataclasses.replace(
            files, nodes=[*files.nodes, ("Dataset", path)], multiline=files.multiline or multiline
        )

    def import_rows(
        self,
        groups: Sequence[Iterable[BaseModel] | object],
        *,
        cache_key: str | None = None,
        meta: dict[str, Any] | None = None,
        datasets: Sequence[DatasetRecord] = (),
        started: datetime | None = None,
    ) -> dict[str, Any]:
        """Apply ``groups`` (in load order) to a :class:`BulkGraph` and import it.

        A group is an iterable of rows of one kind (a generator too: ``make bench-load SYNTH=10M``
        streams its rows), or an :class:`AsideProcess` (from
        :meth:`start_aside`; typed ``object``: callers need not import it), whose nodes join the
        graph there and whose relationship files join the others. With ``cache_key`` (and a
        cache) the CSV files are kept for :meth:`import_cached`, together with ``meta``.

        ``datasets``: their ``Dataset`` nodes are imported with the graph (the properties
        :func:`write_datasets` would give them, :func:`~medtwin.store.dataset_node.dataset_node`;
        ``started`` is their ``started_at``, now their ``loaded_at``), so no transaction waits
        for the just-started server (1.4-2.0 s there). Their file stays out of the cache:
        :meth:`import_cached` adds them afresh, with that load's times.
        """
        self.begin()
        try:
            t0 = time.perf_counter()
            built_aside: list[AsideResult] = []
            with paused_gc():  # millions of acyclic dicts: see medtwin.gc_pause
                graph = BulkGraph()
                for group in groups:
                    if isinstance(group, AsideProcess):
                        built_aside.append(group.result())
                        graph.add_aside(built_aside[-1])
                    elif isinstance(group, Iterable):
                        graph.add_rows(group)
                    else:
                        raise TypeError(f"not a row group or an AsideProcess: {group!r}")
            graph_s = time.perf_counter() - t0
            # the rows are in the graph now; this frame must not hold them through the import:
            # the server's start leaves reference cycles that keep it (see load_reference_bulk)
            del groups
            write = partial(graph.write_csv, aside=built_aside)
            with tempfile.TemporaryDirectory(dir=self._home(), prefix="bulk-import-") as tmp:
                t0 = time.perf_counter()
                with paused_gc():
                    if cache_key is not None and self.cache is not None:
                        files = self.cache.put(cache_key, write, meta or {})
                    else:
                        files = write(Path(tmp))
                if datasets:
                    files = self._with_datasets(files, Path(tmp), datasets, started)
                csv_s = time.perf_counter() - t0
                del graph, write  # the importer JVM needs the memory
                # The database files are kept at the first re-import (import_cached), not here:
                # the copy (0.4-3.7 s for 1 GB) would slow every first import, e.g. a fresh
                # machine's, for a re-import of the same reference that may never come.
                figures = import_graph(files, self.server, self.store, stopping=self._stopping)
        except BaseException:
            self._end_asides()
            if self._stopping is not None:
                self.abort()
            raise
        finally:
            self._stopping = None
            self._close_pool()
        if built_aside:
            figures["aside_seconds"] = sum(
                a.parse_seconds + a.graph_seconds + a.csv_seconds for a in built_aside
            )
            figures["aside_wait_seconds"] = sum(a.wait_seconds for a in self._asides)
        self._end_asides()
        figures.update(
            cached=False,
            graph_seconds=graph_s,
            csv_seconds=csv_s,
            datasets_imported=bool(datasets),
        )
        return figures
