from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network


def test_from_edges_drops_self_loops_and_duplicates():
    net = Network.from_edges([("1", "2"), ("2", "1"), ("2", "2"), ("3", "3"), ("2", "3")])
    assert net.nodes == ("1", "2", "3")
    assert net.n_edges == 2
    assert net.degrees.tolist() == [1, 2, 1]
    assert net.adjacency.diagonal().sum() == 0
    assert (net.adjacency != net.adjacency.T).nnz == 0


def test_no_edges_is_input_error():
    with pytest.raises(InputError, match="no edges"):
        Network.from_edges([("1", "1")])


def test_largest_component_and_subnetwork():
    net = Network.from_edges([("a", "b"), ("b", "c"), ("x", "y")])
    assert not net.is_connected
    lcc = net.largest_component()
    assert lcc.nodes == ("a", "b", "c")
    assert lcc.is_connected
    assert lcc.largest_component() is lcc
    assert lcc.index == {"a": 0, "b": 1, "c": 2}


def test_checksum_ignores_order_and_orientation():
    a = Network.from_edges([("1", "2"), ("2", "3")])
    b = Network.from_edges([("3", "2"), ("2", "1"), ("1", "2")])
    c = Network.from_edges([("1", "2"), ("1", "3")])
    assert a.checksum == b.checksum
    assert a.checksum != c.checksum
    assert len(a.checksum) == 64


def test_to_networkx_roundtrip():
    g = nx.karate_club_graph()
    net = Network.from_edges((str(u), str(v)) for u, v in g.edges())
    h = net.to_networkx()
    ref = nx.relabel_nodes(g, str)
    assert set(h.nodes) == set(ref.nodes)
    assert {frozenset(e) for e in h.edges} == {frozenset(e) for e in ref.edges}
    assert dict(h.degree()) == dict(zip(net.nodes, net.degrees.tolist(), strict=True))


def test_indices_of_reports_missing():
    net = Network.from_edges([("a", "b")])
    idx, missing = net.indices_of(["b", "zz", "a", "b"])
    assert idx.tolist() == [0, 1]
    assert missing == ["zz"]
    assert net.neighbours(0).tolist() == [1]
    assert isinstance(idx, np.ndarray)


def _same(a: Network, b: Network) -> bool:
    return (
        a.nodes == b.nodes
        and dict(a.index) == dict(b.index)
        and a.adjacency.dtype == b.adjacency.dtype
        and all(
            np.array_equal(getattr(a.adjacency, k), getattr(b.adjacency, k))
            for k in ("indptr", "indices", "data")
        )
        and np.array_equal(a.degrees, b.degrees)
    )


@pytest.mark.parametrize("seed", range(40))
def test_with_edges_equals_from_edges_of_both(seed):
    """The oracle is the join it replaces: from_edges over the network's pairs plus the new ones
    (duplicates in either orientation, self-loops, new nodes, ids sorting unlike numbers)."""
    rng = np.random.default_rng(seed)
    ids = [str(i) for i in rng.choice(300, size=40, replace=False)] + ["TF1", "a-1", "Z"]
    pick = lambda n: [(ids[i], ids[j]) for i, j in rng.integers(0, len(ids), size=(n, 2))]  # noqa: E731
    base = pick(int(rng.integers(1, 80)))
    if all(u == v for u, v in base):
        base.append((ids[0], ids[1]))
    extra = pick(int(rng.integers(0, 60)))
    net = Network.from_edges(base)
    if seed % 3 == 0:
        net = net.largest_component()
    elif seed % 3 == 1:  # nodes without an edge stay out of the join, as from_edges leaves them
        net = net.subnetwork(np.arange(0, net.n_nodes, 2))
    rows, cols = net.adjacency.nonzero()
    pairs = [(net.nodes[i], net.nodes[j]) for i, j in zip(rows, cols, strict=True)] + extra
    if all(u == v for u, v in pairs):
        with pytest.raises(InputError, match="no edges"):
            net.with_edges(extra)
        return
    old = Network.from_edges(pairs)
    assert _same(net.with_edges(extra), old)
    assert net.with_edges(extra).checksum == old.checksum


def test_with_edges_of_only_self_loops_keeps_the_network():
    net = Network.from_edges([("1", "2"), ("2", "3")])
    assert _same(net.with_edges([("4", "4")]), net)
