"""The audit trail saved and written back as `medtwin db restore` does, on the real server.

The restore itself (server stopped, dump loaded) is in ``tests/reliability/test_zz_backup.py``
(``make test-reliability``); this checks, in every run, the statements and the file it uses.
"""

from __future__ import annotations

import stat
from typing import Any

import pytest

from medtwin.store import audit, audit_restore
from medtwin.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


def test_the_trail_is_saved_and_written_back_whole(
    clean_db: Any, test_settings: Any, tmp_path, monkeypatch
):
    store = Neo4jStore(clean_db, test_settings)
    written = [
        audit.record_event(
            store, actor="os:a", action="write", patient_id="P1", route="x", status=0
        ),
        audit.record_event(
            store, actor="os:a", action="delete", patient_id="P1", route="y", status=0
        ),
        audit.record_event(
            store, actor="k", action="read", patient_id="P2", route="GET /", status=200
        ),
    ]
    path = tmp_path / "trail.jsonl"
    monkeypatch.setattr(audit_restore, "_PAGE", 2)  # two pages: the keyset paging goes past one
    assert audit_restore.save_events(store, path) == 3
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # patient ids: owner only
    assert audit_restore.erased_patients(audit_restore.saved_events(path)) == ["P1"]
    clean_db.execute_query("MATCH (e:AuditEvent) DELETE e", database_=store.database)
    assert audit_restore.load_events(store, path) == 3
    assert audit_restore.load_events(store, path) == 3  # again: merged on the id, nothing doubled
    back = {e.id: e for e in audit.list_events(store, limit=10)}
    assert set(back) == {e.id for e in written}
    for e in written:
        got = back[e.id]
        assert (got.actor, got.action, got.patient_id, got.route, got.status) == (
            e.actor,
            e.action,
            e.patient_id,
            e.route,
            e.status,
        )
