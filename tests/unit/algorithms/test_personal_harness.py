"""The harness's personalisation table (benchmarks.personal) on a hand-made toy."""

from __future__ import annotations

import numpy as np
import pytest
from benchmarks.personal import POPULARITY, CaseScores, harness_methods, shows_gain

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
