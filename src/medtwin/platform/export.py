"""Twin exports for desktop tools: Cytoscape JSON (``.cyjs``) and GraphML (Gephi, yEd, Cytoscape).

Both carry every node and edge of :class:`~medtwin.platform.models.TwinGraph` with its
attributes, plus a ``colour`` per node and edge (the viewer's layer and edge-kind colours), so
the picture looks the same in Cytoscape desktop, each node's place in the viewer's drawing
(``position`` in ``.cyjs``, ``x``/``y`` attributes in GraphML, which Gephi reads as places; from
:mod:`medtwin.platform.twin_layout`), and the viewer's legend words as network
attributes (``pathway_legend``: how many of the twin's pathways are drawn;
``regulator_legend``/``regulator_note``: the ringed upstream regulators, or why there are none).
Attributes that are ``None`` are left out (GraphML has no null).
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from medtwin.platform.layer_colours import edge_colour, layer_colour
from medtwin.platform.models import TwinGraph

__all__ = ["LEGEND_FIELDS", "NETWORK_FIELDS", "to_cyjs", "to_graphml", "to_networkx"]


LEGEND_FIELDS = (
    "pathway_legend",
    "regulator_legend",
    "regulator_note",
    "activity_legend",
    "time_point_legend",
)
"""The :class:`TwinGraph` fields the viewer's legend shows, written as network attributes."""
NETWORK_FIELDS = (*LEGEND_FIELDS, "layout_seed")
"""Every :class:`TwinGraph` field an export writes as a network attribute: the legend's and the
seed of the layout whose places the nodes carry (so an exported drawing can be laid out again)."""


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _legend(graph: TwinGraph) -> dict[str, str | int]:
    """The viewer's legend words and the layout's seed of ``graph``, for the network's attributes.

    Before, an export had the pathway nodes but not that they were the top 20 of 61.
    """
    return _clean(graph.model_dump(include=set(NETWORK_FIELDS)))


def to_networkx(graph: TwinGraph) -> nx.MultiDiGraph:
    """The twin as a networkx multigraph (directed, as stored; several edge kinds per pair).

    Examples
    --------
    >>> from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
    >>> g = to_networkx(TwinGraph(twin_id="P1@v1",
    ...     nodes=(GraphNode(id="1", label="A1BG", layer="seed", kind="Protein"),),
    ...     edges=(GraphEdge(source="1", target="1", kind="INTERACTS_WITH"),)))
    >>> g.number_of_nodes(), g.number_of_edges(), g.graph["twin_id"]
    (1, 1, 'P1@v1')
    """
    g = nx.MultiDiGraph(twin_id=graph.twin_id, **_legend(graph))
    for n in graph.nodes:
        g.add_node(n.id, **_clean(n.model_dump(exclude={"id"})), colour=layer_colour(n.layer))
    for e in graph.edges:
        g.add_edge(
            e.source,
            e.target,
            **_clean(e.model_dump(exclude={"source", "target"})),
            colour=edge_colour(e.kind),
        )
    return g


def to_cyjs(graph: TwinGraph) -> dict[str, Any]:
    """Cytoscape.js / Cytoscape desktop JSON (``File > Import > Network from File``).

    Returns
    -------
    dict
        ``{"format_version": "1.0", "generated_by": ..., "data": {...},
        "elements": {"nodes": [{"data": {...}, "position": {...}}], "edges": [{"data": {...}}]}}``;
        a node without a place has no ``position``; edge ids are ``e0``, ``e1``, ... in input order.
    """
    nodes = [
        {
            "data": _clean(
                {
                    **n.model_dump(),
                    "name": n.label,
                    "shared_name": n.label,
                    "colour": layer_colour(n.layer),
                }
            ),
            # where the viewer and the report draw it (Cytoscape desktop reads "position")
            **({"position": {"x": n.x, "y": n.y}} if n.x is not None and n.y is not None else {}),
        }
        for n in graph.nodes
    ]
    edges = [
        {
            "data": _clean(
                {
                    "id": f"e{i}",
                    **e.model_dump(),
                    "interaction": e.kind,
                    "shared_interaction": e.kind,
                    "colour": edge_colour(e.kind),
                }
            )
        }
        for i, e in enumerate(graph.edges)
    ]
    return {
        "format_version": "1.0",
        "generated_by": "medtwin",
        "target_cytoscapejs_version": "~3.35",
        "data": {"name": graph.twin_id, "shared_name": graph.twin_id, **_legend(graph)},
        "elements": {"nodes": nodes, "edges": edges},
    }


def to_graphml(graph: TwinGraph) -> str:
    """GraphML text (UTF-8) of the twin, with typed node and edge attributes."""
    buf = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buf, encoding="utf-8", named_key_ids=True)
    return buf.getvalue().decode("utf-8")
