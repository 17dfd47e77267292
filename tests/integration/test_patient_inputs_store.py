"""A patient's inputs on the real server: an add is one transaction; a twin older than the
inputs says so where it is shown (the latest-ranking query carries the inputs)."""

from __future__ import annotations

import pytest

from medtwin.errors import NotFoundError
from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import cohort_summary, patients, rankings, twins
from medtwin.platform import patients as patients_module
from medtwin.platform.models import RankParams, TwinParams

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, expand=5, max_seeds=50)


def _profile(pid: str, genes: range, name: str, log2fc: float = 2.0) -> PatientProfile:
    return PatientProfile(
        patient_id=pid,
        changes=tuple(GeneChange(entrez=str(i), log2fc=log2fc, padj=0.01) for i in genes),
        symptoms=(),
        exposures=(),
        metadata={},
        input_checksums={name: "0" * 64},
        unmapped=(),
    )


def test_an_add_the_server_refuses_at_its_second_input_stores_none(tiny_reference, monkeypatch):
    """The server rejects the second input's properties (a map is no property value): the whole
    add rolls back. Before, the first input was its own committed write and stayed."""
    store, _ = tiny_reference
    real = patients_module._cell_type_stats
    calls: list[object] = []

    def bad_second(p):
        calls.append(p)
        return {"cell_type_stats_json": {"not": "a property value"}} if len(calls) == 2 else real(p)

    monkeypatch.setattr(patients_module, "_cell_type_stats", bad_second)
    given = [
        ("de", _profile("KP1", range(1, 10), "de.tsv")),
        ("fhir", _profile("KP1", range(10, 15), "p.json")),
    ]
    with pytest.raises(Exception):  # noqa: B017,PT011  the driver's error, whatever its class
        patients.add_patient_inputs(store, "KP1", given)
    with pytest.raises(NotFoundError):
        patients.get_patient(store, "KP1")
    assert store.twins.inputs("KP1") == []
    monkeypatch.setattr(patients_module, "_cell_type_stats", real)
    assert patients.add_patient_inputs(store, "KP1", given).inputs == 2
    assert [i["kind"] for i in store.twins.inputs("KP1")] == ["de", "fhir"]  # the command's order


def test_a_stored_ranking_and_twin_show_note_inputs_added_after_the_twin(tiny_reference, tmp_path):
    store, _ = tiny_reference
    patients.add_patient(store, _profile("PS", range(1, 15), "de1.tsv"))
    twins.build_twin(store, "PS", FAST)
    rankings.rank_drugs(store, "PS", RankParams(n_samples=30), cache_dir=tmp_path)
    assert rankings.get_ranking(store, "PS").stale_note is None
    assert twins.show_twin(store, "PS").stale_note is None
    patients.add_patient(store, _profile("PS", range(3, 9), "de2.tsv", log2fc=-1.0))
    want = (
        "twin v1 predates the patient's inputs: 1 input added since (de2.tsv); "
        'call `twins.build_twin(store, "PS")`'
    )
    assert rankings.get_ranking(store, "PS").stale_note == want
    assert twins.show_twin(store, "PS").stale_note == want
    # twin list and the cohort views on the server (twin/latest_twin_inputs)
    assert [v.stale_note for v in twins.twin_versions(store, "PS")] == [want]
    summary = cohort_summary.cohort_summary(store, ["PS"], top_drugs=5)
    assert summary.stale_twins == 1
    assert summary.stale_note == (
        "the twin of 1 of 1 patients predates the patient's inputs (PS); call "
        '`cohort.run_cohort(store, None, ["PS"])`'
    )
    twins.build_twin(store, "PS", FAST)
    assert store.twins.latest_twin_inputs(["PS", "nobody"])[0]["version"] == 2
    assert cohort_summary.cohort_summary(store, ["PS"], top_drugs=5).stale_note is None


def test_two_inputs_with_opposite_values_count_each_gene_once_and_are_reported(tiny_reference):
    """Genes 1..14 up in one table, 8..20 down in another: 20 distinct genes (before: 27), and
    the build names the 7 genes that changed sign, kept on the twin and shown."""
    store, _ = tiny_reference
    patients.add_patient(store, _profile("PC", range(1, 15), "a.tsv", log2fc=2.0))
    got = patients.add_patient(store, _profile("PC", range(8, 21), "b.tsv", log2fc=-1.0))
    assert got.genes == 20
    assert patients.list_patients(store)[0].genes == 20
    built = twins.build_twin(store, "PC", FAST)
    assert built.input_conflicts is not None
    assert built.input_conflicts.startswith("7 genes changed sign across the patient's inputs (")
    assert "in a.tsv" in built.input_conflicts
    assert "kept +2" in built.input_conflicts
    assert twins.show_twin(store, "PC").twin.input_conflicts == built.input_conflicts


def test_the_patient_summary_counts_unresolved_genes_over_inputs(tiny_reference):
    """list_patients: distinct unresolved names over the inputs, the first 10 by name."""
    store, _ = tiny_reference
    first = _profile("PU", range(1, 3), "a.tsv").model_copy(update={"unmapped": ("NOPE", "B2")})
    names = tuple(f"U{i:02d}" for i in range(12))
    second = _profile("PU", range(3, 5), "b.tsv").model_copy(update={"unmapped": ("NOPE", *names)})
    got = patients.add_patient_inputs(store, "PU", [("de", first), ("de", second)])
    assert got.unmapped == 14
    assert got.unmapped_genes == ("B2", "NOPE", *names[:8])
    assert patients.get_patient(store, "PU").unmapped == 14


def test_an_input_stores_its_first_unresolved_names_and_the_count_of_all(tiny_reference):
    """1,500 unresolved names: the input stores the first 1,000 by name and counts all, and the
    patient's count adds the names it did not store (before: every name was stored)."""
    store, _ = tiny_reference
    names = tuple(f"U{i:04d}" for i in range(1500))
    first = _profile("PK", range(1, 3), "a.tsv").model_copy(update={"unmapped": ()})
    first = PatientProfile(**(first.model_dump() | {"unmapped": names}))
    second = _profile("PK", range(3, 5), "b.tsv").model_copy(update={"unmapped": ("U0000", "ZZZ")})
    got = patients.add_patient_inputs(store, "PK", [("de", first), ("de", second)])
    assert got.unmapped == 1501  # U0000..U1499 and ZZZ
    assert got.unmapped_genes == names[:10]
    stored = store.driver.execute_query(
        "MATCH (:Patient {id: 'PK'})-[:HAS_INPUT]->(i) RETURN size(i.unmapped), i.unmapped_count",
        database_=store.database,
    ).records
    assert sorted(tuple(r) for r in stored) == [(2, 2), (1000, 1500)]
