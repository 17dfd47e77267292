"""A writer that starts between ``db backup``'s check for running writes and its stop of the server.

The check is a snapshot: an add started just after it is cut by the stop. Here the real check
runs (it finds nothing), then a ``patient add-cohort`` in its own process starts (slowed: 4 s
before each of its 4 samples), then the backup stops the server, dumps it and starts it again,
as ``db backup`` does. Whatever the stop cut: each patient is whole (its one input, or absent:
a patient's inputs are one transaction, rolled back if open at the stop, as another client's
open transaction is), the cohort is not taken
as complete with a sample missing (its add is said killed or failed, or it finished), and a
rerun of the add completes it, taking over the lock the cut add left. Named ``zz``: it stops the
test server, so it runs after the other database tests.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import db as cli_db
from medtwin.errors import ConflictError
from medtwin.platform import cohort_summary
from medtwin.store.server import LocalServer
from tests.reliability.crash_worker import add_cohort

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_an_add_started_after_the_check_is_cut_whole_and_completed_by_a_rerun(
    tiny_reference, tmp_path, monkeypatch
):
    store, _ = tiny_reference
    assert LocalServer(store.settings).pid() is not None, "needs the project-managed test server"
    real_check = cli_db._refuse_running_writes
    started: list[subprocess.Popen[str]] = []
    session = store.driver.session(database=store.database)

    def check_then_a_writer_starts() -> None:
        real_check()  # nothing runs yet: the backup goes ahead
        # another client's write transaction, open (uncommitted) when the server stops
        session.begin_transaction().run("CREATE (:CountCache {id: 'race-open-tx'})").consume()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.crash_worker",
                "add-cohort",
                "race",
                "slow#4",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        started.append(proc)
        assert proc.stdout is not None
        for _ in range(2):  # its lock and record are written; its first sample is being added
            line = proc.stdout.readline()
            assert line.startswith("SAMPLE"), line
        time.sleep(1)

    monkeypatch.setattr(cli_db, "_refuse_running_writes", check_then_a_writer_starts)
    dump = tmp_path / "race.dump"
    got = CliRunner().invoke(cli, ["db", "backup", str(dump)], catch_exceptions=False)
    assert got.exit_code == 0, got.output
    assert dump.stat().st_size > 0
    (proc,) = started
    out, err = proc.communicate(timeout=300)
    finished = "DONE" in out
    with contextlib.suppress(Exception):  # its connection died with the stop
        session.close()
    # the open transaction was rolled back by the stop: nothing of it is in the database
    assert not store.driver.execute_query(
        "MATCH (c:CountCache {id: 'race-open-tx'}) RETURN c", database_=store.database
    ).records
    # each sample stored is whole: one input (its changes), never a patient without its input
    stored = store.twins.input_checksums([f"race_{i}" for i in range(4)])
    ids = {p["id"] for p in store.twins.patient_metadata() if p["id"].startswith("race_")}
    assert set(stored) == ids
    assert all(len(c) == 1 for c in stored.values()), stored
    if finished:  # the driver's retries outlasted the stop: the add completed
        assert cohort_summary.cohort_patients(store, cohort="race") == sorted(ids)
        assert len(ids) == 4
    else:  # cut: never taken as complete
        assert proc.returncode != 0, (out, err)
        with pytest.raises(ConflictError, match=rf"incomplete \({len(ids)} of 4 samples\)"):
            cohort_summary.cohort_patients(store, cohort="race")
    add_cohort(store, "race", 4)  # the rerun: takes over a lock the cut add left, completes
    assert cohort_summary.cohort_patients(store, cohort="race") == [f"race_{i}" for i in range(4)]
    assert all(len(c) == 1 for c in store.twins.input_checksums(ids).values())
    assert store.read("lock/list_locks") == []
    last = (err.strip().splitlines() or [""])[-1][:300]
    print(f"writer {'finished' if finished else 'was cut'} with {len(ids)} of 4 samples: {last}")
