import logging

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders import disease_genes_guney2016 as dg
from medtwin.loaders import disease_genes_menche2015 as menche
from medtwin.loaders.diseases import merge_diseases
from medtwin.loaders.drug_targets_guney2016 import read_drug_targets
from medtwin.loaders.symptoms_hsdn import read_disease_mesh_ids


def test_read_diseases_and_genes(data):
    path = data / "guney2016_network_medicine" / "disease_genes.tsv"
    assert [r.id for r in dg.read_diseases(path)] == [
        "mesh:kidney diseases",
        "mesh:congenital hypothyroidism",
        "mesh:sarcoma, small cell",
        "mesh:adenocarcinoma",
    ]
    rows = list(dg.read_disease_genes(path))
    by_disease: dict[str, list[str]] = {}
    for r in rows:
        by_disease.setdefault(r.disease_id, []).append(r.entrez)
        assert r.evidence is None
    assert by_disease == {
        "mesh:kidney diseases": ["79663", "5310", "4306", "760"],  # trailing tab ignored
        "mesh:congenital hypothyroidism": ["7080", "389434"],  # repeated 7080 dropped
        "mesh:sarcoma, small cell": ["2130"],
        "mesh:adenocarcinoma": ["5290", "7157", "324", "595"],
    }


def test_read_disease_genes_line_without_genes(data):
    with pytest.raises(SourceFormatError) as info:
        list(dg.read_disease_genes(data / "guney2016_network_medicine" / "disease_genes_bad.tsv"))
    assert info.value.line == 3


def test_diseases_dedupe_across_menche_and_guney(data):
    merged = list(
        merge_diseases(
            menche.read_diseases(data / "menche2015_interactome" / "DataS2_disease_genes.tsv"),
            dg.read_diseases(data / "guney2016_network_medicine" / "disease_genes.tsv"),
            mesh_ids=read_disease_mesh_ids(data / "hsdn_zhou2014" / "Disease-Occurence-Output.tsv"),
        )
    )
    ids = [r.id for r in merged]
    assert len(ids) == len(set(ids)) == 6  # 3 Menche + 4 Guney - 1 shared (adenocarcinoma)
    adeno = next(r for r in merged if r.id == "mesh:adenocarcinoma")
    assert adeno.source == "menche2015_interactome"
    kidney = next(r for r in merged if r.id == "mesh:kidney diseases")
    assert kidney.mesh_id == "D007674"


def test_read_drug_targets(data, gene_index, caplog):
    path = data / "guney2016_network_medicine" / "drug_to_geneids.tsv"
    rows = list(read_drug_targets(path))
    assert [(r.drug_id, r.entrez) for r in rows] == [
        ("DB00001", "2147"),
        ("DB00002", "1956"),
        ("DB00945", "5742"),
        ("DB00945", "5743"),
        ("DB01000", "945837"),
    ]
    assert {(r.direction, r.actions, r.category) for r in rows} == {("unknown", (), None)}
    with caplog.at_level(logging.WARNING):
        human = list(read_drug_targets(path, gene_index))
    assert len(human) == 4
    assert "1 gene ids not in the human gene index" in caplog.records[-1].getMessage()


def test_read_drug_targets_bad_drug_id(data):
    with pytest.raises(SourceFormatError) as info:
        list(read_drug_targets(data / "guney2016_network_medicine" / "drug_to_geneids_bad.tsv"))
    assert info.value.line == 4
