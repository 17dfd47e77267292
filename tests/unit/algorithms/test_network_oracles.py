"""Oracles of the network measures: closest distance, degree bins and matched sampling, module
significance and disruption, centrality coverage, action direction.

Each is compared with networkx (shortest paths, connected components, neighbours) on seeded
random graphs, with a hand-computed toy case, or — for the degree-matched nulls — with the
exact null distribution: on a cycle every node has degree 2, so a matched random set is a
uniform random subset, and all subsets are enumerated here.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.stats import chisquare

from medtwin.platform.algorithms.coverage import centrality_coverage
from medtwin.platform.algorithms.direction import action_direction, direction_word
from medtwin.platform.algorithms.disruption import module_disruption
from medtwin.platform.algorithms.modules import module_significance
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.nulls import degree_bins, sample_matched, signature_rng
from medtwin.platform.algorithms.proximity import closest_distance

from .conftest import network_of

SEEDS = range(10)


def _random_connected(seed: int, n: int = 40, p: float = 0.08) -> nx.Graph:
    graph = nx.gnp_random_graph(n, p, seed=seed)
    return graph.subgraph(max(nx.connected_components(graph), key=len)).copy()


def _lcc_size_nx(graph: nx.Graph, nodes) -> int:
    sub = graph.subgraph(nodes)
    return max((len(c) for c in nx.connected_components(sub)), default=0)


# ---- closest distance ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_closest_distance_equals_networkx_shortest_paths(seed: int) -> None:
    graph = _random_connected(seed)
    net = network_of(graph)
    nodes = list(graph.nodes)
    dist = np.zeros((net.n_nodes, net.n_nodes), dtype=np.uint8)
    for u, lengths in nx.all_pairs_shortest_path_length(graph):
        for v, d in lengths.items():
            dist[net.index[str(u)], net.index[str(v)]] = d
    rng = np.random.default_rng(seed)
    for _ in range(5):
        genes = rng.choice(nodes, size=int(rng.integers(1, 6)), replace=False)
        targets = rng.choice(nodes, size=int(rng.integers(1, 6)), replace=False)
        # d_c = mean over targets of the shortest path to the nearest gene
        expected = np.mean(
            [min(nx.shortest_path_length(graph, g, t) for g in genes) for t in targets]
        )
        got = closest_distance(
            dist,
            np.array([net.index[str(g)] for g in genes]),
            np.array([net.index[str(t)] for t in targets]),
        )
        assert got == pytest.approx(expected, abs=1e-12)


# ---- degree bins and matched sampling -------------------------------------------------------


@pytest.mark.parametrize(
    ("bin_size", "low", "high", "members"),
    [
        # degrees: hub 4, a 2, b 2, c 1, d 1 (hub-a, hub-b, hub-c, hub-d, a-b)
        (1, (1, 2, 4), (1, 2, 4), [{"c", "d"}, {"a", "b"}, {"hub"}]),
        # {c, d} holds 2; {a, b} holds 2; {hub} holds 1 < 2 and merges into the bin before
        (2, (1, 2), (1, 4), [{"c", "d"}, {"a", "b", "hub"}]),
        # degrees 1 and 2 make 4 >= 3 nodes; {hub} alone is too small and merges
        (3, (1,), (4,), [{"a", "b", "c", "d", "hub"}]),
        (9, (1,), (4,), [{"a", "b", "c", "d", "hub"}]),  # fewer nodes than bin_size: one bin
    ],
)
def test_degree_bins_hand_computed(bin_size, low, high, members) -> None:
    net = Network.from_edges([("hub", "a"), ("hub", "b"), ("hub", "c"), ("hub", "d"), ("a", "b")])
    bins = degree_bins(net, bin_size)
    assert bins.low == low
    assert bins.high == high
    assert [{net.nodes[i] for i in m} for m in bins.members] == members


@pytest.mark.parametrize(("n_pick", "seed"), [(1, 0), (4, 1), (12, 2), (60, 3), (150, 4)])
def test_sample_matched_draws_each_node_from_its_own_degree_bin(n_pick: int, seed: int) -> None:
    graph = nx.barabasi_albert_graph(300, 2, seed=seed)
    net = network_of(graph)
    bins = degree_bins(net, 40)
    degree = {str(v): d for v, d in graph.degree()}  # networkx's degrees, not the network's
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(net.n_nodes, size=n_pick, replace=False))
    sig = tuple(sorted(bins.bin_of[chosen].tolist()))
    samples = sample_matched(bins, sig, 400, signature_rng(seed, 1, sig))
    assert samples.shape == (400, n_pick)
    for j, b in enumerate(sig):  # column j matches an original node of bin b
        got = np.array([degree[net.nodes[i]] for i in samples[:, j]])
        assert ((got >= bins.low[b]) & (got <= bins.high[b])).all()
    assert all(len(set(row)) == n_pick for row in samples.tolist())  # no node twice in a set


@pytest.mark.parametrize("picks", [2, 5, 20])  # rejection sampling (2, 5) and exact keys (20)
def test_sample_matched_is_uniform_within_a_bin(picks: int) -> None:
    # a cycle of 40: one bin; every node should be drawn picks/40 of the time
    net = network_of(nx.cycle_graph(40))
    bins = degree_bins(net, 10)
    assert len(bins.members) == 1
    sig = (0,) * picks
    samples = sample_matched(bins, sig, 4000, signature_rng(3, 1, sig))
    counts = np.bincount(samples.ravel(), minlength=40)
    assert chisquare(counts).pvalue > 1e-3  # scipy's chi-square test of equal frequencies
    # and each pair of columns is a uniform pair of distinct nodes (no column order bias)
    first = np.bincount(samples[:, 0], minlength=40)
    assert chisquare(first).pvalue > 1e-3


# ---- module significance: the LCC against networkx, the null against all subsets ----------


@pytest.mark.parametrize("seed", SEEDS)
def test_module_lcc_equals_networkx_largest_component(seed: int) -> None:
    graph = nx.gnp_random_graph(60, 0.05, seed=seed)
    graph.remove_nodes_from(list(nx.isolates(graph)))
    net = network_of(graph)
    rng = np.random.default_rng(seed)
    genes = [str(v) for v in rng.choice(list(graph.nodes), size=15, replace=False)]
    weights = {g: float(w) for g, w in zip(genes, rng.permutation(15), strict=True)}
    result = module_significance(net, genes, n_samples=20, bin_size=10, seed=seed, weights=weights)
    components = list(nx.connected_components(graph.subgraph(int(g) for g in genes)))
    largest = max(len(c) for c in components)
    # among the largest components, the one holding the heaviest gene (distinct weights)
    best = max(
        (c for c in components if len(c) == largest), key=lambda c: max(weights[str(v)] for v in c)
    )
    assert result.lcc_size == largest
    assert set(result.lcc_genes) == {str(v) for v in best}


@pytest.mark.parametrize(("n", "module"), [(12, ["0", "1", "2", "6"]), (30, ["0", "1", "5"])])
def test_module_significance_null_equals_all_subsets_of_a_cycle(n: int, module) -> None:
    graph = nx.cycle_graph(n)
    net = network_of(graph)
    # the exact null: the LCC size (networkx components, _lcc_size_nx) of every subset of
    # len(module) nodes, each as likely
    null = np.array(
        [_lcc_size_nx(graph, s) for s in itertools.combinations(graph.nodes, len(module))]
    )
    observed = _lcc_size_nx(graph, [int(g) for g in module])
    r = module_significance(net, module, n_samples=4000, bin_size=5, seed=2)
    assert r.lcc_size == observed
    se = null.std() / math.sqrt(4000)
    assert abs(r.mu - null.mean()) < 4 * se
    assert r.sigma == pytest.approx(null.std(), rel=0.05)
    assert r.z == pytest.approx((observed - null.mean()) / null.std(), abs=0.15)
    assert r.p == pytest.approx((null >= observed).mean(), abs=0.025)


# ---- module disruption: loss against networkx, null against all target sets of a cycle -------


@pytest.mark.parametrize("seed", SEEDS)
def test_disruption_loss_equals_networkx_components(seed: int) -> None:
    graph = nx.gnp_random_graph(50, 0.07, seed=seed)
    graph.remove_nodes_from(list(nx.isolates(graph)))
    net = network_of(graph)
    rng = np.random.default_rng(seed)
    nodes = list(graph.nodes)
    module = [int(v) for v in rng.choice(nodes, size=14, replace=False)]
    targets = [int(v) for v in rng.choice(module + nodes[:5], size=3, replace=False)]
    r = module_disruption(
        net, map(str, module), map(str, targets), n_samples=10, bin_size=10, seed=seed
    )
    before = max(len(c) for c in nx.connected_components(graph.subgraph(module)))
    left = graph.subgraph(set(module) - set(targets))
    after = max((len(c) for c in nx.connected_components(left)), default=0)
    assert (r.lcc_before, r.lcc_after, r.loss) == (before, after, before - after)


def test_disruption_null_equals_all_target_pairs_of_a_cycle() -> None:
    graph = nx.cycle_graph(14)
    net = network_of(graph)
    module = list(range(9))  # a path of 9 on the cycle
    before = _lcc_size_nx(graph, module)
    # the exact null (networkx components, _lcc_size_nx): every pair of distinct nodes as the
    # targets, each as likely
    null = np.array(
        [
            before - _lcc_size_nx(graph, set(module) - set(t))
            for t in itertools.combinations(range(14), 2)
        ]
    )
    r = module_disruption(
        net, map(str, module), ["4", "11"], n_samples=1000, bin_size=5, seed=6
    )  # 4 cuts the path in half (LCC 9 -> 4), 11 is outside
    assert r.loss == 5
    se = null.std() / math.sqrt(1000)
    assert abs(r.mu - null.mean()) < 4 * se
    assert r.sigma == pytest.approx(null.std(), rel=0.1)
    tail = (null >= 5).mean()  # Monte Carlo SE of p: sqrt(tail (1 - tail) / 1000) <= 0.016
    assert r.p == pytest.approx(tail, abs=4 * math.sqrt(tail * (1 - tail) / 1000) + 1e-3)


# ---- centrality coverage against networkx neighbours -----------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_centrality_coverage_equals_networkx_neighbourhood_sums(seed: int) -> None:
    graph = _random_connected(seed, n=30, p=0.1)
    net = network_of(graph)
    rng = np.random.default_rng(seed)
    nodes = [str(v) for v in graph.nodes]
    scored = rng.choice(nodes, size=len(nodes) * 2 // 3, replace=False)
    scores = {v: float(rng.random()) for v in scored} | {"outside": 0.5}  # a score off the net
    targets = [*rng.choice(nodes, size=4).tolist(), "missing", nodes[0], nodes[0]]
    r = centrality_coverage(net, scores, targets)
    total = sum(scores.values())
    distinct = set(targets)
    hood = distinct | {str(u) for t in distinct if t in nodes for u in nx.neighbors(graph, int(t))}
    assert r.target_share == pytest.approx(sum(scores.get(t, 0.0) for t in distinct) / total)
    assert r.neighbourhood_share == pytest.approx(sum(scores.get(v, 0.0) for v in hood) / total)
    assert r.n_targets == len(distinct)
    assert r.n_targets_scored == sum(t in scores for t in distinct)
    assert r.n_neighbourhood_scored == sum(v in scores for v in hood)


# ---- action direction and its word ------------------------------------------------------------


def test_action_direction_hand_computed() -> None:
    # A inhibited and up 2 (+1), B activated and up 1 (-1), C inhibited and down 0.5 (-1),
    # D activated and down 3 (+1), E unknown action, F no change, G change NaN, H not measured.
    actions = {"A": -1, "B": 1, "C": "inhibitor", "D": "agonist", "E": 0, "F": -1, "G": 1, "H": 1}
    changes = {"A": 2.0, "B": 1.0, "C": -0.5, "D": -3.0, "E": 4.0, "F": 0.0, "G": math.nan}
    r = action_direction(actions, changes)
    assert (r.n_counteracting, r.n_aggravating, r.n_known, r.n_targets) == (2, 2, 4, 8)
    assert r.score == 0.0
    # weighted: (2 - 1 - 0.5 + 3) / (2 + 1 + 0.5 + 3) * 4 / 5
    assert r.weighted == pytest.approx(3.5 / 6.5 * 4 / 5)


@pytest.mark.parametrize("seed", SEEDS)
def test_action_direction_equals_a_pandas_computation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 25))
    targets = [f"T{i}" for i in range(n)]
    words = {-1: -1, 0: 0, 1: 1, "inhibitor": -1, "antagonist": -1, "agonist": 1, "unknown": 0}
    keys = list(words)
    actions = {t: keys[int(rng.integers(len(keys)))] for t in targets}
    lfc = np.round(rng.normal(size=n), 1)  # some exact zeros
    lfc[rng.random(n) < 0.15] = np.nan
    measured = {t: float(v) for t, v in zip(targets, lfc, strict=True) if rng.random() < 0.9}
    frame = pd.DataFrame({"a": [words[actions[t]] for t in targets]}, index=targets)
    frame["l"] = pd.Series(measured)
    known = frame[(frame.a != 0) & frame.l.notna() & (frame.l != 0)]
    s = -known.a * np.sign(known.l)
    r = action_direction(actions, measured)
    assert r.n_known == len(known)
    assert r.n_counteracting == int((s > 0).sum())
    assert r.n_aggravating == int((s < 0).sum())
    if known.empty:
        assert r.score is None
        assert r.weighted is None
    else:
        k = len(known)
        assert r.score == pytest.approx(s.mean())
        assert r.weighted == pytest.approx(
            (s * known.l.abs()).sum() / known.l.abs().sum() * k / (k + 1)
        )


@pytest.mark.parametrize(
    ("score", "word"),
    [
        (1.0, "counteracts"),
        (1e-9, "counteracts"),
        (-0.25, "aggravates"),
        (0.0, "mixed"),
        (-0.0, "mixed"),
        (None, "unknown"),
        (math.nan, "unknown"),
    ],
)
def test_direction_word_hand_computed_table(score, word) -> None:
    assert direction_word(score) == word
    assert direction_word(score, computed=False).startswith("not computed")
