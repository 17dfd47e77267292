from __future__ import annotations

import json
from pathlib import Path

import pytest

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.patient_fhir import read_fhir_bundle


def test_bundle_mapping(data, genes, hpo) -> None:
    profile = read_fhir_bundle(data / "fhir_bundle_P001.json", genes, hpo=hpo)
    assert profile.patient_id == "P001"
    assert [
        (c.entrez, c.symbol, c.layer, c.log2fc, c.variant_id, c.consequence)
        for c in profile.changes
    ] == [
        ("7157", "TP53", "variant", 0.0, "rs28934578", "missense_variant"),
        ("7124", "TNF", "expression", 2.25, None, None),
    ]
    assert profile.symptoms == ("HP:0001945", "D005221")
    assert profile.exposures == ("http://www.nlm.nih.gov/research/umls/rxnorm|6851",)
    assert profile.metadata == {
        "source_format": "FHIR R4 Bundle",
        "gender": "female",
        "birth_date": "1970-05-01",
        "conditions_snomed": "69896004",
    }
    assert profile.unmapped == ("NOTAGENE",)


def test_bundle_invalid_resource(data, genes, hpo) -> None:
    with pytest.raises(SourceFormatError, match="birthDate"):
        read_fhir_bundle(data / "fhir_bundle_malformed.json", genes, hpo=hpo)


def test_bundle_not_json(tmp_path: Path, genes, hpo) -> None:
    path = tmp_path / "b.json"
    path.write_text("{not json")
    with pytest.raises(SourceFormatError, match="not a valid FHIR R4 Bundle"):
        read_fhir_bundle(path, genes, hpo=hpo)


def test_bundle_unknown_hpo_and_missing_patient(tmp_path: Path, genes, hpo) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Condition",
                    "id": "c",
                    "subject": {"reference": "Patient/X"},
                    "code": {
                        "coding": [
                            {"system": "http://human-phenotype-ontology.org", "code": "HP:9999999"}
                        ]
                    },
                }
            }
        ],
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    with pytest.raises(InputError, match="no Patient resource"):
        read_fhir_bundle(path, genes, hpo=hpo)
    with pytest.raises(SourceFormatError, match="HP:9999999"):
        read_fhir_bundle(path, genes, hpo=hpo, patient_id="X")
