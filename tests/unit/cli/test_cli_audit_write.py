"""A CLI command writes its audit events itself, in one write at its end.

The API hands its events to an ``AuditWriter`` thread that batches many requests' events; the CLI
used one too, for a command's one or few events, and waited for it in steps of 10 ms. The
events are the same as before (actor, action, patient, route, status).
"""

from __future__ import annotations

import threading

from click.testing import CliRunner

from medtwin.cli import cli, common
from medtwin.platform import patients
from medtwin.store.audit import os_user
from medtwin.store.memory import MemoryStore
from tests.unit.services.test_notebook_defaults import profile


def _cli_on_memory_store(monkeypatch) -> MemoryStore:
    """A memory store holding P1, which the CLI's commands open (and never close)."""
    store = MemoryStore()
    store.add_reference(genes={str(i): f"G{i}" for i in range(1, 9)})
    patients.add_patient(store, profile())
    monkeypatch.setattr(store, "close", lambda: None)
    monkeypatch.setattr(common, "store_factory", lambda: lambda _settings: store)
    return store


def test_a_command_writes_its_audit_events_in_its_own_thread(monkeypatch):
    store = _cli_on_memory_store(monkeypatch)
    started: list[str] = []
    start = threading.Thread.start

    def recorded(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", recorded)
    for args in (["patient", "show", "P1", "--json"], ["patient", "show", "NOPE"]):
        CliRunner().invoke(cli, args)
    assert started == []  # no writer thread, no timer of its wait
    events = store.audit_events(None, limit=10)
    assert [(e.actor, e.action, e.patient_id, e.status) for e in events] == [
        (f"os:{os_user()}", "read", "P1", 0)  # none for a patient that does not exist
    ]
    assert events[0].route.endswith("patient show")


def test_the_audit_asks_no_question_before_its_write(monkeypatch):
    """The write keeps only the events of patients that exist: no ``patient_exists`` read first.

    Before, each named patient cost a read (one round trip to the server) before the write.
    """
    store = _cli_on_memory_store(monkeypatch)
    asked: list[str] = []
    exists = store.patient_exists

    def counted(pid: str) -> bool:
        asked.append(pid)
        return exists(pid)

    monkeypatch.setattr(store, "patient_exists", counted)
    writes: list[list[dict]] = []
    write = store.write_audit_events
    monkeypatch.setattr(store, "write_audit_events", lambda ev: (writes.append(ev), write(ev)))
    for args in (["patient", "show", "P1", "--json"], ["patient", "show", "NOPE"]):
        CliRunner().invoke(cli, args)
    assert [[(e["patient_id"], e["if_patient_exists"]) for e in w] for w in writes] == [
        [("P1", True)],
        [("NOPE", True)],
    ]
    assert asked == ["P1", "NOPE"]  # by the write itself (Neo4j: inside its one statement)
    events = store.audit_events(None, limit=10)
    assert [(e.patient_id, e.status) for e in events] == [("P1", 0)]
    assert "if_patient_exists" not in store.audit[0]
