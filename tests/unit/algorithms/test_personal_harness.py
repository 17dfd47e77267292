"""The harness's personalisation table (benchmarks.personal) on a hand-made toy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from benchmarks.personal import (
    POPULARITY,
    CaseScores,
    correct_family,
    harness_methods,
    method_scores,
    shows_gain,
)

from medtwin.platform.algorithms.controls import holm
from medtwin.platform.algorithms.stats import auroc
from medtwin.platform.models import DrugScore
from medtwin.platform.ranking import REGISTRY


def _toy() -> CaseScores:
    cs = CaseScores(["a", "b", "c", "d"], np.array([True, True, False, True]))
    # case 1 likes a, case 2 likes d; the "own" ranker puts each case's drug first
    for name, pos, own in (("p1", {"a"}, "a"), ("p2", {"d"}, "d")):
        cs.add_case(name, pos)
        cs.add("own", {d: (1.0 if d == own else 0.0) for d in "abcd"})
        cs.add("same", {"a": 4.0, "b": 3.0, "c": 2.0, "d": 1.0}, kind="prior")
    return cs


def test_table_gain_hand_computed() -> None:
    rows = {r["ranker"]: r for r in _toy().table(seed=0, n_boot=100)}
    own = rows["own"]
    # own AUROC 1.0 in both cases; on the other case's ranking the positive ties with 2 of 3
    # negatives and beats none: (0 + 0.5 * 2) / 3 = 1/3
    assert own["auroc"] == 1.0
    assert own["swapped"] == pytest.approx(0.333, abs=1e-3)
    assert own["gain"] == pytest.approx(0.667, abs=1e-3)
    assert own["gain_ci"] == "[0.667, 0.667]"
    # within approved (a, b, d): swapped = (0 + 0.5) / 2 = 0.25
    assert own["swapped_approved"] == 0.25
    same = rows["same"]
    assert same["gain"] == 0.0
    assert same["auroc"] == pytest.approx((1.0 + 0.0) / 2)
    assert shows_gain(own)
    assert not shows_gain(same)


def test_popularity_leaves_the_case_out() -> None:
    cs = _toy()
    cs.table(seed=0, n_boot=10)
    pop = cs.scores[POPULARITY]
    # case 1 sees case 2's positive d only, and vice versa
    assert pop[0].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert pop[1].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_harness_methods_follow_the_registry() -> None:
    assert set(harness_methods()) == set(REGISTRY) - {"centrality"}


def test_growth_adjusted_removes_the_tumour_effect() -> None:
    from benchmarks.validate_twins import growth_adjusted

    # shrinkage = tumour growth effect + drug-specific part (median 0 per tumour)
    drug_part = {"x": -3.0, "y": 0.0, "z": 7.0}
    shrinkage = {
        p: {t: g + v for t, v in drug_part.items()} for p, g in (("A", 50.0), ("B", -20.0))
    }
    assert growth_adjusted(shrinkage) == {"A": drug_part, "B": drug_part}
    assert growth_adjusted({"C": {}}) == {}


def test_type_permutations_stay_within_tumour_type() -> None:
    from benchmarks.validate_twins import _type_permutations

    pids = ["a1", "b1", "a2", "b2", "a3"]
    types = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
    perms = _type_permutations(pids, types, 50, seed=3)
    assert len(perms) == 50
    for perm in perms:
        assert sorted(perm.tolist()) == list(range(5))
        assert all(types[pids[int(perm[i])]] == types[p] for i, p in enumerate(pids))
    # not all the identity, and reproducible from the seed
    assert any((perm != np.arange(5)).any() for perm in perms)
    again = _type_permutations(pids, types, 50, seed=3)
    assert all((a == b).all() for a, b in zip(perms, again, strict=True))


def test_permutation_test_hand_computed() -> None:
    from benchmarks.validate_twins import _permutation_test

    # two treatments x three permutations: permuted means 0.1, 0.1, 0.4
    null_95, p = _permutation_test(0.3, [[0.0, 0.1, 0.4], [0.2, 0.1, 0.4]])
    assert null_95 == pytest.approx(0.37)  # numpy's linear percentile of (0.1, 0.1, 0.4)
    assert p == pytest.approx(2 / 4)  # one permuted mean >= 0.3, plus the observed
    assert _permutation_test(0.5, [[0.0, 0.1, 0.4]])[1] == pytest.approx(1 / 4)
    assert all(math.isnan(v) for v in _permutation_test(float("nan"), [[0.1]]))


def test_icb_cohorts_are_found_in_any_folder_dev_order_first(tmp_path) -> None:
    from benchmarks.validate_icb import COHORTS, cohorts_in

    for name in ("Nathanson", "Van_Allen", "Riaz", "Gide"):
        (tmp_path / f"ICB_{name}_clinical.tsv").write_text("patientid\tresponse\n")
        (tmp_path / f"ICB_{name}_expr_log2tpm.tsv.gz").write_bytes(b"")
    (tmp_path / "ICB_Lonely_clinical.tsv").write_text("patientid\tresponse\n")  # no expression
    assert cohorts_in(tmp_path) == [*COHORTS, "Gide", "Riaz"]
    with pytest.raises(SystemExit, match="no ICB_"):
        cohorts_in(tmp_path / "nothing")


def test_each_icb_cohort_scores_the_drugs_of_its_own_treatment(tmp_path) -> None:
    from types import SimpleNamespace

    from benchmarks.validate_icb import (
        CHECKPOINT_ANTIBODIES,
        IPILIMUMAB,
        received_drugs,
        treatment_of,
    )

    from medtwin.loaders.drug_targets_custom import read_custom_targets
    from medtwin.platform.ranking import DrugTargets

    (tmp_path / "ICB_X_clinical.tsv").write_text(
        "patientid\ttreatment\nP1\tPD-1/PD-L1\nP2\t\nP3\tPD-1/PD-L1\nP4\tCTLA4\n"
    )
    assert treatment_of(tmp_path, "X") == "PD-1/PD-L1"  # the most frequent non-empty value
    ids = {"PDCD1": "5133", "CD274": "29126", "CTLA4": "1493"}
    ipi = {IPILIMUMAB: DrugTargets("Ipilimumab", ("1493",), ())}
    ref = SimpleNamespace(genes=SimpleNamespace(resolve=ids.get), candidates=ipi)
    antibodies = {
        "custom:nivolumab": DrugTargets("Nivolumab", ("5133",), ()),
        "custom:atezolizumab": DrugTargets("Atezolizumab", ("29126",), ()),
        "custom:other": DrugTargets("Other", ("1",), ()),
    }
    assert received_drugs("CTLA4", antibodies, ref) == [IPILIMUMAB]  # as before
    assert received_drugs("PD-1", antibodies, ref) == ["custom:nivolumab"]
    assert received_drugs("PD-1/PD-L1", antibodies, ref) == [
        "custom:atezolizumab",
        "custom:nivolumab",
    ]
    assert received_drugs("IO+combo", antibodies, ref) == []  # unknown: left out
    # the shipped table reads with the product's `rank --targets` reader
    rows = read_custom_targets(CHECKPOINT_ANTIBODIES)
    assert {r.gene for r in rows} == {"PDCD1", "CD274"}
    assert len(rows) == 6


def _degree_ranking() -> tuple[list[DrugScore], dict[str, float]]:
    """Four drugs by mean target degree 5, 3, 3, 1: b and c tie, the ranking put b first (id)."""
    degree = {"a": 5.0, "b": 3.0, "c": 3.0, "d": 1.0}
    scores = [
        DrugScore(rank=i, drug_id=d, drug_name=None, n_targets=1, n_targets_in_network=1,
                  combined=0.0, degree_baseline_rank=i)
        for i, d in enumerate(degree, start=1)
    ]  # fmt: skip
    return scores, degree


def test_degree_method_ties_share_their_mid_rank() -> None:
    # Before, the harness scored the degree method by -degree_baseline_rank, whose ties the
    # ranking breaks by drug id: c (tied with b) counted as worse than b, AUROC 1/3 for c.
    scores, degree = _degree_ranking()
    vals = method_scores(scores, degree)["degree"]
    assert vals == degree
    y = np.array([d == "c" for d in degree])
    # c ties with b (1/2) and beats d (1) among 3 negatives
    assert auroc([vals[d] for d in degree], y) == pytest.approx(1.5 / 3)
    # the same figure whichever of the tied drugs the labels name
    y_b = np.array([d == "b" for d in degree])
    assert auroc([vals[d] for d in degree], y_b) == auroc([vals[d] for d in degree], y)
    # without the values, the ranks (ties by id) as before
    assert method_scores(scores)["degree"] == {"a": -1.0, "b": -2.0, "c": -3.0, "d": -4.0}


def test_icb_positions_of_tied_drugs_are_their_mid_rank() -> None:
    # Before, (d) placed tied drugs by the ranking's order: b 0.625, c 0.375 for one value.
    from benchmarks.validate_icb import positions

    scores, degree = _degree_ranking()
    got = positions(method_scores(scores, degree)["degree"])
    assert got == {"a": 0.875, "b": 0.5, "c": 0.5, "d": 0.125}
    assert positions(dict(reversed(list(degree.items())))) == got


def test_table_gives_each_row_its_bootstrap_p_and_holm_adjusted_p() -> None:
    rows = {r["ranker"]: r for r in _toy().table(seed=0, n_boot=999)}
    own, same = rows["own"], rows["same"]
    # "own" gains 0.667 in both cases: no resample mean <= 0, p = 2 / (999 + 1)
    assert own["gain_p"] == pytest.approx(0.002)
    assert own["per_case_gain"] == pytest.approx({"p1": 2 / 3, "p2": 2 / 3})
    # "same" is a prior: outside the family; "own" is the only test (m = 1)
    assert own["gain_family"] == 1
    assert own["gain_p_adj"] == pytest.approx(0.002)
    assert same["gain_p_adj"] is None
    assert same["gain_family"] is None
    assert rows[POPULARITY]["gain_p"] is None


def test_family_counts_identical_rows_once_and_adjusts_by_holm() -> None:
    def row(name: str, kind: str, p: float, gains: dict[str, float]) -> dict[str, object]:
        return {"ranker": name, "kind": kind, "gain_p": p, "per_case_gain": gains,
                "gain_approved_p": None, "per_case_gain_approved": None}  # fmt: skip

    rows = [
        row("default", "default", 0.01, {"x": 0.1, "y": 0.2}),
        row("combo: same order", "combination", 0.01, {"x": 0.1, "y": 0.2}),
        row("method: a", "method", 0.04, {"x": 0.3, "y": -0.1}),
        row("method: b", "method", 0.03, {"x": 0.2, "y": 0.0}),
        row("prior: approval tier", "prior", 0.001, {"x": 0.0, "y": 0.0}),
    ]
    correct_family(rows)
    # three distinct tests (default = the combo): p 0.01, 0.03, 0.04 -> 0.03, 0.06, 0.06
    assert [r["gain_family"] for r in rows] == [3, 3, 3, 3, None]
    assert [r["gain_p_adj"] for r in rows] == pytest.approx([0.03, 0.03, 0.06, 0.06, None])
    assert all(r["gain_approved_p_adj"] is None for r in rows)


def test_table_gives_each_row_its_sign_flip_p_and_holm_adjusted_p() -> None:
    rows = {r["ranker"]: r for r in _toy().table(seed=0, n_boot=999)}
    own = rows["own"]
    # gains 2/3, 2/3: of the 4 sign patterns, ++ and -- reach |sum| 4/3: p = 2/4 (the
    # bootstrap p of the same two cases is 0.002: every resample mean is 2/3)
    assert own["gain_p_signflip"] == 0.5
    assert own["gain_p_signflip_adj"] == 0.5  # m = 1
    assert own["gain_approved_p_signflip"] == 0.5
    assert rows["same"]["gain_p_signflip_adj"] is None  # a prior: not in the family
    assert rows[POPULARITY]["gain_p_signflip"] is None  # no per-case gains


def test_family_adjusts_the_sign_flip_p_over_the_same_distinct_tests() -> None:
    from benchmarks.personal import add_sign_flip

    def row(name: str, kind: str, gains: dict[str, float]) -> dict[str, object]:
        return {"ranker": name, "kind": kind, "gain_p": 0.01, "per_case_gain": gains,
                "gain_approved_p": None, "per_case_gain_approved": None}  # fmt: skip

    rows = [
        row("default", "default", {"x": 0.1, "y": 0.2, "z": 0.3}),  # p 2/8
        row("combo: same order", "combination", {"x": 0.1, "y": 0.2, "z": 0.3}),
        row("method: a", "method", {"x": 1.0, "y": -1.0, "z": 2.0}),  # p 6/8
        row("prior: approval tier", "prior", {"x": 0.0, "y": 0.0, "z": 0.0}),
    ]
    add_sign_flip(rows, seed=0)
    correct_family(rows)
    assert [r["gain_p_signflip"] for r in rows] == [0.25, 0.25, 0.75, 1.0]
    # two distinct tests: Holm 2 x 0.25 = 0.5, max(0.5, 1 x 0.75) = 0.75
    assert [r["gain_p_signflip_adj"] for r in rows] == [0.5, 0.5, 0.75, None]
    assert [r["gain_family"] for r in rows] == [2, 2, 2, None]


def test_table_gives_each_row_its_reassignment_p_and_keeps_the_matrices(tmp_path) -> None:
    from benchmarks.personal import load_cross

    cs = _toy()
    rows = {r["ranker"]: r for r in cs.table(seed=0, n_boot=99)}
    own = rows["own"]
    # M = [[1, 1/3], [1/3, 1]]: the observed assignment gains 2/3, the swapped one -2/3; of the
    # 2 assignments one reaches 2/3 (p 1/2), both reach |2/3| (p 1)
    assert (own["gain_p_perm_greater"], own["gain_p_perm"]) == (0.5, 1.0)
    assert (own["gain_p_perm_greater_adj"], own["gain_p_perm_adj"]) == (0.5, 1.0)  # m = 1
    assert own["gain_approved_p_perm_greater"] == 0.5
    assert rows["same"]["gain_p_perm_adj"] is None  # a prior: not in the family
    assert rows[POPULARITY]["gain_p_perm"] is None  # no gain, no test
    path = tmp_path / "cross" / "b_personal.npz"
    cs.save_cross(path)
    names, cross = load_cross(path)
    assert names == ["p1", "p2"]
    cases, matrices = cross["own"]
    assert cases == [0, 1]
    assert matrices[""] == pytest.approx(np.array([[1.0, 1 / 3], [1 / 3, 1.0]]))
    assert matrices["_approved"] == pytest.approx(np.array([[1.0, 0.25], [0.25, 1.0]]))
    assert set(cross) == {"own", "same", POPULARITY}


def _part(gains: dict[str, dict[str, float]], ps: dict[str, float]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name, g in gains.items():
        kind = "default" if name == "default" else "combination" if "combo" in name else "method"
        rows.append(
            {"ranker": name, "kind": kind, "gain_p": ps[name], "per_case_gain": g,
             "gain_p_signflip": ps[name] / 2, "gain_p_perm": ps[name], "gain_p_perm_greater": None,
             "gain_approved_p": None, "per_case_gain_approved": None}
        )  # fmt: skip
    return rows


HOLM_FIELDS = ("gain_p_adj", "gain_family", "gain_p_signflip_adj", "gain_p_perm_adj")


def test_per_case_family_does_not_grow_with_a_later_methods_rows() -> None:
    # (a), (b), (c) per case: stop 53's two activity_reversal rows grew (b)'s m from 26 to 28
    declared_gains = {
        "default": {"x": 0.1, "y": 0.2},
        "method: proximity": {"x": 0.3, "y": -0.1},
        "combo: tier + degree + proximity + target_expression": {"x": 0.1, "y": 0.2},
        "method: reversal": {"x": 0.0, "y": 0.05},
    }
    ps = {"default": 0.01, "method: proximity": 0.04, "method: reversal": 0.03,
          "combo: tier + degree + proximity + target_expression": 0.01,
          "method: activity_reversal": 0.02,
          "combo: tier + proximity + activity_reversal": 0.03}  # fmt: skip
    before = _part(declared_gains, ps)
    correct_family(before)
    later_gains = {
        "method: activity_reversal": {"x": 0.2, "y": 0.0},
        # identical to method: reversal's gains: the same test, its adjusted p and m
        "combo: tier + proximity + activity_reversal": {"x": 0.0, "y": 0.05},
    }
    after = _part({**declared_gains, **later_gains}, ps)
    correct_family(after)
    for old, new in zip(before, after, strict=False):
        assert {f: new[f] for f in HOLM_FIELDS} == {f: old[f] for f in HOLM_FIELDS}
    assert before[0]["gain_family"] == 3  # default = the combination of its order: one test
    rows = {r["ranker"]: r for r in after}
    alone = rows["method: activity_reversal"]
    assert alone["gain_family"] == 4
    assert alone["gain_p_adj"] == pytest.approx(holm([0.01, 0.04, 0.03, 0.02])[-1])
    same = rows["combo: tier + proximity + activity_reversal"]
    assert same["gain_family"] == 3
    assert same["gain_p_adj"] == rows["method: reversal"]["gain_p_adj"]
