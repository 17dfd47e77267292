"""kill -9 during `patient remove-input` on the real server: the input is there whole or gone,
never half removed, and a rerun removes it (or says there is no such input).

The removal is one statement (``patient/remove_input``: the input node, which holds all the
input gave, and its HAS_INPUT link go together). Kills at every write transaction of the
removal (``write#K``: the lock, the removal, the lock's release), and inside the removal's
transaction: held by this test's open transaction on the patient node after the statement
deleted the input (uncommitted), then killed.
"""

from __future__ import annotations

import signal
from typing import Any

import pytest

from medtwin.platform import patients
from tests.api.conftest import DE_TABLE
from tests.reliability.crash_process import paused, start
from tests.reliability.test_replace_kills import (
    _frame,
    _kill_inside_its_transaction,
    _locked_by_another,
    _wait,
)

pytestmark = pytest.mark.neo4j

PID = "PD"


def _inputs(store: Any, pid: str = PID) -> list[tuple[str, str, str]]:
    """Each input's id, name and digest (its content: the changes it gave)."""
    return sorted((i["id"], i["name"], i["sha256"]) for i in store.twins.inputs(pid))


def _patient(store: Any, pid: str = PID) -> str:
    """``pid`` with a DE input and symptoms; the DE input's id."""
    patients.add_patient_files(store, pid, de=_frame(DE_TABLE), symptoms=["HP:0001370"])
    return next(i["id"] for i in store.twins.inputs(pid) if i["kind"] == "de")


def _removals(store: Any) -> list[dict[str, Any]]:
    with store.driver.session(database=store.database) as session:
        rows = session.run(
            "SHOW TRANSACTIONS YIELD metaData, status "
            "WHERE metaData.statement = $name RETURN status",
            name="patient/remove_input",
        )
        return [r.data() for r in rows]


def _rerun(input_id: str) -> int:
    with start("remove-input", PID, "none", input_id) as proc:
        return proc.wait(300)


def test_kill_at_each_write_of_a_removal_leaves_the_input_whole_or_gone(tiny_reference):
    """Before, there was no removal of one input (the worker's remove-input failed at once)."""
    store, _ = tiny_reference
    de = _patient(store)
    before = _inputs(store)
    after = [row for row in before if row[0] != de]
    with start("remove-input", PID, "count", de) as proc:  # the whole removal, counted
        out, _ = proc.communicate(timeout=300)
    n = int(next(line for line in out.splitlines() if line.startswith("WRITES")).split()[1])
    assert n >= 2  # the lock, the removal (and the lock's release)
    assert _inputs(store) == after
    patients.add_patient_files(store, PID, de=_frame(DE_TABLE))  # back (the same content, id)
    assert _inputs(store) == before
    for point in (f"write#{k}" for k in range(1, n + 1)):
        with paused("remove-input", PID, point, de) as proc:
            pass
        assert proc.returncode == -signal.SIGKILL
        got = _inputs(store)
        assert got in (before, after), point
        assert _rerun(de) in (0, 1), point  # removes it, or finds it removed (1, "no such")
        assert _inputs(store) == after, point
        assert _rerun(de) == 1, point  # a second removal: no such input
        patients.add_patient_files(store, PID, de=_frame(DE_TABLE))  # back (the same id)
        assert _inputs(store) == before, point


def test_kill_inside_the_removal_transaction_rolls_it_back(tiny_reference):
    """The worker's statement has deleted the input (uncommitted) and waits for the patient
    node, which an open transaction of this test holds; killed there, the server rolls its
    transaction back: the input is still there, whole."""
    store, _ = tiny_reference
    de = _patient(store)
    before = _inputs(store)
    whole = next(i for i in store.twins.inputs(PID) if i["id"] == de)
    assert not _locked_by_another(store, de)  # the probe finds it free before
    # it deletes the input (uncommitted: that node locked by it), then waits on the patient
    hold = ("MATCH (p:Patient {id: $id}) SET p.held = true", {"id": PID})
    command = ("remove-input", PID, "none", de)
    code = _kill_inside_its_transaction(store, hold, command, lambda: _removals(store), de)
    assert code == -signal.SIGKILL
    _wait(lambda: not _removals(store), "the killed transaction to end")
    assert _inputs(store) == before
    assert next(i for i in store.twins.inputs(PID) if i["id"] == de) == whole
    assert _rerun(de) == 0
    assert [name for _, name, _ in _inputs(store)] == ["symptoms"]
    assert patients.get_patient(store, PID).inputs == 1
