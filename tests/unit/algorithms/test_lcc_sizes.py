"""lcc_sizes (all null samples in one call) against networkx, one induced subgraph at a time."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medtwin.platform.algorithms.modules import lcc_sizes

from .conftest import network_of


def _networkx_lcc(g: nx.Graph, nodes: list[str]) -> int:
    sub = g.subgraph(nodes)
    return max((len(c) for c in nx.connected_components(sub)), default=0)


@pytest.mark.parametrize("block", [1, 7, 64])
def test_lcc_sizes_match_networkx_per_row(block):
    g = nx.powerlaw_cluster_graph(300, 2, 0.3, seed=5)  # hubs, like an interactome
    net = network_of(g)
    ref = net.to_networkx()
    rng = np.random.default_rng(4)
    rows = np.stack([rng.choice(net.n_nodes, 40, replace=False) for _ in range(60)])
    got = lcc_sizes(net, rows, rows_per_block=block)
    want = [_networkx_lcc(ref, [net.nodes[i] for i in row]) for row in rows]
    assert got.tolist() == want
    assert len(set(want)) > 3  # the rows differ: the check is not of one repeated value


def test_lcc_sizes_edge_cases():
    net = network_of(nx.path_graph(5))
    assert lcc_sizes(net, np.empty((0, 3), dtype=np.intp)).tolist() == []
    assert lcc_sizes(net, np.empty((2, 0), dtype=np.intp)).tolist() == [0, 0]
    idx = {n: i for i, n in enumerate(net.nodes)}
    rows = np.array([[idx["0"], idx["2"], idx["4"]], [idx["1"], idx["2"], idx["3"]]])
    assert lcc_sizes(net, rows).tolist() == [1, 3]


def test_lcc_sizes_row_by_row_path_matches(monkeypatch):
    from medtwin.platform.algorithms import modules

    g = nx.powerlaw_cluster_graph(200, 3, 0.2, seed=1)
    net = network_of(g)
    rng = np.random.default_rng(9)
    rows = np.stack([rng.choice(net.n_nodes, 30, replace=False) for _ in range(20)])
    blocked = lcc_sizes(net, rows)
    monkeypatch.setattr(modules, "_BLOCKED_MAX_ENTRIES", 0)
    assert lcc_sizes(net, rows).tolist() == blocked.tolist()
    ref = net.to_networkx()
    assert blocked.tolist() == [_networkx_lcc(ref, [net.nodes[i] for i in r]) for r in rows]
