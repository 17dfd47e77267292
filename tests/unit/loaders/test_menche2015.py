import logging

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders import disease_genes_menche2015 as dg
from medtwin.loaders.ppi_menche2015 import SOURCE, read_interactions


def test_read_interactions_orders_pairs_and_drops_self_loops(data, caplog):
    with caplog.at_level(logging.WARNING):
        rows = list(read_interactions(data / "menche2015_interactome" / "DataS1_interactome.tsv"))
    pairs = {(r.a, r.b): r.evidence for r in rows}
    assert pairs == {
        ("1394", "2778"): ("literature",),
        ("4214", "100290337"): ("literature",),  # integer order, not string order
        ("4790", "79155"): ("binary", "literature", "signaling"),
        ("4193", "7157"): ("binary", "complexes", "literature"),  # reversed duplicate merged
        ("672", "7157"): ("literature", "signaling"),
        ("9", "10"): ("metabolic",),
    }
    assert all(r.source == SOURCE.name for r in rows)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2 self-interactions" in warnings[0]
    assert "1 duplicate pairs" in warnings[0]


def test_read_interactions_malformed_id(data):
    with pytest.raises(SourceFormatError) as info:
        list(read_interactions(data / "menche2015_interactome" / "DataS1_bad.tsv"))
    assert info.value.line == 3
    assert "'TP53'" in info.value.reason


def test_read_diseases(data):
    rows = list(dg.read_diseases(data / "menche2015_interactome" / "DataS2_disease_genes.tsv"))
    assert [(r.id, r.name, r.mesh_id) for r in rows] == [
        ("mesh:adenocarcinoma", "adenocarcinoma", None),
        ("mesh:albuminuria", "albuminuria", None),
        ("mesh:alzheimer disease", "alzheimer disease", None),
    ]


def test_read_disease_genes_assigns_lists_by_counts(data):
    rows = list(dg.read_disease_genes(data / "menche2015_interactome" / "DataS2_disease_genes.tsv"))
    got = {(r.disease_id, r.entrez): r.evidence for r in rows}
    assert got == {
        ("mesh:adenocarcinoma", "5290"): "OMIM",
        ("mesh:adenocarcinoma", "7157"): "OMIM;GWAS",
        ("mesh:adenocarcinoma", "324"): "OMIM",
        ("mesh:adenocarcinoma", "595"): "GWAS",
        # 5-field line with number_of_OMIM_genes == 0: the one list is the GWAS list
        ("mesh:albuminuria", "3751"): "GWAS",
        ("mesh:albuminuria", "117583"): "GWAS",
        ("mesh:alzheimer disease", "351"): "OMIM",
        ("mesh:alzheimer disease", "5663"): "OMIM",
        ("mesh:alzheimer disease", "5664"): "OMIM",
    }
    assert len(rows) == len(got)


def test_read_disease_genes_count_mismatch(data):
    with pytest.raises(SourceFormatError) as info:
        list(dg.read_disease_genes(data / "menche2015_interactome" / "DataS2_bad.tsv"))
    assert info.value.line == 3
    assert "do not match" in info.value.reason
