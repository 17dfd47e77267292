"""Upstream-regulator centrality against networkx (an independent implementation) and toys
computed by hand: personalised PageRank (Haveliwala 2002, doi:10.1145/511446.511513), the
regulatory network, restart weights, the ranked rows and the in-process engine."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import numpy as np
import pytest

from medtwin.platform import regulator_centrality
from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.algorithms.network import Network
from medtwin.platform.regulator_centrality import (
    DRIVER_WEIGHT,
    LOUVAIN_SEED,
    RESTART,
    in_process_centrality,
    projection_network,
    rank_rows,
    regulatory_network,
    seed_pagerank,
    upstream_seeds,
)
from medtwin.platform.regulators import RegulatorReference
from medtwin.store.regulator_network import RegulatorCentrality, graph_name

TOL = 1e-14
"""networkx's tolerance (its error is summed over the nodes: far below the 1e-8 compared)."""


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_seed_pagerank_equals_networkx_pagerank(seed: int) -> None:
    """Random graphs (not always connected), random positive weights on 1-8 seeds."""
    rng = np.random.default_rng(seed)
    graph = nx.gnm_random_graph(60, 110, seed=seed)
    graph = nx.relabel_nodes(graph, {i: f"g{i}" for i in graph})
    graph.remove_nodes_from(list(nx.isolates(graph)))  # a Network is built from its edges
    net = Network.from_edges(graph.edges)
    nodes = sorted(graph)
    chosen = rng.choice(len(nodes), int(rng.integers(1, 9)), replace=False)
    seeds = {nodes[i]: float(rng.uniform(0.1, 5.0)) for i in chosen}
    expected = nx.pagerank(graph, alpha=1 - RESTART, tol=TOL, personalization=seeds)
    got = seed_pagerank(net, seeds)
    assert sorted(got) == sorted(seeds)
    for g, score in got.items():
        assert score == pytest.approx(expected[g], rel=1e-8, abs=1e-12)


def test_seed_pagerank_leaves_out_unknown_and_non_positive_seeds() -> None:
    graph = nx.path_graph(["a", "b", "c", "d"])
    net = Network.from_edges(graph.edges)
    got = seed_pagerank(net, {"a": 2.0, "c": 1.0, "zz": 5.0, "d": 0.0, "b": -1.0})
    expected = nx.pagerank(graph, alpha=1 - RESTART, tol=TOL, personalization={"a": 2.0, "c": 1.0})
    assert got == pytest.approx({"a": expected["a"], "c": expected["c"]}, rel=1e-8)
    assert seed_pagerank(net, {"zz": 1.0, "a": 0.0}) == {}


def test_seed_pagerank_by_hand_on_a_pair() -> None:
    """Computed by hand: edge a-b, seed a, r = 0.3: p_a = 0.3 + 0.7 p_b, p_b = 0.7 p_a, so
    p_a = 0.3 / (1 - 0.49) = 0.588235..."""
    got = seed_pagerank(Network.from_edges([("a", "b")]), {"a": 1.0})
    assert got == {"a": pytest.approx(0.3 / 0.51, rel=1e-9)}


def test_regulatory_network_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Computed by hand: PPI a-b, b-c; regulons a -> {c, a (self)}, d -> {b}, e -> {b}: the joined
    network is undirected, without the self-loop, one edge per pair."""
    monkeypatch.setattr(regulator_centrality, "_NETWORK", [])  # this test's cache only
    ppi = Network.from_edges([("a", "b"), ("b", "c")])
    ref = RegulatorReference(
        regulons={"a": {"c": 1.0, "a": -1.0}, "d": {"b": 1.0}, "e": {"b": -1.0, "a": 1.0}},
        footprints={},
    )
    joined = regulatory_network(ppi, ref)
    edges = {frozenset(e) for e in joined.to_networkx().edges}
    assert edges == {frozenset(p) for p in ("ab", "bc", "ac", "db", "eb", "ea")}
    assert joined.nodes == ("a", "b", "c", "d", "e")
    assert regulatory_network(ppi, ref) is joined  # kept for this interactome and reference
    other = Network.from_edges([("a", "b"), ("c", "d")])
    edges = {frozenset(e) for e in regulatory_network(other, ref).to_networkx().edges}
    assert edges == {frozenset(p) for p in ("ab", "cd", "ac", "db", "eb", "ea")}


def test_upstream_seeds_by_hand() -> None:
    """Restart weights computed by hand: |a| per UR, plus DRIVER_WEIGHT |g| per driver."""
    act = Activity(score=-4.0, p=0.001, q=0.01, n_targets=8, method="ulm")
    zero = Activity(score=0.0, p=1.0, q=1.0, n_targets=8, method="ulm")
    up = Activity(score=2.5, p=0.01, q=0.04, n_targets=9, method="ulm")
    got = upstream_seeds({"1": act, "2": zero, "3": up}, {"3": -0.5, "4": 2.0, "5": 0.0})
    assert DRIVER_WEIGHT == 3.0
    assert got == {"1": 4.0, "3": 2.5 + 1.5, "4": 6.0}


def _two_cliques() -> nx.Graph:
    """Two 6-cliques p0..p5 and q0..q5 joined by the edge p0 - q0."""
    graph = nx.Graph()
    for side in "pq":
        graph.add_edges_from(nx.complete_graph([f"{side}{i}" for i in range(6)]).edges)
    graph.add_edge("p0", "q0")
    return graph


def test_in_process_centrality_equals_networkx_and_the_planted_groups() -> None:
    """Scores: networkx PageRank; groups: the two cliques (by hand) and networkx's Louvain."""
    graph = _two_cliques()
    seeds = {"p1": 2.0, "p2": 1.0, "q3": 4.0, "absent": 1.0}
    got = in_process_centrality(Network.from_edges(graph.edges), seeds)
    expected = nx.pagerank(
        graph,
        alpha=1 - RESTART,
        tol=TOL,
        personalization={g: w for g, w in seeds.items() if g in graph},
    )
    assert got.scores == pytest.approx({g: expected[g] for g in ("p1", "p2", "q3")}, rel=1e-8)
    assert got.communities["p1"] == got.communities["p2"] != got.communities["q3"]
    assert got.community_sizes == {got.communities["p1"]: 6, got.communities["q3"]: 6}
    assert got.network_nodes == 12
    assert got.missing == ("absent",)
    assert got.engine == "in_process"
    louvain = nx.community.louvain_communities(graph, seed=LOUVAIN_SEED)
    assert sorted(sorted(c) for c in louvain) == [
        [f"p{i}" for i in range(6)],
        [f"q{i}" for i in range(6)],
    ]


def test_rank_rows_by_hand() -> None:
    """Order computed by hand: centrality descending, ties by id; groups numbered by first UR."""
    act = Activity(score=3.0, p=1e-4, q=1e-3, n_targets=7, method="ulm")
    cent = RegulatorCentrality(
        scores={"5": 0.2, "2": 0.4, "9": 0.2, "7": 0.1},
        communities={"5": 11, "2": 40, "9": 11},
        engine="in_process",
        graph="in-process:abc",
        community_sizes={11: 30, 40: 12},
        network_nodes=100,
    )
    rows = rank_rows({"2": act, "5": act}, {"9": -0.5, "7": 1.0}, cent, q_max=0.05,
                     calls={"9": "deletion", "2": "not a driver"})  # fmt: skip
    assert [(r["id"], r["rank"], r["community"]) for r in rows] == [
        ("2", 1, 1), ("5", 2, 2), ("9", 3, 2), ("7", 4, None),
    ]  # fmt: skip
    assert [r["community_size"] for r in rows] == [12, 30, 30, None]
    assert [r["activity"] for r in rows] == [3.0, 3.0, None, None]
    assert [r["driver"] for r in rows] == [None, None, -0.5, 1.0]
    assert [r["driver_call"] for r in rows] == [None, None, "deletion", None]
    assert {(r["network_size"], r["louvain_seed"], r["restart"], r["q_max"]) for r in rows} == {
        (100, LOUVAIN_SEED, RESTART, 0.05)
    }


def test_projection_network_is_the_edge_lists_graph_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The projection's edges (as networkx reads them) become the Network, read once a key."""
    source, target = ["1", "2", "3", "9", "2"], ["2", "3", "1", "8", "1"]
    monkeypatch.setattr(regulator_centrality, "_PROJECTION", {})  # this test's cache only
    calls: list[str] = []

    def edges(key: str) -> tuple[list[str], list[str]]:
        calls.append(key)
        return source, target

    store = SimpleNamespace(regulator_network=SimpleNamespace(edges=edges))
    key = "oracle-test-key"
    net = projection_network(store, key)  # type: ignore[arg-type]
    expected = nx.Graph(zip(source, target, strict=True))
    assert {frozenset(e) for e in net.to_networkx().edges} == {frozenset(e) for e in expected.edges}
    assert set(net.nodes) == set(expected)
    assert projection_network(store, key) is net  # type: ignore[arg-type]
    assert calls == [key]
    assert graph_name(key)  # the cache is keyed by the GDS graph name of the key
