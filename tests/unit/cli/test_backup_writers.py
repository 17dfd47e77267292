"""`db backup` refuses to stop the server under running writes, naming them (no database here).

Before, it stopped the server at once, and a twin build or any write running then was cut. The
real server's transactions are in ``tests/integration/test_backup_writers.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, common, db
from medtwin.errors import ConflictError
from medtwin.platform import datasets
from medtwin.store.memory import MemoryStore
from tests.unit.cli.test_db_json import _Server


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[_Server, MemoryStore]:
    server, store = _Server(tmp_path), MemoryStore()
    monkeypatch.setattr(db, "_local", lambda: server)

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield store

    monkeypatch.setattr(common, "open_store", memory)
    return server, store


def test_backup_under_a_running_operation_is_refused_and_stops_nothing(setup, tmp_path):
    server, store = setup
    dump = tmp_path / "b.dump"
    with store.patient_lock("P1", "twin build"):
        got = CliRunner().invoke(cli, ["db", "backup", str(dump)])
        assert got.exit_code == 1, got.output
        assert "ConflictError: 1 write(s) running, which a backup would interrupt" in got.stderr
        assert "twin build of patient P1" in got.stderr
        assert "--interrupt-writes" in got.stderr
        assert server.calls == []  # not stopped
        assert not dump.exists()
        forced = CliRunner().invoke(cli, ["db", "backup", str(dump), "--interrupt-writes"])
        assert forced.exit_code == 0, forced.output
        assert dump.exists()
    again = CliRunner().invoke(cli, ["db", "backup", str(dump), "--force"])  # no writer now
    assert again.exit_code == 0, again.output


def test_a_stopped_server_is_not_asked(setup, tmp_path):
    server, store = setup
    server.running = False
    with store.patient_lock("P1", "twin build"):  # not a server's writer: nothing to interrupt
        got = CliRunner().invoke(cli, ["db", "backup", str(tmp_path / "b.dump")])
    assert got.exit_code == 0, got.output


def test_the_use_case_names_every_writer():
    store = MemoryStore()
    datasets.refuse_running_writes(store)  # none: no error
    with (
        store.patient_lock("P1", "ranking"),
        store.patient_lock("P2", "add inputs"),
        pytest.raises(ConflictError) as e,
    ):
        datasets.refuse_running_writes(store)
    assert "2 write(s) running" in e.value.message
    assert "ranking of patient P1; add inputs of patient P2" in e.value.message


def test_a_cohort_add_in_progress_is_named_too():
    """The memory store left cohort adds out (the Neo4j store named them): the check passed."""
    store = MemoryStore()
    with store.cohorts.add_lock("trial"), pytest.raises(ConflictError) as e:
        datasets.refuse_running_writes(store)
    assert "1 write(s) running" in e.value.message
    assert "patient add-cohort of cohort 'trial' (pid " in e.value.message
    datasets.refuse_running_writes(store)  # the add has ended: none
