"""One seeded layout of a twin for the viewer, the report's picture and the exports.

The browser checks what Chromium draws from these places (``tests/browser/test_viewer_layout.py``);
here, the places themselves.
"""

from __future__ import annotations

import io
import json

import networkx as nx

from medtwin.platform import report_module_chart
from medtwin.platform.export import to_cyjs, to_graphml
from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.twin_layout import (
    DEFAULT_LAYOUT_SEED,
    LAYOUT_MAX_NODES,
    caption_of,
    caption_width,
    laid_out,
    lone_nodes,
    twin_layout,
)
from tests.browser.test_viewer_layout import bulk_like, multi_tissue_like


def test_the_same_seed_gives_the_same_places_and_another_seed_others():
    graph = multi_tissue_like()
    first = twin_layout(graph, 11)
    assert first == twin_layout(graph.model_copy(deep=True), 11)
    other = twin_layout(graph, 12)
    assert set(other) == set(first)
    assert sum(first[k] != other[k] for k in first) > len(first) // 2


def test_the_seed_is_stored_beside_the_places_it_produced():
    """Before stop 59 a laid-out graph did not say which seed placed its nodes (the caller had
    to keep it): ``layout_seed`` is the one ``laid_out`` ran with, its default when none is
    given, and the places are that seed's."""
    graph = multi_tissue_like()
    assert graph.layout_seed is None
    for seed in (0, 7, 2**53 - 1):
        placed = laid_out(graph, seed)
        assert placed.layout_seed == seed
        assert {n.id: (n.x, n.y) for n in placed.nodes} == twin_layout(graph, seed)
    default = laid_out(graph)
    assert default.layout_seed == DEFAULT_LAYOUT_SEED
    assert default == laid_out(graph, DEFAULT_LAYOUT_SEED)
    assert twin_layout(graph) == twin_layout(graph, DEFAULT_LAYOUT_SEED)
    # the seed travels with the places: the API's JSON and both exports carry it
    assert json.loads(laid_out(graph, 7).model_dump_json())["layout_seed"] == 7
    assert to_cyjs(laid_out(graph, 7))["data"]["layout_seed"] == 7
    g = nx.read_graphml(io.BytesIO(to_graphml(laid_out(graph, 7)).encode()), force_multigraph=True)
    assert g.graph["layout_seed"] == 7


def test_hubs_and_their_captions_stand_apart():
    """Cell types, tissues and pathways of multitissue_demo's shape: no two hubs' node and caption
    boxes (as estimated, node drawn at its largest) overlap."""
    graph = multi_tissue_like()
    places = twin_layout(graph, 0)
    hubs = [n for n in graph.nodes if n.kind != "Protein"]
    lo, hi = min(n.size for n in graph.nodes), max(n.size for n in graph.nodes)
    boxes = []
    for n in hubs:
        x, y = places[n.id]
        r = 5.0 + 17.0 * (n.size - lo) / (hi - lo)  # the viewer: 10-44 units across
        half = max(caption_width(caption_of(n.label, n.id)) / 2, r)
        boxes.append((x - half, y - r - 7.0, x + half, y + r))
    assert len(boxes) == 18
    touching = [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert touching == []


def test_nodes_without_an_edge_are_a_list_in_columns_beside_the_rest_a_to_z():
    """Before, the force layout tiled each lone seed as its own component (a bulk twin's 150 seeds
    spread over a grid wider than the twin)."""
    graph = bulk_like()
    places = twin_layout(graph, 0)
    lone = lone_nodes(graph)
    assert len(lone) == 150
    linked = [places[n.id] for n in graph.nodes if n.id not in set(lone)]
    grid = [places[i] for i in lone]
    below = min(y for _, y in grid) > max(y for _, y in linked)
    beside = min(x for x, _ in grid) > max(x for x, _ in linked)
    assert below or beside
    rows = sorted({y for _, y in grid})
    cols = sorted({x for x, _ in grid})
    assert len(rows) * len(cols) < 1.2 * len(lone)  # a full grid, not a sparse one
    by_id = {n.id: n for n in graph.nodes}
    for left, right in zip(cols, cols[1:], strict=False):  # a caption (right of its node) apart
        column = [i for i in lone if places[i][0] == left]
        widest = max(caption_width(caption_of(by_id[i].label, i)) for i in column)
        assert right - left >= 12 + widest
    down_the_columns = sorted(lone, key=lambda i: (places[i][0], places[i][1]))
    assert [by_id[i].label for i in down_the_columns] == sorted(by_id[i].label for i in lone)


def test_a_twin_past_the_limit_gets_no_places():
    nodes = tuple(
        GraphNode(id=str(i), label=f"G{i}", layer="seed", kind="Protein")
        for i in range(LAYOUT_MAX_NODES + 1)
    )
    graph = laid_out(TwinGraph(twin_id="T", nodes=nodes, edges=()), 0)
    assert all(n.x is None and n.y is None for n in graph.nodes)
    assert graph.layout_seed is None  # no places, so no seed of theirs


def test_the_report_draws_the_viewers_places():
    """The report's picture of a laid-out graph is the one it draws from the same layout run on
    its own (same nodes, edges and seed): one layout. Before, networkx's spring layout."""
    graph = multi_tissue_like()
    placed = laid_out(graph, 5)
    assert report_module_chart._places(
        [report_module_chart._Node(n.id, n.size, n.layer, n.label, n.x, n.y) for n in placed.nodes],
        [],
        5,
    ) == {n.id: (n.x, -(n.y or 0.0)) for n in placed.nodes}
    assert report_module_chart.module_figure(placed, 5) == report_module_chart.module_figure(
        graph, 5
    )
    mirrored = placed.model_copy(
        update={"nodes": tuple(n.model_copy(update={"x": -(n.x or 0.0)}) for n in placed.nodes)}
    )
    assert report_module_chart.module_figure(mirrored, 5) != report_module_chart.module_figure(
        placed, 5
    )


def test_the_exports_carry_the_places():
    graph = laid_out(multi_tissue_like(), 0)
    doc = json.loads(json.dumps(to_cyjs(graph)))
    first = doc["elements"]["nodes"][0]
    assert first["position"] == {"x": graph.nodes[0].x, "y": graph.nodes[0].y}
    g = nx.read_graphml(io.BytesIO(to_graphml(graph).encode()), force_multigraph=True)
    assert (g.nodes["0"]["x"], g.nodes["0"]["y"]) == (graph.nodes[0].x, graph.nodes[0].y)
    bare = to_cyjs(multi_tissue_like())
    assert "position" not in bare["elements"]["nodes"][0]


def test_a_lone_edge_to_itself_leaves_a_node_lone():
    graph = TwinGraph(
        twin_id="T",
        nodes=(GraphNode(id="a", label="A", layer="seed", kind="Protein"),),
        edges=(GraphEdge(source="a", target="a", kind="INTERACTS_WITH"),),
    )
    assert lone_nodes(graph) == ["a"]
    assert twin_layout(graph, 0) == {"a": (0.0, 0.0)}
