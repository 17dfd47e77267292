from __future__ import annotations

import logging
from pathlib import Path

import pytest

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.patient_rows import file_sha256
from medtwin.loaders.patient_tables import (
    HpoVocabulary,
    normalise_symptoms,
    read_de_table,
    read_proteins,
    read_symptoms,
    read_variants,
    shipped_hpo_vocabulary,
)


def _rows(profile):
    return [
        (c.entrez, c.symbol, c.log2fc, c.padj, c.cell_type, c.time_point) for c in profile.changes
    ]


def test_de_table_values_thresholds_duplicates_unmapped(data, genes, caplog) -> None:
    path = data / "de_P001.tsv"
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "P001", genes, metadata={"comparison": "RA vs healthy"})
    assert _rows(profile) == [
        ("7124", "TNF", 2.5, 0.001, "monocyte", "baseline"),
        ("3569", "IL6", -1.25, 0.02, "monocyte", "baseline"),
        ("3569", None, 0.8, 0.04, "monocyte", "week4"),
    ]
    assert profile.unmapped == ("NOTAGENE",)
    assert profile.metadata == {"comparison": "RA vs healthy"}
    assert profile.input_checksums == {"de_P001.tsv": file_sha256(path)}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2  # one for the duplicate TNF row, one for the unmapped gene
    assert any("NOTAGENE" in w for w in warnings)


def test_de_table_without_padj_filter_keeps_na_padj(data, genes) -> None:
    profile = read_de_table(data / "de_P001.tsv", "P001", genes, padj_max=None, min_abs_log2fc=1.0)
    assert [(c.symbol, c.padj) for c in profile.changes] == [
        ("TNF", 0.001),
        ("IL6", 0.02),
        ("STAT3", None),
    ]


def test_de_table_r_style_csv_keeps_smallest_padj(data, genes) -> None:
    profile = read_de_table(data / "de_rstyle.csv", "P002", genes)
    assert _rows(profile) == [("7124", None, 1.2, 1e-20, None, None)]
    assert profile.unmapped == ()


def test_de_table_na_log2fc_names_line(data, genes) -> None:
    with pytest.raises(SourceFormatError) as info:
        read_de_table(data / "de_malformed.tsv", "P001", genes)
    assert info.value.line == 3
    assert "'NA'" in str(info.value)
    assert "de_malformed.tsv:3" in str(info.value)


def test_de_table_missing_column_and_field_count(tmp_path: Path, genes) -> None:
    no_fc = tmp_path / "a.tsv"
    no_fc.write_text("gene\tpadj\nTNF\t0.01\n")
    with pytest.raises(SourceFormatError, match="no 'log2fc' column") as info:
        read_de_table(no_fc, "P1", genes)
    assert info.value.line == 1
    short = tmp_path / "b.tsv"
    short.write_text("gene\tlogFC\tpadj\nTNF\t1\t0.01\nIL6\t2\n")
    with pytest.raises(SourceFormatError, match="expected 3 fields") as info:
        read_de_table(short, "P1", genes)
    assert info.value.line == 3
    two = tmp_path / "c.tsv"
    two.write_text("gene\tlogFC\tlog2FoldChange\tpadj\nTNF\t1\t1\t0.01\n")
    with pytest.raises(SourceFormatError, match="all mean 'log2fc'"):
        read_de_table(two, "P1", genes)


def test_de_table_bad_padj_and_bad_id(tmp_path: Path, genes) -> None:
    path = tmp_path / "d.csv"
    path.write_text("gene,logFC,FDR\nTNF,1,1.5\n")
    with pytest.raises(SourceFormatError, match="padj must be in") as info:
        read_de_table(path, "P1", genes)
    assert info.value.line == 2
    with pytest.raises(InputError, match="invalid patient id"):
        read_de_table(path, "bad id", genes)


def test_proteins(data, genes) -> None:
    profile = read_proteins(data / "proteins_P001.csv", "P001", genes, min_abs_log2ratio=0.1)
    assert [(c.symbol, c.log2fc, c.padj, c.layer) for c in profile.changes] == [
        ("TNF", 1.75, 0.01, "protein"),
        ("IL6", -0.5, None, "protein"),
    ]


def test_variants(data, genes) -> None:
    profile = read_variants(data / "variants_P001.tsv", "P001", genes)
    assert [
        (c.entrez, c.variant_id, c.consequence, c.layer, c.log2fc) for c in profile.changes
    ] == [
        ("7157", "rs28934578", "missense_variant", "variant", 0.0),
        ("672", "NM_007294.4:c.68_69del", "frameshift_variant", "variant", 0.0),
    ]
    assert profile.unmapped == ("NOTAGENE",)


def test_variants_empty_id_names_line(tmp_path: Path, genes) -> None:
    path = tmp_path / "v.tsv"
    path.write_text("gene\tvariant_id\nTP53\trs1\nTP53\t\n")
    with pytest.raises(SourceFormatError, match="empty variant_id") as info:
        read_variants(path, "P1", genes)
    assert info.value.line == 3


def test_symptoms_file(data, hpo) -> None:
    assert read_symptoms(data / "symptoms_P001.txt", hpo=hpo) == (
        "HP:0001945",
        "HP:0002829",
        "D005221",
    )


def test_symptoms_unknown_hpo_names_line(data, hpo) -> None:
    with pytest.raises(SourceFormatError) as info:
        read_symptoms(data / "symptoms_unknown.txt", hpo=hpo)
    assert info.value.line == 2
    assert "HP:9999999" in str(info.value)


def test_normalise_symptoms_names_mesh_obsolete(hpo) -> None:
    assert normalise_symptoms(
        ["Fever", "mesh:D005221", "joint pain"], hpo=hpo, mesh_names={"Joint Pain": "D018771"}
    ) == ("HP:0001945", "D005221", "D018771")
    with pytest.raises(InputError, match="obsolete; use HP:0000001"):
        normalise_symptoms(["HP:0000005"], hpo=hpo)
    with pytest.raises(InputError, match="malformed HPO id"):
        normalise_symptoms(["HP:12"], hpo=hpo)
    with pytest.raises(InputError, match="unknown symptom 'zzz'"):
        normalise_symptoms(["zzz"], hpo=hpo)


def test_shipped_hpo_vocabulary_validates_real_ids() -> None:
    vocabulary = shipped_hpo_vocabulary()
    assert "HP:0001945" in vocabulary.ids
    assert normalise_symptoms(["HP:0001945", "fever"]) == ("HP:0001945",)
    with pytest.raises(InputError, match="HP:9999999"):
        normalise_symptoms(["HP:9999999"])


def test_empty_vocabulary_rejects_everything() -> None:
    with pytest.raises(InputError):
        normalise_symptoms(["HP:0001945"], hpo=HpoVocabulary(ids=frozenset()))
