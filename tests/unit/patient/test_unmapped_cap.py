"""An input keeps its first 1,000 unresolved gene names and the count of all (bounded storage)."""

from __future__ import annotations

from medtwin.loaders.patient_rows import PatientProfile
from medtwin.loaders.patient_tables import read_de_table
from medtwin.platform import patients
from medtwin.store.memory import MemoryStore


def test_a_de_table_keeps_its_first_unresolved_names_and_counts_all(tmp_path, genes):
    # 1,500 transcript ids the gene index does not know: each was kept (and stored) before
    rows = "".join(f"ENST{i:011d}\t1.5\t0.01\n" for i in range(1500))
    path = tmp_path / "de.tsv"
    path.write_text("gene\tlog2fc\tpadj\nTNF\t2.0\t0.01\n" + rows)
    profile = read_de_table(path, "P1", genes)
    assert profile.unmapped == tuple(f"ENST{i:011d}" for i in range(1000))
    assert profile.unmapped_count == 1500


def test_the_patient_counts_the_names_its_inputs_did_not_store(genes):
    store = MemoryStore()
    names = tuple(f"U{i:04d}" for i in range(1500))
    first = PatientProfile(patient_id="P1", symptoms=("HP:0001945",), unmapped=names)
    second = PatientProfile(
        patient_id="P1", symptoms=("HP:0001369",), unmapped=("U0000", "ZZZ")
    ).model_copy(update={"input_checksums": {"b.tsv": "0" * 64}})
    got = patients.add_patient_inputs(store, "P1", [("de", first), ("de", second)])
    assert got.unmapped == 1501  # U0000..U1499 and ZZZ: 1,001 stored, 500 counted
    assert got.unmapped_genes == names[:10]
    stored = sorted(len(i["unmapped"]) for i in store.patients["P1"].inputs.values())
    assert stored == [2, 1000]
