"""A stored twin as nodes and edges: proteins, cell types, tissues, regulators, terms, pathways.

Also the twin itself, its TF and pathway activities and its patient's time points
(:mod:`medtwin.platform.twin_drawing_activity`).

What the viewer, the report's picture and the Cytoscape/GraphML exports draw
(:func:`medtwin.platform.twins.twin_graph` is the checked use case; it re-exports
:func:`graph_of_twin`). Kept apart from :mod:`medtwin.platform.twins`, which builds twins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from medtwin.domain import TwinParams
from medtwin.platform.graph_models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.regulator_views import stored_regulators
from medtwin.platform.tissues import CELL_TYPE_VALUE, tissue_graph, tissue_layer
from medtwin.platform.twin_drawing_activity import activity_graph
from medtwin.platform.twin_drawing_layers import pathway_graph, pathway_legend, phenotype_graph
from medtwin.platform.twin_layout import laid_out
from medtwin.platform.twin_models import UpstreamRegulator
from medtwin.store.base import GraphStore

__all__ = ["graph_of_twin"]


def graph_of_twin(store: GraphStore, t: dict[str, Any]) -> TwinGraph:
    """:func:`twin_graph` of the stored twin ``t`` (read), without its checks.

    As :func:`twin_detail`: for a view that checks once at its end. Each node has its place
    (:func:`medtwin.platform.twin_layout.laid_out`, seeded by the twin's seed).
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
            value_label=None if g["log2fc"] is None else GENE_VALUE,
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
            value_label=CELL_TYPE_VALUE,
        )
        for c in cells
    ]
    # read once for the regulators, the pathways and the twin's own ACTIVITY edges (three reads
    # of the same rows before)
    activity = store.twins.activity(t["id"])
    urs = stored_regulators(store, t["id"], twin=t, activity=activity)
    nodes = _mark_regulators(nodes, urs.regulators)
    legend = regulator_legend(urs.regulators)
    edges = [GraphEdge(**e) for e in twins.edges(t["id"])]
    tissue_nodes, tissue_edges = tissue_graph(tissue_layer(store, t))
    nodes += tissue_nodes
    edges += tissue_edges
    term_nodes, term_edges = phenotype_graph(store, t, {g["entrez"] for g in genes})
    pathway_nodes, pathway_edges, n_pathways = pathway_graph(
        store, t["id"], nodes, activity=activity
    )
    nodes += term_nodes + pathway_nodes
    edges += term_edges + pathway_edges
    # after the proteins, regulators and pathways: a TF among them gets an edge, not a node
    activity_nodes, activity_edges, activity_words, time_words = activity_graph(
        store, t, nodes, activity=activity
    )
    graph = TwinGraph(
        twin_id=t["id"],
        nodes=(*nodes, *activity_nodes),
        edges=(*edges, *activity_edges),
        regulator_note=urs.note,
        regulator_legend=legend,
        pathway_legend=pathway_legend(len(pathway_nodes), n_pathways),
        activity_legend=activity_words,
        time_point_legend=time_words,
    )
    # the twin's own seed: its picture is as reproducible as its module
    return laid_out(graph, TwinParams.from_stored(t["params_json"], twin_id=t["id"]).seed)


TOP_RINGED = 20
"""Upstream regulators the viewer rings by centrality (every driver is ringed as well)."""
GENE_VALUE = "log2 fold change"
ACTIVITY_VALUE = "TF activity t (ULM)"


def _shown(urs: Sequence[UpstreamRegulator], top: int) -> list[UpstreamRegulator]:
    """The top ``top`` URs and every driver ranked lower (a mutation is not left undrawn)."""
    return list(urs[:top]) + [u for u in urs[top:] if u.driver is not None]


def regulator_legend(urs: Sequence[UpstreamRegulator], top: int = TOP_RINGED) -> str | None:
    """The legend entry of the ringed URs: how many of the twin's are drawn.

    Before stop 46 it read "upstream regulator (20; …)" for a twin with 39, whose drivers ranked
    30-39 were not drawn.

    >>> from medtwin.platform.twin_models import UpstreamRegulator
    >>> ur = lambda r, driver=None: UpstreamRegulator(entrez=str(r), symbol=f"G{r}", activity=None,
    ...     p=None, q=None, n_targets=None, driver=driver, pagerank=0.1, rank=r, words="")
    >>> regulator_legend([ur(r, 1.0 if r > 35 else None) for r in range(1, 40)])
    'upstream regulator (top 20 of 39 by centrality + 4 drivers ranked lower; ring, rank in label)'
    >>> regulator_legend([ur(1), ur(2)]), regulator_legend([])
    ('upstream regulator (all 2; ring, rank in label)', None)
    """
    if not urs:
        return None
    if len(urs) <= top:
        return f"upstream regulator (all {len(urs)}; ring, rank in label)"
    lower = len(_shown(urs, top)) - top
    drivers = f" + {lower} driver{'s' if lower > 1 else ''} ranked lower" if lower else ""
    return (
        f"upstream regulator (top {top} of {len(urs)} by centrality{drivers}; ring, rank in label)"
    )


def _mark_regulators(
    nodes: list[GraphNode], urs: Sequence[UpstreamRegulator], top: int = TOP_RINGED
) -> list[GraphNode]:
    """Mark the twin's stored top ``top`` URs and its drivers; add those outside the twin.

    Added nodes get layer ``upstream_regulator`` (the viewer's legend names it), and their value
    is the TF activity t, not a log2 fold change (``value_label`` says which).
    """
    shown = {u.entrez: u for u in _shown(urs, top)}
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
            value=u.activity, value_label=None if u.activity is None else ACTIVITY_VALUE,
            regulator_rank=u.rank, regulator=u.words,
        )
        for u in shown.values()
        if u.entrez not in present
    ]  # fmt: skip
    return out
