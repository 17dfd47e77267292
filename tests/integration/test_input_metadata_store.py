"""Metadata per input on the real server: what a removed or replaced input gave goes with it, a
patient of an earlier medtwin keeps its merged metadata as one legacy part, and a removal and a
delete leave nothing behind (memory store: tests/unit/services/test_input_metadata.py)."""

from __future__ import annotations

import json

import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import datasets, patients

pytestmark = pytest.mark.neo4j


def _profile(pid: str, name: str, genes: range, **metadata: str) -> PatientProfile:
    return PatientProfile(
        patient_id=pid,
        changes=tuple(GeneChange(entrez=str(i), log2fc=1.0, padj=0.01) for i in genes),
        metadata=metadata,
        input_checksums={name: "3" * 64},
    )


def _id(store, pid: str, name: str) -> str:
    return next(i["id"] for i in store.twins.inputs(pid) if i["name"] == name)


def test_removal_and_replace_derive_the_metadata_from_the_inputs_left(tiny_reference):
    store, _ = tiny_reference
    patients.add_patient_inputs(
        store, "MD", [("fhir", _profile("MD", "a.json", range(1, 4), gender="female", site="x"))],
        metadata={"note": "two donors"},
    )  # fmt: skip
    patients.add_patient(store, _profile("MD", "b.json", range(4, 7), gender="male", batch="2"))
    assert patients.get_patient(store, "MD").metadata == {
        "gender": "male", "site": "x", "batch": "2", "note": "two donors",
    }  # fmt: skip
    # before: the merged metadata stayed whole ({... 'batch': '2', 'gender': 'male'})
    patients.remove_input(store, "MD", _id(store, "MD", "b.json"))
    assert patients.get_patient(store, "MD").metadata == {
        "gender": "female", "site": "x", "note": "two donors",
    }  # fmt: skip
    got = patients.add_patient(
        store, _profile("MD", "a.json", range(7, 9), gender="other"), replace=True
    )
    assert (got.outcome, [r.name for r in got.replaced]) == ("replaced", ["a.json"])
    assert got.metadata == {"gender": "other", "note": "two donors"}
    shown = patients.get_patient(store, "MD", with_inputs=True).input_list or ()
    assert [(i.metadata, i.files) for i in shown] == [({"gender": "other"}, {"a.json": "3" * 64})]
    patients.remove_input(store, "MD", _id(store, "MD", "a.json"))
    assert patients.get_patient(store, "MD").metadata == {"note": "two donors"}
    patients.delete_patient(store, "MD")
    assert store.twins.count_patient_data("MD") == (0, 0)


def test_a_patient_of_an_earlier_medtwin_keeps_its_metadata_as_one_legacy_part(tiny_reference):
    """Written as an earlier medtwin did (merged metadata on the patient; its input without its
    own): the next add keeps that metadata under what the new input gives, and removing either
    input takes none of it."""
    store, _ = tiny_reference
    store.driver.execute_query(  # the statement an earlier medtwin merged metadata with
        "MERGE (p:Patient {id: $id}) ON CREATE SET p.created_at = datetime(), p.patient_id = $id "
        "SET p.metadata_json = $metadata_json, p.updated_at = datetime()",
        id="LG", metadata_json='{"cohort": "ra", "gender": "f"}', database_=store.database,
    )  # fmt: skip
    changes = [c.model_dump(mode="json") for c in _profile("LG", "old.tsv", range(1, 4)).changes]
    content = json.dumps({"changes": changes, "symptoms": [], "exposures": []})
    props = {"kind": "de", "name": "old.tsv", "sha256": "9" * 64, "gene_ids": ["1", "2", "3"],
             "changes_json": content}  # fmt: skip
    store.write("patient/merge_input", patient_id="LG", input_id="LG/old", props=props)
    assert datasets.repair(store)["legacy_metadata_recorded"] == 1  # the migration, at once
    assert datasets.repair(store)["legacy_metadata_recorded"] == 0  # and once
    patients.add_patient(store, _profile("LG", "new.json", range(4, 6), gender="m"))
    assert patients.get_patient(store, "LG").metadata == {"cohort": "ra", "gender": "m"}
    listed = patients.get_patient(store, "LG", with_inputs=True).input_list or ()
    assert [i.metadata for i in listed] == [None, {"gender": "m"}]  # the old one recorded none
    patients.remove_input(store, "LG", "LG/old")
    assert patients.get_patient(store, "LG").metadata == {"cohort": "ra", "gender": "m"}
    patients.remove_input(store, "LG", _id(store, "LG", "new.json"))
    assert patients.get_patient(store, "LG").metadata == {"cohort": "ra", "gender": "f"}
    got = store.read("patient/metadata_sources", patient_id="LG")[0]
    assert json.loads(got["legacy_json"]) == {"cohort": "ra", "gender": "f"}
    patients.delete_patient(store, "LG")
    assert store.twins.count_patient_data("LG") == (0, 0)
