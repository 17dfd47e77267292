"""A stored twin as nodes and edges: proteins, cell types, tissues, upstream regulators.

What the viewer, the report's picture and the Cytoscape/GraphML exports draw
(:func:`medtwin.platform.twins.twin_graph` is the checked use case; it re-exports
:func:`graph_of_twin`). Kept apart from :mod:`medtwin.platform.twins`, which builds twins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.regulator_views import stored_regulators
from medtwin.platform.tissues import tissue_graph, tissue_layer
from medtwin.platform.twin_models import UpstreamRegulator
from medtwin.store.base import GraphStore

__all__ = ["graph_of_twin"]


def graph_of_twin(store: GraphStore, t: dict[str, Any]) -> TwinGraph:
    """:func:`twin_graph` of the stored twin ``t`` (read), without its checks.

    As :func:`twin_detail`: for a view that checks once at its end.
    """
    twins = store.twins
    genes = twins.genes(t["id"])
    top_pr = max((g["pagerank"] or 0.0 for g in genes), default=0.0) or 1.0
    nodes = [
        GraphNode(
            id=g["entrez"],
            label=g["symbol"] or g["entrez"],
            layer="module" if g["in_module"] else g["role"],
            kind="Protein",
            size=1.0 + 4.0 * (g["pagerank"] or 0.0) / top_pr,
            value=g["log2fc"],
            community=g["community"],
        )
        for g in genes
    ]
    cells = twins.cell_types(t["id"])
    nodes += [
        GraphNode(
            id=f"{t['id']}/{c['name']}",
            label=c["name"],
            layer="cell_type",
            kind="CellType",
            size=1.0 + 4.0 * c["pagerank"],
            value=float(c["n_genes"]),
        )
        for c in cells
    ]
    urs = stored_regulators(store, t["id"], twin=t)
    nodes = _mark_regulators(nodes, urs.regulators)
    edges = [GraphEdge(**e) for e in twins.edges(t["id"])]
    tissue_nodes, tissue_edges = tissue_graph(tissue_layer(store, t))
    nodes += tissue_nodes
    edges += tissue_edges
    return TwinGraph(twin_id=t["id"], nodes=(*nodes,), edges=(*edges,), regulator_note=urs.note)


def _mark_regulators(
    nodes: list[GraphNode], urs: Sequence[UpstreamRegulator], top: int = 20
) -> list[GraphNode]:
    """Mark the twin's stored top ``top`` URs; add those outside the twin as nodes.

    Added nodes get layer ``upstream_regulator`` (the viewer's legend names it).
    """
    shown = {u.entrez: u for u in urs[:top]}
    out = [
        n.model_copy(update={"regulator_rank": shown[n.id].rank, "regulator": shown[n.id].words})
        if n.kind == "Protein" and n.id in shown
        else n
        for n in nodes
    ]
    present = {n.id for n in out}
    out += [
        GraphNode(
            id=u.entrez, label=u.symbol, layer="upstream_regulator", kind="Protein", size=1.0,
            value=u.activity, regulator_rank=u.rank, regulator=u.words,
        )
        for u in shown.values()
        if u.entrez not in present
    ]  # fmt: skip
    return out
