"""Properties a layout must hold, each checked by an independent computation: scipy's pairwise
distances (no two nodes at one point), networkx's shortest paths and scipy's Spearman rank
correlation (linked nodes closer than far ones), networkx's one-node components (the lone
nodes), and a bound on how far a node moves computed by hand from the cooling schedule."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from medtwin.platform.force_layout import ITERATIONS, near_force_layout
from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.twin_layout import LAYOUT_MAX_NODES, laid_out, lone_nodes, place, twin_layout


def _start(n: int, seed: int) -> list[tuple[float, float]]:
    rnd = random.Random(seed)
    return [(rnd.uniform(-1, 1), rnd.uniform(-1, 1)) for _ in range(n)]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_near_force_layout_properties_on_a_grid(seed: int) -> None:
    """A 15 x 20 grid from a random start: every node placed, finite and apart; the same start
    gives the same places; layout distance follows hop distance; the moves stay in the bound."""
    graph = nx.convert_node_labels_to_integers(nx.grid_2d_graph(15, 20))
    n = len(graph)
    start = _start(n, seed)
    edges = sorted(graph.edges)
    pos, work = near_force_layout(start, edges)
    assert pos.shape == (n, 2)
    assert np.isfinite(pos).all()
    again, work_again = near_force_layout(start, edges)
    np.testing.assert_array_equal(pos, again)
    assert work == work_again > 0
    width = max(np.ptp(np.array(start), axis=0))
    k = width / np.sqrt(n)
    assert pdist(pos).min() > 0.01 * k  # no two nodes at one point
    hops = dict(nx.all_pairs_shortest_path_length(graph))
    hop = [hops[i][j] for i in range(n) for j in range(i + 1, n)]
    # the random start does not follow the graph (|rho| < 0.1), the layout does
    assert abs(spearmanr(pdist(np.array(start)), hop).statistic) < 0.1
    assert spearmanr(pdist(pos), hop).statistic > 0.2
    # by hand: a step moves a node at most t, t = 0.1 w cooled by t0 / (ITERATIONS + 1) a step
    t0 = 0.1 * width
    bound = sum(t0 - i * t0 / (ITERATIONS + 1) for i in range(ITERATIONS))
    assert np.hypot(*(pos - np.array(start)).T).max() <= bound + 1e-9


def test_near_force_layout_of_one_node_and_of_no_edge() -> None:
    pos, work = near_force_layout([(0.5, 0.5)], [])
    assert (pos.tolist(), work) == ([[0.5, 0.5]], 0)
    pos, _ = near_force_layout(_start(30, 4), [])
    assert pdist(pos).min() > 0  # repulsion alone keeps them apart


def _random_graph(seed: int) -> tuple[list[tuple[str, str, bool, float]], list[tuple[str, str]]]:
    """40 proteins and 3 hubs, a sparse random graph with isolates, a self-loop, a duplicate."""
    rng = np.random.default_rng(seed)
    g = nx.gnm_random_graph(43, 45, seed=seed)
    nodes = [(f"n{i}", f"G{i}", i >= 40, float(rng.uniform(0, 5))) for i in g]
    edges = [(f"n{a}", f"n{b}") for a, b in g.edges] + [("n0", "n0"), ("n1", "n2"), ("n2", "n1")]
    return nodes, edges


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_place_puts_every_node_apart_the_same_way_whatever_the_order(seed: int) -> None:
    nodes, edges = _random_graph(seed)
    got = place(nodes, edges, seed)
    assert set(got) == {n[0] for n in nodes}
    xy = np.array([got[n[0]] for n in nodes])
    assert np.isfinite(xy).all()
    # scipy's pairwise distances: no two nodes closer than 1 unit (a node is drawn 10-44 across)
    assert pdist(xy).min() > 1.0
    shuffled = random.Random(seed).sample(nodes, len(nodes))
    assert place(shuffled, list(reversed(edges)), seed) == got
    assert place(nodes, edges, seed + 1) != got


def _twin_graph(seed: int) -> TwinGraph:
    nodes, edges = _random_graph(seed)
    return TwinGraph(
        twin_id="T",
        nodes=tuple(
            GraphNode(id=i, label=c, layer="seed", kind="CellType" if hub else "Protein", size=s)
            for i, c, hub, s in nodes
        ),
        edges=tuple(GraphEdge(source=a, target=b, kind="INTERACTS_WITH") for a, b in edges),
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_lone_nodes_are_networkxs_isolates_and_laid_out_writes_twin_layout(seed: int) -> None:
    graph = _twin_graph(seed)
    g = nx.Graph()
    g.add_nodes_from(n.id for n in graph.nodes)
    g.add_edges_from((e.source, e.target) for e in graph.edges if e.source != e.target)
    isolates = {n for part in nx.connected_components(g) if len(part) == 1 for n in part}
    assert isolates  # the fixture has some
    assert lone_nodes(graph) == [n.id for n in graph.nodes if n.id in isolates]
    places = twin_layout(graph, seed)
    drawn = laid_out(graph, seed)
    assert {n.id: (n.x, n.y) for n in drawn.nodes} == places
    assert drawn.edges == graph.edges
    # the lone nodes stand outside the box of the linked ones (a list beside or below)
    linked = np.array([places[i] for i in places if i not in isolates])
    lo, hi = linked.min(axis=0), linked.max(axis=0)
    for i in isolates:
        x, y = places[i]
        assert not (lo[0] < x < hi[0] and lo[1] < y < hi[1])


def test_laid_out_past_the_limit_is_the_graph_unchanged() -> None:
    nodes = tuple(
        GraphNode(id=f"n{i}", label=f"n{i}", layer="seed", kind="Protein")
        for i in range(LAYOUT_MAX_NODES + 1)
    )
    graph = TwinGraph(twin_id="T", nodes=nodes, edges=())
    assert laid_out(graph, 0) is graph
