from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medtwin.platform.algorithms.distances import (
    UNREACHABLE,
    all_pairs_distances,
    load_or_compute,
)
from medtwin.platform.algorithms.network import Network

from .conftest import network_of


def reference(net: Network) -> np.ndarray:
    g = net.to_networkx()
    out = np.full((net.n_nodes, net.n_nodes), UNREACHABLE, dtype=np.uint8)
    for u, lengths in nx.all_pairs_shortest_path_length(g):
        for v, d in lengths.items():
            out[net.index[u], net.index[v]] = d
    return out


@pytest.mark.parametrize(
    "graph",
    [
        nx.path_graph(12),
        nx.star_graph(7),
        nx.cycle_graph(9),
        nx.disjoint_union(nx.path_graph(4), nx.complete_graph(3)),
        nx.gnm_random_graph(700, 1400, seed=1),  # > one 512-source block, several components
    ],
    ids=["path", "star", "cycle", "two-components", "random-700"],
)
@pytest.mark.parametrize("workers", [1, 2])
def test_matches_networkx(graph, workers):
    net = network_of(graph)
    dist = all_pairs_distances(net, n_workers=workers)
    assert dist.dtype == np.uint8
    np.testing.assert_array_equal(dist, reference(net))


def test_isolated_nodes_of_a_subnetwork():
    net = network_of(nx.path_graph(5)).subnetwork(np.array([0, 2, 3]))
    dist = all_pairs_distances(net)
    np.testing.assert_array_equal(dist, reference(net))


def test_cache_roundtrip_and_bad_file(tmp_path, path10):
    first = load_or_compute(path10, tmp_path)
    files = list(tmp_path.glob("distances-*.npy"))
    assert len(files) == 1
    assert files[0].name == f"distances-{path10.checksum[:16]}.npy"
    np.testing.assert_array_equal(load_or_compute(path10, tmp_path), first)
    np.save(files[0], np.zeros((2, 2), dtype=np.uint8))
    np.testing.assert_array_equal(load_or_compute(path10, tmp_path), first)
    assert not list(tmp_path.glob("*.tmp"))
