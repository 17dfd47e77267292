"""`db backup` on the real server: running write transactions and operations are named, refused.

Before, the backup stopped the server at once: a write transaction running then was rolled back
and a twin build waited on its retries (a build measured 98.7 s instead of ~2 s) or failed. Only
the check runs here: the refusal comes before the server is touched (the dump itself is in
``tests/reliability/test_zz_backup.py``).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.store.activity import running_writes
from medtwin.store.server import LocalServer

pytestmark = pytest.mark.neo4j


def test_a_write_transaction_and_a_held_lock_refuse_the_backup(
    tiny_reference, tmp_path, monkeypatch
):
    store, _ = tiny_reference

    def no_backup(*_: object, **__: object) -> int:
        raise AssertionError("the backup stopped the server under a running write")

    monkeypatch.setattr(LocalServer, "backup", no_backup)  # a missed writer fails, stops nothing
    pid_before = LocalServer(store.settings).pid()
    assert pid_before is not None
    dump = tmp_path / "b.dump"
    assert running_writes(store) == []  # reads and this check itself are not writes
    with store.driver.session(database=store.database) as session:
        tx = session.begin_transaction()  # another client's write, open between statements
        tx.run("MERGE (c:CountCache {id: 'backup-writer-test'}) SET c.n = 1").consume()
        try:
            got = CliRunner().invoke(cli, ["db", "backup", str(dump)])
        finally:
            tx.rollback()
    assert got.exit_code == 1, got.output
    assert "ConflictError: 1 write(s) running, which a backup would interrupt" in got.stderr
    assert "between statements, holding" in got.stderr
    assert "--interrupt-writes" in got.stderr
    assert not dump.exists()
    assert LocalServer(store.settings).pid() == pid_before  # not stopped

    with store.patient_lock("P1", "twin build"):  # a build between two of its transactions
        got = CliRunner().invoke(cli, ["db", "backup", str(dump)])
    assert got.exit_code == 1, got.output
    assert "twin build of patient P1 (pid" in got.stderr
    assert running_writes(store) == []


def test_medtwin_writes_are_marked_and_writing_queries_recognised(tiny_reference):
    store, _ = tiny_reference
    with store.driver.session(database=store.database) as session:
        tx = session.begin_transaction(metadata={"medtwin": "write", "statement": "twin/x"})
        tx.run("RETURN 1").consume()  # nothing locked yet: known by its metadata
        try:
            got = running_writes(store)
        finally:
            tx.rollback()
    assert len(got) == 1
    assert "(medtwin twin/x;" in got[0].what
