"""``medtwin db backup`` / ``db restore`` round trip on the test server (issue 10, item 6).

The server is stopped for the dump and the load and started again; patient, twin and ranking
counts and a ranking page are identical after the restore, and the change made after the backup
(a deleted patient) is gone. Named ``zz`` to run after the other database tests: a restore rewinds
the transaction log, so Drivers opened before it hold bookmarks from the future (clients must
reconnect after a restore; the test then moves the log past them for the rest of the session).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.api import create_app
from medtwin.cli import cli
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.server import LocalServer
from tests.api.conftest import READ, WRITE, TestClient, api_settings

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

    assert client.delete("/v1/patients/PA", headers=WRITE).status_code == 200
    assert client.app.state.audit_writer.flush()
    got = runner.invoke(
        cli, ["db", "restore", "--yes", str(dump), "--json"], catch_exceptions=False
    )
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["path"] == str(dump.resolve())
    fresh = Neo4jStore.open(test_settings)
    try:
        with TestClient(create_app(api_settings(test_settings))) as c:
            assert _state(fresh, c) == before
    finally:
        fresh.close()

    # Not a dump: the load used to delete the database first, and the server came back empty.
    junk = tmp_path / "junk.dump"
    junk.write_bytes(bytes(range(256)) * 16)
    got = runner.invoke(cli, ["db", "restore", "--yes", str(junk)])
    assert got.exit_code == 1, got.output
    assert "left as it was before the restore" in got.output
    assert "Traceback" not in got.output
    fresh = Neo4jStore.open(test_settings)
    try:
        with TestClient(create_app(api_settings(test_settings))) as c:
            assert _state(fresh, c) == before
        # Move the transaction log past the bookmarks of the session's older Driver.
        for _ in range(300):
            fresh.driver.execute_query("CREATE (n:BookmarkBump) DELETE n")
    finally:
        fresh.close()
