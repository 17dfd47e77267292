"""Cytoscape JSON and GraphML exports keep every node, edge and attribute."""

from __future__ import annotations

import io
import json

import networkx as nx

from medtwin.platform.export import to_cyjs, to_graphml


def test_cyjs(twin_graph):
    doc = json.loads(json.dumps(to_cyjs(twin_graph)))  # JSON-serialisable
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert len(nodes) == len(twin_graph.nodes)
    assert len(edges) == len(twin_graph.edges)
    first = nodes[0]["data"]
    assert first["id"] == "1"
    assert first["name"] == "G1"
    assert first["colour"].startswith("#")
    assert "value" in first
    cell = nodes[-1]["data"]
    assert "community" not in cell
    assert "value" not in cell
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert edges[-1]["data"] == {
        "id": "e5",
        "source": "P1@v1/CD4 T",
        "target": "P1@v1/CD4 T",
        "kind": "SIGNALS_TO",
        "weight": 2.0,
        "interaction": "SIGNALS_TO",
        "shared_interaction": "SIGNALS_TO",
    }
    assert doc["data"]["name"] == "P1@v1"


def test_graphml_round_trip(twin_graph):
    text = to_graphml(twin_graph)
    assert text.startswith("<?xml")
    g = nx.read_graphml(io.BytesIO(text.encode()), force_multigraph=True)
    assert g.number_of_nodes() == len(twin_graph.nodes)
    assert g.number_of_edges() == len(twin_graph.edges)
    assert g.nodes["3"]["label"] == "G3"
    assert g.nodes["3"]["size"] == 4.0
    assert g.nodes["3"]["layer"] == "module"
    assert g.graph["twin_id"] == "P1@v1"
