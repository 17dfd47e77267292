from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import t as student_t

from medtwin.errors import InputError, SourceFormatError
from medtwin.platform.cohort_profiles import read_cohort, reference_zscores


def test_reference_zscores_by_hand() -> None:
    reference = np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0], [1.0, 2.0, 4.0]])
    z, diff = reference_zscores(np.array([4.0, 9.0, 9.0]), reference)
    # gene 0: mean 2, sd 1; gene 1: sd 0 -> NaN; gene 2: mean 7/3, sd sqrt(7/3)
    assert diff.tolist() == pytest.approx([2.0, 4.0, 20 / 3])
    assert z[0] == pytest.approx(2.0)
    assert math.isnan(z[1])
    assert z[2] == pytest.approx((20 / 3) / math.sqrt(7 / 3))
    with pytest.raises(InputError, match=">= 2 reference samples"):
        reference_zscores(np.array([1.0]), np.array([[1.0]]))


def test_cohort_against_controls(data, genes, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        profiles = list(
            read_cohort(
                data / "cohort_expression.tsv",
                data / "cohort_samples.tsv",
                genes,
                control_label="healthy",
                cohort="toy",
            )
        )
    assert [p.patient_id for p in profiles] == ["S1", "S2", "S3"]
    got = {
        p.patient_id: [(c.entrez, c.symbol, c.log2fc, c.zscore) for c in p.changes]
        for p in profiles
    }
    # Crawford-Howell against 3 controls: t = z / sqrt(4/3), df 2 (p from scipy, independently).
    # GA and GX share Entrez 1 and both have control mean 2: the first row, GA, is gene 1's for
    # every patient, chosen before p_max (never by the patient's values). GA's t (S1: z 2, t 1.732,
    # p 0.225) and S2's GC (9 vs 1, 2, 4: z 4.364, t 3.779, p 0.063) are above p_max 0.05: no
    # patient keeps a change. Before stop 48 the first row *passing* won: GX (7 vs 1, 2, 3: t
    # 4.330, p 0.0494), a change of every patient.
    t_ga, t_gx = 2.0 / math.sqrt(4 / 3), 5.0 / math.sqrt(4 / 3)
    t_gc_s1 = -math.sqrt(7 / 3) / math.sqrt(4 / 3)
    p_ga, p_gc = (2 * student_t.sf(abs(t), 2) for t in (t_ga, t_gc_s1))
    p_gc_s2 = 2 * student_t.sf((20 / 3) / math.sqrt(7 / 3) / math.sqrt(4 / 3), 2)
    assert 2 * student_t.sf(t_gx, 2) < 0.05 < min(p_ga, p_gc_s2)
    assert got == {"S1": [], "S2": [], "S3": []}
    # BH over each patient's genes with a defined t, one row per gene (GB has sd 0, GX is set
    # aside): S1's p are GA 0.225, GC 0.317 -> q(GA) = min(2 p_GA, p_GC) = q(GC) = p_GC
    every = read_cohort(
        data / "cohort_expression.tsv", data / "cohort_samples.tsv", genes, p_max=1.0
    )
    s1 = {c.symbol: c for c in every[0].changes}
    assert sorted(s1) == ["GA", "GC"]
    assert s1["GA"].zscore == pytest.approx(t_ga)
    assert s1["GA"].padj == pytest.approx(min(2 * p_ga, p_gc))
    assert s1["GC"].padj == pytest.approx(p_gc)
    first = profiles[0]
    assert first.metadata == {
        "cohort": "toy",
        "comparison": "S1 vs 3 healthy samples",
        "reference": "controls",
        "n_reference": "3",
        "z_min": "0",
        "p_max": "0.05",
        "statistic": "crawford_howell_t",
        "group": "RA",
        "site": "London",
    }
    assert set(first.input_checksums) == {"cohort_expression.tsv", "cohort_samples.tsv"}
    assert first.unmapped == ()
    assert any("zero reference SD" in r.getMessage() for r in caplog.records)


def test_cohort_t_threshold(data, genes) -> None:
    # every p kept; gene 1 is GA's row (see above): S1's GA t 1.732, S2's GC t 3.779, the rest
    # below 1.4 in |t|
    t_ga = 2.0 / math.sqrt(4 / 3)
    t_gc_s2 = (20 / 3) / math.sqrt(7 / 3) / math.sqrt(4 / 3)
    files = (data / "cohort_expression.tsv", data / "cohort_samples.tsv", genes)
    kept = read_cohort(*files, z_min=t_ga - 1e-9, p_max=1.0)
    assert [[c.symbol for c in p.changes] for p in kept] == [["GA"], ["GC"], []]
    none = read_cohort(*files, z_min=t_gc_s2 + 1e-6, p_max=1.0)
    assert [len(p.changes) for p in none] == [0, 0, 0]


def test_cohort_leave_one_out(data, genes) -> None:
    profiles = list(
        read_cohort(
            data / "loo_expression.tsv",
            data / "loo_samples.tsv",
            genes,
            group_column="Pathotype",
            control_label=None,
        )
    )
    assert [p.patient_id for p in profiles] == ["A", "B", "C", "D"]
    assert [p.metadata["pathotype"] for p in profiles] == [
        "Lymphoid",
        "Myeloid",
        "Fibroid",
        "Lymphoid",
    ]
    assert profiles[0].metadata["reference"] == "leave_one_out"
    assert profiles[0].metadata["n_reference"] == "3"
    # A = 10 vs others 1, 2, 3: mean 2, sd 1 -> z 8, t = 8 / sqrt(4/3), p (df 2) = 0.020;
    # B = 1 vs 10, 2, 3: z = -4 / sqrt(19), far from significant
    assert [(c.entrez, c.zscore, c.log2fc) for c in profiles[0].changes] == [
        ("1", pytest.approx(8.0 / math.sqrt(4 / 3)), 8.0)
    ]
    assert [p.changes for p in profiles[1:]] == [(), (), ()]
    b = list(
        read_cohort(
            data / "loo_expression.tsv",
            data / "loo_samples.tsv",
            genes,
            group_column="Pathotype",
            control_label=None,
            z_min=0.0,
            p_max=1.0,
        )
    )[1]
    assert b.changes[0].zscore == pytest.approx(-4 / math.sqrt(19) / math.sqrt(4 / 3))


def test_cohort_malformed_value_names_line(data, genes) -> None:
    with pytest.raises(SourceFormatError) as info:
        list(
            read_cohort(
                data / "cohort_expression_malformed.tsv", data / "cohort_samples.tsv", genes
            )
        )
    assert info.value.line == 3
    assert "'abc'" in str(info.value)


def test_cohort_missing_values_give_no_change(tmp_path: Path, data, genes, caplog) -> None:
    # an empty or NA cell (cohorts as distributed often have some) is missing, not an error:
    # the gene has no t wherever the missing value enters the comparison
    expr = tmp_path / "e.tsv"
    expr.write_text(
        "gene_symbol\tS1\tS2\tS3\tC1\tC2\tC3\n"
        "GA\t4.0\t2.0\t2.5\t1.0\t2.0\t3.0\n"
        "GB\t9.0\t5.0\tNA\t5.0\t5.1\t4.9\n"
        "GC\t1.0\t\t1.0\t1.0\t1.1\t0.9\n"
    )
    with caplog.at_level(logging.WARNING):
        profiles = {
            p.patient_id: p
            for p in read_cohort(expr, data / "cohort_samples.tsv", genes, p_max=1.0)
        }
    assert "2 empty/NA value(s)" in caplog.text
    genes_of = {pid: {c.entrez for c in p.changes} for pid, p in profiles.items()}
    assert genes_of["S1"] == {"1", "2", "3"}  # GB: S1 = 9 vs controls ~5
    assert "2" not in genes_of["S3"]  # S3's own GB value is missing
    assert "3" not in genes_of["S2"]  # S2's own GC value is missing


def test_cohort_sample_sheet_mismatch(tmp_path: Path, data, genes) -> None:
    sheet = tmp_path / "s.tsv"
    sheet.write_text("sample\tgroup\nS1\tRA\nC1\thealthy\nC9\thealthy\n")
    with pytest.raises(SourceFormatError, match="matrix column 'S2'"):
        list(read_cohort(data / "cohort_expression.tsv", sheet, genes))
    matrix = tmp_path / "m.tsv"
    matrix.write_text("gene\tS1\tC1\nGA\t1\t2\n")
    with pytest.raises(SourceFormatError, match="'C9' is not a column") as info:
        list(read_cohort(matrix, sheet, genes))
    assert info.value.line == 4


def test_cohort_matrix_repeating_a_sample_column_is_refused(tmp_path: Path, genes) -> None:
    """cohE_expr_dupcol.tsv of the sweep: E-GSM389703 twice; the last copy was used silently."""
    sheet = tmp_path / "s.tsv"
    sheet.write_text("sample\tgroup\nS1\tRA\nS2\tRA\nC1\thealthy\nC2\thealthy\n")
    matrix = tmp_path / "cohE_expr_dupcol.tsv"
    matrix.write_text("gene\tS1\tS2\tC1\tC2\tS1\nGA\t1\t2\t3\t4\t9\n")
    with pytest.raises(SourceFormatError) as info:
        list(read_cohort(matrix, sheet, genes))
    assert info.value.line == 1
    assert "cohE_expr_dupcol.tsv:1: 1 sample column(s) repeated" in str(info.value)
    assert "'S1' in columns 2, 6" in str(info.value)
    assert "remove or rename the copies" in str(info.value)


def test_a_matrix_repeating_its_gene_column_is_refused(tmp_path: Path, genes) -> None:
    """Round 5: the copy was read as a sample, and the sample sheet was told to list it."""
    sheet = tmp_path / "s.tsv"
    sheet.write_text("sample\tgroup\nS1\tRA\nC1\thealthy\n")
    matrix = tmp_path / "m.tsv"
    matrix.write_text("gene_symbol\tS1\tC1\tgene_symbol\nGA\t1\t2\tGA\n")
    with pytest.raises(SourceFormatError) as info:
        list(read_cohort(matrix, sheet, genes))
    assert str(info.value) == (
        f"{matrix}:1: column 4 repeats the gene column's name 'gene_symbol'; a cohort matrix is "
        "one gene column, then one column per sample: remove or rename the copy"
    )


def test_a_header_ending_in_many_tabs_is_refused_in_one_short_line(tmp_path: Path, genes) -> None:
    """Round 5: 100,000 empty trailing columns (an export's trailing tabs) listed every number.

    The error listed each column of the repeated empty name: 689 kB here, 7.9 MB for a million.
    """
    sheet = tmp_path / "s.tsv"
    sheet.write_text("sample\tgroup\nS1\tRA\nC1\thealthy\n")
    matrix = tmp_path / "wide.tsv"
    tabs = "\t" * 100_000
    matrix.write_text(f"gene\tS1\tC1{tabs}\nGA\t1\t2{tabs}\n")
    with pytest.raises(SourceFormatError) as info:
        list(read_cohort(matrix, sheet, genes))
    said = str(info.value)
    assert "1 sample column(s) repeated: '' in columns 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, … " in said
    assert "(100,000 columns); which copy" in said
    assert len(said) < 400


def test_cohort_unknown_control_label_and_unmapped(tmp_path: Path, data, genes) -> None:
    with pytest.raises(InputError, match="groups are \\['RA', 'healthy'\\]"):
        list(
            read_cohort(
                data / "cohort_expression.tsv",
                data / "cohort_samples.tsv",
                genes,
                control_label="HC",
            )
        )
    matrix = tmp_path / "m.tsv"
    matrix.write_text(
        "gene\tS1\tS2\tS3\tC1\tC2\tC3\nGA\t4\t2\t2\t1\t2\t3\nNOPE\t1\t1\t1\t1\t2\t3\n"
    )
    profiles = list(read_cohort(matrix, data / "cohort_samples.tsv", genes))
    assert all(p.unmapped == ("NOPE",) for p in profiles)


def test_cohort_name_of_a_file_named_relative_to_the_working_folder(data, genes, monkeypatch):
    """`patient add-cohort --expression expr.tsv` run in the file's folder stored cohort ''."""
    monkeypatch.chdir(data)
    got = list(read_cohort(Path("cohort_expression.tsv"), Path("cohort_samples.tsv"), genes))
    assert {p.metadata["cohort"] for p in got} == {"patient"}  # the folder's name, as with a path
