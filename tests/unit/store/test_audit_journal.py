"""A kill -9 of the process loses no queued audit event (issue 19)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import uuid
from typing import Any

from medtwin.store.audit_writer import AuditWriter, _EventIds

KILLED = textwrap.dedent(
    """
    import os, signal, sys, threading
    from pathlib import Path
    from medtwin.store.audit_writer import AuditWriter

    class Stuck:  # a database that never finishes the write
        def write_audit_events(self, events):
            threading.Event().wait()
        def patient_exists(self, pid):
            return True

    writer = AuditWriter(lambda: Stuck(), journal=Path(sys.argv[1]))
    writer.start()
    for i in range(5):
        assert writer.submit({"actor": "k", "action": "read", "patient_id": f"P{i}",
                              "route": "GET /v1/patients/P", "status": 200})
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


class Recording:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        self.events.extend(events)

    def patient_exists(self, patient_id: str) -> bool:
        return True


def test_events_queued_at_a_kill_are_written_by_the_next_writer(tmp_path):
    journal = tmp_path / "audit-journal.jsonl"
    proc = subprocess.run([sys.executable, "-c", KILLED, str(journal)], check=False, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    store = Recording()
    writer = AuditWriter(lambda: store, journal=journal)
    writer.start()
    assert writer.flush(timeout=30)
    writer.close()
    assert sorted(e["patient_id"] for e in store.events) == [f"P{i}" for i in range(5)]
    assert journal.read_bytes() == b""  # written: nothing left to replay
    again = Recording()
    second = AuditWriter(lambda: again, journal=journal)
    second.start()
    second.close()
    assert again.events == []  # replayed once, never twice


def test_journal_is_emptied_once_events_are_written(tmp_path):
    journal = tmp_path / "j.jsonl"
    store = Recording()
    writer = AuditWriter(lambda: store, journal=journal)
    writer.start()
    writer.submit({"actor": "k", "action": "read", "patient_id": "P", "route": "r", "status": 200})
    assert writer.flush(timeout=30)
    writer.close()
    assert len(store.events) == 1
    assert journal.read_bytes() == b""


def test_event_ids_are_distinct_version_4_uuids_also_after_a_fork(tmp_path):
    ids = _EventIds()
    first = [ids.next() for _ in range(600)]  # past two refills of 256
    assert len(set(first)) == 600
    assert all(uuid.UUID(i).version == 4 and uuid.UUID(i).variant == uuid.RFC_4122 for i in first)
    ids.next()  # a buffer partly used, as a forked child would inherit it
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover -- the child
        os.write(write, ids.next().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    assert child != ids.next()  # the parent's next id was the child's too without the pid check


class Gated(Recording):
    """Writes only once ``gate`` is set (events stay queued, and journalled, until then)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        self.gate.wait(30)
        super().write_audit_events(events)


def _event(route: str) -> dict[str, Any]:
    return {"actor": "k", "action": "read", "patient_id": "P", "route": route, "status": 200}


def test_a_removed_journal_is_recreated_by_the_next_event(tmp_path):
    journal = tmp_path / "j.jsonl"
    store = Gated()
    writer = AuditWriter(lambda: store, journal=journal)
    writer.start()
    assert writer.submit(_event("GET /x"))
    assert writer.flush(timeout=30)
    journal.unlink()  # by hand, with the descriptor open
    writer._forget_written()  # what the writer thread does after each batch
    store.gate.clear()
    assert writer.submit(_event("GET /y"))
    assert b"GET /y" in journal.read_bytes()  # not written to the removed file
    store.gate.set()
    writer.close()
    assert [e["route"] for e in store.events] == ["GET /x", "GET /y"]
    assert journal.read_bytes() == b""
