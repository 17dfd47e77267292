"""target_expression: the targets' own statistics against the drug's action, degree-matched null."""

from __future__ import annotations

import math

import numpy as np

from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import Network
from medtwin.platform.ranking import DrugTargets, RankContext, rank_all
from medtwin.platform.ranking.target_expression_rank import (
    TargetExpressionParams,
    TargetExpressionRank,
    gene_bins,
)

PATH = Network.from_edges([(a, b) for a, b in zip("abcde", "bcdef", strict=True)])
STATS = {"a": 1.0, "b": 3.0, "c": -1.0, "d": 0.0, "e": 2.0, "f": 5.0, "zz": 9.0}
DRUGS = {
    "x": DrugTargets("x", ("b",), ("inhibit",)),
    "y": DrugTargets("y", ("f", "c"), ("inhibit", "activate")),
    "v": DrugTargets("v", ("b", "e"), ("activate", "unknown")),
    "w": DrugTargets("w", ("e",)),  # no known action
    "off": DrugTargets("off", ("zz",), ("inhibit",)),  # measured but not in the network
}


def _ctx(stats: dict[str, float], drugs: dict[str, DrugTargets] = DRUGS) -> RankContext:
    return RankContext(
        PATH, all_pairs_distances(PATH), ("a",), {}, {}, drugs, n_samples=20, gene_stats=stats
    )


def test_hand_computed_toy() -> None:
    # bins (bin_size 2): {a, f} degree 1, mean 3, variance 4; {b, c, d, e} degree 2, mean 1,
    # variance 2.5.
    # x inhibits b: S = 3, mu0 = 1, sigma0 = sqrt(2.5)
    # y inhibits f (+5) and activates c (-(-1) = +1): S = 3, mu0 = (3 - 1)/2, sigma0 = sqrt(6.5)/2
    # v activates b (-3); e's action is unknown: S = -3, mu0 = -1, sigma0 = sqrt(2.5)
    got = TargetExpressionRank(TargetExpressionParams(bin_size=2)).rank(_ctx(STATS), seed=0)
    assert set(got) == {"x", "y", "v"}  # w: no known action; off: no degree to match
    assert math.isclose(got["x"].value or 0, 2 / math.sqrt(2.5))
    assert math.isclose(got["y"].value or 0, 2 / (math.sqrt(6.5) / 2))
    assert math.isclose(got["v"].value or 0, -2 / math.sqrt(2.5))


def test_null_moments_match_a_sampled_null() -> None:
    # independent check: draw degree-matched genes from the patient's vector (with replacement)
    # and compare the z with the one from the sampled mean and SD
    rng = np.random.default_rng(0)
    net = Network.from_edges([(str(i), str(j)) for i in range(40) for j in (i + 1, i * 3 % 40)
                              if j != i and j < 40])  # fmt: skip
    stats = {str(i): float(v) for i, v in enumerate(rng.normal(0.3, 1.5, 40))}
    drug = DrugTargets("d", ("3", "17", "25"), ("inhibit", "activate", "inhibit"))
    ctx = RankContext(net, all_pairs_distances(net), (), {}, {}, {"d": drug}, gene_stats=stats)
    z = TargetExpressionRank(TargetExpressionParams(bin_size=8)).rank(ctx, seed=0)["d"].value
    genes = list(stats)
    bins = gene_bins(net.degrees[[net.index[g] for g in genes]], 8)
    x = np.array([stats[g] for g in genes])
    act = np.array([-1.0, 1.0, -1.0])
    pools = [x[bins == bins[genes.index(t)]] for t in drug.targets]
    draws = np.stack([rng.choice(p, size=200_000) for p in pools], axis=1)
    null = (-act * draws).mean(axis=1)
    s = float((-act * np.array([stats[t] for t in drug.targets])).mean())
    assert z is not None
    assert math.isclose(z, (s - null.mean()) / null.std(), abs_tol=0.02)


def test_personal_the_same_drug_flips_with_the_patient() -> None:
    method = TargetExpressionRank(TargetExpressionParams(bin_size=2))
    flipped = {g: -v for g, v in STATS.items()}
    a, b = method.rank(_ctx(STATS), seed=0), method.rank(_ctx(flipped), seed=0)
    for d in ("x", "y", "v"):
        assert math.isclose(a[d].value or 0, -(b[d].value or 0))
    assert (a["x"].value or 0) > 0 > (b["x"].value or 0)


def test_shift_of_the_whole_vector_changes_nothing() -> None:
    # the null is the patient's own vector: adding a constant to every gene leaves every z
    method = TargetExpressionRank(TargetExpressionParams(bin_size=2))
    shifted = {g: v + 7.0 for g, v in STATS.items()}
    a, b = method.rank(_ctx(STATS), seed=0), method.rank(_ctx(shifted), seed=0)
    assert {d: round(s.value or 0, 9) for d, s in a.items()} == {
        d: round(s.value or 0, 9) for d, s in b.items()
    }


def test_no_statistics_no_scores_and_seed_unused() -> None:
    method = TargetExpressionRank()
    assert method.rank(_ctx({}), seed=0) == {}
    assert method.rank(_ctx(STATS), seed=0) == method.rank(_ctx(STATS), seed=99)


def test_column_reaches_the_ranking() -> None:
    scores = rank_all(_ctx(STATS), ["proximity", "target_expression"], seed=0)
    by_id = {s.drug_id: s for s in scores}
    assert by_id["x"].target_expression is not None
    assert by_id["w"].target_expression is None
