"""A kill -9 of the process loses no queued audit event (issue 19)."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import textwrap
from typing import Any

from medtwin.store.audit import AuditWriter

KILLED = textwrap.dedent(
    """
    import os, signal, sys, threading
    from pathlib import Path
    from medtwin.store.audit import AuditWriter

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
