"""`delete_patients`: many patients deleted in batches, each whole; busy, missing and a run that
stops midway are each reported by patient (README "How a deletion finds the patient")."""

from __future__ import annotations

import pytest

from medtwin.errors import GraphStoreUnavailable, InputError
from medtwin.platform import patients
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile


def _stored(store: MemoryStore, *ids: str) -> None:
    for pid in ids:
        patients.add_patient(store, profile(pid))


def test_many_patients_are_deleted_whole_in_batches_of_the_given_size(store: MemoryStore):
    _stored(store, "P1", "P2", "P3", "P4", "P5", "KEEP")
    batches = []
    delete = store.twins.delete_patients

    def counted(ids):
        batches.append(list(ids))
        return delete(ids)

    store.twins.delete_patients = counted  # type: ignore[method-assign]
    got = patients.delete_patients(store, ["P1", "P2", "P3", "P2", "P4", "P5"], batch=2)

    assert batches == [["P1", "P2"], ["P3", "P4"], ["P5"]]  # the repeated P2 once
    assert [d.patient_id for d in got.deleted] == ["P1", "P2", "P3", "P4", "P5"]
    assert got.failed == ()
    assert got.not_done == ()
    assert got.stopped is None
    assert all(d.nodes_deleted >= 2 for d in got.deleted)  # the patient and its input
    assert got.nodes_deleted == sum(d.nodes_deleted for d in got.deleted)
    assert got.remaining_patient_nodes == 0
    assert set(store.patients) == {"KEEP"}
    # a rerun deletes nothing: each id is then no patient
    again = patients.delete_patients(store, ["P1", "P2"])
    assert again.deleted == ()
    assert [(f.patient_id, f.error) for f in again.failed] == [
        ("P1", "NotFoundError"),
        ("P2", "NotFoundError"),
    ]
    assert again.failed_ids == ["P1", "P2"]


def test_a_busy_patient_is_kept_whole_and_named_the_others_go(store: MemoryStore):
    _stored(store, "P1", "P2", "P3")
    with store.patient_lock("P2", "rank"):
        got = patients.delete_patients(store, ["P1", "P2", "P3", "NOPE"])
    assert [d.patient_id for d in got.deleted] == ["P1", "P3"]
    assert [(f.patient_id, f.error) for f in got.failed] == [
        ("P2", "ConflictError"),
        ("NOPE", "NotFoundError"),
    ]
    assert "patient P2 is busy: rank is running" in got.failed[0].message
    assert set(store.patients) == {"P2"}
    assert store.twins.count_patient_data("P2")[0] >= 2  # untouched


def test_a_run_that_stops_midway_names_what_it_deleted_and_what_it_did_not(
    store: MemoryStore,
):
    _stored(store, "P1", "P2", "P3", "P4", "P5")
    delete = store.twins.delete_patients
    calls = []

    def fails_second(ids):
        calls.append(list(ids))
        if len(calls) == 2:
            raise GraphStoreUnavailable("Neo4j at bolt://x went away")
        return delete(ids)

    store.twins.delete_patients = fails_second  # type: ignore[method-assign]
    got = patients.delete_patients(store, ["P1", "P2", "P3", "P4", "P5"], batch=2)

    assert [d.patient_id for d in got.deleted] == ["P1", "P2"]
    assert got.not_done == ("P3", "P4", "P5")  # the failed batch and the ones after it
    assert got.stopped is not None
    assert "went away" in got.stopped
    assert set(store.patients) == {"P3", "P4", "P5"}  # each patient whole, deleted or not
    assert got.failed_ids == ["P3", "P4", "P5"]
    # the same call again deletes the rest; the ones deleted are then "no patient"
    store.twins.delete_patients = delete  # type: ignore[method-assign]
    rerun = patients.delete_patients(store, ["P1", "P2", "P3", "P4", "P5"], batch=2)
    assert [d.patient_id for d in rerun.deleted] == ["P3", "P4", "P5"]
    assert store.patients == {}


def test_no_patient_or_a_bad_batch_is_an_input_error(store: MemoryStore):
    with pytest.raises(InputError, match="no patient to delete"):
        patients.delete_patients(store, [])
    with pytest.raises(InputError, match="batch must be >= 1"):
        patients.delete_patients(store, ["P1"], batch=0)


def test_a_notebook_call_audits_each_patient_and_the_ones_not_deleted_as_failed(
    store: MemoryStore,
):
    store.audit_actor = "python:me"  # type: ignore[attr-defined]  # as medtwin.connect() sets it
    _stored(store, "P1", "P2")
    del store.audit[:]
    with store.patient_lock("P2", "rank"):
        patients.delete_patients(store, ["P1", "P2"])
    got = [(e["action"], e["patient_id"], e["route"], e["status"]) for e in store.audit]
    assert got == [
        ("delete", "P1", "python: delete_patients", 0),
        ("delete", "P2", "python: delete_patients", 1),  # busy: not deleted
    ]
