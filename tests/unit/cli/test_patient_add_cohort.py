"""`medtwin patient add-cohort` on the in-memory store: text, --json, samples that keep no gene."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from click.testing import CliRunner

from medtwin.cli import cli, patients

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = {"1": "GA", "2": "GB", "3": "GC", "4": "GX"}


def _args(expression: Path, *more: str) -> list[str]:
    return [
        "add-cohort", "--expression", str(expression),
        "--sample-sheet", str(DATA / "cohort_samples.tsv"), *more,
    ]  # fmt: skip


def test_json_gives_one_row_per_patient(memory_cli) -> None:
    store = memory_cli(GENES)
    got = CliRunner().invoke(
        patients.patient, _args(DATA / "cohort_expression.tsv", "--p-max", "1", "--json")
    )
    assert got.exit_code == 0, got.output
    out = json.loads(got.stdout)
    assert [r["id"] for r in out["added"]] == ["S1", "S2", "S3"]  # cases, not the controls
    assert all(r["genes"] > 0 and r["inputs"] == 1 for r in out["added"])
    assert out["added"][0]["metadata"]["site"] == "London"
    assert out["no_gene_kept"] == []
    assert [p["id"] for p in store.twins.patients()] == ["S1", "S2", "S3"]


def test_a_sample_that_keeps_no_gene_does_not_stop_the_cohort(memory_cli, tmp_path) -> None:
    """S2 keeps no gene: before, add_patient raised at S2 ('0 of 0 genes mapped ... check the gene
    column') with S1 added and S3 not."""
    store = memory_cli(GENES)
    # S2 equals the controls' mean everywhere: no gene changes; S1 and S3 are far off in GX.
    table = tmp_path / "expr.tsv"
    table.write_text(
        "gene_symbol\tS1\tS2\tS3\tC1\tC2\tC3\n"
        "GA\t9.0\t2.0\t2.5\t1.0\t2.0\t3.0\n"
        "GX\t30.0\t2.0\t40.0\t1.0\t2.0\t3.0\n"
    )
    got = CliRunner().invoke(patients.patient, _args(table))
    assert got.exit_code == 0, got.output
    assert got.stdout == "2 patients: 2 added, 0 unchanged\n"
    assert (
        "1 sample(s) kept no changed gene at --p-max 0.05 --z-min 0.0 (S2): not added, no twin "
        "can be built for them; loosen the thresholds to include them"
    ) in got.stderr
    assert [p["id"] for p in store.twins.patients()] == ["S1", "S3"]
    symptoms = [*_args(table), "--symptoms", "HP:0001370"]
    with_symptoms = CliRunner().invoke(patients.patient, symptoms)
    assert "(S2): added with their symptoms only" in with_symptoms.stderr


def test_no_sample_keeping_a_gene_is_a_clear_error(memory_cli) -> None:
    store = memory_cli(GENES)
    got = CliRunner().invoke(
        cli, ["patient", *_args(DATA / "cohort_expression.tsv", "--p-max", "1e-9")]
    )
    assert got.exit_code != 0
    assert "none of the 3 case samples kept a changed gene at --p-max 1e-09" in got.output
    assert "Traceback" not in got.output
    assert store.twins.patients() == []


def test_a_sample_named_like_another_patient_is_refused_and_a_rerun_is_not(
    memory_cli, tmp_path
) -> None:
    """S1 exists from its own DE table: the cohort's S1 was merged into it, metadata and all."""
    store = memory_cli(GENES)
    de = tmp_path / "s1.tsv"
    de.write_text("gene\tlog2fc\tpadj\nGA\t2.0\t0.001\n")
    assert CliRunner().invoke(patients.patient, ["add", "S1", "--de", str(de)]).exit_code == 0
    got = CliRunner().invoke(
        cli, ["patient", *_args(DATA / "cohort_expression.tsv", "--p-max", "1")]
    )
    assert got.exit_code == 1, got.output
    assert "1 case sample(s) name an existing patient with other inputs: S1" in got.output
    assert "Traceback" not in got.output
    assert [p["id"] for p in store.twins.patients()] == ["S1"]
    assert len(store.twins.inputs("S1")) == 1
    other = memory_cli(GENES)  # a fresh store: the same cohort twice is a no-op the second time
    args = _args(DATA / "cohort_expression.tsv", "--p-max", "1")
    for _ in range(2):
        again = CliRunner().invoke(patients.patient, args)
        assert again.exit_code == 0, again.output
    assert [len(other.twins.inputs(p)) for p in ("S1", "S2", "S3")] == [1, 1, 1]


def test_the_same_files_with_other_thresholds_are_another_record_and_said_so(memory_cli) -> None:
    """Item 2: before, the record was keyed by the files only, so the add at --p-max 0.5 wrote
    over the record of the add at --p-max 1 (one record, its options lost) without a word, while
    S2 and S3 got a second input of the same files. (The warning goes to stderr through the
    log, and into --json's warnings, checked here.)"""
    store = memory_cli(GENES)

    def add(p_max: str) -> list[str]:
        got = CliRunner().invoke(
            patients.patient, _args(DATA / "cohort_expression.tsv", "--p-max", p_max, "--json")
        )
        assert got.exit_code == 0, got.output
        return [w for w in json.loads(got.stdout)["warnings"] if "other options" in w]

    assert add("1") == []
    said = add("0.5")
    assert len(said) == 1, said
    assert said[0].startswith(
        "cohort 'patient': cohort_expression.tsv, cohort_samples.tsv were added before with other "
        "options (p_max=1.0; complete, started "
    )
    assert "this add (p_max=0.5) is recorded apart" in said[0]
    records = store.cohorts.load_states("patient")
    assert [json.loads(r["options"])["p_max"] for r in records] == ["1.0", "0.5"]
    assert [r["status"] for r in records] == ["complete", "complete"]
    assert len(add("0.5")) == 1  # the p_max=1 record is still there, and said again
    assert len(store.cohorts.load_states("patient")) == 2  # the same options: the same record


def test_wait_waits_for_another_add_of_the_cohort_with_a_status_line(memory_cli) -> None:
    """Item 1: before, the second add could only stop ('being added by another process')."""
    store = memory_cli(GENES)
    held, free = threading.Event(), threading.Event()

    def other_add() -> None:  # another add of the cohort (the folder's name), then done
        with store.cohorts.add_lock("patient"):
            held.set()
            free.wait(30)

    thread = threading.Thread(target=other_add)
    thread.start()
    held.wait(30)
    try:
        args = _args(DATA / "cohort_expression.tsv", "--p-max", "1")
        refused = CliRunner().invoke(cli, ["patient", *args])
        assert refused.exit_code == 1
        assert "cohort 'patient' is being added by another process" in refused.stderr
        assert "nothing was added" in refused.stderr
        assert "--wait SECONDS" in refused.stderr
        threading.Timer(1.0, free.set).start()  # the other add ends in a second
        waited = CliRunner().invoke(cli, ["patient", *args, "--wait", "60"])
    finally:
        free.set()
        thread.join(30)
    assert waited.exit_code == 0, waited.output
    assert "cohort 'patient' is being added by another process" in waited.stderr
    assert "; waiting for it (" in waited.stderr
    assert waited.stdout == "3 patients: 3 added, 0 unchanged\n"
    assert [p["id"] for p in store.twins.patients()] == ["S1", "S2", "S3"]
