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
