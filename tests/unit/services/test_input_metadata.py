"""Each input records the metadata it gives; the patient's is derived from the inputs it has
(MemoryStore; the server: tests/integration/test_input_metadata_store.py).

Before, a patient's metadata was merged over its adds and kept whole: what a removed or replaced
input gave (a FHIR bundle's gender, a cohort's thresholds) stayed with the patient.
"""

from __future__ import annotations

from medtwin.platform import patients
from medtwin.store.memory.state import PatientState, now
from tests.unit.services.conftest import CHANGES, profile


def _input(name: str, first: int, **metadata: str) -> object:
    """An input of the file ``name`` (genes from ``first`` on) that gives ``metadata``."""
    return profile(
        "M1",
        changes=CHANGES[first : first + 2],
        symptoms=(),
        metadata=metadata,
        input_checksums={name: "2" * 64},
    )


def _id(store, name: str) -> str:
    return next(i["id"] for i in store.twins.inputs("M1") if i["name"] == name)


def test_removing_an_input_takes_what_it_gave_and_the_earlier_value_comes_back(store):
    patients.add_patient(store, _input("a.json", 0, gender="female", site="leeds"))  # type: ignore[arg-type]
    patients.add_patient(store, _input("b.json", 2, gender="male", batch="2"))  # type: ignore[arg-type]
    assert patients.get_patient(store, "M1").metadata == {
        "gender": "male",  # the later input wins
        "site": "leeds",
        "batch": "2",
    }
    patients.remove_input(store, "M1", _id(store, "b.json"))
    # before: {'gender': 'male', 'site': 'leeds', 'batch': '2'} (merged, never taken back)
    assert patients.get_patient(store, "M1").metadata == {"gender": "female", "site": "leeds"}
    patients.remove_input(store, "M1", _id(store, "a.json"))
    assert patients.get_patient(store, "M1").metadata == {}


def test_a_replaced_input_takes_what_it_gave(store):
    patients.add_patient(store, _input("a.json", 0, gender="female", site="leeds"))  # type: ignore[arg-type]
    got = patients.add_patient(store, _input("a.json", 3, gender="male"), replace=True)  # type: ignore[arg-type]
    assert [r.name for r in got.replaced] == ["a.json"]
    assert got.metadata == {"gender": "male"}  # before: site stayed
    listed = patients.get_patient(store, "M1", with_inputs=True).input_list or ()
    assert [(i.metadata, i.files) for i in listed] == [({"gender": "male"}, {"a.json": "2" * 64})]


def test_explicit_metadata_stays_whatever_inputs_come_and_go_and_wins(store):
    first = [("de", _input("a.tsv", 0, note="from a file"))]
    patients.add_patient_inputs(store, "M1", first, metadata={"note": "two donors"})  # type: ignore[arg-type]
    assert patients.get_patient(store, "M1").metadata == {"note": "two donors"}
    patients.add_patient_inputs(store, "M1", [("de", _input("b.tsv", 2, site="x"))])  # type: ignore[arg-type]
    patients.remove_input(store, "M1", _id(store, "a.tsv"))
    patients.remove_input(store, "M1", _id(store, "b.tsv"))
    assert patients.get_patient(store, "M1").metadata == {"note": "two donors"}


def test_a_patient_of_an_earlier_medtwin_keeps_its_merged_metadata_as_one_legacy_part(store):
    """Its merged metadata cannot be told apart per input: kept whole, under what new inputs
    give, and never taken away by a removal."""
    patients.add_patient(store, _input("old.tsv", 0))  # type: ignore[arg-type]
    state = store.patients["M1"]
    # as an earlier medtwin left it: merged metadata, inputs recording none of theirs
    store.patients["M1"] = PatientState(
        {"gender": "female", "cohort": "ra"}, now(), inputs=state.inputs
    )
    for row in state.inputs.values():
        row.pop("metadata_json")
    assert store.twins.record_legacy_metadata() == 1  # `db repair`'s migration (else: next write)
    assert store.twins.record_legacy_metadata() == 0
    patients.add_patient(store, _input("new.json", 3, gender="male"))  # type: ignore[arg-type]
    assert patients.get_patient(store, "M1").metadata == {"gender": "male", "cohort": "ra"}
    patients.remove_input(store, "M1", _id(store, "old.tsv"))
    assert patients.get_patient(store, "M1").metadata == {"gender": "male", "cohort": "ra"}
    patients.remove_input(store, "M1", _id(store, "new.json"))
    assert patients.get_patient(store, "M1").metadata == {"gender": "female", "cohort": "ra"}


def test_an_add_says_whether_it_stored_anything(store):
    """Before, a rerun looked like the first add (no word of what was stored)."""
    got = patients.add_patient(store, _input("a.tsv", 0))  # type: ignore[arg-type]
    assert (got.outcome, got.inputs_added, got.inputs_unchanged) == ("added", 1, 0)
    again = patients.add_patient(store, _input("a.tsv", 0))  # type: ignore[arg-type]
    assert (again.outcome, again.inputs_added, again.inputs_unchanged) == ("unchanged", 0, 1)
    other = patients.add_patient(store, _input("a.tsv", 3), replace=True)  # type: ignore[arg-type]
    assert (other.outcome, other.inputs_added, len(other.replaced)) == ("replaced", 1, 1)
