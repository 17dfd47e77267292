"""`patient add-cohort … --replace`: the same files added again (other thresholds, an edited
matrix) replace the inputs the earlier add gave its patients (memory store)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from medtwin.cli import cli

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = {"1": "GA", "2": "GB", "3": "GC", "4": "GX"}


def _add(folder: Path, *more: str) -> tuple[int, str, list[str]]:
    got = CliRunner().invoke(
        cli,
        [
            "patient", "add-cohort", "--expression", str(folder / "expr.tsv"),
            "--sample-sheet", str(folder / "samples.tsv"), "--json", *more,
        ],
    )  # fmt: skip
    warnings = json.loads(got.stdout)["warnings"] if got.exit_code == 0 else []
    return got.exit_code, got.output, [w for w in warnings if "other options" in w]


def _cohort(tmp_path: Path) -> Path:
    folder = tmp_path / "trial"
    folder.mkdir()
    shutil.copy(DATA / "cohort_expression.tsv", folder / "expr.tsv")
    shutil.copy(DATA / "cohort_samples.tsv", folder / "samples.tsv")
    return folder


def test_other_thresholds_with_replace_leave_one_input_and_one_record(memory_cli, tmp_path):
    """Before, `--replace` did not exist: the add at --p-max 0.5 gave S1..S3 a second input
    beside the --p-max 1 one (said in a WARNING whose fix was deleting the patients)."""
    store = memory_cli(GENES)
    folder = _cohort(tmp_path)
    assert _add(folder, "--p-max", "1")[0] == 0
    code, _, said = _add(folder, "--p-max", "0.5")
    assert code == 0
    assert len(said) == 1
    assert "add them again with --replace" in said[0]  # the WARNING names the fix
    assert [len(store.twins.inputs(p)) for p in ("S1", "S2", "S3")] == [1, 2, 2]
    code, out, said = _add(folder, "--p-max", "0.5", "--replace")
    assert code == 0, out
    assert said == []  # the earlier adds' inputs and records are replaced: nothing kept beside
    assert [len(store.twins.inputs(p)) for p in ("S1", "S2", "S3")] == [1, 1, 1]
    records = store.cohorts.load_states("trial")
    assert [(json.loads(r["options"])["p_max"], r["status"]) for r in records] == [
        ("0.5", "complete")
    ]
    assert _add(folder, "--p-max", "0.5", "--replace")[0] == 0  # idempotent
    assert [len(store.twins.inputs(p)) for p in ("S1", "S2", "S3")] == [1, 1, 1]
    assert len(store.cohorts.load_states("trial")) == 1


def test_an_edited_matrix_with_replace_is_no_clash_and_replaces(memory_cli, tmp_path):
    """The same file names with other content: without --replace the samples are refused as
    naming patients with other inputs (as before); with it, they replace those inputs."""
    store = memory_cli(GENES)
    folder = _cohort(tmp_path)
    assert _add(folder, "--p-max", "1")[0] == 0
    before = {p: store.twins.inputs(p)[0]["sha256"] for p in ("S1", "S2", "S3")}
    text = (folder / "expr.tsv").read_text().replace("GA\t4.0", "GA\t6.0")
    (folder / "expr.tsv").write_text(text)
    code, out, _ = _add(folder, "--p-max", "1")
    assert code == 1
    assert "name an existing patient with other inputs" in out
    code, out, _ = _add(folder, "--p-max", "1", "--replace")
    assert code == 0, out
    after = {p: [i["sha256"] for i in store.twins.inputs(p)] for p in ("S1", "S2", "S3")}
    assert all(len(v) == 1 for v in after.values())
    assert after["S1"][0] != before["S1"]  # S1's GA changed
    assert len(store.cohorts.load_states("trial")) == 1  # the old files' record went too
