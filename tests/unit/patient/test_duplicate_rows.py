"""Several rows of one gene: the row is chosen first, the thresholds apply to it after.

Until stop 48 the readers applied the thresholds first and chose among the rows that passed, so
which row a gene kept depended on the thresholds, while the docstrings said a fixed rule:

* ``patient add-cohort`` (``cohort_profiles``): "the row with the highest mean in the reference
  set, never chosen by the patient's own value" — yet at ``--p-max 0.05`` a gene whose main
  probe did not pass took its change from a weaker probe that did (the patient's value chose);
  BH counted every probe, and the gene's entry in the vector of every tested gene came from the
  main probe while its change came from the other;
* a DE table (``read_de_table``): "the smallest padj, then the largest |log2fc|" — yet with
  ``min_abs_log2fc`` a gene kept the row of the largest change.

Hand-made files; the expected rows and p-values are worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy import stats

from medtwin.loaders.patient_tables import read_de_table, read_variants
from medtwin.platform.cohort_profiles import read_cohort
from medtwin.platform.inputs import InputOptions, read_inputs
from tests.unit.patient.conftest import FakeGenes

GENES = FakeGenes({"GA": "1", "GX": "1", "GB": "2", "GC": "3"})

# GA (main probe, mean 10) and GX (a second probe of gene 1, mean 5): the patient P1 is
# unremarkable on GA and far out on GX; GB and GC are one probe each.
MATRIX = (
    "gene\tC1\tC2\tC3\tC4\tC5\tP1\n"
    "GA\t10\t10.1\t9.9\t10.05\t9.95\t10.0\n"
    "GX\t5\t5.1\t4.9\t5.05\t4.95\t8\n"
    "GB\t3\t3.1\t2.9\t3.05\t2.95\t3.6\n"
    "GC\t7\t7.2\t6.8\t7.1\t6.9\t7.05\n"
)
SHEET = "sample\tgroup\n" + "".join(f"C{i}\thealthy\n" for i in range(1, 6)) + "P1\tRA\n"


def _cohort(tmp_path: Path, p_max: float):
    expression, sheet = tmp_path / "expr.tsv", tmp_path / "samples.tsv"
    expression.write_text(MATRIX)
    sheet.write_text(SHEET)
    (profile,) = read_cohort(expression, sheet, GENES, p_max=p_max)
    return profile


def _t(patient: float, controls: list[float]) -> float:
    """Crawford-Howell t by hand."""
    n = len(controls)
    mean = sum(controls) / n
    sd = (sum((x - mean) ** 2 for x in controls) / (n - 1)) ** 0.5
    return (patient - mean) / (sd * ((n + 1) / n) ** 0.5)


@pytest.mark.parametrize("p_max", [0.05, 0.5, 1.0])
def test_a_cohort_gene_takes_its_main_probe_whatever_the_p_filter(tmp_path, p_max):
    profile = _cohort(tmp_path, p_max)
    changes = {c.entrez: c for c in profile.changes}
    # gene 1 is the GA probe's (t = 0, p = 1) at every p_max: absent below p_max 1, 0.0 at 1;
    # before: at p_max 0.05 and 0.5 the GX probe's log2fc 3.0 (t 34.6)
    if p_max < 1.0:
        assert "1" not in changes
    else:
        assert changes["1"].log2fc == pytest.approx(0.0)
    assert profile.activity_stats[0].stats["1"] == pytest.approx(0.0)


def test_a_cohort_bh_counts_one_row_per_gene(tmp_path):
    profile = _cohort(tmp_path, 1.0)
    controls = {"GA": [10, 10.1, 9.9, 10.05, 9.95], "GB": [3, 3.1, 2.9, 3.05, 2.95],
                "GC": [7, 7.2, 6.8, 7.1, 6.9]}  # fmt: skip
    patient = {"GA": 10.0, "GB": 3.6, "GC": 7.05}
    p = {g: 2 * stats.t.sf(abs(_t(patient[g], controls[g])), df=4) for g in controls}
    ordered = sorted(p.values())
    # BH over the 3 genes (before: over the 4 rows, GX's p among them)
    q_b = min(ordered[0] * 3 / 1, ordered[1] * 3 / 2, ordered[2])
    assert p["GB"] == ordered[0]
    assert {c.entrez: c.padj for c in profile.changes}["2"] == pytest.approx(q_b)


def test_a_cohort_says_how_many_rows_were_collapsed(tmp_path):
    profile = _cohort(tmp_path, 0.05)
    assert [w for w in profile.warnings if "name the gene of another row" in w] == [
        "expr.tsv: 1 row(s) name the gene of another row (probes, synonyms): 1 gene(s) have "
        "several; each patient's change of such a gene comes from its row with the highest mean "
        "in the reference samples, chosen before the p/t/log2fc thresholds"
    ]  # before: nothing said


DE = (
    "gene\tlog2FoldChange\tpadj\n"
    "GA\t0.3\t0.01\n"  # gene 1: the smallest padj, a small change
    "GX\t2.0\t0.03\n"  # gene 1 again (an alias): a larger change, a larger padj
    "GB\t-1.5\t0.02\n"
)


@pytest.mark.parametrize(("min_abs_log2fc", "kept"), [(0.0, {"1": 0.3, "2": -1.5}),
                                                      (1.0, {"2": -1.5})])  # fmt: skip
def test_a_de_gene_keeps_its_smallest_padj_row_whatever_the_thresholds(
    tmp_path, min_abs_log2fc, kept
):
    path = tmp_path / "de.tsv"
    path.write_text(DE)
    every: list = []
    profile = read_de_table(path, "P1", GENES, min_abs_log2fc=min_abs_log2fc, every=every)
    # before, at min_abs_log2fc 1.0: {"1": 2.0, "2": -1.5}, the GX row
    assert {c.entrez: c.log2fc for c in profile.changes} == kept
    assert {c.entrez: c.log2fc for c in every} == {"1": 0.3, "2": -1.5}


@pytest.mark.parametrize("padj_max", [0.015, 0.05, 1.0])
def test_the_product_de_reader_keeps_the_same_row_and_says_the_duplicates(tmp_path, padj_max):
    path = tmp_path / "de.tsv"
    path.write_text(DE)
    ((_, profile),) = read_inputs("P1", {"de": path}, None, lambda: GENES,
                                  InputOptions(padj_max=padj_max))  # fmt: skip
    changes = {c.entrez: c.log2fc for c in profile.changes}
    assert changes.get("1", 0.3) == 0.3  # never the GX row
    assert [w for w in profile.warnings if "duplicate" in w] == [
        "de.tsv: 1 duplicate row(s) for the same gene were set aside before any threshold, "
        "keeping the smallest padj, then the largest |log2fc|, then the first; 1 of them name "
        "the gene of an earlier row by another symbol or alias (GX = GA)"
    ]


def test_rows_of_one_variant_keep_the_most_severe_consequence(tmp_path, caplog):
    """Variant rows carry no padj and log2fc 0: the DE rule kept the first row whatever its
    consequence and named padj and |log2fc| as the reason. Before: missense kept, that message."""
    table = tmp_path / "variants.tsv"
    table.write_text(
        "gene\tvariant_id\tconsequence\n"
        "GA\trs1\tmissense_variant\n"
        "GA\trs1\tstop_gained\n"
        "GA\trs1\tsynonymous_variant\n"
        "GB\trs2\tmissense_variant\n"
    )
    with caplog.at_level("WARNING"):
        profile = read_variants(table, "P1", GENES)
    kept = {c.variant_id: c.consequence for c in profile.changes}
    assert kept == {"rs1": "stop_gained", "rs2": "missense_variant"}
    (warning,) = [r.getMessage() for r in caplog.records if "duplicate row" in r.getMessage()]
    assert "2 duplicate row(s)" in warning
    assert "keeping the most severe consequence, then the first" in warning
    assert "padj" not in warning
