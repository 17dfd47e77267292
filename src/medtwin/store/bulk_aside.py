"""The aside process of a bulk import: one dataset parsed, merged and written in its own process.

On two cores the largest dataset (LINCS, 1.1 M of the reference's 2.1 M rows) no longer adds its
parse, in-memory MERGE and CSV time to the other datasets'; what may be built aside is
:data:`~medtwin.store.bulk_graph.ASIDE_ROWS`. This module imports no database driver: the spawned
process imports it to unpickle :func:`aside_main`, and should start in a fraction of a second.
"""

from __future__ import annotations

import itertools
import logging
import logging.handlers
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from medtwin.gc_pause import paused_gc
from medtwin.store.bulk_csv import AsideResult
from medtwin.store.bulk_graph import ASIDE_ROWS, BulkGraph, RowBuild

__all__ = ["AsideProcess", "aside_main", "aside_tables"]


def aside_tables(
    build: RowBuild,
    folder: Path,
    *,
    parsed: Callable[[dict[str, int], float], None] | None = None,
) -> AsideResult:
    """Parse one dataset with ``build`` and write its relationship files into ``folder``.

    A bulk import runs this in another process (:class:`AsideProcess`) while
    the main process parses the other datasets: on two cores the largest dataset (LINCS, 1.1 M
    of the reference's 2.1 M rows) no longer adds its parse, in-memory MERGE and CSV time to
    theirs. Only rows of :data:`ASIDE_ROWS` kinds are accepted; the nodes they create are
    returned for :meth:`BulkGraph.add_aside`. ``parsed(counts, seconds)`` is called as soon as
    the rows are parsed.
    """
    t0 = time.perf_counter()
    with paused_gc():  # ~1 M row models and their dicts: see medtwin.gc_pause
        groups, counts = build()
        t1 = time.perf_counter()
        if parsed is not None:
            parsed(counts, t1 - t0)
        graph = BulkGraph()
        for group in groups:
            rows = iter(group)
            first = next(rows, None)
            if first is None:
                continue
            kind = type(first).__name__
            if kind not in ASIDE_ROWS:
                raise ValueError(f"rows of kind {kind} cannot be built aside (ASIDE_ROWS)")
            graph.add_rows(itertools.chain((first,), rows))
        t2 = time.perf_counter()
        files = graph.write_csv(folder, nodes=False)
        t3 = time.perf_counter()
    return AsideResult(
        nodes={label: list(table.values()) for label, table in graph.nodes.items()},
        files=files,
        keys=sorted(graph.rels),
        counts=counts,
        parse_seconds=t1 - t0,
        graph_seconds=t2 - t1,
        csv_seconds=t3 - t2,
    )


def aside_main(build: RowBuild, folder: Path, conn: Connection, level: int, logs: Any) -> None:
    """The aside process: :func:`aside_tables`, with its row counts sent as soon as it parsed.

    It lives here, not in :mod:`medtwin.store.bulk`: the spawned process
    imports this function's module to unpickle it, and ``medtwin.store.bulk`` imports the
    driver, which imports pandas (0.6 s of that process's start-up, measured with
    ``python -X importtime``).

    Messages: ``("parsed", counts, seconds)``, then ``("done", AsideResult)`` or
    ``("error", exception)`` (its text, when the exception cannot be pickled).

    Its log records of ``level`` and above, and its Python warnings, go to the ``logs`` queue:
    the parent logs them through its own handlers. Before, this process wrote them to the
    terminal itself, appended to the line of ``medtwin load``'s progress bar
    (``… 0:00:02WARNING medtwin.loaders…``), which the parent's handlers print above the bar
    (:mod:`medtwin.cli.above_bars`).
    """
    root = logging.getLogger()
    root.handlers = [logging.handlers.QueueHandler(logs)]
    root.setLevel(level)
    logging.captureWarnings(True)

    def parsed(counts: dict[str, int], seconds: float) -> None:
        conn.send(("parsed", counts, seconds))

    try:
        message: tuple[Any, ...] = ("done", aside_tables(build, folder, parsed=parsed))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        message = ("error", exc)
    try:
        conn.send(message)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its text
        conn.send(("error", RuntimeError(f"{type(message[1]).__name__}: {message[1]}")))
    conn.close()


class AsideProcess:
    """One dataset parsed, applied to its own graph and written as CSV in another process.

    Why: the Python side of a bulk import (parse, in-memory MERGE, CSV) runs on one core, and
    the largest dataset is independent of the others (:data:`~medtwin.store.bulk_graph.
    ASIDE_ROWS`); on the second core it costs the import no wall time. The process is
    started with ``spawn``: the parent holds a driver and a thread stopping the server, which a
    fork would copy mid-flight. ``build`` must therefore be picklable (a module-level function,
    or a ``functools.partial`` of one).

    :attr:`counts` and :attr:`seconds` wait for the parse only; :meth:`result` for everything.
    A failure in the process is raised by whichever is called first.
    """

    def __init__(self, build: RowBuild, folder: Path) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe(duplex=False)
        # the process's log records, logged here as this process's own: through its handlers,
        # which print above the progress bars (the process wrote to the terminal, into a bar)
        logs = ctx.Queue()
        self._logs: logging.handlers.QueueListener | None
        self._logs = logging.handlers.QueueListener(logs, _LogHere())
        self._logs.start()
        self._process = ctx.Process(
            target=aside_main,
            args=(build, folder, child, logging.getLogger().getEffectiveLevel(), logs),
            name="medtwin-bulk-aside",
            daemon=True,  # never outlives the import
        )
        self._process.start()
        child.close()
        self._parsed: tuple[dict[str, int], float] | None = None
        self._result: AsideResult | None = None
        self.wait_seconds = 0.0  # how long the caller waited for it

    def _receive(self) -> None:
        t0 = time.perf_counter()
        try:
            message = self._conn.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                "the bulk import's aside process ended without a result "
                f"(exit code {self._process.exitcode}); see the messages above"
            ) from None
        finally:
            self.wait_seconds += time.perf_counter() - t0
        if message[0] == "error":
            self.stop()
            raise message[1]
        if message[0] == "parsed":
            self._parsed = (message[1], message[2])
        else:
            self._result = message[1]
            self.stop()

    def _parse_figures(self) -> tuple[dict[str, int], float]:
        while self._parsed is None:
            self._receive()
        return self._parsed

    @property
    def counts(self) -> dict[str, int]:
        """Rows per kind of the dataset (waits for its parse)."""
        return self._parse_figures()[0]

    @property
    def seconds(self) -> float:
        """Seconds its parse took (waits for it)."""
        return self._parse_figures()[1]

    def result(self) -> AsideResult:
        """The dataset's nodes and relationship files (waits for them)."""
        while self._result is None:
            self._receive()
        return self._result

    def stop(self) -> None:
        """End the process (at once if it still works: the import was given up)."""
        if self._process.is_alive() and self._result is None:
            self._process.terminate()
        self._process.join()
        self._conn.close()
        if self._logs is not None:  # after the join: every record the process sent is logged
            self._logs.stop()
            self._logs.queue.close()  # type: ignore[attr-defined]
            self._logs = None


class _LogHere(logging.Handler):
    """Logs a record of the aside process through this process's logger of the same name."""

    def emit(self, record: logging.LogRecord) -> None:
        """Hand ``record`` to its logger here (its level and filters, then its handlers)."""
        logging.getLogger(record.name).handle(record)
