"""DE tables and cohort patients keep every tested gene's statistic for the twin's activities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from medtwin.domain import TwinParams
from medtwin.loaders.patient_cohort import CohortMatrix
from medtwin.loaders.patient_rows import ActivityStats, GeneChange
from medtwin.loaders.patient_tables import read_de_table
from medtwin.platform import activity_inputs, cohort_profiles
from medtwin.platform.activity_inputs import NO_VECTOR, full_statistics, twin_statistics
from medtwin.platform.gene_evidence import gene_statistics
from medtwin.platform.inputs import InputOptions, read_input

DE = """gene\tlog2fc\tz\tp
TNF\t1.5\t4.5\t0.00001
CD4\t-1.2\t-3.8\t0.0001
IL6\t0.3\t1.1\t0.27
STAT3\t-0.1\t-0.4\t0.69
NOTAGENE\t0.2\t0.9\t0.37
"""


@pytest.fixture
def de_table(tmp_path: Path) -> Path:
    path = tmp_path / "p1_de.tsv"
    path.write_text(DE)
    return path


def test_de_input_keeps_every_tested_gene_as_the_harness_reads_it(de_table, genes) -> None:
    profile = read_input("de", de_table, "P1", genes, InputOptions())
    # the changes are the padj <= 0.05 rows, as before (BH over 5 raw p: TNF, CD4 pass)
    assert profile.changes == read_de_table(de_table, "P1", genes).changes
    assert {c.entrez for c in profile.changes} == {"7124", "920"}
    (vec,) = profile.activity_stats
    # every resolved row's z (hand-read from the table); the unmapped row has none
    assert vec.stats == {"7124": 4.5, "920": -3.8, "3569": 1.1, "6774": -0.4}
    assert (vec.statistic, vec.layer, vec.time_point) == ("de evidence", "expression", None)
    # benchmarks/validate_twins.py stargeo_activity_stats: the same reader, no padj filter
    harness = gene_statistics(read_de_table(de_table, "P1", genes, padj_max=None).changes)
    assert vec.stats == harness


def test_cap_keeps_the_largest_magnitudes_rounded(de_table, genes, monkeypatch) -> None:
    monkeypatch.setattr(activity_inputs, "MAX_STAT_GENES", 2)
    (vec,) = read_input("de", de_table, "P1", genes, InputOptions()).activity_stats
    assert vec.stats == {"7124": 4.5, "920": -3.8}
    assert activity_inputs.capped({"1": 1.23456, "2": -0.0004}) == {"1": 1.235, "2": -0.0}


def test_cohort_patient_keeps_every_gene_t_as_the_harness_reads_it() -> None:
    rng = np.random.default_rng(3)
    values = rng.normal(8.0, 1.0, size=(6, 5))
    values[0, 0] += 6.0  # one strong change of sample S0
    matrix = CohortMatrix(
        cohort="toy", expression_name="x.tsv", samples_name="s.tsv", group_column="group",
        samples=tuple(f"S{i}" for i in range(5)), groups=("case",) * 5,
        sheet_rows=tuple({} for _ in range(5)), values=values,
        entrez=("1", "2", "3", "3", "4", None), symbols=("A", "B", "C", "C2", "D", "X"),
        checksums={}, unmapped=("X",),
    )  # fmt: skip
    strict = list(cohort_profiles.cohort_profiles(matrix, control_label=None, p_max=0.05))
    every = list(cohort_profiles.cohort_profiles(matrix, control_label=None, p_max=1.0))
    for s, e in zip(strict, every, strict=True):
        (vec,) = s.activity_stats
        assert vec.statistic == "crawford_howell_t"
        harness = gene_statistics(e.changes)  # validate_icb.py: same reader, p_max = 1
        assert set(vec.stats) == set(harness) == {"1", "2", "3", "4"}
        assert vec.stats == pytest.approx(harness, abs=5e-4)
        assert len(s.changes) <= len(e.changes)


def _input(changes: list[GeneChange], vectors: list[ActivityStats] | None) -> dict[str, str]:
    row = {"changes_json": json.dumps({"changes": [c.model_dump(mode="json") for c in changes]})}
    if vectors is not None:
        row["activity_stats_json"] = json.dumps([v.model_dump(mode="json") for v in vectors])
    return row


def test_twin_statistics_reads_vectors_by_selection_never_changes() -> None:
    de = _input(
        [GeneChange(entrez="1", log2fc=1.0, zscore=3.0)],
        [ActivityStats(statistic="z", stats={"1": 3.0, "2": -0.5}),
         ActivityStats(statistic="z", time_point="t1", stats={"3": 9.0})],
    )  # fmt: skip
    prot = _input([GeneChange(entrez="2", log2fc=-2.0, layer="protein")], None)
    assert twin_statistics([prot], TwinParams()) is None  # no vector: no statistics at all
    assert twin_statistics([de], TwinParams()) == {"1": 3.0, "2": -0.5, "3": 9.0}
    assert twin_statistics([de], TwinParams(time_point="t1")) == {"3": 9.0}
    both = TwinParams(layers=("expression", "protein"), layer_weights={"expression": 0.5})
    # Before: the protein input's thresholded change joined the DE vector. Now a selected layer
    # without a vector of every measured gene leaves the twin without one, and says which input.
    stats, why = full_statistics([de, prot | {"name": "p.tsv", "kind": "proteins"}], both)
    assert stats is None
    assert why is not None
    assert "input p.tsv (proteins) keeps only its thresholded" in why
    # not selected (expression only): the protein input needs no vector; weights apply
    weighted = TwinParams(layers=("expression",), layer_weights={"expression": 0.5})
    assert twin_statistics([de, prot], weighted) == {"1": 1.5, "2": -0.25, "3": 4.5}


def test_variant_only_inputs_need_no_vector_and_no_vector_means_none() -> None:
    de = _input([GeneChange(entrez="1", log2fc=1.0, zscore=3.0)],
                [ActivityStats(statistic="z", stats={"1": 3.0, "2": -0.5})])  # fmt: skip
    vcf = _input([GeneChange(entrez="9", log2fc=0.0, layer="variant")], None)
    assert full_statistics([de, vcf], TwinParams()) == ({"1": 3.0, "2": -0.5}, None)
    stats, why = full_statistics([vcf], TwinParams())
    assert stats is None
    assert why == f"{NO_VECTOR}: the twin's inputs measure no gene in its layers"
    # a vector of another time point than the change's does not cover it
    late = _input([GeneChange(entrez="1", log2fc=1.0, time_point="t2")],
                  [ActivityStats(statistic="z", time_point="t1", stats={"1": 3.0})])  # fmt: skip
    assert full_statistics([late], TwinParams())[0] is None
