"""Two ``patient add-cohort`` of one cohort at once, in two real processes, on the server.

Before: the second add (the same cohort file read with stricter thresholds, so 2 of its 4
samples) ran beside the first, which was paused before its 3rd sample, and wrote ``'complete'``
over the first's ``'adding'``; the first was then killed, and ``cohort summary`` took the 2
patients stored for the whole cohort without a word. Now the second add is refused at once (the
cohort's lock, held by the first), the views say the first is still adding, and after its kill
that it was killed; a rerun takes the dead lock over and completes the cohort.
"""

from __future__ import annotations

import pytest

from medtwin.errors import ConflictError
from medtwin.platform import cohort_summary
from tests.api.conftest import READ
from tests.reliability.crash_process import paused
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
