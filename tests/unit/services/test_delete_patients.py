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


def _commits_then_fails(store: MemoryStore, on_call: int):
    """``store.twins.delete_patients`` whose ``on_call``-th batch commits, then loses its answer.

    As the driver's IncompleteCommit: the connection drops while the COMMIT's answer is on its
    way (translated to GraphStoreUnavailable, as store/connection.py does).
    """
    delete = store.twins.delete_patients
    calls = []

    def lost(ids):
        calls.append(list(ids))
        got = delete(ids)
        if len(calls) == on_call:
            raise GraphStoreUnavailable("Neo4j at bolt://x does not answer (IncompleteCommit)")
        return got

    store.twins.delete_patients = lost  # type: ignore[method-assign]
    return delete


def test_a_batch_whose_commit_lost_its_answer_is_read_back_deleted_not_not_done(
    store: MemoryStore,
):
    # before: P3 and P4, deleted by the commit, were reported not_done ("a rerun deletes them")
    _stored(store, "P1", "P2", "P3", "P4", "P5")
    delete = _commits_then_fails(store, on_call=2)
    got = patients.delete_patients(store, ["P1", "P2", "P3", "NOPE", "P4", "P5"], batch=2)

    assert [d.patient_id for d in got.deleted] == ["P1", "P2"]
    assert got.deleted_uncounted == ("P3",)  # gone after the commit: it deleted it
    assert [(f.patient_id, f.error) for f in got.failed] == [("NOPE", "NotFoundError")]
    assert got.not_done == ("P4", "P5")  # the batches after it, never tried
    assert got.unknown == ()
    assert got.deleted_ids == ["P1", "P2", "P3"]
    assert got.failed_ids == ["NOPE", "P4", "P5"]
    assert "IncompleteCommit" in (got.stopped or "")
    assert set(store.patients) == {"P4", "P5"}
    # the same command again finishes it: the deleted ones are then "no patient"
    store.twins.delete_patients = delete  # type: ignore[method-assign]
    rerun = patients.delete_patients(store, ["P1", "P2", "P3", "NOPE", "P4", "P5"], batch=2)
    assert [d.patient_id for d in rerun.deleted] == ["P4", "P5"]
    assert store.patients == {}


def test_a_batch_that_failed_before_its_commit_is_read_back_still_there(store: MemoryStore):
    _stored(store, "P1", "P2", "P3")
    calls = []

    def rolled_back(ids):
        calls.append(list(ids))
        raise GraphStoreUnavailable("Neo4j at bolt://x does not answer (ServiceUnavailable)")

    store.twins.delete_patients = rolled_back  # type: ignore[method-assign]
    got = patients.delete_patients(store, ["P1", "P2", "P3"], batch=2)
    assert got.deleted == ()
    assert got.deleted_uncounted == ()
    assert got.not_done == ("P1", "P2", "P3")
    assert got.unknown == ()
    assert set(store.patients) == {"P1", "P2", "P3"}


def test_a_batch_that_cannot_be_read_back_is_unknown(store: MemoryStore):
    _stored(store, "P1", "P2", "P3", "P4")
    _commits_then_fails(store, on_call=1)
    present = store.twins.patients_present
    reads = []

    def down_after_first(ids):
        reads.append(list(ids))
        if len(reads) > 1:  # the read before the run answers, the read after the failure not
            raise GraphStoreUnavailable("Neo4j at bolt://x does not answer (ServiceUnavailable)")
        return present(ids)

    store.twins.patients_present = down_after_first  # type: ignore[method-assign]
    got = patients.delete_patients(store, ["P1", "P2", "P3", "P4"], batch=2)
    assert reads == [["P1", "P2", "P3", "P4"], ["P1", "P2"]]
    assert got.deleted == ()
    assert got.deleted_uncounted == ()
    assert got.unknown == ("P1", "P2")
    assert got.not_done == ("P3", "P4")
    assert got.failed_ids == ["P3", "P4", "P1", "P2"]
    assert "could not be read back" in (got.stopped or "")
