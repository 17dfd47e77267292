import logging

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders import drug_targets_drugcentral as dc
from medtwin.loaders import drugs_drugbank as db
from medtwin.loaders.actions import direction_of


def test_read_drugs(data):
    rows = list(db.read_drugs(data / "drugbank_dhimmel" / "drugbank_drugs.tsv"))
    assert [r.id for r in rows] == ["DB00001", "DB00002", "DB00945", "DB00114"]
    aspirin = rows[2]
    assert aspirin.name == "Acetylsalicylic acid"
    assert aspirin.drug_type == "small molecule"
    assert aspirin.groups == ("approved", "vet_approved")
    assert aspirin.atc_codes == ("A01AD05", "B01AC06", "N02BA01")
    assert aspirin.inchikey == "InChIKey=BSYNRYMUTXBXSQ-UHFFFAOYSA-N"
    assert rows[0].inchikey is None
    assert rows[3].atc_codes == ()


def test_read_drug_targets_human_merged(data, caplog):
    with caplog.at_level(logging.WARNING):
        rows = list(db.read_drug_targets(data / "drugbank_dhimmel" / "proteins.tsv"))
    got = {
        (r.drug_id, r.entrez): (r.actions, r.direction, r.category, r.known_action) for r in rows
    }
    assert got == {
        ("DB00001", "2147"): (("inhibitor",), "inhibit", "target", "yes"),
        ("DB00002", "1956"): (("antagonist", "antibody"), "inhibit", "target", "yes"),
        ("DB00945", "5742"): (("inhibitor",), "inhibit", "target", "yes"),
        # target row + enzyme row merged: inhibitor and inducer conflict -> unknown
        ("DB00945", "5743"): (("inducer", "inhibitor"), "unknown", "target", "yes"),
        ("DB00114", "2805"): (("activator",), "activate", "enzyme", "unknown"),
        ("DB00114", "2571"): (("cofactor",), "unknown", "target", "unknown"),
    }
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2 non-human targets" in warnings[0]
    assert "2 repeated (drug, gene) rows merged" in warnings[0]


def test_read_drug_targets_malformed(data):
    with pytest.raises(SourceFormatError) as info:
        list(db.read_drug_targets(data / "drugbank_dhimmel" / "proteins_bad.tsv"))
    assert info.value.line == 3
    assert "'NA'" in info.value.reason


def test_wrong_header_is_line_1(data):
    with pytest.raises(SourceFormatError) as info:
        list(db.read_drugs(data / "drugbank_dhimmel" / "proteins.tsv"))
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        (["inhibitor"], "inhibit"),
        (["Antagonist "], "inhibit"),
        (["NEGATIVE ALLOSTERIC MODULATOR"], "inhibit"),
        (["inverse agonist"], "inhibit"),
        (["blocker"], "inhibit"),
        (["antibody"], "inhibit"),
        (["agonist"], "activate"),
        (["partial agonist"], "activate"),
        (["POSITIVE ALLOSTERIC MODULATOR"], "activate"),
        (["inducer", "potentiator"], "activate"),
        (["OPENER"], "activate"),
        (["substrate"], "unknown"),
        (["modulator"], "unknown"),
        (["other/unknown"], "unknown"),
        ([], "unknown"),
        (["agonist", "antagonist"], "unknown"),
    ],
)
def test_direction_table(actions, expected):
    assert direction_of(actions) == expected


def test_drugcentral_targets(data, gene_index, caplog):
    folder = data / "drugcentral_2016"
    with caplog.at_level(logging.WARNING):
        rows = list(
            dc.read_drug_targets(folder / "drug_target.tsv", folder / "identifiers.tsv", gene_index)
        )
    got = {(r.drug_id, r.entrez): (r.actions, r.direction) for r in rows}
    assert got == {
        ("DB00945", "5742"): (("inhibitor",), "inhibit"),
        ("DB00945", "5743"): (("inhibitor",), "inhibit"),  # PTGS2 and synonym cox2 merged
        ("DB00060", "1956"): (("agonist",), "activate"),  # lowest of two DrugBank ids
        ("DB00060", "2064"): (("agonist",), "activate"),  # multi-component target split
        ("drugcentral:9001", "3570"): (("antibody binding",), "inhibit"),
    }
    assert {r.category for r in rows} == {"target"}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "1 target genes with an unmapped symbol" in warnings[0]
    assert "1 rows without GENE" in warnings[0]


def test_drugcentral_drugs(data):
    folder = data / "drugcentral_2016"
    rows = list(dc.read_drugs(folder / "drug_target.tsv", folder / "identifiers.tsv"))
    assert [(r.id, r.name) for r in rows] == [
        ("DB00945", "acetylsalicylic acid"),
        ("DB00060", "peginterferon beta-1a"),
        ("drugcentral:9001", "testdrug"),
        ("drugcentral:9002", "othertestdrug"),
    ]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (None, "DB00060"),  # no DrugBank names: the lowest id, as before stop 25
        ({"DB00060": "Interferon beta-1a", "DB09122": "Peginterferon beta-1a"}, "DB09122"),
        ({"DB00060": "Peginterferon Beta-1a", "DB09122": "x"}, "DB00060"),  # case-insensitive
        ({"DB00060": "a", "DB09122": "b"}, "DB00060"),  # no name matches: the lowest
        # two of the same name are ambiguous: the lowest, not a guess
        ({"DB00060": "peginterferon beta-1a", "DB09122": "peginterferon beta-1a"}, "DB00060"),
        ({"DB09122": "peginterferon beta-1a ", "DB00060": None}, "DB00060"),  # exact only
    ],
)
def test_drugcentral_several_drugbank_ids_join_by_name(data, gene_index, names, expected):
    folder = data / "drugcentral_2016"
    targets, ids = folder / "drug_target.tsv", folder / "identifiers.tsv"
    assert dc.read_drugbank_map(ids, names)["5137"] == expected
    rows = dc.read_drug_targets(targets, ids, gene_index, names)
    # the drug's targets and actions follow the chosen id; single-id drugs are untouched
    assert {(r.drug_id, r.entrez, r.direction) for r in rows} == {
        ("DB00945", "5742", "inhibit"),
        ("DB00945", "5743", "inhibit"),
        (expected, "1956", "activate"),
        (expected, "2064", "activate"),
        ("drugcentral:9001", "3570", "inhibit"),
    }
    drugs = {r.name: r.id for r in dc.read_drugs(targets, ids, names)}
    assert drugs["peginterferon beta-1a"] == expected
    assert drugs["testdrug"] == "drugcentral:9001"  # no DrugBank id: never joined by name


def test_drugcentral_malformed(data, gene_index):
    folder = data / "drugcentral_2016"
    with pytest.raises(SourceFormatError) as info:
        list(
            dc.read_drug_targets(
                folder / "drug_target_bad.tsv", folder / "identifiers.tsv", gene_index
            )
        )
    assert info.value.line == 3
