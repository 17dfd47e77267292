"""The algorithm audit (``python -m benchmarks.algorithm_audit``) on this commit.

Every ranking method, every statistic of ``algorithms/stats.py`` and every public function of
the regulator, network and grouping modules has a formula, a DOI, a recorded seed when
stochastic and an oracle test (an independent implementation or a value computed by hand); the
audit's other gaps are listed by the script, not failed here.
"""

from __future__ import annotations

from benchmarks.algorithm_audit import MODULES, Row, audit, main

from medtwin.platform.ranking.registry import REGISTRY


def _rows() -> dict[str, Row]:
    return {r.name: r for r in audit()}


def test_every_ranking_method_and_statistic_is_audited_without_a_gap() -> None:
    rows = _rows()
    ranking = {n: r for n, r in rows.items() if n.startswith("ranking:")}
    assert len(ranking) == len(REGISTRY)
    stats = {n: r for n, r in rows.items() if n.startswith("algorithms.stats.")}
    assert set(stats) == {
        f"algorithms.stats.{f}"
        for f in ("auroc", "average_precision", "average_ranks", "bh_qvalues", "roc_curve")
    }
    gaps = {n: r.gaps() for n, r in {**ranking, **stats}.items() if r.gaps()}
    assert gaps == {}


NETWORK_MODULES = (
    "regulators", "regulator_centrality", "cell_regulators", "phenotype_module", "stratify",
    "stratify_features", "similar_patients", "twin_layout", "force_layout",
)  # fmt: skip
"""The regulator, network, layout and patient-grouping modules, checked against decoupler,
networkx, scipy and scikit-learn (``tests/unit/twin/test_regulator_oracles.py`` and others)."""


def test_every_regulator_network_and_grouping_function_is_audited_without_a_gap() -> None:
    """27 rows; on main before these oracle tests, 25 had a gap (no oracle test, and the
    layouts and similar patients no formula or DOI)."""
    rows = [r for r in audit() if r.name.split(".")[0] in NETWORK_MODULES]
    assert len(rows) == 27
    assert {r.name: r.gaps() for r in rows if r.gaps()} == {}


def test_the_audit_finds_a_gap_where_there_is_one() -> None:
    bare = Row(name="x", formula="-", doi="M", seed="NO", oracle="doctest")
    assert bare.gaps() == ["formula", "seed", "oracle"]
    assert Row("y", "F", "F", "seed", "doctest (hand)").gaps() == ["seed recorded"]
    rows = _rows()
    # a known gap stays visible: the pathway cores' symbol list has no formula, DOI or oracle
    # test (the force layout was the example until its oracle tests and reference came)
    assert rows["pathway_cores.core_symbols"].gaps() == ["formula", "doi", "oracle"]
    assert rows["force_layout.near_force_layout"].gaps() == []
    assert "algorithms.proximity.proximity" in rows
    assert "regulators.patient_activity" in rows
    assert "stratify" in MODULES


def test_main_prints_the_table_and_the_summary(capsys) -> None:
    assert main(["--gaps"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("algorithm")
    assert "algorithms; without a formula" in out
    assert "ranking:" not in out  # no ranking method has a gap


STATISTICS_AND_EVIDENCE = (
    *(
        f"algorithms.{name}"
        for name in (
            "agreement.permutation_p",
            "concordance.bootstrap_own_swapped",
            "concordance.bootstrap_stratified",
            "concordance.harrell_c_gain_form",
            "concordance.kendall_tau_b_gain_form",
            "concordance.reassignment_gain_test",
            "concordance.swapped_kendall_tau_b",
            "controls.bootstrap_mean_test",
            "controls.reassignment_without_each",
            "controls.sign_flip_without_each",
            "coverage.centrality_coverage",
            "direction.action_direction",
            "direction.direction_word",
            "disruption.module_disruption",
            "modules.module_significance",
            "nulls.degree_bins",
            "nulls.sample_matched",
            "proximity.closest_distance",
        )
    ),
    *(f"gene_evidence.{f}" for f in ("change_evidence", "driver_calls", "driver_evidence")),
    *(f"gene_evidence.{f}" for f in ("driver_words", "gene_statistics")),
    "biomarkers.impact_of",
    "biomarkers.suggest_biomarkers",
    "cooccurrence.phenotype_cooccurrence",
    "cooccurrence.symptom_cooccurrence",
)
"""Statistics, network measures and evidence functions checked against an independent
implementation, an exact enumeration or a hand-computed case (``test_*_oracles.py``)."""


def test_the_statistics_and_evidence_functions_keep_an_oracle_test() -> None:
    rows = _rows()
    missing = {
        n: rows[n].oracle for n in STATISTICS_AND_EVIDENCE if rows[n].oracle in {"-", "doctest"}
    }
    assert missing == {}


def test_an_exact_count_and_networkx_neighbours_are_oracles() -> None:
    from benchmarks.algorithm_audit import ORACLE_MARKERS

    # every permutation counted (a p's exact value) and networkx's neighbours are independent
    assert ORACLE_MARKERS.search("def test_p_equals_the_exact_count_of_a_small_case")
    assert ORACLE_MARKERS.search("    hood = {u for t in targets for u in nx.neighbors(g, t)}")
    assert not ORACLE_MARKERS.search("def test_p_is_seeded(): assert f(seed=1) == f(seed=1)")
