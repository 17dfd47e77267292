"""kill -9 during a twin build or a ranking, then rerun: nothing partial is ever visible, and the
rerun reaches the same state as an uninterrupted run (issue 10, items 3 and 7)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from medtwin.store.twins import TwinStore
from tests.api.conftest import DE_TABLE, FAST_TWIN, READ, WRITE
from tests.reliability.crash_process import paused

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
RANK = {"n_samples": 20}
FAULT_SEED = int(os.environ.get("MEDTWIN_FAULT_SEED", "19"))
"""Seed of the random kill points (set MEDTWIN_FAULT_SEED to draw others; failures print it)."""


_WRITES: dict[str, int] = {}


def _writes(op: str, patient: str) -> int:
    """Write transactions one uninterrupted ``op`` of ``patient`` makes (run to the end).

    Counted once per ``op`` (a process of its own, ~3 s): every draw of a test starts from the
    same state (a fresh database, the same patient and parameters), so it makes the same writes.
    """
    if op in _WRITES:
        return _WRITES[op]
    out = subprocess.run(
        [sys.executable, "-m", "tests.reliability.crash_worker", op, patient, "count"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
        check=True,
    ).stdout
    _WRITES[op] = int(
        next(line for line in out.splitlines() if line.startswith("WRITES")).split()[1]
    )
    return _WRITES[op]


def _add(client: Any, pid: str) -> None:
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": pid, "symptoms": "HP:0001370"},
        files={"de": ("de.tsv", DE_TABLE.encode(), "text/tab-separated-values")},
    )
    assert r.status_code == 201, r.text


def _crash(op: str, patient: str, point: str) -> None:
    """Start the worker, wait until it stops at ``point``, kill -9 it."""
    with paused(op, patient, point) as proc:
        pass
    assert proc.returncode == -signal.SIGKILL


def _twin_state(store: Any, pid: str) -> list[Any]:
    twins = TwinStore(store)
    out = []
    for t in twins.twins(pid):
        genes = sorted(
            (g["entrez"], g["role"], g["log2fc"], bool(g["in_module"]), round(g["pagerank"], 6))
            for g in twins.genes(t["id"])
        )
        out.append((t["version"], t["n_genes"], t["twin_module_size"], t["status"], genes))
    nodes, rels = twins.count_patient_data(pid)
    return [out, nodes, rels]


def _ranking_state(client: Any, pid: str) -> Any:
    r = client.get(f"/v1/patients/{pid}/rankings/latest?limit=500", headers=READ)
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["drugs"])
    return body["id"], body["total"], body["drugs"]


@pytest.mark.parametrize("point", ["after_create", "after_analyse"])
def test_kill_during_twin_build_leaves_nothing_visible_and_rerun_matches(
    tiny_reference, client, point
):
    store, _ = tiny_reference
    _add(client, "P1")
    _add(client, "REF")
    _crash("build", "P1", point)

    # The killed build is invisible to every reader.
    assert client.get("/v1/patients/P1/twins", headers=READ).json() == []
    assert client.get("/v1/patients/P1/twins/latest", headers=READ).status_code == 404
    assert client.get("/v1/patients/P1", headers=READ).json()["twin_versions"] == []
    assert client.get("/v1/patients/P1/twins/1", headers=READ).status_code == 404

    # The rerun takes over the dead process's lock, removes the remains and builds v1.
    r = client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST_TWIN)
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 1
    assert client.post("/v1/patients/REF/twins", headers=WRITE, json=FAST_TWIN).status_code == 201
    assert _twin_state(store, "P1") == _twin_state(store, "REF")


def test_repair_removes_the_remains_of_a_killed_build(tiny_reference, client):
    store, _ = tiny_reference
    from medtwin.platform import datasets

    _add(client, "P1")
    _crash("build", "P1", "after_analyse")
    assert datasets.repair(store)["unfinished_twins_removed"] == 1
    assert datasets.repair(store)["unfinished_twins_removed"] == 0
    _add(client, "REF")
    assert _twin_state(store, "P1") == _twin_state(store, "REF")  # patient and inputs only
    assert store.read("lock/list_locks") == []


@pytest.mark.parametrize("point", ["mid_scores", "before_publish"])
def test_kill_during_ranking_keeps_the_previous_ranking_whole(seeded, point):
    _, client = seeded
    assert client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK).status_code == 201
    before = _ranking_state(client, "PA")
    _crash("rank", "PA", point)
    assert _ranking_state(client, "PA") == before  # the old ranking, whole; nothing partial
    r = client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK)
    assert r.status_code == 201, r.text
    assert _ranking_state(client, "PA") == before  # same parameters and seed: same ranking


def test_kill_during_first_ranking_shows_no_ranking(seeded):
    _, client = seeded
    _crash("rank", "PA", "mid_scores")
    assert _ranking_state(client, "PA") is None
    assert client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK).status_code == 201
    assert _ranking_state(client, "PA") is not None


@pytest.mark.parametrize("draw", range(3))
def test_kill_at_a_random_write_of_a_build_leaves_nothing_visible(tiny_reference, client, draw):
    """A kill -9 before a write transaction drawn at random (seeded) from a build's writes."""
    store, _ = tiny_reference
    _add(client, "PC")
    n = _writes("build", "PC")  # a complete build of a throw-away patient: how many writes
    _add(client, "P1")
    _add(client, "REF")
    k = random.Random(f"{FAULT_SEED}-build-{draw}").randint(1, n)
    print(f"MEDTWIN_FAULT_SEED={FAULT_SEED}: build killed before write {k} of {n}")
    _crash("build", "P1", f"write#{k}")
    assert client.get("/v1/patients/P1/twins", headers=READ).json() == [], (FAULT_SEED, k)
    assert client.get("/v1/patients/P1/twins/latest", headers=READ).status_code == 404
    r = client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST_TWIN)
    assert r.status_code == 201, (FAULT_SEED, k, r.text)
    assert client.post("/v1/patients/REF/twins", headers=WRITE, json=FAST_TWIN).status_code == 201
    assert _twin_state(store, "P1") == _twin_state(store, "REF"), (FAULT_SEED, k)


@pytest.mark.parametrize("draw", range(3))
def test_kill_at_a_random_write_of_a_ranking_keeps_the_old_one(seeded, draw):
    """A kill -9 before a write transaction drawn at random (seeded) from a ranking's writes."""
    _, client = seeded
    assert client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK).status_code == 201
    before = _ranking_state(client, "PA")
    n = _writes("rank", "PA")  # the same parameters again: one more, equal ranking
    assert _ranking_state(client, "PA") == before
    k = random.Random(f"{FAULT_SEED}-rank-{draw}").randint(1, n)
    print(f"MEDTWIN_FAULT_SEED={FAULT_SEED}: ranking killed before write {k} of {n}")
    _crash("rank", "PA", f"write#{k}")
    assert _ranking_state(client, "PA") == before, (FAULT_SEED, k)
    r = client.post("/v1/patients/PA/rankings", headers=WRITE, json=RANK)
    assert r.status_code == 201, (FAULT_SEED, k, r.text)
    assert _ranking_state(client, "PA") == before, (FAULT_SEED, k)


def test_kill_during_add_of_a_new_patient_leaves_no_blocking_lock(tiny_reference, client):
    """A ``patient add`` of a new patient killed in its write left its lock and no patient:
    delete answered a bare 404 and the lock stayed until ``db repair``."""
    store, _ = tiny_reference
    _crash("add", "PN", "in_write")
    assert [r["lock"]["id"] for r in store.read("lock/list_locks")] == ["patient:PN"]
    assert client.get("/v1/patients", headers=READ).json() == []  # no patient to list

    # Views of the id say what happened and how to go on (reads write nothing: lock kept).
    r = client.get("/v1/patients/PN", headers=READ)
    assert r.status_code == 404
    assert "`add inputs`" in r.json()["detail"]
    assert "died holding the patient's lock before it stored anything" in r.json()["detail"]
    r = client.post("/v1/patients/PN/twins", headers=WRITE, json=FAST_TWIN)
    assert r.status_code == 404
    assert "died holding" in r.json()["detail"]
    assert len(store.read("lock/list_locks")) == 1

    # Delete succeeds: nothing was stored, and the lock goes.
    r = client.delete("/v1/patients/PN", headers=WRITE)
    assert r.status_code == 200, r.text
    assert r.json()["nodes_deleted"] == 0
    assert "that lock was removed" in r.json()["lock_released"]
    assert store.read("lock/list_locks") == []
    assert client.delete("/v1/patients/PN", headers=WRITE).status_code == 404  # now: plain 404

    # Killed again, then added again: the add takes the dead lock over; a build follows.
    _crash("add", "PN", "in_write")
    _add(client, "PN")
    assert store.read("lock/list_locks") == []
    assert client.post("/v1/patients/PN/twins", headers=WRITE, json=FAST_TWIN).status_code == 201
    assert [p["id"] for p in client.get("/v1/patients", headers=READ).json()] == ["PN"]


def test_kill_during_add_cohort_leaves_a_cohort_marked_incomplete(tiny_reference, client):
    """A ``patient add-cohort`` killed after 2 of its 4 samples: its cohort was taken as whole."""
    from medtwin.errors import ConflictError
    from medtwin.platform import cohort_summary
    from tests.reliability.crash_worker import add_cohort

    store, _ = tiny_reference
    _crash("add-cohort", "trial", "sample#3")
    assert [p["id"] for p in client.get("/v1/patients", headers=READ).json()] == [
        "trial_0",
        "trial_1",
    ]
    with pytest.raises(ConflictError) as e:
        cohort_summary.cohort_patients(store, cohort="trial")
    assert "cohort 'trial' is incomplete (2 of 4 samples)" in e.value.message
    assert "was killed before it finished" in e.value.message
    assert "rerun `rerun trial`" in (e.value.hint or "")
    r = client.get("/v1/cohorts/trial/summary", headers=READ)
    assert r.status_code == 409
    assert "incomplete (2 of 4 samples)" in r.json()["detail"]

    add_cohort(store, "trial", 4)  # the rerun: two no-ops, two added, marked complete
    assert cohort_summary.cohort_patients(store, cohort="trial") == [f"trial_{i}" for i in range(4)]
    add_cohort(store, "trial", 4)  # and again: nothing changes
    assert len(client.get("/v1/patients", headers=READ).json()) == 4
    (loads,) = store.cohorts.load_states("trial")
    assert loads["status"] == "complete"
    assert "trial_" not in str(loads)  # the record names no patient
