"""``medtwin patient delete``: one patient, several (``P1 P2 …``), or a cohort (``--cohort``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from medtwin.cli import Command
from medtwin.cli.common import (
    BatchFailure,
    audit_patients,
    confirm_or_keep,
    echo_error,
    echo_json,
    end_batch,
    open_store,
)
from medtwin.errors import InputError

if TYPE_CHECKING:
    from medtwin.platform.patient_models import PatientsDeleted


@click.command("delete", cls=Command)
@click.argument("patient_ids", nargs=-1)
@click.option("--cohort", "cohort_name", help="Every patient whose metadata.cohort is NAME.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def delete(patient_ids: tuple[str, ...], cohort_name: str | None, yes: bool, as_json: bool) -> None:
    """Delete patients completely (inputs, twins, cell types, rankings); reference data stays.

    Several patients (or a cohort) are deleted 100 per transaction, each patient whole: if the
    run stops midway, the output names the patients deleted and those not done.

    \b
    Examples: medtwin patient delete P1 --yes
              medtwin patient delete P1 P2 P3 --yes --json
              medtwin patient delete --cohort trial7 --yes
    """
    if not patient_ids and cohort_name is None:
        raise InputError(
            "name the patients to delete, or a cohort",
            hint="`medtwin patient delete P1 P2` or `medtwin patient delete --cohort NAME`",
        )
    if patient_ids and cohort_name is not None:
        raise InputError("name patients or use --cohort, not both")
    if len(patient_ids) == 1:
        _delete_one(patient_ids[0], yes=yes, as_json=as_json)
        return
    from medtwin.platform import patients

    with open_store(lean=True) as store:
        ids = list(dict.fromkeys(patient_ids))
        if cohort_name is not None:
            from medtwin.platform.cohort_summary import cohort_patients

            ids = cohort_patients(store, cohort=cohort_name)
            audit_patients(ids)  # named by the cohort, not by the arguments
        if not yes:
            what = f"cohort {cohort_name!r}" if cohort_name is not None else ", ".join(ids[:5])
            more = f" and {len(ids) - 5} more" if cohort_name is None and len(ids) > 5 else ""
            confirm_or_keep(
                f"Delete {len(ids)} patients ({what}{more}) and all their data?",
                declined=f"not confirmed: {len(ids)} patients kept; "
                "pass --yes to delete without asking",
            )
        report = patients.delete_patients(store, ids)
        audit_patients(failed=report.failed_ids)
    _print_many(report, as_json=as_json)


def _delete_one(patient_id: str, *, yes: bool, as_json: bool) -> None:
    from medtwin.platform import patients
    from medtwin.platform.patient_deletion import require_deletable

    with open_store(lean=True) as store:
        if not yes:
            # asked only of a patient there is: an unknown id is told so (with the id alike
            # but for case) before any question
            require_deletable(store, patient_id)
            # On stderr: with --json, stdout carries the JSON report only.
            confirm_or_keep(
                f"Delete patient {patient_id} and all their data?",
                declined=f"not confirmed: patient {patient_id} kept; "
                "pass --yes to delete without asking",
            )
        report = patients.delete_patient(store, patient_id)
    if as_json:
        echo_json(report.model_dump(mode="json"))
    elif report.lock_released:
        click.echo(f"patient {patient_id}: {report.lock_released}")
    else:
        click.echo(
            f"deleted patient {patient_id}: {report.nodes_deleted} nodes, "
            f"{report.relationships_deleted} relationships; "
            f"{report.remaining_patient_nodes} patient nodes left"
        )


def _print_many(report: PatientsDeleted, *, as_json: bool) -> None:
    """The run's report; its failures on stderr and exit 1 when a patient was not deleted."""
    uncounted, unknown = report.deleted_uncounted, report.unknown
    named = len(report.deleted_ids) + len(report.failed) + len(report.not_done) + len(unknown)
    if as_json:
        echo_json(report.model_dump(mode="json"))
    else:
        for d in report.deleted:
            if d.lock_released:
                click.echo(f"patient {d.patient_id}: {d.lock_released}")
        click.echo(
            f"deleted {len(report.deleted_ids)} of {named} patients: {report.nodes_deleted} "
            f"nodes, {report.relationships_deleted} relationships"
            + (f" (not counted: {len(uncounted)} of the batch that failed)" if uncounted else "")
            + f"; {report.remaining_patient_nodes} patient nodes left"
        )
    if report.stopped is not None:
        said = [
            f"deleted by the batch that failed (read back: gone): {_ids(uncounted)}"
            if uncounted
            else "",
            f"not deleted, each whole: {_ids(report.not_done)}" if report.not_done else "",
            f"unknown (deleted or whole; the database did not answer): {_ids(unknown)}"
            if unknown
            else "",
        ]
        echo_error(
            "StoreError",
            f"stopped after deleting {len(report.deleted_ids)} patients: {report.stopped}",
            "; ".join(s for s in said if s) + "; run the same command again to delete the ones "
            "left (the ones deleted are then 'no patient')",
            as_json=as_json,
        )
    failures = [BatchFailure(f.patient_id, f.error, f.message, None) for f in report.failed]
    if report.stopped is not None and not failures:
        raise click.exceptions.Exit(1)
    end_batch(failures, named, "patients not deleted", as_json=as_json)
    if report.stopped is not None:
        raise click.exceptions.Exit(1)


def _ids(ids: tuple[str, ...]) -> str:
    """``ids`` for a message: how many, and the first 10 by name."""
    return f"{len(ids)} ({', '.join(ids[:10])}{' …' if len(ids) > 10 else ''})"
