import logging

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.ligand_receptor_liana import (
    SOURCE,
    liana_resource_path,
    read_ligand_receptors,
)


def test_complexes_split_and_symbols_mapped(data, gene_index, caplog):
    with caplog.at_level(logging.WARNING):
        rows = list(read_ligand_receptors(data / "liana" / "omni_resource.csv", gene_index))
    got = [(r.ligand_entrez, r.receptor_entrez, r.ligand_symbol, r.receptor_symbol) for r in rows]
    assert got == [
        ("3569", "3570", "IL6", "IL6R"),
        ("3569", "3572", "IL6", "IL6ST"),  # IL6 -> IL6R_IL6ST; IL6R repeated, dropped
        ("7039", "1956", "TGFA", "EGFR"),
        ("7039", "2064", "TGFA", "ERBB2"),
    ]
    assert rows[1].resource == "consensus:IL6->IL6R_IL6ST"
    assert rows[0].source == SOURCE.name
    message = caplog.records[-1].getMessage()
    assert "1 subunit pairs with an unmapped symbol" in message  # NECTIN1 not in the index
    assert "1 pairs of a gene with itself" in message
    assert "1 repeated subunit pairs" in message


def test_other_resource_and_unknown_resource(data, gene_index):
    path = data / "liana" / "omni_resource.csv"
    rows = list(read_ligand_receptors(path, gene_index, resource="CellPhoneDB"))
    assert [(r.ligand_entrez, r.receptor_entrez) for r in rows] == [("7039", "1956")]
    with pytest.raises(SourceFormatError, match="no row has resource"):
        list(read_ligand_receptors(path, gene_index, resource="nope"))


def test_malformed_csv(data, gene_index):
    with pytest.raises(SourceFormatError) as info:
        list(read_ligand_receptors(data / "liana" / "omni_resource_bad.csv", gene_index))
    assert info.value.line == 3


def test_shipped_resource_is_found():
    assert liana_resource_path().is_file()
