"""`patient add-cohort --cohort NAME`: the cohort's name, which was always the matrix's folder name.

Before, the CLI had no way to name the cohort (Python's ``add_cohort_files`` has ``cohort=``):
a copy of a cohort's files in another folder (the README's ``expr.tsv`` in the current one) was
another cohort, so its ``--replace`` add was refused as naming "an existing patient with other
inputs" for every sample, with no fix but deleting the patients.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from medtwin.cli import cli

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = {"1": "GA", "2": "GB", "3": "GC", "4": "GX"}


def _add(folder: Path, *more: str) -> list[str]:
    matrix, sheet = sorted(folder.iterdir())
    return [
        "patient", "add-cohort", "--expression", str(matrix),
        "--sample-sheet", str(sheet), "--p-max", "1", *more,
    ]  # fmt: skip


def _copy(folder: Path, names: tuple[str, str] = ("expr.tsv", "samples.tsv")) -> Path:
    folder.mkdir()
    shutil.copy(DATA / "cohort_expression.tsv", folder / names[0])
    shutil.copy(DATA / "cohort_samples.tsv", folder / names[1])
    return folder


def test_a_named_cohort_is_that_cohort_wherever_its_files_are(memory_cli, tmp_path) -> None:
    store = memory_cli(GENES)
    first = CliRunner().invoke(cli, _add(_copy(tmp_path / "trial7")))
    assert first.exit_code == 0, first.output
    cohorts = {p["id"]: p["metadata"]["cohort"] for p in store.twins.patient_metadata()}
    assert cohorts == {"S1": "trial7", "S2": "trial7", "S3": "trial7"}  # the folder's name

    elsewhere = _copy(tmp_path / "work", ("matrix.tsv", "sheet.tsv"))  # renamed copies
    refused = CliRunner().invoke(cli, _add(elsewhere, "--replace"))
    assert refused.exit_code == 1  # cohort 'work': another cohort's samples of the same ids
    assert "3 case sample(s) name an existing patient with other inputs" in refused.output
    assert "give its name (--cohort NAME; this add's cohort is 'work')" in refused.output
    named = CliRunner().invoke(cli, _add(elsewhere, "--cohort", "trial7", "--replace"))
    assert named.exit_code == 0, named.output
    assert named.stdout == "3 patients: 0 added, 3 unchanged, 0 replaced\n"  # same content
    cohorts = {p["id"]: p["metadata"]["cohort"] for p in store.twins.patient_metadata()}
    assert set(cohorts.values()) == {"trial7"}


def test_the_name_given_is_the_cohort_and_a_blank_one_is_refused(memory_cli, tmp_path) -> None:
    store = memory_cli(GENES)
    folder = _copy(tmp_path / "files")
    got = CliRunner().invoke(cli, _add(folder, "--cohort", "RA PBMC"))
    assert got.exit_code == 0, got.output
    assert {p["metadata"]["cohort"] for p in store.twins.patient_metadata()} == {"RA PBMC"}
    blank = CliRunner().invoke(cli, _add(folder, "--cohort", " "))
    assert blank.exit_code == 1
    assert "the cohort name ' ' is blank: give a name, or none for the matrix's folder name" in (
        blank.output
    )


def test_json_output_has_no_progress_lines_beside_it(memory_cli, tmp_path) -> None:
    """``--json`` prints the JSON and nothing else: its bar, unlike every other command's, was not
    told to be quiet, so each patient's progress line went to stderr beside the JSON."""
    memory_cli(GENES)
    got = CliRunner().invoke(cli, [*_add(_copy(tmp_path / "c")), "--json"])
    assert got.exit_code == 0, got.output
    assert got.stderr == ""
    assert got.stdout.lstrip().startswith("{")
