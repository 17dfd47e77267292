"""The API's audit writer gathers the events of a short window into one write (issue 21)."""

from __future__ import annotations

from typing import Any

from medtwin.store.audit_writer import AuditWriter


class Batches:
    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        self.batches.append(list(events))

    def patient_exists(self, pid: str) -> bool:
        return True


def _event(i: int) -> dict[str, Any]:
    return {"actor": "k", "action": "read", "patient_id": f"P{i}", "route": "GET", "status": 200}


def test_events_of_the_window_share_one_write_and_close_writes_all(tmp_path):
    db = Batches()
    writer = AuditWriter(lambda: db, linger_s=5.0, journal=tmp_path / "journal.jsonl")
    writer.start()
    for i in range(6):
        assert writer.submit(_event(i))
    writer.close()  # does not wait out the window: stops it, writes what is queued
    assert [len(b) for b in db.batches] == [6]
    assert [e["patient_id"] for e in db.batches[0]] == [f"P{i}" for i in range(6)]
    assert (tmp_path / "journal.jsonl").read_bytes() == b""  # everything written: emptied


def test_without_linger_each_event_can_be_written_at_once():
    db = Batches()
    writer = AuditWriter(lambda: db)
    writer.start()
    assert writer.submit(_event(0))
    assert writer.flush(30.0)
    assert [len(b) for b in db.batches] == [1]
    writer.close()
