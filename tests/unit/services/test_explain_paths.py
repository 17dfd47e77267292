"""Explanation paths (platform/explain.shortest_paths) on hand-drawn graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from medtwin.platform import explain_paths
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.network_lists import NetworkLists
from medtwin.platform.explain import shortest_paths

# 1-2-3-4-5 with a chord 1-4, and 6-7 apart.
EDGES = [("1", "2"), ("2", "3"), ("3", "4"), ("4", "5"), ("1", "4"), ("6", "7")]
GRAPH = NetworkLists.of(Network.from_edges(EDGES))


def test_lengths_by_hand_use_the_chord_shortest_first():
    got = shortest_paths(GRAPH, ["1"], ["5", "3", "2"])
    assert [len(p) - 1 for p in got] == [1, 2, 2]  # shortest first
    assert ["1", "4", "5"] in got
    assert all(p[0] == "1" for p in got)


def test_several_targets_and_max_paths():
    got = shortest_paths(GRAPH, ["2", "5"], ["4"], max_paths=10)
    assert ["5", "4"] in got
    assert sorted(len(p) - 1 for p in got) == [1, 2]
    assert len(shortest_paths(GRAPH, ["2", "5"], ["4"], max_paths=1)) == 1
    assert shortest_paths(GRAPH, ["2", "5"], ["4"], max_paths=1) == [["5", "4"]]


def test_unreachable_and_unknown_genes_give_no_path():
    assert shortest_paths(GRAPH, ["1"], ["6"]) == []  # other component
    assert shortest_paths(GRAPH, ["99"], ["1"]) == []  # target not in the network
    assert shortest_paths(GRAPH, ["1"], []) == []
    assert shortest_paths(GRAPH, ["3"], ["3"]) == [["3"]]  # a target in the module: length 0


def test_ties_take_the_lowest_index_step_back():
    # two shortest paths 0-1-3 and 0-2-3: the step back from 3 goes to node 1
    net = NetworkLists.of(Network.from_edges([("0", "2"), ("2", "3"), ("0", "1"), ("1", "3")]))
    assert shortest_paths(net, ["0"], ["3"]) == [["0", "1", "3"]]


@pytest.fixture(params=["numpy", "pure Python"])
def search(request, monkeypatch) -> str:
    """Each search: with numpy (a process that imported it) and without (``medtwin explain``)."""
    monkeypatch.setattr(explain_paths, "_numpy_imported", lambda: request.param == "numpy")
    return str(request.param)


def _random_network(
    rng: random.Random, seed: int, nodes: tuple[int, int], edges: tuple[int, int]
) -> tuple[NetworkLists | None, list[tuple[str, str]]]:
    """networkx's G(n, m) with n and m drawn from ``rng`` in those ranges, as the explainer's
    lists and as its edges (``None`` for a graph without an edge)."""
    g = nx.gnm_random_graph(rng.randint(*nodes), rng.randint(*edges), seed=seed)
    pairs = [(str(a), str(b)) for a, b in g.edges()]
    return (NetworkLists.of(Network.from_edges(pairs)) if pairs else None), pairs


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_against_networkx(seed: int, search: str):
    """Every path is a real path of networkx's shortest length; the pairs come in (length,
    target index, gene index) order, the max_paths first of all reachable pairs."""
    rng = random.Random(seed)
    net, edges = _random_network(rng, seed, (5, 60), (4, 120))
    if net is None:
        return
    nodes = list(net.nodes)
    targets = rng.sample(nodes, min(len(nodes), rng.randint(1, 5)))
    genes = rng.sample(nodes, min(len(nodes), rng.randint(1, 12))) + ["not-a-node"]
    max_paths = rng.randint(1, 15)
    got = shortest_paths(net, targets, genes, max_paths=max_paths)
    h = nx.Graph(edges)
    pairs = sorted(
        (nx.shortest_path_length(h, t, x), net.index[t], net.index[x])
        for t in set(targets)
        for x in set(genes) & set(nodes)
        if nx.has_path(h, t, x)
    )[:max_paths]
    assert [(len(p) - 1, net.index[p[0]], net.index[p[-1]]) for p in got] == pairs
    for p in got:
        assert all(h.has_edge(a, b) for a, b in zip(p, p[1:], strict=False))


def _random_case(rng: random.Random, seed: int) -> tuple[NetworkLists, list[str], list[str]] | None:
    """A larger random network with up to 6 drug targets and 20 patient genes among its nodes
    (``None`` where the draw has no network)."""
    net, _ = _random_network(rng, seed, (20, 200), (30, 600))
    if net is None:
        return None
    nodes = list(net.nodes)
    targets = rng.sample(nodes, min(len(nodes), rng.randint(1, 6)))
    genes = rng.sample(nodes, min(len(nodes), rng.randint(1, 20)))
    return net, targets, genes


@pytest.mark.parametrize("seed", range(20))
def test_both_searches_give_the_same_paths(seed: int, monkeypatch):
    """The same paths, not only lengths: ties step back to the same lowest-index node."""
    rng = random.Random(100 + seed)
    case = _random_case(rng, seed)
    if case is None:
        return
    net, targets, genes = case
    got = {}
    for numpy in (True, False):
        monkeypatch.setattr(explain_paths, "_numpy_imported", lambda numpy=numpy: numpy)
        got[numpy] = shortest_paths(net, targets, genes, max_paths=50)
    assert got[True] == got[False]


@pytest.mark.parametrize("seed", range(20))
def test_the_first_paths_are_those_of_searches_run_to_the_end(seed: int, search: str):
    """Stopping at the level of the ``max_paths``-th pair changes no path: the first paths of
    a longer list, ties' steps back included."""
    rng = random.Random(300 + seed)
    case = _random_case(rng, seed)
    if case is None:
        return
    net, targets, genes = case
    every = shortest_paths(net, targets, genes, max_paths=10**6)
    for max_paths in (1, 2, 5, 10, 30):
        assert shortest_paths(net, targets, genes, max_paths=max_paths) == every[:max_paths]


class _Rows(list):
    """CSR offsets that record which rows a search read (``indptr[u]``)."""

    def __init__(self, values: list[int]) -> None:
        super().__init__(values)
        self.read: set[int] = set()

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        if isinstance(i, int):
            self.read.add(i)
        return super().__getitem__(i)


def test_the_search_stops_at_the_level_of_the_last_path_it_returns(monkeypatch):
    """A chain 0-1-…-99: the nearest gene (1 hop) is the one path asked for, so the search
    walks no row beyond it (before, it went on to the farthest gene, 99 hops out). The pure
    Python search, whose row reads a list can record (``medtwin explain``'s)."""
    monkeypatch.setattr(explain_paths, "_numpy_imported", lambda: False)
    edges = [(str(i), str(i + 1)) for i in range(99)]
    net = NetworkLists.of(Network.from_edges(edges))
    rows = _Rows(list(net.indptr))
    net = NetworkLists(net.nodes, net.index, rows, net.indices)
    got = shortest_paths(net, ["0"], ["1", "99"], max_paths=1)
    assert got == [["0", "1"]]
    assert max(rows.read) <= 2  # row 0 read (its neighbour 1), and row 1's end offset
