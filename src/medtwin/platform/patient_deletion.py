"""Deleting patients: one (``patient delete P1``) or many in batches (``P1 P2 …``, ``--cohort``).

Many are the CLI's ``patient delete P1 P2 …`` and ``--cohort``, and the benchmarks' copies.
Re-exported by :mod:`medtwin.platform.patients` (the public Python API). Each patient goes whole
or not at all: one patient in one transaction, or :data:`DELETE_BATCH` patients in one
transaction (``patient/delete_patients``: one statement per batch instead of one per patient,
each patient's lock taken inside it), so a run that stops midway has deleted whole patients, and
says which.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from medtwin.errors import InputError, MedtwinError, NotFoundError
from medtwin.loaders.patient_rows import validate_patient_id
from medtwin.platform.patient_models import DeleteFailure, DeleteReport, PatientsDeleted
from medtwin.platform.patient_reads import get_patient, killed_note
from medtwin.platform.python_audit import audited
from medtwin.store.base import GraphStore
from medtwin.store.twin_verbs import DELETE_BATCH, PatientDeleted

__all__ = ["DELETE_BATCH", "delete_patient", "delete_patients", "require_deletable"]

log = logging.getLogger(__name__)


def require_deletable(store: GraphStore, patient_id: str) -> None:
    """Return if :func:`delete_patient` has something to delete, else raise its NotFoundError.

    Something is a patient, or the lock a killed ``patient add`` left. For a question asked
    before the delete (``patient delete X`` asked "Delete patient X and all their data?" of an
    id that names no patient, and only the "y" answer was told there is none).
    """
    try:
        get_patient(store, patient_id)
    except NotFoundError:
        if store.dead_lock(validate_patient_id(patient_id)) is None:
            raise


@audited("delete")
def delete_patient(store: GraphStore, patient_id: str) -> DeleteReport:
    """Delete the patient, its inputs, twins, cell types and rankings; reference data untouched.

    An id with no patient but the lock of a killed operation (a ``patient add`` of a new patient
    killed inside its write) is answered by removing that lock: nothing else of it was stored.
    """
    try:
        get_patient(store, patient_id)
    except NotFoundError:
        released = store.release_dead_lock(validate_patient_id(patient_id))
        if released is None:
            raise
        log.info("patient %s: nothing stored, lock removed: %s", patient_id, killed_note(released))
        return DeleteReport(
            patient_id=patient_id,
            nodes_deleted=0,
            relationships_deleted=0,
            remaining_patient_nodes=store.twins.count_patient_data(patient_id)[0],
            lock_released=f"nothing was stored: {killed_note(released)}; that lock was removed",
        )
    twins = store.twins
    with store.patient_lock(patient_id, "delete"):
        nodes, rels = twins.delete_patient(patient_id)
    left, _ = twins.count_patient_data(patient_id)
    log.info("patient %s deleted: %d nodes, %d relationships", patient_id, nodes, rels)
    return DeleteReport(
        patient_id=patient_id,
        nodes_deleted=nodes,
        relationships_deleted=rels,
        remaining_patient_nodes=left,
    )


@audited("delete")
def delete_patients(
    store: GraphStore, patient_ids: Sequence[str], *, batch: int = DELETE_BATCH
) -> PatientsDeleted:
    """Delete each of ``patient_ids`` whole, :data:`DELETE_BATCH` patients per transaction.

    What :func:`delete_patient` does per patient (the audit trail kept, the other patients of its
    stratification told), with one statement per batch instead of one per patient. A patient
    another operation holds (its lock) is left whole and reported busy; one whose holder died is
    deleted after that lock is removed; an id with no patient is reported. If the store fails
    midway, the run stops: the batches committed before are deleted (``deleted``), the rest is in
    ``not_done`` with the reason in ``stopped`` (a rerun deletes it). A rerun of a finished run
    deletes nothing (each id is then "no patient"). When the failure left the batch's commit in
    doubt, the database is asked which of its patients are still there: the ones gone are in
    ``deleted_uncounted``, and ``unknown`` when it cannot be asked.
    """
    ids = list(dict.fromkeys(validate_patient_id(p) for p in patient_ids))
    if not ids:
        raise InputError("no patient to delete", hint="name patient ids, or a cohort (--cohort)")
    if batch < 1:
        raise InputError(f"batch must be >= 1, got {batch}")
    deleted: list[DeleteReport] = []
    failed: list[DeleteFailure] = []
    released: dict[str, str] = {}  # patient -> the dead holder whose lock was removed
    # One read of the whole run: after a batch whose commit lost its answer, an id gone then is
    # one that commit deleted only if it was a patient before (else it is "no patient").
    present = store.twins.patients_present(ids)
    queue = [ids[i : i + batch] for i in range(0, len(ids), batch)]
    while queue:
        chunk = queue.pop(0)
        try:
            got = store.twins.delete_patients(chunk)
        except MedtwinError as e:
            return _stopped(store, ids, chunk, present, deleted, failed, e)
        retry = []
        for row in got:
            outcome = _outcome(store, row, released)
            if outcome is None:
                retry.append(row.patient_id)
            elif isinstance(outcome, DeleteFailure):
                failed.append(outcome)
            else:
                deleted.append(outcome)
        if retry:
            queue.append(retry)  # their dead holders' locks are gone: once more, at the end
        log.info("patient delete: %d of %d patients deleted", len(deleted), len(ids))
    return _report(store, deleted, failed, ())


def _stopped(
    store: GraphStore,
    ids: list[str],
    chunk: list[str],
    present: set[str],
    deleted: list[DeleteReport],
    failed: list[DeleteFailure],
    error: MedtwinError,
) -> PatientsDeleted:
    """The report of a run stopped by ``error`` in the batch ``chunk``.

    The batch may have committed: the connection can drop while the COMMIT's answer is on its
    way (the driver's IncompleteCommit, not retried). So the database is asked which of its
    patients are still there: those are not deleted; those gone that were patients before were
    deleted by that commit (their counts unknown); gone ids that were not patients are "no
    patient". If it does not answer, the batch's patients are ``unknown``. A rerun of the same
    command finishes the work either way (the deleted ones are then "no patient").
    """
    try:
        still = store.twins.patients_present(chunk)
    except MedtwinError as e:
        log.error("patient delete: %d patients of the failed batch unknown: %s", len(chunk), e)
        still, unknown = set(chunk), tuple(chunk)
        stopped = f"{error}; the patients of its batch could not be read back: {e}"
    else:
        unknown, stopped = (), str(error)
    gone = [p for p in chunk if p not in still]
    committed = tuple(p for p in gone if p in present)
    failed = failed + [
        DeleteFailure(patient_id=p, error="NotFoundError", message=f"no patient {p}")
        for p in gone
        if p not in present
    ]
    done = {d.patient_id for d in deleted} | {f.patient_id for f in failed} | set(committed)
    not_done = tuple(p for p in ids if p not in done and p not in unknown)
    log.error(
        "patient delete stopped (%s): %d deleted by the batch that failed, %d not deleted, "
        "%d unknown",
        error,
        len(committed),
        len(not_done),
        len(unknown),
    )
    report = _report(store, deleted, failed, not_done, stopped=stopped)
    return report.model_copy(update={"deleted_uncounted": committed, "unknown": unknown})


def _outcome(
    store: GraphStore, row: PatientDeleted, released: dict[str, str]
) -> DeleteReport | DeleteFailure | None:
    """The outcome of one patient of a batch; None: its dead holder's lock removed, try again."""
    pid = row.patient_id
    if row.held is not None:
        if pid not in released and (dead := store.release_dead_lock(pid)) is not None:
            released[pid] = killed_note(dead)
            return None
        return DeleteFailure(
            patient_id=pid,
            error="ConflictError",
            message=f"patient {pid} is busy: {row.held.get('operation')} is running "
            f"(since {row.held.get('acquired_at')}); retry when it has finished",
        )
    note = released.get(pid)
    if not row.found and not row.nodes and note is None:
        return DeleteFailure(patient_id=pid, error="NotFoundError", message=f"no patient {pid}")
    return DeleteReport(
        patient_id=pid,
        nodes_deleted=row.nodes,
        relationships_deleted=row.relationships,
        remaining_patient_nodes=0,  # read back by _report, all patients in one read
        lock_released=f"{note}; that lock was removed" if note else None,
    )


def _report(
    store: GraphStore,
    deleted: list[DeleteReport],
    failed: list[DeleteFailure],
    not_done: tuple[str, ...],
    *,
    stopped: str | None = None,
) -> PatientsDeleted:
    """The run's report; the deleted patients' nodes are read again, in one read (0 each)."""
    if deleted:
        try:
            left = store.twins.count_patients_nodes([d.patient_id for d in deleted])
        except MedtwinError as e:  # the server went away: the deletions committed stand
            stopped = f"{stopped or ''}{'; ' if stopped else ''}not read back: {e}"
        else:
            deleted = [
                d.model_copy(update={"remaining_patient_nodes": left.get(d.patient_id, 0)})
                for d in deleted
            ]
    return PatientsDeleted(
        deleted=tuple(deleted),
        failed=tuple(failed),
        not_done=not_done,
        stopped=stopped,
        nodes_deleted=sum(d.nodes_deleted for d in deleted),
        relationships_deleted=sum(d.relationships_deleted for d in deleted),
        remaining_patient_nodes=sum(d.remaining_patient_nodes for d in deleted),
    )
