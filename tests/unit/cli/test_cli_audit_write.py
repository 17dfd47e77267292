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


def test_a_command_writes_its_audit_events_in_its_own_thread(monkeypatch):
    store = MemoryStore()
    store.add_reference(genes={str(i): f"G{i}" for i in range(1, 9)})
    patients.add_patient(store, profile())
    monkeypatch.setattr(store, "close", lambda: None)
    monkeypatch.setattr(common, "store_factory", lambda: lambda _settings: store)
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
