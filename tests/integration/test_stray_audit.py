"""``medtwin db repair`` on the real server: stray audit trails listed, kept, removed when told.

The events are those of ``tests/unit/services/test_stray_audit.py`` (an existing patient, a
deleted one, the old API's reads of a mistyped id, an id no patient ever had, a request that
named no patient), written with the statement the audit writer uses.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.store.neo4j import Neo4jStore
from tests.unit.services.test_stray_audit import PATIENT, seed_trail

pytestmark = pytest.mark.neo4j


def _repair(*flags: str) -> dict[str, Any]:
    got = CliRunner().invoke(cli, ["db", "repair", "--json", *flags])
    assert got.exit_code == 0, got.output
    return json.loads(got.stdout)


def test_db_repair_lists_stray_trails_and_removes_them_only_with_the_flag(
    clean_db: Any, test_settings: Any
) -> None:
    store = Neo4jStore(clean_db, test_settings)
    clean_db.execute_query(
        "CREATE (:Patient {id: $id, patient_id: $id})", id=PATIENT, database_=store.database
    )
    events = seed_trail(store)

    report = _repair()
    stray = report["stray_audit_trails"]
    assert [(t["patient_id"], t["events"], t["same_but_case"]) for t in stray] == [
        ("NOBODY", 1, []),
        ("gsm1", 2, [PATIENT]),
    ]
    assert stray[1]["routes"] == ["GET /v1/patients/gsm1/audit"]
    assert stray[1]["first_at"].startswith("2026-12-01T10:02")
    assert report["stray_audit_events_removed"] == 0
    assert len(store.audit_events(None, limit=50)) == len(events)  # listed, nothing removed

    report = _repair("--remove-stray-audit")
    assert report["stray_audit_events_removed"] == 3
    left = store.audit_events(None, limit=50)
    assert len(left) == len(events) - 3 + 2
    # each id's trail is now the one event recording the removal (a write: not stray again)
    (record,) = store.audit_events("gsm1")
    assert (record.action, record.status) == ("write", 0)
    assert record.actor.startswith("os:")
    assert record.route.startswith("cli: ")
    assert "db repair --remove-stray-audit: removed 2 audit event(s) of gsm1, an id" in record.route
    assert [e.action for e in store.audit_events("NOBODY")] == ["write"]
    assert len(store.audit_events(PATIENT)) == 2  # the others' trails untouched
    assert len(store.audit_events("GONE")) == 3

    again = _repair("--remove-stray-audit")  # idempotent: nothing left, nothing recorded
    assert (again["stray_audit_trails"], again["stray_audit_events_removed"]) == ([], 0)
    assert len(store.audit_events(None, limit=50)) == len(left)
    # checked again in the removal's transaction: a patient's trail, a trail with a write
    assert store.remove_stray_audit_trails([PATIENT, "GONE"], actor="a", route="r") == {}
    assert len(store.audit_events(None, limit=50)) == len(left)
