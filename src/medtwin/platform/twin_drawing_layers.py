"""The twin drawing's phenotype and pathway parts: presented terms, phenotype module, activities.

:func:`medtwin.platform.twin_drawing.graph_of_twin` adds them to the proteins, cell types and
tissues. Before, the viewer and the report drew none of them: a twin's PRESENTS terms,
its PhenotypeModule and its Pathway ACTIVITY were in the graph but not in its picture.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from medtwin.platform.graph_models import GraphEdge, GraphNode
from medtwin.platform.phenotype_module import stored_module
from medtwin.store.base import GraphStore

__all__ = ["TOP_PATHWAYS", "pathway_graph", "pathway_legend", "pathway_node_id", "phenotype_graph"]

TOP_PATHWAYS = 20
"""Pathways drawn, strongest |activity| first (a pathway-rich twin stays readable)."""
PATHWAY_VALUE = "pathway activity score"
CONTEXT_PATHWAY_VALUE = "strongest pathway activity score of a cell type or tissue"
TERM_VALUE = "twin genes annotated to it"
MODULE_VALUE = "phenotype genes in the twin's module"
# Drawn as large as the most central protein: the report's picture keeps its largest nodes.
_MARKED = 5.0


def phenotype_graph(
    store: GraphStore, twin: Mapping[str, Any], proteins: Collection[str]
) -> tuple[list[GraphNode], list[GraphEdge]]:
    """The twin's presented terms and its phenotype module (all: both are few).

    A term's label is its id and name (``HP:0001945 Fever``). Edges: the module to its terms
    (IN_PHENOTYPE_MODULE) and to its genes among ``proteins`` (LINKS_GENE); a presented term
    has no edge of its own (the twin, which PRESENTS it, is not a node of the drawing).
    """
    tid = twin["id"]
    terms: dict[str, GraphNode] = {}
    for s in store.twins.symptoms(tid):
        terms[s["id"]] = _term(s["id"], s.get("name"), s.get("kind"), s.get("genes_in_twin"))
    module = stored_module(store, twin)
    if module is None:
        return list(terms.values()), []
    mid = f"{tid}/phenotype-module"
    z = "" if module.z is None else f", z {module.z:.2f}"
    n_terms, n_genes = len(module.terms), module.overlap
    words = f"{n_terms} term{'s' * (n_terms != 1)}, {n_genes} gene{'s' * (n_genes != 1)}{z}"
    node = GraphNode(
        id=mid,
        label=f"phenotype module ({words})",
        layer="phenotype_module",
        kind="PhenotypeModule",
        size=_MARKED,
        value=float(module.overlap),
        value_label=MODULE_VALUE,
    )
    edges = []
    for t in module.terms:
        terms.setdefault(t.id, _term(t.id, t.name, t.kind, None))
        edges.append(
            GraphEdge(source=mid, target=t.id, kind="IN_PHENOTYPE_MODULE", weight=t.weight)
        )
    edges += [
        GraphEdge(source=mid, target=str(g["entrez"]), kind="LINKS_GENE")
        for g in module.overlap_genes
        if g.get("entrez") in proteins
    ]
    return [*terms.values(), node], edges


def _term(term_id: str, name: str | None, kind: str | None, genes: int | None) -> GraphNode:
    kind = kind or "Phenotype"
    return GraphNode(
        id=term_id,
        label=f"{term_id} {name}" if name else term_id,
        layer=kind.lower(),
        kind=kind,
        size=_MARKED,
        value=None if genes is None else float(genes),
        value_label=None if genes is None else TERM_VALUE,
    )


def pathway_graph(
    store: GraphStore,
    twin_id: str,
    drawn: Sequence[GraphNode],
    top: int = TOP_PATHWAYS,
    activity: list[dict[str, Any]] | None = None,
) -> tuple[list[GraphNode], list[GraphEdge], int]:
    """The twin's ``top`` strongest pathways, and how many it has.

    A pathway's value is its patient-level activity score (else its strongest of a cell type
    or tissue, which ``value_label`` says); its ACTIVITY edges come from the drawn cell types
    and tissues among ``drawn`` with that context's score as weight. Pathways are ranked by their
    strongest |score| in any context.
    """
    if activity is None:  # else the twin's ACTIVITY rows, read once by its drawing
        activity = store.twins.activity(twin_id)
    rows = [r for r in activity if r["kind"] == "pathway"]
    # only the contexts drawn: a bulk twin (most of them) has none, and skips two reads
    kinds = {n.kind for n in drawn}
    contexts = [w for w, kind in (("cell_type", "CellType"), ("tissue", "Tissue")) if kind in kinds]
    context = [
        r
        for where in contexts
        for r in store.twins.context_activity(twin_id, where)
        if r["kind"] == "pathway"
    ]
    strongest: dict[str, float] = {}  # signed, of the largest |score| in any context
    for r in (*rows, *context):
        score = r["score"] or 0.0
        if abs(score) >= abs(strongest.get(r["id"], 0.0)):
            strongest[r["id"]] = score
    shown = sorted(strongest, key=lambda p: (-abs(strongest[p]), p))[:top]
    level = {r["id"]: r["score"] for r in rows if r["score"] is not None}
    names = {r["id"]: r["name"] for r in (*context, *rows)}
    top_score = max((abs(strongest[p]) for p in shown), default=0.0) or 1.0
    nodes = []
    for p in shown:
        # the patient-level score when there is one, else the strongest per cell type/tissue
        # (value_label says which: in the label, ", strongest cell type/tissue" cut every
        # caption of a single-cell twin's pathways at the viewer's 32 characters)
        value, what = (level[p], PATHWAY_VALUE) if p in level else (strongest[p], None)
        nodes.append(
            GraphNode(
                id=pathway_node_id(twin_id, p),
                label=f"{names[p]} (activity {value:+.2f})",
                layer="pathway",
                kind="Pathway",
                size=1.0 + 4.0 * abs(strongest[p]) / top_score,
                value=value,
                value_label=what or CONTEXT_PATHWAY_VALUE,
            )
        )
    keep, ids = set(shown), {n.id for n in drawn}
    edges = []
    for r in context:
        source = _context_id(twin_id, r)
        if r["id"] in keep and source in ids:
            edges.append(
                GraphEdge(
                    source=source,
                    target=pathway_node_id(twin_id, r["id"]),
                    kind="ACTIVITY",
                    weight=r["score"],
                )
            )
    return nodes, edges, len(strongest)


def pathway_legend(shown: int, total: int) -> str | None:
    """The legend's pathway entry: how many of the twin's pathways are drawn.

    >>> pathway_legend(20, 61), pathway_legend(2, 2), pathway_legend(0, 0)
    ('pathway (top 20 of 61 by |activity|)', 'pathway (all 2)', None)
    """
    if not total:
        return None
    return (
        f"pathway (all {total})"
        if shown >= total
        else f"pathway (top {shown} of {total} by |activity|)"
    )


def pathway_node_id(twin_id: str, pathway: str) -> str:
    """The drawn node of a pathway (:func:`pathway_graph`; the twin's ACTIVITY edges end there)."""
    # namespaced: a pathway id must not meet a protein's Entrez id or a term's HPO id
    return f"{twin_id}/pathway:{pathway}"


def _context_id(twin_id: str, r: Mapping[str, Any]) -> str:
    """The drawn node of an activity's context (ids as :func:`.tissues.tissue_graph` gives them)."""
    if r.get("cell_type") is None:
        return f"{twin_id}/tissue:{r['tissue']}"
    if r.get("tissue") is None:
        return f"{twin_id}/{r['cell_type']}"
    return f"{twin_id}/{r['tissue']}/{r['cell_type']}"
