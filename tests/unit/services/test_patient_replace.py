"""`patient add --replace` (``replace=True``): a re-added file replaces what it gave (MemoryStore;
the graph's one statement on the server: tests/integration/test_patient_replace_store.py)."""

from __future__ import annotations

import json

from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform import patients, twins
from medtwin.platform.models import TwinParams
from tests.unit.services.conftest import CHANGES, profile

FAST = TwinParams(module_samples=20, expand=3, max_seeds=10)


def _de(log2fc: float, name: str = "de.tsv", pid: str = "R1") -> object:
    """A DE input of ``name`` whose reading gave other values (a reader fix, an edited file)."""
    changes = tuple(c.model_copy(update={"log2fc": log2fc}) for c in CHANGES[:3])
    return profile(pid, changes=changes, symptoms=(), input_checksums={name: "1" * 64})


def _kinds(store, pid: str = "R1") -> list[tuple[str, str]]:
    return [(i["name"], i["sha256"][:8]) for i in store.twins.inputs(pid)]


def test_replace_removes_the_earlier_input_of_the_same_file_name_and_is_idempotent(store):
    """Before, a file whose reader output changed gave a second input (the id is the content's
    digest) and the twin read both; there was no way to replace it but deleting the patient.
    Without ``replace`` that stays so (both kept)."""
    patients.add_patient(store, _de(1.0))  # type: ignore[arg-type]
    assert patients.add_patient(store, _de(2.0)).inputs == 2  # type: ignore[arg-type]
    patients.delete_patient(store, "R1")
    patients.add_patient(store, _de(2.0))  # type: ignore[arg-type]
    other = profile("R1", changes=CHANGES[3:], symptoms=(), input_checksums={"b.tsv": "2" * 64})
    patients.add_patient(store, other)
    first = _kinds(store)
    got = patients.add_patient(store, _de(3.0), replace=True)  # type: ignore[arg-type]
    assert got.inputs == 2
    now = _kinds(store)
    assert [n for n, _ in now] == ["b.tsv", "de.tsv"]  # b.tsv untouched, the new de.tsv last
    assert now[0] == first[1]
    assert now[1] != first[0]
    genes = {c["entrez"]: c["log2fc"] for i in store.twins.inputs("R1") for c in _changes(i)}
    assert genes["1"] == 3.0
    again = patients.add_patient(store, _de(3.0), replace=True)  # type: ignore[arg-type]
    assert again.inputs == 2
    assert _kinds(store) == now


def test_replace_with_symptoms_replaces_the_earlier_symptoms(store):
    first = [("symptoms", profile("R1", changes=(), input_checksums={}, symptoms=("HP:0001370",)))]
    patients.add_patient_inputs(store, "R1", first)  # type: ignore[arg-type]
    new = [("symptoms", profile("R1", changes=(), input_checksums={}, symptoms=("HP:9999999",)))]
    got = patients.add_patient_inputs(store, "R1", new, replace=True)  # type: ignore[arg-type]
    assert got.inputs == 1
    assert got.symptoms == ("HP:9999999",)


def test_a_replaced_input_makes_the_twin_stale_and_delete_removes_everything(store):
    patients.add_patient(store, _de(2.0))  # type: ignore[arg-type]
    twins.build_twin(store, "R1", FAST)
    patients.add_patient(store, _de(-2.0), replace=True)  # type: ignore[arg-type]
    assert twins.show_twin(store, "R1").stale_note == (
        "twin v1 predates the patient's inputs: 1 input added since (de.tsv); 1 input removed "
        'since; call `twins.build_twin(store, "R1")`'
    )
    report = patients.delete_patient(store, "R1")
    assert report.remaining_patient_nodes == 0
    assert store.twins.inputs("R1") == []


def _changes(row: dict) -> list[dict]:
    return [
        GeneChange.model_validate(c).model_dump()
        for c in json.loads(row["changes_json"])["changes"]
    ]


def _labelled(name: str, log2fc: float, pid: str = "R1", **labels: str) -> object:
    changes = tuple(c.model_copy(update={"log2fc": log2fc, **labels}) for c in CHANGES[:2])
    return profile(pid, changes=changes, symptoms=(), input_checksums={name: "1" * 64})


def test_replace_by_kind_and_labels_replaces_the_same_kind_of_the_same_tissue_and_time(store):
    """Before, only the same file name was replaced: the DE table under a new name was a second
    DE input beside the first, and the twin read both."""
    add = patients.add_patient
    add(store, _labelled("old_de.tsv", 1.0, time_point="w12", cell_type=None), kind="de")
    add(store, _labelled("w0.tsv", 1.1, time_point="w0", cell_type=None), kind="de")
    add(store, _labelled("prot.tsv", 1.2, time_point="w12", cell_type=None), kind="proteins")
    add(store, _labelled("syn.tsv", 1.3, tissue="synovium", cell_type=None), kind="de")
    before = {i["name"]: i["id"] for i in store.twins.inputs("R1")}
    got = add(
        store,
        _labelled("new_name.tsv", 2.0, time_point="w12", cell_type=None),
        kind="de",
        replace=True,
    )
    assert [(r.id, r.name, r.slot) for r in got.replaced] == [
        (before["old_de.tsv"], "old_de.tsv", "de time=w12")
    ]
    # other time point, other kind, other tissue: kept
    assert sorted(i["name"] for i in store.twins.inputs("R1")) == [
        "new_name.tsv", "prot.tsv", "syn.tsv", "w0.tsv",
    ]  # fmt: skip
    again = add(
        store,
        _labelled("new_name.tsv", 2.0, time_point="w12", cell_type=None),
        kind="de",
        replace=True,
    )
    assert again.replaced == ()  # a rerun is a no-op
    assert again.input_list == got.input_list


def _sample(name: str, log2fc: float, cohort: str) -> object:
    """A cohort sample C1 of ``cohort`` read from the matrix and sheet ``name``."""
    got = _labelled(name, log2fc, "C1")
    return got.model_copy(update={"metadata": {"cohort": cohort}})  # type: ignore[attr-defined]


def test_replace_by_name_still_replaces_across_labels_and_cohort_inputs_by_their_cohort(store):
    """A cohort sample's slot names its cohort: a renamed matrix of the same cohort replaces
    what the earlier one gave (before, cohort inputs matched by file names only: it stayed
    beside the new one), another cohort's input of the same patient stays."""
    patients.add_patient(store, _labelled("a.tsv", 1.0, time_point="w0"), kind="de")
    got = patients.add_patient(store, _labelled("a.tsv", 2.0, time_point="w12"), kind="de",
                               replace=True)  # fmt: skip
    assert [r.name for r in got.replaced] == ["a.tsv"]
    patients.add_patient(store, _sample("m.tsv, s.tsv", 1.0, "ra"), kind="cohort")
    other = patients.add_patient(store, _sample("n.tsv, t.tsv", 2.0, "sle"), kind="cohort",
                                 replace=True)  # fmt: skip
    assert other.replaced == ()  # another cohort's input stays
    assert other.inputs == 2
    renamed = patients.add_patient(store, _sample("m_v2.tsv, s.tsv", 3.0, "ra"), kind="cohort",
                                   replace=True)  # fmt: skip
    assert [(r.name, r.slot) for r in renamed.replaced] == [
        ("m.tsv, s.tsv", "cohort cohort=ra cell=B,T")
    ]
    assert renamed.outcome == "replaced"
    names = sorted(i["name"] for i in store.twins.inputs("C1"))
    assert names == ["m_v2.tsv, s.tsv", "n.tsv, t.tsv"]


def test_replace_by_kind_finds_an_input_stored_without_a_slot_by_its_changes(store):
    """An input an earlier medtwin stored records no slot: its kind and changes give it (here
    the slot is taken off the stored input, as such an input has none). Before (names and
    recorded slots only), it stayed beside the new DE table."""
    patients.add_patient(store, _labelled("old.tsv", 1.0, time_point="w12"), kind="de")
    patients.add_patient(store, _labelled("w0.tsv", 1.1, time_point="w0"), kind="de")
    for row in store.patients["R1"].inputs.values():
        row.pop("slot")
    got = patients.add_patient(
        store, _labelled("new.tsv", 2.0, time_point="w12"), kind="de", replace=True
    )
    assert [(r.name, r.slot) for r in got.replaced] == [("old.tsv", None)]
    assert [i.name for i in got.input_list or ()] == ["w0.tsv", "new.tsv"]
