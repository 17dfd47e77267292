"""``db repair`` lists the audit trails of ids that name no patient; removes them only when told.

Until stop 58 the API answered 200 [] for the trail of an id that was no patient (a typo of an
existing one) and stored a read event of it, so the typo had a trail of its own. Those trails
are records: ``datasets.repair`` lists them (``stray_audit_trails``), and removes them only with
``remove_stray_audit=True``, recording each removal in the trail. The same on the real server:
``tests/integration/test_stray_audit.py`` (through the CLI).
"""

from __future__ import annotations

from typing import Any

from medtwin.platform import datasets, patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile

PATIENT = "GSM1"
"""An existing patient; ``gsm1`` is its typo, ``NOBODY`` an id no patient ever had."""


def seed_trail(store: Any) -> list[dict[str, Any]]:
    """The events of an existing patient, a deleted one, the old API's typo reads, and a
    request that named no patient; written as the stores write them (no existence check)."""
    rows = [
        ("write", PATIENT, "cli: medtwin patient add", 0),
        ("read", PATIENT, f"GET /v1/patients/{PATIENT}", 200),
        ("read", "gsm1", "GET /v1/patients/gsm1/audit", 200),
        ("read", "gsm1", "GET /v1/patients/gsm1/audit", 200),
        ("write", "GONE", "cli: medtwin patient add", 0),
        ("delete", "GONE", "cli: medtwin patient delete", 0),
        ("read", "GONE", "GET /v1/patients/GONE/audit", 200),  # a deleted patient's trail
        ("read", "NOBODY", "GET /v1/patients/NOBODY/audit", 200),
        ("read", None, "GET /v1/audit", 401),
    ]
    events = [
        {"id": f"e{i}", "at": f"2026-12-0{i // 5 + 1}T10:0{i % 5}:00+00:00", "actor": "k",
         "action": a, "patient_id": pid, "route": route, "status": status}
        for i, (a, pid, route, status) in enumerate(rows)
    ]  # fmt: skip
    store.write_audit_events(events)
    return events


def test_stray_trails_are_listed_kept_and_removed_only_when_told(store: MemoryStore) -> None:
    patients.add_patient(store, profile(PATIENT))
    events = seed_trail(store)
    report = datasets.repair(store)
    stray = report["stray_audit_trails"]
    assert [(t["patient_id"], t["events"], t["same_but_case"]) for t in stray] == [
        ("NOBODY", 1, []),
        ("gsm1", 2, [PATIENT]),  # the likely intent, for the operator
    ]
    assert stray[1]["routes"] == ["GET /v1/patients/gsm1/audit"]
    assert report["stray_audit_events_removed"] == 0
    assert len(store.audit_events(None, limit=50)) == len(events)  # listed, kept

    report = datasets.repair(store, remove_stray_audit=True, actor="os:tester", route="cli: x")
    assert report["stray_audit_events_removed"] == 3
    left = store.audit_events(None, limit=50)
    assert len(left) == len(events) - 3 + 2
    # each id's trail is now the one event recording the removal (a write: not stray again)
    (record,) = store.audit_events("gsm1")
    assert (record.actor, record.action, record.status) == ("os:tester", "write", 0)
    assert record.route.startswith("cli: x: removed 2 audit event(s) of gsm1, an id that names")
    assert [e.route[:31] for e in store.audit_events("NOBODY")] == [
        "cli: x: removed 1 audit event(s"
    ]

    again = datasets.repair(store, remove_stray_audit=True, actor="os:tester", route="cli: x")
    assert (again["stray_audit_trails"], again["stray_audit_events_removed"]) == ([], 0)
    assert len(store.audit_events(None, limit=50)) == len(left)  # a rerun records nothing


def test_a_trail_that_became_a_patient_s_is_kept(store: MemoryStore) -> None:
    """The removal checks each id again: a patient added after the listing keeps its trail."""
    seed_trail(store)
    listed = [t["patient_id"] for t in store.stray_audit_trails()]
    patients.add_patient(store, profile("NOBODY"))
    assert store.remove_stray_audit_trails(listed, actor="a", route="r") == {"gsm1": 2}
    assert [e.patient_id for e in store.audit_events("NOBODY")] == ["NOBODY"]
