"""The proximity screen's cached target nulls give the results of freshly drawn ones."""

from __future__ import annotations

import networkx as nx
import numpy as np

from medtwin.platform.algorithms import null_cache
from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.proximity_screen import screen

from .conftest import network_of


def test_screen_with_cached_nulls_equals_fresh_draws():
    net = network_of(nx.powerlaw_cluster_graph(150, 2, 0.3, seed=2))
    dist = all_pairs_distances(net)
    rng = np.random.default_rng(1)
    drugs = {f"D{i}": [net.nodes[j] for j in rng.choice(net.n_nodes, 1 + i % 3)] for i in range(30)}
    modules = [[net.nodes[j] for j in rng.choice(net.n_nodes, 12, replace=False)] for _ in range(2)]
    null_cache.clear()
    fresh = []
    for m in modules:  # each screen draws its target nulls anew
        null_cache.clear()
        fresh.append(screen(dist, net, m, drugs, n_samples=200, bin_size=10, seed=5))
    null_cache.clear()
    cached = [screen(dist, net, m, drugs, n_samples=200, bin_size=10, seed=5) for m in modules]
    assert cached == fresh
    assert fresh[0] != fresh[1]  # two modules, two result lists: the comparison can fail
    kept = list(null_cache._SAMPLES.values())
    assert kept
    assert all(not a.flags.writeable for a in kept)
    other = screen(dist, net, modules[0], drugs, n_samples=200, bin_size=10, seed=6)
    assert other != fresh[0]  # another seed is another key, not a cache hit


def test_cache_drops_least_recent_beyond_budget(monkeypatch):
    null_cache.clear()
    monkeypatch.setattr(null_cache, "MAX_BYTES", 3 * 800)
    for i in range(5):
        null_cache.cached_samples(("k", i), lambda: np.zeros((100, 1), dtype=np.intp))
    assert [k[1] for k in null_cache._SAMPLES] == [2, 3, 4]
    null_cache.clear()


def test_null_summary_equals_summarise_per_drug():
    from medtwin.platform.algorithms.null_stats import NullSummary
    from medtwin.platform.algorithms.proximity import _summarise

    rng = np.random.default_rng(3)
    for null in (
        rng.integers(1, 6, size=500) / 2,  # ties, as means of integer distances
        np.full(100, 2.0),  # sigma 0
    ):
        summary = NullSummary.of(null)
        for d in (0.5, 1.0, 2.0, 2.5, 3.0, 9.0):
            got, want = summary.at(d), _summarise(d, null)
            assert np.array_equal(np.array(got), np.array(want), equal_nan=True), (d, got, want)
