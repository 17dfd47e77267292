"""Two ``patient add-cohort`` of one cohort at once, in two real processes, on the server.

Before: the second add (the same cohort file read with stricter thresholds, so 2 of its 4
samples) ran beside the first, which was paused before its 3rd sample, and wrote ``'complete'``
over the first's ``'adding'``; the first was then killed, and ``cohort summary`` took the 2
patients stored for the whole cohort without a word. Now the second add is refused at once (the
cohort's lock, held by the first), the views say the first is still adding, and after its kill
that it was killed; a rerun takes the dead lock over and completes the cohort. With ``wait``
(``patient add-cohort --wait SECONDS``) the second add waits for the lock instead, saying for
whom, and adds once the first has finished or died; or stops as before when the wait runs out.
"""

from __future__ import annotations

import os
import signal

import pytest

from medtwin.errors import ConflictError
from medtwin.platform import cohort_summary
from tests.api.conftest import READ
from tests.reliability.crash_process import line_starting, paused, start
from tests.reliability.crash_worker import add_cohort

pytestmark = pytest.mark.neo4j


def test_a_second_add_of_a_cohort_is_refused_while_the_first_runs(tiny_reference, client):
    store, _ = tiny_reference
    with paused("add-cohort", "trial", "sample#3") as first:  # 2 of 4 stored, still adding
        with pytest.raises(ConflictError) as e:
            add_cohort(store, "trial", 2)  # the same file, 2 samples kept: finished before
        assert (
            "cohort 'trial' is being added by another process (patient add-cohort, "
            f"pid {first.pid} on " in e.value.message
        )
        assert "nothing was added" in e.value.message
        with pytest.raises(ConflictError, match=r"'trial' is being added \(2 of 4 samples so far"):
            cohort_summary.cohort_patients(store, cohort="trial")
        r = client.get("/v1/cohorts/trial/summary", headers=READ)
        assert r.status_code == 409, r.text
        # db backup names the add once, by its lock (not again by its record)
        running = [w for w in store.running_writes() if "trial" in w]
        assert running == [running[0]]
        assert running[0].startswith(f"patient add-cohort of cohort 'trial' (pid {first.pid} on ")
    # the first was killed: said so, with the samples it stored
    with pytest.raises(ConflictError, match=r"incomplete \(2 of 4 samples\).*was killed"):
        cohort_summary.cohort_patients(store, cohort="trial")
    add_cohort(store, "trial", 4)  # the rerun takes the dead lock over and completes the cohort
    assert cohort_summary.cohort_patients(store, cohort="trial") == [f"trial_{i}" for i in range(4)]
    assert [x["status"] for x in store.cohorts.load_states("trial")] == ["complete"]
    assert store.read("lock/list_locks") == []


def test_a_second_add_with_wait_queues_behind_the_first(tiny_reference):
    """``--wait``: the second add waits for the first to finish, saying whom it waits for, and
    then adds (before, it could only stop; the user had to rerun it by hand)."""
    store, _ = tiny_reference
    with (
        paused("add-cohort", "trial", "hold#3") as first,  # 2 of 4 stored, held till SIGUSR1
        start("add-cohort", "trial", "wait#300") as second,  # started once the first holds
    ):
        said = line_starting(second, "WAITING")
        assert said.startswith(
            "WAITING cohort 'trial' is being added by another process (patient add-cohort, "
            f"pid {first.pid} on "
        ), said
        assert "; waiting for it (" in said
        assert len(store.twins.patients()) == 2  # the second stored nothing meanwhile
        os.kill(first.pid, signal.SIGUSR1)  # the first goes on and finishes
        assert line_starting(first, "DONE") == "DONE\n"  # not disturbed by the waiter
        assert line_starting(second, "DONE") == "DONE\n"
        assert second.wait(60) == 0
    assert cohort_summary.cohort_patients(store, cohort="trial") == [f"trial_{i}" for i in range(4)]
    assert [x["status"] for x in store.cohorts.load_states("trial")] == ["complete"]
    assert store.read("lock/list_locks") == []


def test_a_wait_ends_in_the_refusal_or_takes_over_from_a_killed_first(tiny_reference):
    store, _ = tiny_reference
    with paused("add-cohort", "trial", "sample#3") as first:  # 2 of 4 stored, then held
        said: list[str] = []
        with pytest.raises(ConflictError) as e:
            add_cohort(store, "trial", 4, wait=1.5, waiting=said.append)
        assert f"pid {first.pid} on " in e.value.message
        assert e.value.message.endswith("nothing was added (waited 1.5 s)")
        assert said
        assert all("waiting for it (" in s for s in said)
        with start("add-cohort", "trial", "wait#300") as second:
            assert line_starting(second, "WAITING").startswith("WAITING cohort 'trial' is being")
            os.kill(first.pid, signal.SIGKILL)  # dies holding the lock: the waiter takes it over
            assert line_starting(second, "DONE") == "DONE\n"
            assert second.wait(60) == 0
    assert cohort_summary.cohort_patients(store, cohort="trial") == [f"trial_{i}" for i in range(4)]
    assert [x["status"] for x in store.cohorts.load_states("trial")] == ["complete"]
    assert store.read("lock/list_locks") == []
