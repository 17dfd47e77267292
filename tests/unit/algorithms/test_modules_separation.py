from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.modules import induced_lcc, module_significance
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.separation import separation

from .conftest import network_of


def test_induced_lcc_matches_networkx():
    g = nx.gnm_random_graph(200, 300, seed=3)
    net = network_of(g)
    rng = np.random.default_rng(2)
    for _ in range(10):
        pick = rng.choice(net.n_nodes, 60, replace=False)
        ours = {net.nodes[i] for i in induced_lcc(net, pick)}
        sub = net.to_networkx().subgraph([net.nodes[i] for i in pick])
        assert len(ours) == len(max(nx.connected_components(sub), key=len))
        assert nx.is_connected(sub.subgraph(ours))


def test_module_significance_connected_block_is_significant(path10):
    net = network_of(nx.path_graph(40))
    r = module_significance(
        net, ["10", "11", "12", "13", "14", "30"], n_samples=300, bin_size=5, seed=2
    )
    assert r.lcc_genes == ("10", "11", "12", "13", "14")
    assert r.lcc_size == 5
    assert r.z_valid
    assert r.z > 3
    assert r.p < 0.01
    assert r == module_significance(
        net, ["10", "11", "12", "13", "14", "30"], n_samples=300, bin_size=5, seed=2
    )


def test_module_missing_and_empty(star):
    with pytest.warns(MissingNodesWarning, match="1 of 2 module genes"):
        r = module_significance(star, ["a", "zz"], n_samples=10, bin_size=1, seed=0)
    assert (r.n_genes, len(r.genes)) == (2, 1)
    with pytest.warns(MissingNodesWarning), pytest.raises(InputError, match="module genes"):
        module_significance(star, ["zz"], n_samples=10, seed=0)


def test_module_zero_sigma_flagged(star):
    r = module_significance(
        star, ["hub", "a", "b", "c", "d", "e"], n_samples=10, bin_size=1, seed=0
    )
    assert not r.z_valid
    assert math.isnan(r.z)


def brute_separation(graph: nx.Graph, a: list[str], b: list[str]) -> float:
    d = dict(nx.all_pairs_shortest_path_length(graph))

    def within(s: list[str]) -> float:
        return float(np.mean([min(d[x][y] for y in s if y != x) for x in s]))

    between = [min(d[x][y] for y in b) for x in a] + [min(d[y][x] for x in a) for y in b]
    return float(np.mean(between)) - (within(a) + within(b)) / 2


def test_separation_matches_brute_force():
    g = nx.relabel_nodes(nx.connected_watts_strogatz_graph(80, 4, 0.2, seed=1), str)
    net = Network.from_edges(g.edges())
    dist = all_pairs_distances(net)
    rng = np.random.default_rng(0)
    for _ in range(5):
        a = [str(x) for x in rng.choice(80, 6, replace=False)]
        b = [str(x) for x in rng.choice(80, 9, replace=False)]
        r = separation(dist, net, a, b)
        assert r.s_ab == pytest.approx(brute_separation(g, a, b))


def test_separation_of_identical_sets_is_negative(path10):
    dist = all_pairs_distances(path10)
    r = separation(dist, path10, ["2", "3", "4"], ["2", "3", "4"])
    assert r.d_ab == 0
    assert r.s_ab == -1.0


def test_separation_needs_two_genes(path10):
    with pytest.raises(InputError, match="set A"):
        separation(all_pairs_distances(path10), path10, ["1"], ["2", "3"])
