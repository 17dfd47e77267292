"""`patients.add_patient_files`: a notebook adds files (or a DE DataFrame) as `patient add` does."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from medtwin.cli import patients as cli_patients
from medtwin.errors import InputError, SourceFormatError
from medtwin.platform import patients
from medtwin.platform.context import reference_context
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import reference_store

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.001\nG2\t-1.5\t0.01\nNOPE\t3.0\t0.001\nG5\t0.1\t0.9\n"


@pytest.fixture
def de(tmp_path: Path) -> Path:
    path = tmp_path / "p1_de.tsv"
    path.write_text(DE)
    return path


@pytest.fixture(autouse=True)
def fresh_context() -> None:
    reference_context().clear()  # each test's store has its own gene index


def _digests(store: MemoryStore, pid: str) -> list[str]:
    return sorted(i["sha256"] for i in store.twins.inputs(pid))


def test_str_or_path_and_a_list_of_symptoms(store: MemoryStore, de: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        got = patients.add_patient_files(store, "P1", de=str(de), symptoms=["HP:0001370"])
    assert (got.inputs, got.genes, got.symptoms) == (2, 2, ("HP:0001370",))
    assert "did not resolve to an Entrez id and are listed in `unmapped`: NOPE" in caplog.text
    again = patients.add_patient_files(store, "P1", de=de, symptoms="HP:0001370")
    assert again.inputs == 2  # the same file and symptoms again: nothing new
    assert store.twins.inputs("P1")[0]["name"] == "p1_de.tsv"


def test_the_same_inputs_as_the_cli(de: Path, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The CLI reads through read_patient_files: a notebook's input is the CLI's, digest and all."""
    terms = tmp_path / "symptoms.txt"
    terms.write_text("HP:0001370\n")
    by_cli = reference_store()

    def memory(**_: object):  # type: ignore[no-untyped-def]
        import contextlib

        return contextlib.nullcontext(by_cli)

    monkeypatch.setattr(cli_patients, "open_store", memory)
    args = ["add", "P1", "--de", str(de), "--symptoms", str(terms), "--padj-max", "0.005"]
    got = CliRunner().invoke(cli_patients.patient, args)
    assert got.exit_code == 0, got.output
    assert "de: 1 genes not resolved: NOPE" in got.output
    reference_context().clear()
    by_notebook = reference_store()
    patients.add_patient_files(
        by_notebook, "P1", de=de, symptoms=str(terms), options=patients.InputOptions(padj_max=0.005)
    )
    assert _digests(by_notebook, "P1") == _digests(by_cli, "P1")
    assert patients.get_patient(by_notebook, "P1").genes == 1  # G2's padj 0.01 > 0.005


def test_a_dataframe_is_read_as_the_de_file(store: MemoryStore, de: Path) -> None:
    frame = pd.read_csv(de, sep="\t")
    got = patients.add_patient_files(store, "P1", de=frame)
    assert got.genes == 2
    assert store.twins.inputs("P1")[0]["name"] == "de-dataframe.tsv"
    other = reference_store()
    patients.add_patient_files(other, "P1", de=de)
    assert _digests(store, "P1") == _digests(other, "P1")  # the same changes
    bad = frame.assign(log2fc=["x", "1", "2", "3"])
    with pytest.raises(SourceFormatError, match=r"^de DataFrame:2: ") as e:
        patients.add_patient_files(store, "P2", de=bad)
    assert e.value.path == Path("de DataFrame")
    with pytest.raises(InputError, match="pandas DataFrame, got dict"):
        patients.add_patient_files(store, "P2", de={"gene": ["G1"]})  # type: ignore[arg-type]


def test_clear_errors_and_nothing_stored(store: MemoryStore, de: Path, tmp_path: Path) -> None:
    cases = {
        "de file missing.tsv: file not found; check the path": {"de": "missing.tsv"},
        f"vcf file {tmp_path}: is a folder": {"vcf": tmp_path},
        "proteins must be a file path": {"proteins": 3},
        "nothing to add": {},
        "tissues must be a list": {"de": de, "tissues": "blood"},
        "symptoms must hold ids as strings": {"symptoms": [1]},
        "InputOptions has no field 'padj'": {"de": de, "options": {"padj": 0.1}},
        "options must be an InputOptions or a dict": {"de": de, "options": 0.1},
    }
    for message, kwargs in cases.items():
        with pytest.raises(InputError, match=message):
            patients.add_patient_files(store, "P1", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="invalid patient id"):
        patients.add_patient_files(store, "../P1", de=de)
    assert patients.list_patients(store) == []


def test_options_may_be_a_dict(store: MemoryStore, de: Path) -> None:
    """`options={"padj_max": 0.1}` raised AttributeError: 'dict' object has no attribute ..."""
    got = patients.add_patient_files(store, "P1", de=de, options={"padj_max": 1.0})
    assert got.inputs == 1


def test_a_named_index_is_a_column(store: MemoryStore, de: Path) -> None:
    """Before: ``de=frame.set_index("gene")`` failed with "no 'gene' column" (the index was
    dropped when the frame was written); a default RangeIndex is still no column."""
    frame = pd.read_csv(de, sep="\t")
    got = patients.add_patient_files(store, "P1", de=frame.set_index("gene"))
    assert got.genes == 2
    other = reference_store()
    patients.add_patient_files(other, "P1", de=frame)
    assert _digests(store, "P1") == _digests(other, "P1")  # the same file as with the column
    levels = frame.set_index("gene", append=True)  # (RangeIndex, gene): the named level only
    assert patients.add_patient_files(store, "P2", de=levels).genes == 2
    again = frame.set_index(frame["gene"])  # index named as a column: the column once
    assert patients.add_patient_files(store, "P3", de=again).genes == 2


def test_a_dataframe_gene_nan_is_no_gene_and_float_entrez_ids_resolve(
    store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    """pandas writes a missing gene as NA (an XK synonym), an int column with a NaN as floats."""
    store.genes["8"]["synonyms"] = ["NA"]  # as XK in NCBI's gene_info
    frame = pd.DataFrame(
        {"gene": ["G1", None, "G2"], "log2fc": [2.0, -7.5, 1.0], "padj": [0.001, 1e-9, 0.01]}
    )
    with caplog.at_level(logging.WARNING):
        got = patients.add_patient_files(store, "P1", de=frame)
    assert got.genes == 2
    assert "8" not in store.twins.inputs("P1")[0]["gene_ids"]
    assert "1 row(s) without a gene were skipped (first at line 3" in caplog.text
    ids = pd.DataFrame({"entrez": [1, None, 2], "log2fc": [2.0, 1.0, 1.0], "padj": [0.01] * 3})
    assert ids["entrez"].dtype == float  # what a notebook hands over
    got = patients.add_patient_files(store, "P2", de=ids)
    assert sorted(store.twins.inputs("P2")[0]["gene_ids"]) == ["1", "2"]


def test_ensembl_ids_resolve_through_the_stores_gene_layer(store: MemoryStore) -> None:
    """Protein.ensembl is in the graph (22,225 genes): patient add reads nf-core's gene_id."""
    store.genes["1"]["ensembl"] = "ENSG00000000001"
    table = "gene_id\tlog2FoldChange\tpadj\nENSG00000000001.7\t2.0\t0.001\n"
    frame = pd.read_csv(__import__("io").StringIO(table), sep="\t")
    got = patients.add_patient_files(store, "P1", de=frame)
    assert store.twins.inputs("P1")[0]["gene_ids"] == ["1"]
    assert got.genes == 1


def test_the_summary_names_the_unresolved_genes(store: MemoryStore, de: Path, monkeypatch) -> None:
    """patient add --json, patient show and the Python return value, as the API's response."""
    got = patients.add_patient_files(store, "P1", de=de)
    assert (got.unmapped, got.unmapped_genes) == (1, ("NOPE",))

    def memory(**_: object):  # type: ignore[no-untyped-def]
        import contextlib

        return contextlib.nullcontext(store)

    monkeypatch.setattr(cli_patients, "open_store", memory)
    shown = CliRunner().invoke(cli_patients.patient, ["show", "P1"])
    assert "  unresolved genes 1 (in no twin): NOPE" in shown.output
    as_json = CliRunner().invoke(cli_patients.patient, ["show", "P1", "--json"])
    assert '"unmapped_genes": [\n    "NOPE"\n  ]' in as_json.output
    added = CliRunner().invoke(cli_patients.patient, ["add", "P2", "--de", str(de), "--json"])
    assert added.exit_code == 0, added.output
    assert '"unmapped": 1' in added.output
    text = CliRunner().invoke(cli_patients.patient, ["add", "P3", "--de", str(de)])
    assert "gene changes 2, symptoms 0, unresolved genes 1;" in text.output


def test_patient_add_says_excel_made_dates_of_gene_names(
    store: MemoryStore, tmp_path: Path, monkeypatch
) -> None:
    de = tmp_path / "de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nG1\t2.0\t0.001\n2-Sep\t1\t0.01\n")

    def memory(**_: object):  # type: ignore[no-untyped-def]
        import contextlib

        return contextlib.nullcontext(store)

    monkeypatch.setattr(cli_patients, "open_store", memory)
    got = CliRunner().invoke(cli_patients.patient, ["add", "P1", "--de", str(de)])
    assert got.exit_code == 0, got.output
    assert "de: 1 genes not resolved: 2-Sep (1 of them look like dates Excel made" in got.output
