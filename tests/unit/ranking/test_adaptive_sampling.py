"""Adaptive sampling of the proximity null: drugs at the p floor get more samples."""

from __future__ import annotations

import pytest

from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import Network
from medtwin.platform.ranking import DrugTargets, RankContext, get_method


def _ctx(n_samples: int) -> RankContext:
    net = Network.from_edges([(str(i), str(i + 1)) for i in range(199)])
    drugs = {"near": DrugTargets(None, ("100",)), "far": DrugTargets(None, ("0",))}
    return RankContext(net, all_pairs_distances(net), ("100",), {}, {}, drugs, n_samples)


def test_floor_drugs_are_resampled_and_report_their_samples() -> None:
    ctx = _ctx(10)
    plain = get_method("proximity", {"bin_size": 500}).rank(ctx, seed=4)
    assert {d: s.n_samples for d, s in plain.items()} == {"near": 10, "far": 10}
    # d_c = 0 for "near": a random pair meets only when target and module gene coincide
    # (1 in 200), so after 10 samples its p sits at the floor 1/11
    assert plain["near"].p == pytest.approx(1 / 11)
    adaptive = get_method("proximity", {"bin_size": 500, "max_samples": 1000}).rank(ctx, seed=4)
    assert adaptive["far"].n_samples == 10  # p ~ 1: never at the floor
    near = adaptive["near"]
    assert near.n_samples in (100, 1000)
    assert near.p is not None
    assert near.p < 1 / 11
    # pooled p is (1 + count) / (N + 1) with an integer count
    count = near.p * (near.n_samples + 1) - 1
    assert count == pytest.approx(round(count))
    # same seed, same answer
    again = get_method("proximity", {"bin_size": 500, "max_samples": 1000}).rank(ctx, seed=4)
    assert again == adaptive


def test_max_samples_below_first_round_changes_nothing() -> None:
    ctx = _ctx(10)
    a = get_method("proximity", {"bin_size": 500, "max_samples": 10}).rank(ctx, seed=4)
    b = get_method("proximity", {"bin_size": 500}).rank(ctx, seed=4)
    assert a == b
