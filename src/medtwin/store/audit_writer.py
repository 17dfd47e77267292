"""Audit events written off the request path: queued, batched by a background thread, journalled.

:class:`AuditWriter` is what the API hands its events to (a read never waits for its audit
write); :func:`stamped` gives an event its id and time, as the CLI's own one write does too.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medtwin.errors import MedtwinError
from medtwin.store.audit import AuditStore

__all__ = ["AuditWriter", "stamped"]

log = logging.getLogger(__name__)


def stamped(event: Mapping[str, Any], new_id: Callable[[], str] | None = None) -> dict[str, Any]:
    """``event`` (fields of ``audit.record_event``) as written: with its id and time.

    The id is ``new_id()`` (else a uuid4), the time now (UTC), ``route`` cut to 300 characters.
    What :class:`AuditWriter` queues, and what a CLI command writes itself at its end
    (``medtwin.cli.common.audit_cli``: one write, no writer thread to start and wait for).
    """
    return {
        "id": new_id() if new_id is not None else str(uuid.uuid4()),
        "at": datetime.now(UTC).isoformat(),
        **event,
        "route": str(event["route"])[:300],
    }


class _EventIds:
    """uuid4 strings from random bytes read 256 ids at a time.

    ``uuid.uuid4()`` reads 16 bytes from ``os.urandom`` per id: a ``getrandom`` system call that
    releases the GIL in the API's event loop on every audited request. Same source, same
    version-4 layout (RFC 9562 section 5.4), one system call per 256 ids. A forked child reads
    fresh bytes (the pid is checked), so two processes never hand out the same ids.
    """

    _BATCH = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buf = b""
        self._at = 0
        self._pid = os.getpid()

    def next(self) -> str:
        """The next id."""
        with self._lock:
            if self._at >= len(self._buf) or os.getpid() != self._pid:
                self._buf, self._at = os.urandom(16 * self._BATCH), 0
                self._pid = os.getpid()
            raw = self._buf[self._at : self._at + 16]
            self._at += 16
        return str(uuid.UUID(bytes=raw, version=4))


class AuditWriter:
    """Writes audit events in batches from a background thread.

    :meth:`submit` only queues (constant time), so the request that caused an event does not wait
    for the database. Failed writes are retried (kept in order) every ``retry_s``; meanwhile
    :attr:`healthy` is false and :meth:`submit` refuses new events, so the API answers 503 rather
    than serve patient data it cannot record. :meth:`close` writes everything still queued.

    Parameters
    ----------
    store
        Returns the store to write to (called per batch, so a reconnect is picked up).
    batch
        Most events per write transaction.
    max_queued
        Most events waiting; beyond it :meth:`submit` refuses.
    retry_s
        Wait after a failed write.
    linger_s
        After the first event of a batch, wait this long for more before writing (0: write at
        once). The API waits 50 ms: at 100 reads per second that is one write transaction for
        five events instead of five, off the database and this process's CPU; the journal
        keeps the waiting events safe from a kill as before.
    journal
        Append-only file (JSON lines, 0600) where :meth:`submit` records each event before it
        queues it; emptied whenever everything queued is written. A process killed with
        events still queued (kill -9) leaves them there, and the next writer on the same file
        writes them first (:meth:`start`; events are merged on their id, so none is written
        twice). ``None``: no journal (events queued at a kill are lost).
    """

    def __init__(
        self,
        store: Callable[[], AuditStore],
        *,
        batch: int = 500,
        max_queued: int = 50_000,
        retry_s: float = 1.0,
        linger_s: float = 0.0,
        journal: Path | None = None,
    ) -> None:
        self._store = store
        self._linger_s = linger_s
        self._journal = journal
        self._journal_lock = threading.Lock()
        self._fd: int | None = None
        self._ids = _EventIds()
        self._replayed = False
        self._batch = batch
        self._retry_s = retry_s
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=max_queued)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._hurry = threading.Event()
        self.healthy = True
        self.problem: str | None = None
        self.written = 0

    def start(self) -> None:
        """Queue the events a killed writer left in the journal, then start the thread."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                if self._journal is not None:
                    self._journal.parent.mkdir(parents=True, exist_ok=True)
                self._replay()
                self._stop.clear()
                self._hurry.clear()
                self._thread = threading.Thread(
                    target=self._run, name="medtwin-audit-writer", daemon=True
                )
                self._thread.start()

    def submit(self, event: dict[str, Any]) -> bool:
        """Queue one event (fields of ``audit.record_event``); False when it cannot be taken."""
        if not self.healthy:
            return False
        full = stamped(event, self._ids.next)
        with self._journal_lock:
            try:
                self._queue.put_nowait(full)
            except queue.Full:
                self.problem = "audit queue full"
                return False
            if self._journal is not None:
                try:
                    self._append(full)
                except OSError as e:
                    self.problem = f"audit journal not writable: {e}"
                    log.error("%s", self.problem)
        return True

    def _append(self, event: dict[str, Any]) -> None:
        assert self._journal is not None  # noqa: S101 -- checked by the caller
        # O_APPEND writes of one line reach the kernel at once: a kill -9 of this process
        # cannot lose them (only a machine crash could, before the page cache is flushed).
        # The descriptor stays open: submit() runs in the API's event loop, and each system
        # call there lets the worker threads take the GIL (open + write + close was three).
        if self._fd is None:
            self._fd = os.open(self._journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.write(self._fd, (json.dumps(event, separators=(",", ":")) + "\n").encode())

    def _reopen_if_removed(self) -> None:
        """Drop a descriptor whose file was removed, so the next event recreates the journal.

        Called with ``_journal_lock`` held, once per written batch (not per event).
        """
        if self._fd is not None and os.fstat(self._fd).st_nlink == 0:
            os.close(self._fd)
            self._fd = None

    def _close_journal(self) -> None:
        with self._journal_lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def _replay(self) -> None:
        if self._journal is None or not self._journal.exists() or self._replayed:
            return
        self._replayed = True
        events = []
        for line in self._journal.read_text(encoding="utf-8").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by the kill: the event was not acknowledged either
        if events:
            log.warning("%d audit event(s) left by an earlier process: writing them", len(events))
        for event in events:
            self._queue.put(event)

    def _forget_written(self) -> None:
        """Empty the journal when nothing queued is left unwritten."""
        if self._journal is None:
            return
        with self._journal_lock:
            self._reopen_if_removed()
            if self._queue.unfinished_tasks == 0 and self._journal.exists():
                self._journal.write_bytes(b"")  # the open O_APPEND descriptor writes from 0 again

    def pending(self) -> int:
        """Events queued and not yet written."""
        return self._queue.qsize()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything queued so far is written; False on timeout."""
        done = threading.Event()
        deadline = threading.Timer(timeout, done.set)
        deadline.start()
        try:
            while not done.is_set():
                if self._queue.unfinished_tasks == 0:
                    return True
                done.wait(0.01)
            return self._queue.unfinished_tasks == 0
        finally:
            deadline.cancel()

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued, then stop the thread."""
        if self._thread is None:
            return
        self._hurry.set()
        self.flush(timeout)
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout)
        self._thread = None
        self._forget_written()  # the stop marker counted as unfinished while the thread ran
        self._close_journal()

    def _run(self) -> None:
        pending: list[dict[str, Any]] = []
        while True:
            if not pending:
                item = self._queue.get()
                if item is None:
                    self._queue.task_done()
                    return
                pending.append(item)
                if self._linger_s > 0:
                    self._hurry.wait(self._linger_s)  # set by close(): write at once
                while len(pending) < self._batch:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        self._queue.task_done()
                        self._stop.set()
                        break
                    pending.append(more)
            try:
                self._store().write_audit_events(pending)
            except Exception as e:  # noqa: BLE001 - the writer thread must never die silently
                self.healthy = False
                self.problem = f"{type(e).__name__}: {e}"
                log.error(
                    "audit events not written yet (%d queued): %s",
                    len(pending),
                    e,
                    exc_info=not isinstance(e, MedtwinError),
                )
                if self._stop.wait(self._retry_s) and self._queue.unfinished_tasks == 0:
                    return
                continue
            self.written += len(pending)
            for _ in pending:
                self._queue.task_done()
            pending = []
            self._forget_written()
            self.healthy, self.problem = True, None
            if self._stop.is_set() and self._queue.empty():
                return
