"""The audit log of patient-data access: one ``(:AuditEvent)`` node per API request or CLI action.

Events are standalone nodes (no relationship to the patient), so deleting a patient keeps the
record of who read, wrote or deleted it. Each function runs one statement of
``cypher/audit/``. The API hands events to an :class:`AuditWriter`, which writes them in batches
from a background thread (a read never waits for its audit write) and flushes what is queued when
the app shuts down.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from medtwin.errors import MedtwinError

__all__ = [
    "AuditAction",
    "AuditEvent",
    "AuditStore",
    "AuditWriter",
    "erased_patients",
    "list_events",
    "load_events",
    "os_user",
    "patient_exists",
    "record_event",
    "remove_stray_trails",
    "save_events",
    "saved_events",
    "stamped",
    "stray_trails",
]

log = logging.getLogger(__name__)

AuditAction = Literal["read", "write", "delete"]
"""What a request did with patient data."""


class AuditStore(Protocol):
    """The two store verbs the audit writer and gate need (every ``GraphStore`` has both)."""

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        """Write events (fields of :class:`AuditEvent`) in one transaction."""
        ...

    def patient_exists(self, patient_id: str) -> bool:
        """Whether the patient exists (events are kept only for existing patients)."""
        ...


class _Catalog(Protocol):
    """Runs catalog statements (``Neo4jStore``): what the functions below use."""

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a catalog statement as a read."""
        ...

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a catalog statement in a write transaction."""
        ...


@dataclass(frozen=True)
class AuditEvent:
    """One recorded access.

    Attributes
    ----------
    id
        uuid4 of the event.
    at
        When the response was sent (ISO-8601, UTC).
    actor
        API key name, or ``"anonymous"`` for a request without a valid key.
    action
        ``read``, ``write`` or ``delete``.
    patient_id
        The patient concerned (``None`` when the request named no valid patient id).
    route
        ``"METHOD /path"`` as requested.
    status
        HTTP status code sent.
    """

    id: str
    at: str
    actor: str
    action: str
    patient_id: str | None
    route: str
    status: int


def record_event(
    store: _Catalog,
    *,
    actor: str,
    action: AuditAction,
    patient_id: str | None,
    route: str,
    status: int,
    at: datetime | None = None,
) -> AuditEvent:
    """Write one audit event.

    Parameters
    ----------
    store
        The graph store.
    actor, action, patient_id, route, status
        See :class:`AuditEvent`; ``route`` is cut to 300 characters.
    at
        Event time (default: now, UTC).

    Returns
    -------
    AuditEvent
        The event as written.

    Raises
    ------
    GraphStoreError
        When the database does not take the write.
    """
    event = AuditEvent(
        id=str(uuid.uuid4()),
        at=(at or datetime.now(UTC)).isoformat(),
        actor=actor,
        action=action,
        patient_id=patient_id,
        route=route[:300],
        status=status,
    )
    store.write("audit/create_event", **vars(event))
    return event


def list_events(
    store: _Catalog, patient_id: str | None = None, *, limit: int = 100, offset: int = 0
) -> list[AuditEvent]:
    """Return audit events, newest first.

    Parameters
    ----------
    store
        The graph store.
    patient_id
        Only this patient's events (``None``: all).
    limit
        At most this many events.
    offset
        The newest this many are skipped (a page after the first).

    Returns
    -------
    list of AuditEvent
        Newest first.
    """
    rows = store.read("audit/list_events", patient_id=patient_id, limit=limit, offset=offset)
    return [
        AuditEvent(
            id=r["id"],
            at=r["at"],
            actor=r["actor"],
            action=r["action"],
            patient_id=r["patient_id"],
            route=r["route"],
            status=int(r["status"]),
        )
        for r in rows
    ]


def os_user() -> str:
    """The operating-system user, for the actors ``os:<user>`` (CLI) and ``python:<user>``."""
    import getpass  # only where an actor is named

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name, no passwd entry (a container)
        return "unknown"


_PAGE = 10_000
"""Events per read or write when all of them are saved and loaded again (``db restore``)."""


def save_events(store: _Catalog, path: Path) -> int:
    """Write every audit event to ``path`` (JSON lines, owner only) a page at a time.

    ``medtwin db restore`` saves the trail before it replaces the database and loads it back
    afterwards (:func:`load_events`), so that a restore does not erase the record of who read,
    wrote or deleted patient data since the backup. Returns how many events were saved.
    """
    n = 0
    after: str | None = None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        while rows := store.read("audit/events_after", after_id=after, limit=_PAGE):
            for r in rows:
                fh.write(json.dumps(r, separators=(",", ":")) + "\n")
            n += len(rows)
            after = rows[-1]["id"]
    return n


def saved_events(path: Path) -> Iterator[dict[str, Any]]:
    """The events :func:`save_events` wrote to ``path``, in its order."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_events(store: _Catalog, path: Path) -> int:
    """Write the events saved in ``path`` back; an event already there is kept as it is.

    ``audit/create_events`` merges on the event id, so the events the backup holds are not
    doubled. Returns how many events were in ``path``.
    """
    n = 0
    batch: list[dict[str, Any]] = []
    for event in saved_events(path):
        batch.append(event)
        if len(batch) == _PAGE:
            store.write("audit/create_events", events=batch)
            n, batch = n + len(batch), []
    if batch:
        store.write("audit/create_events", events=batch)
        n += len(batch)
    return n


def erased_patients(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """Patients whose last successful delete comes after their last successful write.

    The audit says these were deleted and not added again, so they must not exist: after a
    restore of an older backup (which holds them again), ``db restore`` deletes them again. A
    success is status 0 (the CLI and Python) or 2xx (the API). Sorted ids.

    Examples
    --------
    >>> ev = [dict(patient_id="A", action="write", status=0, at="2026-01-01T00:00:00Z"),
    ...       dict(patient_id="A", action="delete", status=200, at="2026-01-02T00:00:00Z"),
    ...       dict(patient_id="B", action="delete", status=0, at="2026-01-01T00:00:00Z"),
    ...       dict(patient_id="B", action="write", status=0, at="2026-01-03T00:00:00Z"),
    ...       dict(patient_id="C", action="delete", status=1, at="2026-01-04T00:00:00Z")]
    >>> erased_patients(ev)
    ['A']
    """
    last: dict[tuple[str, str], datetime] = {}
    for e in events:
        status, pid = int(e["status"]), e.get("patient_id")
        if pid is None or e["action"] not in ("write", "delete"):
            continue
        if status != 0 and not 200 <= status < 300:
            continue
        at = datetime.fromisoformat(str(e["at"]).replace("Z", "+00:00"))
        key = (pid, e["action"])
        if key not in last or at > last[key]:
            last[key] = at
    return sorted(
        pid
        for (pid, action), at in last.items()
        if action == "delete" and ((pid, "write") not in last or at > last[(pid, "write")])
    )


def stray_trails(store: _Catalog) -> list[dict[str, Any]]:
    """Trails of ids that name no patient and whose events hold no write or delete.

    What the API stored, until stop 58, for the trail of a mistyped id (a 200 for an id that was
    no patient, recorded as a read of it). Rows: patient_id, events, first_at, last_at, routes
    (up to 3), same_but_case (existing patients whose id equals it ignoring case), by id.
    """
    return store.read("audit/stray_trails")


def remove_stray_trails(
    store: _Catalog, patient_ids: Iterable[str], *, actor: str, route: str
) -> dict[str, int]:
    """Remove the stray trails of ``patient_ids``, each recorded by an event of its own.

    Each id is checked again in the removal's transaction (a patient added since it was listed
    keeps its trail); the record is an event of the id (action ``write``: a ``delete`` would read
    as a patient's deletion, which ``db restore`` applies again) naming ``actor``, ``route`` and
    the events removed. Returns {id: events removed} of the trails removed.
    """
    rows = store.write(
        "audit/remove_stray_trails", patient_ids=list(patient_ids), actor=actor, route=route
    )
    return {str(r["patient_id"]): int(r["removed"]) for r in rows}


def patient_exists(store: _Catalog, patient_id: str) -> bool:
    """Whether ``patient_id`` exists (events are kept only for existing patients)."""
    got = store.read("patient/patient_exists", id=patient_id)
    return bool(got and got[0]["exists"])


def stamped(event: Mapping[str, Any], new_id: Callable[[], str] | None = None) -> dict[str, Any]:
    """``event`` (fields of :func:`record_event`) as written: with its id and time.

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
        """Queue one event (fields of :func:`record_event`); False when it cannot be taken."""
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
