"""The disease-module LCC of ``algorithms/modules.py`` against networkx's connected components."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medtwin.platform.algorithms.modules import induced_lcc, lcc_sizes
from medtwin.platform.algorithms.network import Network


@pytest.mark.parametrize("seed", range(6))
def test_lcc_sizes_and_induced_lcc_equal_networkx_components(seed: int) -> None:
    g = nx.barabasi_albert_graph(150, 1 + seed % 3, seed=seed)
    net = Network.from_edges([(str(a), str(b)) for a, b in g.edges])
    rng = np.random.default_rng(seed)
    samples = np.array([rng.choice(len(net.nodes), size=25, replace=False) for _ in range(30)])
    expected = []
    for row in samples:
        sub = g.subgraph(int(net.nodes[i]) for i in row)
        expected.append(max(len(c) for c in nx.connected_components(sub)))
    assert lcc_sizes(net, samples).tolist() == expected
    for row, size in zip(samples[:10], expected[:10], strict=True):
        lcc = {int(net.nodes[i]) for i in induced_lcc(net, row)}
        assert len(lcc) == size
        sub = g.subgraph(int(net.nodes[i]) for i in row)
        assert lcc in [set(c) for c in nx.connected_components(sub)]  # one whole component
