"""DE tables with z / stat and raw p columns: BH per patient, z for the sign, no-filter mode."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders.patient_tables import bh_adjust, read_de_table
from medtwin.platform.algorithms.stats import bh_qvalues


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        # sorted 0.01, 0.03, 0.04, 0.20; m p / rank = 0.04, 0.06, 0.0533, 0.2; running min from top
        ([0.01, 0.04, 0.03, 0.20], [0.04, 0.16 / 3, 0.16 / 3, 0.20]),
        ([0.01, 0.02, 0.03, 0.5], [0.04, 0.04, 0.04, 0.5]),
        # ties: 0.01 -> 0.04; 0.03, 0.03 -> 0.06, 0.04; 0.04 -> 0.04; running min gives 0.04 each
        ([0.04, 0.01, 0.03, 0.03], [0.04, 0.04, 0.04, 0.04]),
        ([0.9], [0.9]),
        ([0.6, 0.9], [0.9, 0.9]),  # 0.6 * 2 / 1 = 1.2 > 0.9 -> running min 0.9
        ([], []),
    ],
)
def test_bh_adjust_hand_computed(p, expected):
    assert bh_adjust(p) == pytest.approx(expected)


def test_bh_adjust_agrees_with_the_platform_copy():
    rng = np.random.default_rng(3)
    p = rng.uniform(size=200).tolist()
    assert bh_adjust(p) == pytest.approx(bh_qvalues(p).tolist())


def _write(tmp_path: Path, text: str, name: str = "de.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_raw_p_is_bh_adjusted_over_the_patients_rows(tmp_path, genes, caplog):
    # NOTAGENE was tested too: it counts in m = 4 although it does not map.
    path = _write(
        tmp_path,
        "gene\tlog2FoldChange\tpvalue\n"
        "TNF\t2.0\t0.01\nIL6\t-1.0\t0.04\nNOTAGENE\t1.0\t0.03\nSTAT3\t0.5\t0.20\n",
    )
    with caplog.at_level(logging.INFO):
        profile = read_de_table(path, "P1", genes, padj_max=None)
    assert [(c.symbol, c.padj) for c in profile.changes] == [
        ("TNF", pytest.approx(0.04)),
        ("IL6", pytest.approx(0.16 / 3)),
        ("STAT3", pytest.approx(0.20)),
    ]
    assert "Benjamini-Hochberg" in caplog.text
    kept = read_de_table(path, "P1", genes, padj_max=0.05)
    assert [c.symbol for c in kept.changes] == ["TNF"]  # IL6's raw p 0.04 is not enough


def test_bh_runs_per_cell_type_and_time_point(tmp_path, genes):
    path = _write(
        tmp_path,
        "gene\tlogFC\tP.Value\tcell_type\n"
        "TNF\t1\t0.02\tmono\nIL6\t1\t0.5\tmono\nTNF\t1\t0.02\tB\nIL6\t1\t0.03\tB\n",
    )
    profile = read_de_table(path, "P1", genes, padj_max=None)
    got = {(c.symbol, c.cell_type): c.padj for c in profile.changes}
    # mono: 0.02 * 2 / 1 = 0.04, 0.5; B: 0.04, 0.03 * 2 / 2 = 0.03 -> running min 0.03, 0.03
    assert got == {
        ("TNF", "mono"): pytest.approx(0.04),
        ("IL6", "mono"): pytest.approx(0.5),
        ("TNF", "B"): pytest.approx(0.03),
        ("IL6", "B"): pytest.approx(0.03),
    }


def test_missing_p_is_not_tested_and_fails_the_filter(tmp_path, genes):
    path = _write(tmp_path, "gene\tlogFC\tpval\nTNF\t1\t0.01\nIL6\t1\tNA\nCD4\t1\t0.02\n")
    profile = read_de_table(path, "P1", genes, padj_max=0.05)
    # m = 2 (the NA row was not tested): 0.02, 0.02
    assert [(c.symbol, c.padj) for c in profile.changes] == [
        ("TNF", pytest.approx(0.02)),
        ("CD4", pytest.approx(0.02)),
    ]


def test_padj_column_wins_over_raw_p(tmp_path, genes):
    path = _write(tmp_path, "gene\tlogFC\tpvalue\tpadj\nTNF\t1\t0.001\t0.2\n")
    assert read_de_table(path, "P1", genes).changes == ()
    assert read_de_table(path, "P1", genes, padj_max=0.5).changes[0].padj == 0.2


def test_z_column_is_stored_and_stands_in_for_a_missing_log2fc(tmp_path, genes, caplog):
    both = _write(tmp_path, "gene\tlog2fc\tstat\tpadj\nTNF\t1.5\t4.2\t0.01\n", "both.tsv")
    change = read_de_table(both, "P1", genes).changes[0]
    assert (change.log2fc, change.zscore) == (1.5, 4.2)
    only_z = _write(tmp_path, "gene\tz\tpadj\nTNF\t-3.1\t0.01\nIL6\t0.5\t0.01\n", "z.tsv")
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(only_z, "P1", genes, min_abs_log2fc=1.0)
    assert [(c.symbol, c.log2fc, c.zscore) for c in profile.changes] == [("TNF", -3.1, -3.1)]
    assert "no log2fc column" in caplog.text
    assert "'z' column gives the sign and size" in caplog.text


@pytest.mark.parametrize("name", ["z", "zscore", "z_score", "stat", "t", "wald", "STAT"])
def test_every_z_alias(tmp_path, genes, name):
    path = _write(tmp_path, f"gene\t{name}\tpadj\nTNF\t2.5\t0.01\n")
    assert read_de_table(path, "P1", genes).changes[0].zscore == 2.5


@pytest.mark.parametrize("name", ["p", "pvalue", "p_value", "p.value", "pval", "P.Value", "p_val"])
def test_every_p_alias(tmp_path, genes, name):
    path = _write(tmp_path, f"gene\tlogFC\t{name}\nTNF\t1\t0.01\nIL6\t1\t0.04\n")
    assert [c.padj for c in read_de_table(path, "P1", genes).changes] == [
        pytest.approx(0.02),
        pytest.approx(0.04),
    ]


def test_no_padj_and_no_p_keeps_every_row_with_one_warning(tmp_path, genes, caplog):
    path = _write(tmp_path, "gene\tlogFC\nTNF\t1\nIL6\t-0.2\n")
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "P1", genes)
    assert [c.symbol for c in profile.changes] == ["TNF", "IL6"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["de.tsv: no padj or p column; every row is kept (no significance filter)"]


def test_bad_p_and_z_name_the_line(tmp_path, genes):
    bad_p = _write(tmp_path, "gene\tlogFC\tp\nTNF\t1\t0.01\nIL6\t1\t1.3\n", "p.tsv")
    with pytest.raises(SourceFormatError, match=r"p\.tsv:3: p must be in \[0, 1\], got '1.3'"):
        read_de_table(bad_p, "P1", genes)
    # NA in z while the row has a p: a broken row, not an untested gene
    bad_z = _write(tmp_path, "gene\tz\tp\nTNF\tNA\t0.01\n", "zz.tsv")
    with pytest.raises(SourceFormatError) as info:
        read_de_table(bad_z, "P1", genes)
    assert info.value.line == 2
    neither = _write(tmp_path, "gene\tpadj\nTNF\t0.01\n", "n.tsv")
    with pytest.raises(SourceFormatError, match="no 'log2fc' column"):
        read_de_table(neither, "P1", genes)


def test_signature_with_entrez_and_symbol_columns_reads_as_is(tmp_path, genes, caplog):
    # A STARGEO meta-analysis signature, columns as published: Entrez wins over the symbol,
    # the symbol fills an empty Entrez cell, untested rows (no statistic at all) are left out.
    path = _write(
        tmp_path,
        "symbol\tentrez\teffect\tz\tp\tdirection\n"
        "TNF\t7124\t0.3\t4.0\t0.0001\tup\n"
        "IL6\t\t-0.2\t-3.0\t0.003\tdown\n"
        "STAT3\t6774\t\t\t\tdown\n"
        "TP53\t7157\t0.01\t0.5\t0.6\tup\n",
    )
    with caplog.at_level(logging.WARNING):
        profile = read_de_table(path, "P1", genes)
    # BH over the three tested rows: 0.0003, 0.0045, 0.6
    assert [(c.entrez, c.zscore, c.padj) for c in profile.changes] == [
        ("7124", 4.0, pytest.approx(0.0003)),
        ("3569", -3.0, pytest.approx(0.0045)),
    ]
    assert "1 row(s) with no statistic at all" in caplog.text


def test_rows_naming_one_gene_by_two_names_are_said_with_the_names(tmp_path, genes, caplog):
    """GX is an alias of GA (as GCN1L1 of GCN1): before, the vector of every tested gene kept
    one of the two rows and nothing was said (128 such rows in an 11,000-gene table)."""
    path = _write(
        tmp_path,
        "gene\tlog2FoldChange\tpadj\nGA\t-0.5\t0.6\nGX\t1.9\t0.001\nGB\t1.0\t0.9\nGB\t1.1\t0.8\n",
    )
    every: list = []
    with caplog.at_level(logging.WARNING):
        read_de_table(path, "P1", genes, every=every)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [m for m in warned if "duplicate" in m] == [
        "de.tsv: 2 duplicate row(s) for the same gene were set aside before any threshold, "
        "keeping the smallest padj, then the largest |log2fc|, then the first; 1 of them name "
        "the gene of an earlier row by another symbol or alias (GX = GA)"
    ]
    assert {c.entrez: c.log2fc for c in every} == {"1": 1.9, "2": 1.1}
