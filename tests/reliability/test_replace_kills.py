"""kill -9 during `patient add --replace` on the real server: the patient keeps its old input or
has the new one, never neither nor both, and a rerun reaches the new state.

The replace is one statement (``patient/add_inputs``: the earlier inputs of the same name are
deleted and the new ones merged in one transaction). Kills at every write transaction of the add
(``write#K``: the lock, the write, the lock's release), before the write with the lock held
(``in_write``), and inside the write's transaction: held by this test on the new input's id after
the statement deleted the old input (uncommitted), then killed.
"""

from __future__ import annotations

import io
import os
import signal
import time
from typing import Any

import neo4j
import pandas as pd
import pytest

from medtwin.platform import patients
from tests.api.conftest import DE_TABLE
from tests.reliability.crash_process import paused, start
from tests.reliability.crash_worker import EDITED_DE_TABLE
from tests.reliability.test_faults import _writes

pytestmark = pytest.mark.neo4j

PID = "PR"


def _frame(text: str) -> Any:
    return pd.read_csv(io.StringIO(text), sep="\t")


def _inputs(store: Any, pid: str = PID) -> list[tuple[str, str]]:
    return sorted((i["name"], i["sha256"]) for i in store.twins.inputs(pid))


def _old_and_new(store: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The patient's input before the replace (stored) and after it (of a throw-away patient:
    an input's digest is of its content, not of its patient)."""
    patients.add_patient_files(store, PID, de=_frame(DE_TABLE))
    patients.add_patient_files(store, "PX", de=_frame(EDITED_DE_TABLE))
    old, new = _inputs(store), _inputs(store, "PX")
    assert len(old) == 1
    assert old != new
    return old, new


def _replace_transactions(store: Any) -> list[dict[str, Any]]:
    with store.driver.session(database=store.database) as session:
        rows = session.run(
            "SHOW TRANSACTIONS YIELD metaData, status "
            "WHERE metaData.statement = $name RETURN status",
            name="patient/add_inputs",
        )
        return [r.data() for r in rows]


def _wait(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 120  # a deadlock guard, not a timing assertion
    while not condition():
        assert time.monotonic() < deadline, f"waited 120 s for {what}"
        time.sleep(0.2)


def _locked_by_another(store: Any, input_id: str) -> bool:
    """Whether another transaction holds ``input_id``'s node (a write to it times out in 3 s).

    The probe's write is rolled back either way.
    """
    with store.driver.session(database=store.database) as session:
        tx = session.begin_transaction(timeout=3)
        try:
            tx.run("MATCH (i:PatientInput {id: $id}) SET i.probe = true", id=input_id).consume()
        except neo4j.exceptions.Neo4jError:
            return True
        finally:
            if not tx.closed():
                tx.rollback()
    return False


def _kill_inside_its_transaction(
    store: Any,
    hold: tuple[str, dict[str, Any]],
    command: tuple[str, ...],
    running: Any,
    locked_id: str,
) -> int:
    """Kill ``command`` (a crash process) while it waits inside its write transaction.

    A transaction of this test holds a node the command's write needs (``hold``: Cypher and its
    parameters), so the command blocks after its first writes; once ``running()`` lists it as
    blocked and it holds ``locked_id``'s node (its write happened, uncommitted), it is killed
    and the test's transaction rolled back. Returns the command's exit code.
    """
    with store.driver.session(database=store.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(hold[0], **hold[1]).consume()
            with start(*command) as proc:
                _wait(
                    lambda: any(str(t["status"]).startswith("Blocked") for t in running()),
                    f"{command[0]} to wait inside its transaction",
                )
                assert _locked_by_another(store, locked_id)
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(30)
        finally:
            tx.rollback()
    return int(proc.returncode)


def _rerun(store: Any) -> None:
    with start("add-replace", PID, "none") as proc:
        assert proc.wait(300) == 0


def test_kill_at_each_write_of_a_replace_leaves_old_or_new_and_a_rerun_the_new(
    tiny_reference,
):
    """Before, ``replace`` did not exist (the worker's add-replace failed at once)."""
    store, _ = tiny_reference
    old, new = _old_and_new(store)
    n = _writes("add-replace", "PC")  # a whole replace of a throw-away patient: its writes
    assert n >= 2
    for point in ["in_write", *(f"write#{k}" for k in range(1, n + 1))]:
        with paused("add-replace", PID, point) as proc:
            pass
        assert proc.returncode == -signal.SIGKILL
        got = _inputs(store)
        assert got in (old, new), point
        _rerun(store)  # takes over the dead lock, replaces (or finds the new input: a no-op)
        assert _inputs(store) == new, point
        patients.add_patient_files(store, PID, de=_frame(DE_TABLE), replace=True)  # back
        assert _inputs(store) == old, point


def test_kill_inside_the_replace_transaction_rolls_the_removal_back(tiny_reference):
    """The worker's statement has deleted the old input (uncommitted) and waits for the new
    input's id, which an open transaction of this test holds; killed there, the server rolls
    its transaction back: the old input is still there, and nothing of the new."""
    store, _ = tiny_reference
    old, new = _old_and_new(store)
    new_id, old_id = f"{PID}/{new[0][1][:16]}", f"{PID}/{old[0][1][:16]}"
    assert not _locked_by_another(store, old_id)  # the probe finds it free before
    # it removes the old input (uncommitted: that node locked by it), then waits on the new one
    hold = ("CREATE (:PatientInput {id: $id, patient_id: $pid})", {"id": new_id, "pid": PID})
    command = ("add-replace", PID, "none")
    code = _kill_inside_its_transaction(
        store, hold, command, lambda: _replace_transactions(store), old_id
    )
    assert code == -signal.SIGKILL
    _wait(lambda: not _replace_transactions(store), "the killed transaction to end")
    assert _inputs(store) == old
    _rerun(store)
    assert _inputs(store) == new
    assert patients.get_patient(store, PID).inputs == 1
