"""Loaders of the regulator layers: DoRothEA regulons, PROGENy footprints, LINCS consensi."""

from __future__ import annotations

import logging

import pytest

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders import pathways_progeny, perturbations_lincs, regulons_dorothea


def test_dorothea_default_levels_map_symbols_and_drop(data, gene_index, caplog):
    path = data / "dorothea_hs" / "dorothea_hs.tsv.gz"
    with caplog.at_level(logging.WARNING):
        rows = list(regulons_dorothea.read_regulons(path, gene_index))
    got = [(r.tf_entrez, r.target_entrez, r.confidence, r.mor) for r in rows]
    # D and E edges are not in A-C; the repeated TP53->MDM2 and the unmapped target are dropped
    assert got == [("7157", "4193", "A", 1.0), ("7157", "1956", "B", -1.0)]
    assert rows[0].tf_symbol == "TP53"
    assert rows[0].source == regulons_dorothea.SOURCE.name
    message = caplog.records[-1].getMessage()
    assert "1 edges with an unmapped TF or target symbol" in message
    assert "1 repeated (TF, target) edges" in message


def test_dorothea_all_levels_and_bad_input(data, gene_index):
    path = data / "dorothea_hs" / "dorothea_hs.tsv.gz"
    rows = list(regulons_dorothea.read_regulons(path, gene_index, levels="ABCDE"))
    assert [r.confidence for r in rows] == ["A", "B", "D", "E"]
    with pytest.raises(InputError, match="A-E"):
        list(regulons_dorothea.read_regulons(path, gene_index, levels="AX"))
    with pytest.raises(SourceFormatError, match=r"tsv:2: .*confidence"):
        list(
            regulons_dorothea.read_regulons(data / "dorothea_hs" / "bad_confidence.tsv", gene_index)
        )
    with pytest.raises(SourceFormatError, match=r"tsv:2: .*mor"):
        list(regulons_dorothea.read_regulons(data / "dorothea_hs" / "bad_mor.tsv", gene_index))


def test_progeny_non_zero_weights(data, gene_index, caplog):
    path = data / "progeny_2018" / "progeny_human_model.tsv"
    with caplog.at_level(logging.WARNING):
        rows = list(pathways_progeny.read_footprints(path, gene_index))
    assert [(r.pathway, r.entrez, r.weight) for r in rows] == [
        ("p53", "4193", 9.5),
        ("EGFR", "1956", 2.25),
        ("MAPK", "1956", 0.5),
        ("MAPK", "3569", -1.5),
    ]
    assert "1 genes with an unmapped symbol" in caplog.records[-1].getMessage()
    with pytest.raises(SourceFormatError, match=r"tsv:2: .*MAPK.*'x'"):
        list(pathways_progeny.read_footprints(data / "progeny_2018" / "bad_weight.tsv", gene_index))


def test_lincs_cells_and_bad_input(data, caplog):
    path = data / "lincs_l1000_dhimmel" / "consensi-drugbank.tsv.gz"
    with caplog.at_level(logging.WARNING):
        rows = list(perturbations_lincs.read_perturbations(path))
    assert [(r.drug_id, r.entrez, r.z) for r in rows] == [
        ("DB00001", "7157", 0.5),
        ("DB00001", "4193", -1.25),
        ("DB00002", "7157", -2.0),
        ("DB00002", "4193", 0.0),
        ("DB00002", "1956", 3.1),
    ]
    assert "1 empty cells" in caplog.records[-1].getMessage()
    with pytest.raises(SourceFormatError, match=r"tsv:2: .*DB00001"):
        list(perturbations_lincs.read_perturbations(data / "lincs_l1000_dhimmel" / "bad_drug.tsv"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("perturbagen\t7157\t4193\t7157\nDB00001\t1\t2\t3\n", r"tsv:1: gene column\(s\) 7157 "),
        (
            "perturbagen\t7157\nDB00001\t1\nDB00002\t2\nDB00001\t3\n",
            r"tsv:4: drug DB00001 already has a row \(line 2\)",
        ),
    ],
)
def test_lincs_rejects_a_repeated_pair_that_a_first_load_would_create_twice(
    tmp_path, text, message
):
    path = tmp_path / "consensi.tsv"
    path.write_text(text)
    with pytest.raises(SourceFormatError, match=message):
        list(perturbations_lincs.read_perturbations(path))
