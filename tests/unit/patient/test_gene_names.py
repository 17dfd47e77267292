"""Gene cells that mean "no gene" (NA, NaN, empty, ...) and Entrez ids written as floats.

The sweep's de_symbol_NA.csv: DESeq2 results whose unannotated genes read NA gave XK (NA is
one of its synonyms) a log2fc of -7.5; NaN would have been SCN11A.
"""

from __future__ import annotations

import logging
from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pytest

from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.patient_cohort import read_cohort_matrix
from medtwin.loaders.patient_tables import read_de_table, read_proteins, read_variants
from medtwin.platform.singlecell import read_h5ad
from tests.unit.patient.conftest import FakeGenes, two_type_h5ad

MISSING = ["NA", "NaN", "nan", "N/A", "NULL", "-", ""]


@pytest.fixture
def synonyms() -> FakeGenes:
    """Resolves like GeneIndex: NA is a synonym of XK, NaN one of SCN11A."""
    return FakeGenes({"TNF": "7124", "IL6": "3569", "XK": "7504", "NA": "7504", "NAN": "11280"})


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_de_rows_without_a_gene_are_skipped_never_a_synonym(
    tmp_path: Path, synonyms: FakeGenes, caplog: pytest.LogCaptureFixture
) -> None:
    rows = ["TNF,2.0,0.001"] + [f'"{m}",-7.5,1e-9' for m in MISSING] + ["IL6,1.0,0.01"]
    path = tmp_path / "de_symbol_NA.csv"
    path.write_text('"symbol","log2FoldChange","padj"\n' + "\n".join(rows) + "\n")
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "S", synonyms)
    assert [(c.entrez, c.log2fc) for c in profile.changes] == [("7124", 2.0), ("3569", 1.0)]
    assert profile.unmapped == ()
    (warning,) = _warnings(caplog)
    assert "de_symbol_NA.csv: 7 row(s) without a gene were skipped" in warning
    assert "line 3: 'NA'" in warning


def test_de_rows_without_a_gene_still_count_in_the_bh_adjustment(
    tmp_path: Path, synonyms: FakeGenes
) -> None:
    """A DESeq2 gene without a symbol was tested: BH over the rows must not forget it."""
    path = tmp_path / "p.tsv"
    path.write_text("gene\tlog2fc\tpvalue\nTNF\t2\t0.01\nNA\t1\t0.02\n")
    (change,) = read_de_table(path, "S", synonyms, padj_max=None).changes
    assert change.padj == pytest.approx(0.02)  # 0.01 * 2 tests / rank 1


def test_entrez_ids_written_as_floats_resolve(tmp_path: Path, synonyms: FakeGenes) -> None:
    path = tmp_path / "de_entrez_float.tsv"
    path.write_text("entrez\tlog2FoldChange\tpadj\n7124.0\t1.5\t0.001\n3569.5\t1\t0.001\n")
    profile = read_de_table(path, "S", synonyms)
    assert [(c.entrez, c.symbol) for c in profile.changes] == [("7124", None)]
    assert profile.unmapped == ("3569.5",)  # not an integral float: no id


def test_an_entrez_column_of_na_falls_back_on_the_symbol_column(
    tmp_path: Path, synonyms: FakeGenes
) -> None:
    path = tmp_path / "p.tsv"
    path.write_text("entrez\tsymbol\tlog2fc\tpadj\nNA\tTNF\t1\t0.01\nnan\tNA\t2\t0.01\n")
    profile = read_de_table(path, "S", synonyms)
    assert [(c.entrez, c.symbol) for c in profile.changes] == [("7124", "TNF")]


def test_proteins_and_variants_skip_rows_without_a_gene(
    tmp_path: Path, synonyms: FakeGenes
) -> None:
    proteins = tmp_path / "prot.tsv"
    proteins.write_text("gene\tlog2ratio\nNA\t3\nTNF\t1\n")
    assert [c.entrez for c in read_proteins(proteins, "S", synonyms).changes] == ["7124"]
    variants = tmp_path / "var.tsv"
    variants.write_text("gene\tvariant_id\nNaN\trs1\n\trs2\nIL6\trs3\n")
    got = read_variants(variants, "S", synonyms)
    assert [c.entrez for c in got.changes] == ["3569"]
    assert got.unmapped == ()


def test_cohort_rows_without_a_gene_give_no_change(
    tmp_path: Path, synonyms: FakeGenes, caplog: pytest.LogCaptureFixture
) -> None:
    expression = tmp_path / "expr.tsv"
    expression.write_text("gene\ts1\ts2\ts3\nTNF\t1\t2\t3\nNA\t1\t2\t9\n7124.0\t2\t2\t3\n")
    samples = tmp_path / "samples.tsv"
    samples.write_text("sample\tgroup\ns1\tRA\ns2\tRA\ns3\tRA\n")
    with caplog.at_level(logging.WARNING):
        matrix = read_cohort_matrix(expression, samples, synonyms)
    assert matrix.entrez == ("7124", None, "7124")
    assert matrix.unmapped == ()
    warnings = _warnings(caplog)
    assert any("expr.tsv: 1 row(s) without a gene" in w and "line 3" in w for w in warnings)


def test_h5ad_var_names_na_are_no_gene(
    tmp_path: Path, synonyms: FakeGenes, caplog: pytest.LogCaptureFixture
) -> None:
    rng = np.random.default_rng(0)
    counts = 1.0 + rng.integers(0, 2, size=(40, 3))
    counts[:20, 1] += 30  # "NA" is the marker of type A
    counts[:20, 0] += 30  # and TNF
    path = two_type_h5ad(tmp_path / "na.h5ad", ["TNF", "NA", "IL6"], counts)
    with caplog.at_level(logging.WARNING):
        profile = read_h5ad(path, synonyms, patient_id="S", cell_type_key="cell_type")
    assert "7504" not in {c.entrez for c in profile.changes}
    assert "7124" in {c.entrez for c in profile.changes}
    assert all("7504" not in s.stats for s in profile.cell_type_stats)
    assert profile.unmapped == ()
    assert any("1 row(s) without a gene" in w and "position 1" in w for w in _warnings(caplog))


@pytest.fixture
def index() -> GeneIndex:
    """TNF, IL6 and TP53 with their Ensembl ids; STAT3 has none (not every gene has one)."""
    return GeneIndex.from_table(
        [
            ("7124", "TNF", (), "HGNC:11892", "ENSG00000232810"),
            ("3569", "IL6", (), "HGNC:6018", "ENSG00000136244"),
            ("7157", "TP53", (), "HGNC:11998", "ENSG00000141510"),
            ("6774", "STAT3", (), "HGNC:11364", ""),
        ]
    )


def test_versioned_ensembl_ids_resolve_and_the_unknown_are_explained(
    tmp_path: Path, index: GeneIndex, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "de_ensembl_versioned.tsv"
    path.write_text(
        "ensembl_gene_id\tlog2FoldChange\tpadj\nENSG00000141510.17\t2\t0.001\n"
        "ENSG00000168610.14\t1\t0.001\n"
    )
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "S", index)
    assert [(c.entrez, c.symbol) for c in profile.changes] == [("7157", "TP53")]
    assert profile.unmapped == ("ENSG00000168610.14",)
    assert "1 of them are Ensembl ids not in the gene layer's Ensembl map" in caplog.text
    assert "add a symbol column (gene_name, symbol)" in caplog.text


def test_nf_core_gene_id_and_gene_name_use_whichever_resolves(
    tmp_path: Path, index: GeneIndex
) -> None:
    """de_ensembl_plus_symbol.tsv: STAT3's id is not in the map, its gene_name is."""
    path = tmp_path / "deseq2.results.tsv"
    path.write_text(
        "gene_id\tgene_name\tlog2FoldChange\tpadj\n"
        "ENSG00000232810.4\tTNF\t2\t0.001\n"
        "ENSG00000168610.14\tSTAT3\t1\t0.001\n"
        "ENSG00000136244.12\tNA\t-1\t0.001\n"
        "ENSG00000000000.1\tNOPE\t1\t0.001\n"
    )
    profile = read_de_table(path, "S", index)
    assert [(c.entrez, c.symbol) for c in profile.changes] == [
        ("7124", "TNF"),
        ("6774", "STAT3"),
        ("3569", "IL6"),
    ]
    assert profile.unmapped == ("ENSG00000000000.1",)


def test_h5ad_ensembl_var_names_fall_back_on_the_var_symbols(
    tmp_path: Path, index: GeneIndex
) -> None:
    """CELLxGENE: Ensembl var names, symbols in var['feature_name']."""
    rng = np.random.default_rng(0)
    counts = 1.0 + rng.integers(0, 2, size=(40, 3))
    counts[:20, 0] += 30  # TNF marks type A
    counts[:20, 1] += 30  # STAT3 too; its id is not in the gene layer's map
    adata = anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame(
            {"cell_type": ["A"] * 20 + ["B"] * 20}, index=[f"c{i}" for i in range(40)]
        ),
        var=pd.DataFrame(
            {"feature_name": ["TNF", "STAT3", "IL6"]},
            index=["ENSG00000232810", "ENSG00000168610", "ENSG00000136244"],
        ),
    )
    path = tmp_path / "cellxgene.h5ad"
    adata.write_h5ad(path)
    profile = read_h5ad(path, index, patient_id="S", cell_type_key="cell_type")
    up = {(c.entrez, c.symbol) for c in profile.changes if c.cell_type == "A" and c.log2fc > 0}
    assert up == {("7124", "TNF"), ("6774", "STAT3")}
    assert profile.unmapped == ()


def test_h5ad_unresolved_ensembl_var_names_are_listed_by_their_var_symbol(
    tmp_path: Path, index: GeneIndex, caplog: pytest.LogCaptureFixture
) -> None:
    """CELLxGENE: an Ensembl id that resolves neither by id nor by var['feature_name'] is listed
    as 'SYMBOL (ENSG...)', the name a user recognises first; before, the bare ENSG id. A var name
    without a symbol stays its id, and a symbol var name stays as it is."""
    rng = np.random.default_rng(0)
    counts = 1.0 + rng.integers(0, 2, size=(40, 5))
    counts[:20, :4] += 30  # every gene but IL6 marks type A
    adata = anndata.AnnData(
        X=np.log1p(counts).astype(np.float32),
        obs=pd.DataFrame(
            {"cell_type": ["A"] * 20 + ["B"] * 20}, index=[f"c{i}" for i in range(40)]
        ),
        var=pd.DataFrame(
            {"feature_name": ["TNF", "MYNEWGENE1", "nan", "NOTINMAP", "IL6"]},
            index=[
                "ENSG00000232810",
                "ENSG00000284733",
                "ENSG00000290000",
                "NOTINMAP",
                "ENSG00000136244",
            ],
        ),
    )
    path = tmp_path / "cellxgene.h5ad"
    adata.write_h5ad(path)
    with caplog.at_level(logging.WARNING):
        profile = read_h5ad(path, index, patient_id="S", cell_type_key="cell_type")
    assert {c.symbol for c in profile.changes if c.cell_type == "A" and c.log2fc > 0} == {"TNF"}
    assert profile.unmapped == ("ENSG00000290000", "MYNEWGENE1 (ENSG00000284733)", "NOTINMAP")
    warning = next(w for w in _warnings(caplog) if "did not resolve" in w)
    assert "cellxgene.h5ad: 3 gene(s)" in warning
    assert "MYNEWGENE1 (ENSG00000284733)" in warning
