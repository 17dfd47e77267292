"""`patient delete P1 P2 …` and `patient delete --cohort NAME`: several patients in one command,
with the single delete's confirmation and --json (before: one id only, a usage error)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients as use_cases


def _patients(memory_cli, *ids: str, cohort: str = "trial"):
    store = memory_cli({"1": "GA"})
    for pid in ids:
        use_cases.add_patient(
            store,
            PatientProfile(
                patient_id=pid,
                changes=(GeneChange(entrez="1", log2fc=1.0),),
                metadata={"cohort": "other" if pid.startswith("O") else cohort},
                input_checksums={},
            ),
        )
    return store


def test_several_patients_are_deleted_with_a_json_report(memory_cli) -> None:
    store = _patients(memory_cli, "P1", "P2", "P3")
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "P2", "--yes", "--json"])
    assert got.exit_code == 0, got.output
    report = json.loads(got.stdout)
    assert [d["patient_id"] for d in report["deleted"]] == ["P1", "P2"]
    assert report["failed"] == []
    assert report["not_done"] == []
    assert report["stopped"] is None
    assert report["nodes_deleted"] >= 4
    assert report["remaining_patient_nodes"] == 0
    assert set(store.patients) == {"P3"}


def test_a_cohort_is_deleted_and_only_it(memory_cli) -> None:
    store = _patients(memory_cli, "P1", "P2", "O1")
    got = CliRunner().invoke(cli, ["patient", "delete", "--cohort", "trial", "--yes"])
    assert got.exit_code == 0, got.output
    assert got.stdout.startswith("deleted 2 of 2 patients: ")
    assert got.stdout.rstrip().endswith("; 0 patient nodes left")
    assert set(store.patients) == {"O1"}


def test_several_patients_are_confirmed_first(memory_cli) -> None:
    store = _patients(memory_cli, "P1", "P2")
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "P2", "--json"], input="n\n")
    assert got.exit_code == 1
    assert "Delete 2 patients (P1, P2) and all their data? [y/N]" in got.stderr
    assert json.loads(got.stderr.splitlines()[-1])["message"] == (
        "not confirmed: 2 patients kept; pass --yes to delete without asking"
    )
    assert got.stdout == ""
    assert set(store.patients) == {"P1", "P2"}


def test_an_unknown_patient_is_named_the_others_are_deleted(memory_cli) -> None:
    store = _patients(memory_cli, "P1", "P2")
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "NOPE", "P2", "--yes"])
    assert got.exit_code == 1
    assert got.stdout.startswith("deleted 2 of 3 patients: ")
    assert "NotFoundError: no patient NOPE" in got.stderr
    assert "1 of 3 patients not deleted" in got.stderr
    assert store.patients == {}


def test_ids_and_cohort_together_or_neither_are_refused(memory_cli) -> None:
    _patients(memory_cli, "P1")
    both = CliRunner().invoke(cli, ["patient", "delete", "P1", "--cohort", "trial", "--yes"])
    assert both.exit_code == 1
    assert "name patients or use --cohort, not both" in both.stderr
    neither = CliRunner().invoke(cli, ["patient", "delete", "--yes"])
    assert neither.exit_code == 1
    assert "name the patients to delete, or a cohort" in neither.stderr


def test_a_batch_whose_commit_lost_its_answer_is_reported_deleted(memory_cli) -> None:
    from medtwin.errors import GraphStoreUnavailable

    store = _patients(memory_cli, "P1", "P2", "P3")
    delete = store.twins.delete_patients

    def lost(ids):
        delete(ids)  # committed; its answer never arrives
        raise GraphStoreUnavailable("the Neo4j database at bolt://x does not answer")

    store.twins.delete_patients = lost
    got = CliRunner().invoke(cli, ["patient", "delete", "P1", "P2", "--yes"])
    assert got.exit_code == 1
    # before: "deleted 0 of 2 patients" and "2 patients not deleted (P1, P2)"
    assert got.stdout.startswith("deleted 2 of 2 patients: 0 nodes, 0 relationships (not counted")
    assert "deleted by the batch that failed (read back: gone): 2 (P1, P2)" in got.stderr
    assert "not deleted" not in got.stderr
    assert set(store.patients) == {"P3"}
