"""What `patient add`/`add-cohort` did (added, unchanged, replaced) and `patient show`'s slots
(memory store)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import patients
from medtwin.errors import ConflictError
from medtwin.platform.cohort_files import add_cohort_files
from medtwin.platform.cohort_loads import require_complete

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = {"1": "GA", "2": "GB", "3": "GC", "4": "GX"}
DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\n"


def _cohort(expression: Path, *more: str) -> list[str]:
    return [
        "add-cohort", "--expression", str(expression),
        "--sample-sheet", str(DATA / "cohort_samples.tsv"), "--p-max", "1", *more,
    ]  # fmt: skip


def test_a_cohort_added_again_says_nothing_was_added(memory_cli, tmp_path: Path) -> None:
    """Before, the rerun printed "3 patients added" though it stored nothing."""
    memory_cli(GENES)
    expr = tmp_path / "expr.tsv"
    shutil.copy(DATA / "cohort_expression.tsv", expr)
    first = CliRunner().invoke(patients.patient, _cohort(expr))
    assert first.exit_code == 0, first.output
    assert first.stdout == "3 patients: 3 added, 0 unchanged\n"
    again = CliRunner().invoke(patients.patient, _cohort(expr))
    assert again.stdout == "3 patients: 0 added, 3 unchanged\n"
    out = json.loads(CliRunner().invoke(patients.patient, [*_cohort(expr), "--json"]).stdout)
    assert (out["n_added"], out["n_unchanged"], out["n_replaced"]) == (0, 3, 0)
    assert {p["outcome"] for p in out["added"]} == {"unchanged"}


def test_a_renamed_matrix_of_the_cohort_replaces_by_slot_and_says_what(
    memory_cli, tmp_path: Path
) -> None:
    """Before, `add-cohort --replace` matched file names only: the renamed matrix's samples were
    refused as clashes with the patients of the first, and nothing listed what was replaced."""
    store = memory_cli(GENES)
    expr, renamed = tmp_path / "expr.tsv", tmp_path / "expr_v2.tsv"
    shutil.copy(DATA / "cohort_expression.tsv", expr)
    lines = (DATA / "cohort_expression.tsv").read_text().splitlines()
    renamed.write_text("\n".join([lines[0], *(f"{x}1" for x in lines[1:])]) + "\n")  # edited
    assert CliRunner().invoke(patients.patient, _cohort(expr)).exit_code == 0
    old = {p: store.twins.inputs(p)[0]["id"].split("/")[1] for p in ("S1", "S2", "S3")}
    got = CliRunner().invoke(patients.patient, _cohort(renamed, "--replace"))
    assert got.exit_code == 0, got.output
    out = got.stdout.splitlines()
    assert out[0] == "3 patients: 0 added, 0 unchanged, 3 replaced"
    for line, pid in zip(out[1:], ("S1", "S2", "S3"), strict=True):
        assert line.startswith(
            f"patient {pid}: replaced 1 earlier input: {old[pid]} (cohort cohort_samples.tsv, "
            "expr.tsv: "
        )
    assert [i["name"] for i in store.twins.inputs("S1")] == ["cohort_samples.tsv, expr_v2.tsv"]
    # the first add's record is complete: it stays (it refuses nothing), beside the new one
    files = [sorted(json.loads(x["inputs"][0])) for x in store.cohorts.load_states(tmp_path.name)]
    assert sorted(files) == [
        ["cohort_samples.tsv", "expr.tsv"],
        ["cohort_samples.tsv", "expr_v2.tsv"],
    ]
    again = json.loads(
        CliRunner().invoke(patients.patient, [*_cohort(renamed, "--replace"), "--json"]).stdout
    )
    assert (again["n_unchanged"], again["n_replaced"]) == (3, 0)


def test_patient_show_prints_each_input_s_slot_and_files(memory_cli, tmp_path: Path) -> None:
    """Before, the slot and the files' sha256 were in `--json` only (the slot) or nowhere."""
    memory_cli({"1": "G1", "2": "G2"})
    de = tmp_path / "p1_de.tsv"
    de.write_text(DE)
    added = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(de)])
    assert added.stdout.startswith("patient P1: 1 input added, 0 unchanged; inputs 1")
    rerun = CliRunner().invoke(patients.patient, ["add", "P1", "--de", str(de)])
    assert rerun.stdout.startswith("patient P1: 0 inputs added, 1 unchanged; inputs 1")
    shown = CliRunner().invoke(patients.patient, ["show", "P1"]).stdout
    sha = hashlib.sha256(DE.encode()).hexdigest()
    assert f"      slot de; file p1_de.tsv sha256 {sha[:12]}\n" in shown


def test_a_note_is_kept_with_symptoms_only(memory_cli) -> None:
    """Before, `--note` rode on a table's or VCF's reading: with `--symptoms` (or an h5ad, a
    FHIR bundle, mutations) alone it was lost."""
    memory_cli(GENES)
    args = ["add", "P2", "--symptoms", "HP:0001370", "--note", "two donors"]
    assert CliRunner().invoke(patients.patient, args).exit_code == 0
    assert "  note: two donors\n" in CliRunner().invoke(patients.patient, ["show", "P2"]).stdout


def test_a_renamed_matrix_voids_the_record_of_a_killed_add_it_replaced(
    memory_cli, tmp_path: Path
) -> None:
    """The first add failed after 2 of 3 samples: its record kept the cohort refused as
    incomplete. The renamed matrix added with --replace replaces those samples' inputs by slot,
    so that record counts nothing left and goes (before, the cohort stayed refused)."""
    store = memory_cli(GENES)
    expr, renamed = tmp_path / "expr.tsv", tmp_path / "expr_v2.tsv"
    shutil.copy(DATA / "cohort_expression.tsv", expr)
    lines = (DATA / "cohort_expression.tsv").read_text().splitlines()
    renamed.write_text("\n".join([lines[0], *(f"{x}1" for x in lines[1:])]) + "\n")  # edited

    def fail(i: int, _n: int) -> None:
        if i == 2:
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        add_cohort_files(store, expr, DATA / "cohort_samples.tsv", p_max=1, progress=fail)
    cohort = tmp_path.name
    with pytest.raises(ConflictError, match="is incomplete"):
        require_complete(store, cohort, ["S1", "S2"])
    got = CliRunner().invoke(patients.patient, _cohort(renamed, "--replace"))
    assert got.stdout.splitlines()[0] == "3 patients: 1 added, 0 unchanged, 2 replaced"
    require_complete(store, cohort, ["S1", "S2", "S3"])  # no refusal
