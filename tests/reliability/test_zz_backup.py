"""``medtwin db backup`` / ``db restore`` round trip on the test server (issue 10, item 6).

The server is stopped for the dump and the load and started again; patient, twin and ranking
counts and a ranking page are identical after the restore, and the change made after the backup
(a deleted patient) is gone. Named ``zz`` to run after the other database tests: a restore rewinds
the transaction log, so Drivers opened before it hold bookmarks from the future (clients must
reconnect after a restore; the test then moves the log past them for the rest of the session).
"""

from __future__ import annotations

import json
import stat
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.api import create_app
from medtwin.cli import cli
from medtwin.cli.db_restore import REAPPLIED_ROUTE
from medtwin.store.audit import list_events
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.server import LocalServer
from tests.api.conftest import DE_TABLE, READ, WRITE, TestClient, api_settings

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _state(store: Any, client: Any) -> Any:
    counts: dict[str, int] = {}
    for r in store.read("query/count_labels"):  # per label and source
        counts[r["label"]] = counts.get(r["label"], 0) + r["n"]
    page = client.get("/v1/patients/PA/rankings/latest?limit=10", headers=READ).json()
    # Audit events of requests after the backup are (rightly) not in it.
    return sorted((k, n) for k, n in counts.items() if k != "AuditEvent"), page


def test_backup_and_restore_round_trip(seeded, tmp_path, test_settings):
    store, client = seeded
    assert LocalServer(test_settings).pid() is not None, "needs the project-managed test server"
    r = client.post("/v1/patients/PA/rankings", headers=WRITE, json={"n_samples": 20})
    assert r.status_code == 201, r.text
    assert client.app.state.audit_writer.flush()
    before = _state(store, client)
    dump = tmp_path / "medtwin.dump"

    runner = CliRunner()
    got = runner.invoke(cli, ["db", "backup", str(dump), "--json"], catch_exceptions=False)
    assert got.exit_code == 0, got.output
    assert dump.stat().st_size > 0
    assert json.loads(got.stdout)["bytes"] == dump.stat().st_size  # one object on stdout
    again = runner.invoke(cli, ["db", "backup", str(dump)])
    assert again.exit_code == 1  # never overwrites silently
    assert "--force" in again.output

    # After the backup: PB is added (a change the restore loses) and PA is deleted (an erasure
    # the restore must not undo: before, it brought PA back and erased the audit since).
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "PB", "symptoms": "HP:0001370"},
        files={"de": ("pb_de.tsv", DE_TABLE.encode(), "text/tab-separated-values")},
    )
    assert r.status_code == 201, r.text
    assert client.delete("/v1/patients/PA", headers=WRITE).status_code == 200
    assert client.app.state.audit_writer.flush()
    erased = _state(store, client)[0]  # the counts without PA (PB has no twin yet)
    got = runner.invoke(
        cli, ["db", "restore", "--yes", str(dump), "--json"], catch_exceptions=False
    )
    assert got.exit_code == 0, got.output
    report = json.loads(got.stdout)
    assert report["path"] == str(dump.resolve())
    assert report["audit_kept"] is True
    assert report["deleted_again"] == ["PA"]
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # the whole database: owner only
    fresh = Neo4jStore.open(test_settings)
    try:
        patients = {r["id"] for r in fresh.read("patient/list_patients", id=None, skip=0, limit=10)}
        assert patients == set()  # PA deleted again, PB (added after the backup) lost
        with TestClient(create_app(api_settings(test_settings))) as c:
            restored = _state(fresh, c)
        counts, was = dict(restored[0]), dict(before[0])
        assert {"Patient", "Twin", "Ranking"}.isdisjoint(counts)  # nothing of PA or PB left
        assert {k: counts.get(k) for k in ("Protein", "Drug")} == {
            k: was[k] for k in ("Protein", "Drug")
        }
        assert dict(erased)["Patient"] == 1  # PB, which the restore loses
        trail = {(e.route, e.status) for e in list_events(fresh, "PA", limit=100)}
        assert ("DELETE /v1/patients/PA", 200) in trail  # written after the backup, kept
        assert (REAPPLIED_ROUTE, 0) in trail
        assert ("POST /v1/patients", 201) in {
            (e.route, e.status) for e in list_events(fresh, "PB", limit=10)
        }
    finally:
        fresh.close()
    assert not list(test_settings.home.glob("restore-audit-*.jsonl"))  # removed once written

    # Not a dump: the load used to delete the database first, and the server came back empty.
    junk = tmp_path / "junk.dump"
    junk.write_bytes(bytes(range(256)) * 16)
    got = runner.invoke(cli, ["db", "restore", "--yes", str(junk)])
    assert got.exit_code == 1, got.output
    assert "left as it was before the restore" in got.output
    assert "Traceback" not in got.output
    assert not list(test_settings.home.glob("restore-audit-*.jsonl"))  # not restored: removed
    fresh = Neo4jStore.open(test_settings)
    try:
        with TestClient(create_app(api_settings(test_settings))) as c:
            assert _state(fresh, c) == restored
        # Move the transaction log past the bookmarks of the session's older Driver.
        # (A node created and deleted in one transaction commits nothing: each bump must stay.)
        for _ in range(300):
            fresh.driver.execute_query("MERGE (n:BookmarkBump) SET n.k = coalesce(n.k, 0) + 1")
        fresh.driver.execute_query("MATCH (n:BookmarkBump) DELETE n")
    finally:
        fresh.close()
