"""`medtwin patient add P --mutations FILE` on the in-memory store (new and existing patient)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from medtwin.cli import patients
from medtwin.errors import SourceFormatError
from medtwin.store.memory import MemoryStore

DATA = Path(__file__).resolve().parents[2] / "data" / "patient"
GENES = {"7157": "TP53", "2064": "ERBB2", "1029": "CDKN2A", "5290": "PIK3CA", "7124": "TNF"}


def _changes(store: MemoryStore, pid: str) -> list[dict[str, object]]:
    return [c for i in store.twins.inputs(pid) for c in json.loads(i["changes_json"])["changes"]]


def test_mutations_new_and_existing_patient(memory_cli, tmp_path: Path) -> None:
    store = memory_cli(GENES)
    runner = CliRunner()
    ok = runner.invoke(
        patients.patient, ["add", "X-9001", "--mutations", str(DATA / "mutations_X-9001.tsv")]
    )
    assert ok.exit_code == 0, ok.output
    got = {(c["entrez"], c["consequence"], c["layer"]) for c in _changes(store, "X-9001")}
    assert got == {
        ("7157", "MutKnownFunctional", "variant"),
        ("2064", "Amp8", "variant"),
        ("1029", "Del0.8", "variant"),
        ("5290", "MutLikelyFunctional", "variant"),
    }  # TTN, MYC, NOTAGENE are not genes of this store: reported, not stored
    # an existing patient gets the layer beside its expression
    de = tmp_path / "de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nTNF\t2.0\t0.001\n")
    assert runner.invoke(patients.patient, ["add", "P2", "--de", str(de)]).exit_code == 0
    more = tmp_path / "m.tsv"
    more.write_text("gene\tcategory\nTP53\tMutNovel\n")
    assert runner.invoke(patients.patient, ["add", "P2", "--mutations", str(more)]).exit_code == 0
    assert {c["layer"] for c in _changes(store, "P2")} == {"expression", "variant"}


def test_bad_mutations_file_is_a_clear_error(memory_cli, tmp_path: Path) -> None:
    store = memory_cli(GENES)
    bad = tmp_path / "m.tsv"
    bad.write_text("gene\tcategory\nTP53\tAmp3\n")
    result = CliRunner().invoke(patients.patient, ["add", "P1", "--mutations", str(bad)])
    assert isinstance(result.exception, SourceFormatError)
    assert "m.tsv:2:" in str(result.exception)
    assert "'Amp3'" in str(result.exception)
    assert store.twins.inputs("P1") == []


def test_a_file_of_another_sample_is_refused(memory_cli, tmp_path: Path) -> None:
    # before: X-9999's calls were added to P1 without a word
    store = memory_cli(GENES)
    other = tmp_path / "x9999.tsv"
    other.write_text("model\tgene\tcategory\nX-9999\tTP53\tMutKnownFunctional\n")
    result = CliRunner().invoke(patients.patient, ["add", "P1", "--mutations", str(other)])
    assert isinstance(result.exception, SourceFormatError)
    assert "names 'X-9999' (1 row(s)), not patient 'P1'" in str(result.exception)
    assert store.twins.inputs("P1") == []
