import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders import indications_dev as ind
from medtwin.loaders import symptoms_hsdn as hsdn


def test_read_symptoms(data):
    rows = list(hsdn.read_symptoms(data / "hsdn_zhou2014" / "Symptom-Occurence-Output.tsv"))
    assert [(r.id, r.name) for r in rows][:2] == [("D005334", "Fever"), ("D003371", "Cough")]
    assert len(rows) == 5


def test_read_diseases_have_mesh_ids(data):
    rows = list(hsdn.read_diseases(data / "hsdn_zhou2014" / "symptoms-DO.tsv"))
    assert [(r.id, r.mesh_id) for r in rows] == [
        ("mesh:asthma", "D001249"),
        ("mesh:pneumonia", "D011014"),
        ("mesh:malaria", "D008288"),
        ("mesh:heart failure", "D006333"),
    ]


def test_read_disease_symptoms_dedupes_doid_mappings(data):
    rows = list(hsdn.read_disease_symptoms(data / "hsdn_zhou2014" / "symptoms-DO.tsv"))
    assert len(rows) == 9
    first = rows[0]
    assert (first.disease_id, first.symptom_id, first.tfidf, first.cooccurs) == (
        "mesh:asthma",
        "D005334",
        2.0,
        10,
    )


def test_read_disease_symptoms_malformed(data):
    with pytest.raises(SourceFormatError) as info:
        list(hsdn.read_disease_symptoms(data / "hsdn_zhou2014" / "symptoms-DO_bad.tsv"))
    assert info.value.line == 3
    assert "'many'" in info.value.reason


def test_read_disease_mesh_ids(data):
    ids = hsdn.read_disease_mesh_ids(data / "hsdn_zhou2014" / "Disease-Occurence-Output.tsv")
    assert ids == {
        "mesh:breast neoplasms": "D001943",
        "mesh:kidney diseases": "D007674",
        "mesh:asthma": "D001249",
    }


def test_read_indications(data):
    path = data / "indications_dev" / "disease_to_drugs_dev.tsv"
    rows = list(ind.read_indications(path))
    assert [(r.disease_id, r.drug_id, r.indication_source) for r in rows] == [
        ("mesh:acidosis", "DB00594", "medi"),
        ("mesh:acidosis", "DB01213", "medi"),
        ("mesh:asthma", "DB01001", "ndfrt"),
        ("mesh:asthma", "DB01001", "kegg"),
        ("mesh:kidney diseases", "DB00945", "metab2mesh"),
    ]
    assert [r.id for r in ind.read_diseases(path)] == [
        "mesh:acidosis",
        "mesh:asthma",
        "mesh:kidney diseases",
    ]


def test_read_indications_malformed(data):
    with pytest.raises(SourceFormatError) as info:
        list(ind.read_indications(data / "indications_dev" / "disease_to_drugs_bad.tsv"))
    assert info.value.line == 3
