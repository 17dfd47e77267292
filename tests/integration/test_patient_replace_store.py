"""`patient add --replace` on the real server: the earlier inputs of the same file names go in the
same statement as the new ones are stored (a failing write removes none), and delete still
removes everything. Kills during a replace: tests/reliability/test_faults.py."""

from __future__ import annotations

import json

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients, twins
from medtwin.platform import patients as patients_module
from medtwin.platform.models import TwinParams

pytestmark = pytest.mark.neo4j

FAST = TwinParams(module_samples=50, expand=5, max_seeds=50)


def _profile(name: str, log2fc: float, genes: range = range(1, 12)) -> PatientProfile:
    return PatientProfile(
        patient_id="RP",
        changes=tuple(GeneChange(entrez=str(i), log2fc=log2fc, padj=0.01) for i in genes),
        input_checksums={name: "0" * 64},
    )


def _inputs(store) -> list[tuple[str, str]]:
    return [(i["name"], i["sha256"]) for i in store.twins.inputs("RP")]


def test_replace_on_the_server_removes_the_same_names_inputs_in_the_same_write(
    tiny_reference, monkeypatch
):
    """Before, the option did not exist: the file read anew was a second input of the twin."""
    store, _ = tiny_reference
    patients.add_patient(store, _profile("de.tsv", 2.0))
    patients.add_patient(store, _profile("other.tsv", 1.0, range(12, 15)))
    twins.build_twin(store, "RP", FAST)
    before = _inputs(store)
    # the server refuses the new input's properties: the statement rolls back, and the input it
    # was to replace is still there (the removal and the add are one transaction)
    real = patients_module._cell_type_stats
    monkeypatch.setattr(
        patients_module, "_cell_type_stats", lambda p: {"cell_type_stats_json": {"no": "value"}}
    )
    with pytest.raises(Exception):  # noqa: B017,PT011  the driver's error, whatever its class
        patients.add_patient(store, _profile("de.tsv", -2.0), replace=True)
    assert _inputs(store) == before
    monkeypatch.setattr(patients_module, "_cell_type_stats", real)
    got = patients.add_patient(store, _profile("de.tsv", -2.0), replace=True)
    after = _inputs(store)
    assert got.inputs == 2
    assert after[0] == before[1]  # other.tsv untouched
    assert after[1][0] == "de.tsv"
    assert after[1] != before[0]
    assert patients.add_patient(store, _profile("de.tsv", -2.0), replace=True).inputs == 2
    assert _inputs(store) == after  # a rerun is a no-op
    assert twins.show_twin(store, "RP").stale_note == (
        "twin v1 predates the patient's inputs: 1 input added since (de.tsv); 1 input removed "
        'since; call `twins.build_twin(store, "RP")`'
    )
    report = patients.delete_patient(store, "RP")
    assert report.remaining_patient_nodes == 0
    assert store.twins.count_patient_data("RP") == (0, 0)


def _sample(pid: str, log2fc: float, matrix: str = "0") -> PatientProfile:
    return PatientProfile(
        patient_id=pid,
        changes=tuple(GeneChange(entrez=str(i), log2fc=log2fc, padj=0.01) for i in range(1, 9)),
        metadata={"cohort": "rt"},
        input_checksums={"expr.tsv": matrix * 64, "samples.tsv": "s" * 64},
    )


def test_add_cohort_replace_on_the_server_leaves_one_input_and_one_record(tiny_reference):
    """The same files with other thresholds, then an edited matrix: with replace each patient
    keeps one input and the cohort one record (before: two inputs each, two records, and the
    edited matrix refused as naming patients with other inputs)."""
    store, _ = tiny_reference
    ids = ["RT1", "RT2"]
    patients.add_cohort(store, [_sample(p, 2.0) for p in ids], options={"p_max": 1})
    patients.add_cohort(store, [_sample(p, 3.0) for p in ids], options={"p_max": 0.5})
    assert [len(store.twins.inputs(p)) for p in ids] == [2, 2]  # without replace, as before
    assert len(store.cohorts.load_states("rt")) == 2
    edited = [_sample(p, 4.0, matrix="1") for p in ids]
    patients.add_cohort(store, edited, options={"p_max": 0.5}, replace=True)
    assert [len(store.twins.inputs(p)) for p in ids] == [1, 1]
    loads = store.cohorts.load_states("rt")
    assert [(json.loads(x["options"])["p_max"], x["status"]) for x in loads] == [
        ("0.5", "complete")
    ]
    assert set(loads[0]["inputs"]) == {json.dumps(edited[0].input_checksums, sort_keys=True)}


def _at(name: str, log2fc: float, time_point: str) -> PatientProfile:
    changes = tuple(
        GeneChange(entrez=str(i), log2fc=log2fc, padj=0.01, time_point=time_point)
        for i in range(1, 6)
    )
    return PatientProfile(patient_id="RK", changes=changes, input_checksums={name: "0" * 64})


def test_replace_by_kind_on_the_server_names_what_it_removed_and_keeps_other_labels(
    tiny_reference,
):
    """Before, the statement matched names only: `new.tsv` was a second DE input of week 12."""
    store, _ = tiny_reference
    patients.add_patient(store, _at("old.tsv", 2.0, "w12"), kind="de")
    patients.add_patient(store, _at("w0.tsv", 1.0, "w0"), kind="de")
    shown = patients.get_patient(store, "RK", with_inputs=True).input_list or ()
    assert [(i.name, i.slot, i.genes) for i in shown] == [
        ("old.tsv", "de time=w12", 5),
        ("w0.tsv", "de time=w0", 5),
    ]
    got = patients.add_patient(store, _at("new.tsv", -2.0, "w12"), kind="de", replace=True)
    assert [(r.id, r.name, r.slot, r.time_points) for r in got.replaced] == [
        (shown[0].id, "old.tsv", "de time=w12", ("w12",))
    ]
    assert [i.name for i in got.input_list or ()] == ["w0.tsv", "new.tsv"]
    again = patients.add_patient(store, _at("new.tsv", -2.0, "w12"), kind="de", replace=True)
    assert again.replaced == ()
    assert again.input_list == got.input_list


def test_replace_by_kind_on_the_server_finds_inputs_stored_without_a_slot(tiny_reference):
    """Inputs an earlier medtwin stored record no slot (taken off here): their changes give it."""
    store, _ = tiny_reference
    patients.add_patient(store, _at("old.tsv", 2.0, "w12"), kind="de")
    patients.add_patient(store, _at("w0.tsv", 1.0, "w0"), kind="de")
    with store.driver.session(database=store.database) as session:
        session.run("MATCH (i:PatientInput {patient_id: 'RK'}) REMOVE i.slot").consume()
    got = patients.add_patient(store, _at("new.tsv", -2.0, "w12"), kind="de", replace=True)
    assert [(r.name, r.slot) for r in got.replaced] == [("old.tsv", None)]
    assert [(i.name, i.slot) for i in got.input_list or ()] == [
        ("w0.tsv", None),
        ("new.tsv", "de time=w12"),
    ]
