"""Patients as stored: one, a page, how many, their audit trail (the read side of :mod:`.patients`).

Split from :mod:`medtwin.platform.patients` (which re-exports these) to keep each use-case module
readable in one sitting; the writes (add, delete) stay there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from medtwin.command_lines import patient_command
from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.patient_rows import validate_patient_id
from medtwin.platform.arguments import MAX_INT, count, optional_count
from medtwin.platform.endotypes import endotype_note
from medtwin.platform.frozen_model import Rows
from medtwin.platform.patient_models import InputSummary, PatientSummary
from medtwin.platform.python_audit import audited
from medtwin.store.audit import AuditEvent
from medtwin.store.base import GraphStore
from medtwin.store.not_found import no_patient

__all__ = [
    "audit_trail",
    "count_patients",
    "get_patient",
    "input_summaries",
    "killed_note",
    "list_patients",
    "new_or_known_id",
    "patient_summary",
]


def patient_summary(row: dict[str, Any]) -> PatientSummary:
    """A :class:`PatientSummary` of one row of ``store.twins.patients``."""
    created = row.get("created_at")
    return PatientSummary(
        id=row["id"],
        inputs=int(row["inputs"]),
        genes=int(row["genes"]),
        symptoms=tuple(dict.fromkeys(row["symptoms"] or [])),
        metadata=row["metadata"],
        twin_versions=tuple(int(v) for v in row["versions"]),
        created_at=created,
        endotype=row.get("endotype"),
        endotype_method=row.get("endotype_method"),
        endotype_note=endotype_note(row),
        unmapped=int(row.get("unmapped") or 0),
        unmapped_genes=tuple(row.get("unmapped_genes") or ()),
    )


def list_patients(
    store: GraphStore, *, offset: int = 0, limit: int | None = None
) -> Rows[PatientSummary]:
    """Every patient by id, or one page of them (``limit`` None: to the end); ``to_frame()``."""
    offset, limit = count(offset, "offset"), optional_count(limit, "limit")
    if limit is not None:  # Neo4j adds them up: past 2**63 - 1 a "long overflow" query error
        limit = min(limit, MAX_INT - offset)
    rows = store.twins.patients(offset=offset, limit=limit)
    return Rows(PatientSummary, (patient_summary(r) for r in rows))


def count_patients(store: GraphStore) -> int:
    """How many patients there are."""
    return store.twins.count_patients()


@audited("read")
def get_patient(store: GraphStore, patient_id: str, *, with_inputs: bool = False) -> PatientSummary:
    """One patient, or :class:`NotFoundError` (naming a killed operation's lock, if one is left).

    ``with_inputs``: its ``input_list`` too, each input with its id (one more read).
    """
    got = store.twins.patients(validate_patient_id(patient_id))
    if not got:
        left = store.dead_lock(patient_id)  # only on this path: one read, never a write
        if left is not None:
            raise NotFoundError(
                f"no patient {patient_id}: {killed_note(left)} before it stored anything",
                hint=f"add it again with `{patient_command('patient add', patient_id, '...')}` "
                f"(the lock is taken over), or `{patient_command('patient delete', patient_id)}` "
                "to remove the lock",
            )
        raise no_patient(patient_id, store.twins.patients_named_alike(patient_id))
    summary = patient_summary(got[0])
    if not with_inputs:
        return summary
    return summary.model_copy(update={"input_list": input_summaries(store, patient_id)})


def patients_twin(store: GraphStore, patient_id: str, version: int | None = None) -> dict[str, Any]:
    """The patient's stored twin (:meth:`store.twins.twin`), its id checked first.

    For the views that read the twin without :func:`get_patient` (``twin regulators``, which
    reads what the build stored with a lean driver): an id that breaks the rule names the rule,
    and an unknown one the ids equal to it but for case, as every other command says them. Stop
    60's CLI probe: ``twin regulators gsm389703`` said ``no patient gsm389703`` with the hint to
    add it, and ``twin regulators ''`` said ``no patient`` and nothing after. The extra read is
    made only when the twin is missing.
    """
    pid = validate_patient_id(patient_id)
    try:
        return store.twins.twin(pid, version)
    except NotFoundError:
        if store.patient_exists(pid):
            raise
        raise no_patient(pid, store.twins.patients_named_alike(pid)) from None


def new_or_known_id(store: GraphStore, patient_id: str, kinds: Iterable[str]) -> str:
    """``patient_id`` checked, refused if new and equal to a stored id but for case (``gsm1``).

    A tired user's ``patient add gsm389703 --de …`` made a second patient beside GSM389703 (the
    NotFoundError of ``patient show gsm389703`` even said to add it), and the two patients'
    reports and exports are one file on macOS and Windows. A cohort's samples (``kinds`` all
    ``cohort``: ids that are a matrix's columns) are not looked up: a label scan per sample.
    """
    pid = validate_patient_id(patient_id)
    if all(kind == "cohort" for kind in kinds):
        return pid
    alike = store.twins.patients_named_alike(pid)
    if alike:
        raise InputError(
            f"patient {alike[0]} exists, and {patient_id} differs from it only in case",
            hint=f"add to it with `{patient_command('patient add', alike[0], '...')}`, or "
            "choose an id that differs in more than case (ids are case-sensitive, but reports "
            "and exports are files named by id: one file for both on macOS and Windows)",
        )
    return pid


def input_summaries(store: GraphStore, patient_id: str) -> tuple[InputSummary, ...]:
    """The patient's inputs described, oldest first (none for an unknown patient)."""
    rows = store.twins.input_list(patient_id)
    return tuple(InputSummary.model_validate(r) for r in rows)


def killed_note(lock: Mapping[str, Any]) -> str:
    """'its `add inputs` (pid 4711 on vm, started 2026-12-06 09:31 UTC) died holding …'."""
    return (
        f"its `{lock.get('operation')}` (pid {lock.get('pid')} on {lock.get('host')}, started "
        f"{str(lock.get('acquired_at'))[:16]} UTC) died holding the patient's lock"
    )


@audited("read")
def audit_trail(
    store: GraphStore, patient_id: str, *, limit: int = 100, offset: int = 0
) -> list[AuditEvent]:
    """Who read, changed or deleted a patient's data, newest first (kept after deletion).

    The newest ``offset`` are skipped, so a client pages back through any number of events.
    """
    patient_id = validate_patient_id(patient_id)
    events = store.audit_events(
        patient_id, limit=count(limit, "limit"), offset=count(offset, "offset")
    )
    if not events and offset == 0 and not store.patient_exists(patient_id):
        # an empty trail of a mistyped id (gsm389703 for GSM389703) read as "nobody touched this
        # patient"; a deleted patient keeps its events, so only an id never used gets here
        alike = store.twins.patients_named_alike(patient_id)
        if alike:
            raise no_patient(patient_id, alike)
        raise NotFoundError(
            f"no patient {patient_id} and no audit event of one",
            hint="a trail holds the reads and writes of a patient that exists or was deleted: "
            "check the id",
        )
    return events
