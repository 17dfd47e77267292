"""The algorithm audit (``python -m benchmarks.algorithm_audit``) on this commit.

Every ranking method, every statistic of ``algorithms/stats.py`` and every public function of
the regulator, network and grouping modules has a formula, a DOI, a recorded seed when
stochastic and an oracle test (an independent implementation or a value computed by hand); the
audit's other gaps are listed by the script, not failed here.
"""

from __future__ import annotations

import inspect

from benchmarks.algorithm_audit import MODULES, Row, audit, main

from medtwin.platform.ranking.registry import REGISTRY


def _rows() -> dict[str, Row]:
    return {r.name: r for r in audit()}


NOT_ALGORITHMS = {
    "algorithms.distances.load_or_compute",
    "algorithms.network.warn_missing",
    "algorithms.network_file.read_arrays",
    "algorithms.network_file.write_network",
    "algorithms.network_lists.network_file",
    "algorithms.network_lists.read_lists",
    "algorithms.null_cache.cached_bins",
    "algorithms.null_cache.cached_samples",
    "algorithms.null_cache.clear",
    "endotypes.endotype_note",
    "pathway_cores.core_symbols",
}
"""Public functions of audited modules that compute nothing to cite: file and cache I/O, a
warning, a note's wording, a constant's keys, a read of stored results."""
WITHOUT_DOI = NOT_ALGORITHMS
WITHOUT_FORMULA = NOT_ALGORITHMS | {
    "algorithms.nulls.resolve_seed",  # a seed, or a fresh one
    "algorithms.nulls.signature_rng",  # a generator from (seed, role, bin signature)
}


def test_every_stochastic_algorithm_records_its_seed() -> None:
    """Every stochastic row of every audited module records its seed, or is one of the audit's
    named SEED_RECORDED_BY_CALLER. Before: 7 rows (permutation_p, the bootstraps,
    reassignment_gain_test, the nulls' helpers) returned bare tuples, floats or a dict without
    the seed; 0 now, in every module."""
    unrecorded = {n: r.seed for n, r in _rows().items() if r.seed in {"NO", "seed"}}
    assert unrecorded == {}


def test_the_rows_without_a_formula_or_a_doi_are_exactly_the_listed_ones() -> None:
    """A new function without a formula or a DOI fails here: cite it (or, for no algorithm, add
    it to NOT_ALGORITHMS); one that gained them fails too, until it leaves the lists, so the
    lists say what is true."""
    rows = _rows()
    assert {n for n, r in rows.items() if "doi" in r.gaps()} == WITHOUT_DOI
    assert {n for n, r in rows.items() if "formula" in r.gaps()} == WITHOUT_FORMULA


def test_the_functions_whose_caller_records_the_seed_are_named_and_say_why() -> None:
    from benchmarks.algorithm_audit import SEED_RECORDED_BY_CALLER

    rows = _rows()
    for name, why in SEED_RECORDED_BY_CALLER.items():
        assert rows[name].seed == "caller", name  # stochastic (a stale name would read "-")
        assert why
        module, _, function = name.rpartition(".")
        fn = getattr(__import__(f"medtwin.platform.{module}", fromlist=["x"]), function)
        assert "caller records the seed" in " ".join((inspect.getdoc(fn) or "").split()), name


def test_the_audit_follows_the_random_draws_into_the_functions_called() -> None:
    from benchmarks.algorithm_audit import RANDOM

    from medtwin.platform.regulator_centrality import in_process_centrality
    from medtwin.platform.twin_layout import twin_layout

    # neither draws in its own source: one calls networkx's Louvain two calls down, the other
    # a seeded start through an lru_cache'd helper; both were "-" (not stochastic) before
    for fn in (in_process_centrality, twin_layout):
        assert not RANDOM.search(inspect.getsource(fn))
    rows = _rows()
    assert rows["regulator_centrality.in_process_centrality"].seed == "seed+rec"
    assert rows["twin_layout.twin_layout"].seed == "caller"


def test_a_seed_handed_on_and_unpacked_is_no_record() -> None:
    """``bootstrap_mean_ci`` passed ``seed=seed`` to the test it unpacked into three floats, and
    the audit's ``seed=seed`` anywhere in the source counted that as recording it."""
    from benchmarks.algorithm_audit import _writes_seed

    handed_on = (
        "def f(x, seed):\n    mean, lo, hi, _ = g(x, seed=seed)\n    return (mean, lo, hi)\n"
    )
    assert not _writes_seed(handed_on)
    assert _writes_seed("def f(x, seed):\n    return Result(x, seed=seed)\n")
    assert _writes_seed("def f(store, seed):\n    store.save(props={'seed': seed})\n")


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
            "bootstrap.bootstrap_mean_test",
            "bootstrap.bootstrap_own_swapped",
            "bootstrap.bootstrap_stratified",
            "concordance.harrell_c_gain_form",
            "concordance.kendall_tau_b_gain_form",
            "concordance.swapped_kendall_tau_b",
            "concordance_reassignment.reassignment_gain_test",
            "coverage.centrality_coverage",
            "direction.action_direction",
            "direction.direction_word",
            "disruption.module_disruption",
            "modules.module_significance",
            "nulls.degree_bins",
            "nulls.sample_matched",
            "proximity.closest_distance",
            "reassignment.reassignment_without_each",
            "sign_flip.sign_flip_without_each",
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
