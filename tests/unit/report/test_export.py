"""Cytoscape JSON and GraphML exports keep every node, edge and attribute."""

from __future__ import annotations

import io
import json

import networkx as nx

from medtwin.platform.export import NETWORK_FIELDS, to_cyjs, to_graphml
from medtwin.platform.layer_colours import EDGE_COLOURS, edge_colour
from medtwin.platform.models import TwinGraph


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
        "colour": edge_colour("SIGNALS_TO"),
    }
    assert edges[0]["data"]["colour"] == EDGE_COLOURS["INTERACTS_WITH"]
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


def _with_legends(graph):
    return graph.model_copy(
        update={
            "pathway_legend": "pathway (top 20 of 61 by |activity|)",
            "regulator_legend": "upstream regulator (all 2; ring, rank in label)",
            "regulator_note": None,
        }
    )


def test_every_legend_field_of_the_drawing_is_exported():
    """What the viewer's legend reads from the graph (every field but the twin id, nodes and
    edges), and the layout's seed, is one of the exports' network attributes: a new field fails
    here."""
    drawn = set(TwinGraph.model_fields) - {"twin_id", "nodes", "edges"}
    assert drawn == set(NETWORK_FIELDS)


def test_cyjs_carries_the_viewers_legend(twin_graph):
    """Before, a ``.cyjs`` opened in Cytoscape desktop had the pathway nodes but not that they
    were the top 20 of 61 (the viewer's ``pathway_legend``), nor the ringed regulators' legend."""
    data = json.loads(json.dumps(to_cyjs(_with_legends(twin_graph))))["data"]
    assert data["pathway_legend"] == "pathway (top 20 of 61 by |activity|)"
    assert data["regulator_legend"] == "upstream regulator (all 2; ring, rank in label)"
    assert "regulator_note" not in data  # None is left out, as for nodes
    assert "pathway_legend" not in to_cyjs(twin_graph)["data"]


def test_graphml_carries_the_viewers_legend(twin_graph):
    text = to_graphml(_with_legends(twin_graph))
    g = nx.read_graphml(io.BytesIO(text.encode()), force_multigraph=True)
    assert g.graph["pathway_legend"] == "pathway (top 20 of 61 by |activity|)"
    assert g.graph["regulator_legend"] == "upstream regulator (all 2; ring, rank in label)"
    assert "regulator_note" not in g.graph
