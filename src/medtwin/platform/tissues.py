r"""Multi-tissue twins: centrality on the tissue → cell type → gene meta-network.

Björnsson et al. 2020 (doi:10.1186/s13073-019-0701-3) link multicellular models of several tissues
into a meta-network and apply centrality to prioritise tissues, cell types and genes, because the
cause may sit in a tissue other than the one with symptoms. This module does that for a twin's
tissue layer (:attr:`medtwin.platform.twin.TwinSpec.tissues`).

Meta-network
------------
Nodes are the twin's tissues, their cell types and the genes changed in them (a gene changed in
two cell types is one node, so it links them). Each node spreads its weight over the kinds of
neighbour it has, an equal share per kind, so that a cell type with 300 marker genes does not
drown its tissue and signalling links:

* tissue → each of its cell types, equally;
* cell type → its tissue, its genes (equally among them) and the cell types that **send** it a
  ligand (in proportion to the ligand–receptor pairs), one third each (a share whose kind is
  missing is split among the others);
* gene → each cell type it is changed in, equally.

Signalling edges point from the receiver to the sender, so a walker's weight flows upstream to the
cell types whose ligands act on others: reverse PageRank, which scores how much a node reaches the
rest of the network rather than how much it is reached (Gleich 2015, *PageRank beyond the Web*,
SIAM Review 57:321, doi:10.1137/140976649, sect. 5.5 "reverse PageRank").

With :math:`P` the row-stochastic matrix of these shares, :math:`N` nodes and damping :math:`d`,

.. math:: \pi = \frac{1-d}{N}\mathbf 1 + d\,P^\top \pi ,\qquad \textstyle\sum_v \pi_v = 1,

solved by power iteration (Brin & Page 1998, doi:10.1016/S0169-7552(98)00110-X). Nodes are then
ranked within their kind. The computation is deterministic (no sampling); the twin's seed is
recorded with the result only for provenance.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from medtwin.domain import TissueSignal
from medtwin.errors import InputError
from medtwin.platform.graph_models import GraphEdge, GraphNode
from medtwin.platform.twin_models import TissueCellType, TissueLayer, TissueScore, TissueSignalView
from medtwin.store.base import GraphStore

if TYPE_CHECKING:  # numpy: tissues are read (twin show) without the twin builder
    from medtwin.platform.twin import TwinSpec

__all__ = [
    "TOP_GENES",
    "MetaCentrality",
    "MetaScore",
    "analyse_tissues",
    "cell_type_count",
    "meta_network_centrality",
    "summary_props",
    "tissue_graph",
    "tissue_layer",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MetaScore:
    """A node of the meta-network: its PageRank and its rank within its kind (1 = most central)."""

    kind: str  # "tissue" | "cell_type" | "gene"
    tissue: str | None
    name: str
    score: float
    rank: int


@dataclass(frozen=True)
class MetaCentrality:
    """Reverse-PageRank centralities of a twin's meta-network (module docstring)."""

    tissues: tuple[MetaScore, ...]
    cell_types: tuple[MetaScore, ...]
    genes: tuple[MetaScore, ...]
    damping: float
    iterations: int
    seed: int
    n_cross_tissue_signals: int
    n_within_tissue_signals: int


def meta_network_centrality(
    tissues: Mapping[str, Mapping[str, Sequence[str]]],
    signals: Sequence[TissueSignal],
    *,
    damping: float = 0.85,
    tol: float = 1e-12,
    max_iter: int = 1000,
    seed: int = 0,
) -> MetaCentrality:
    """Rank tissues, cell types and genes by reverse PageRank on the meta-network.

    Parameters
    ----------
    tissues
        Tissue → cell type → genes changed in that cell type.
    signals
        Ligand–receptor links between cell types (sender → receiver).
    damping
        PageRank damping ``d`` in (0, 1).
    tol, max_iter
        Power iteration stops when the L1 change is below ``tol`` or after ``max_iter`` steps.
    seed
        Recorded only (the computation is deterministic).

    Returns
    -------
    MetaCentrality
        Scores sum to 1 over all nodes; each kind is sorted most central first.

    Raises
    ------
    InputError
        No tissue, a damping outside (0, 1), or a signal naming an unknown cell type.

    Examples
    --------
    Tissue ``a`` has one cell type whose ligand acts on both cell types of tissue ``b``; the
    sender's tissue ranks first although ``b`` has more cell types:

    >>> layer = {"a": {"x": ["1"]}, "b": {"y": ["2"], "z": ["3"]}}
    >>> sig = [TissueSignal("a", "x", "b", c, (f"1>{g}",)) for c, g in (("y", 2), ("z", 3))]
    >>> [t.name for t in meta_network_centrality(layer, sig).tissues]
    ['a', 'b']
    >>> [t.name for t in meta_network_centrality(layer, []).tissues]
    ['b', 'a']

    References
    ----------
    Gleich DF (2015) PageRank beyond the Web. SIAM Review 57:321-363, doi:10.1137/140976649.
    Björnsson B et al. (2020) Digital twins to personalize medicine. Genome Med 12:4,
    doi:10.1186/s13073-019-0701-3.
    """
    if not tissues:
        raise InputError("the twin has no tissue layer: add inputs with a tissue (`--tissue`)")
    if not 0.0 < damping < 1.0:
        raise InputError(f"damping must be in (0, 1), got {damping}")
    index: dict[tuple[str, str | None, str], int] = {}

    def node(kind: str, tissue: str | None, name: str) -> int:
        return index.setdefault((kind, tissue, name), len(index))

    # shares[u][kind of neighbour] = {v: weight}
    shares: dict[int, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for tissue, cells in sorted(tissues.items()):
        t = node("tissue", None, tissue)
        for cell, genes in sorted(cells.items()):
            c = node("cell_type", tissue, cell)
            shares[t]["cell"][c] = 1.0
            shares[c]["tissue"][t] = 1.0
            for gene in genes:
                g = node("gene", None, gene)
                shares[c]["gene"][g] = 1.0
                shares[g]["cell"][c] = 1.0
    n_cross = n_within = 0
    for s in signals:
        sender = index.get(("cell_type", s.source_tissue, s.source))
        receiver = index.get(("cell_type", s.target_tissue, s.target))
        if sender is None or receiver is None:
            raise InputError(
                f"signal {s.source_tissue}/{s.source} -> {s.target_tissue}/{s.target} names a "
                "cell type that is not in the tissue layer"
            )
        got = shares[receiver]["sender"]
        got[sender] = got.get(sender, 0.0) + float(len(s.pairs))
        if s.cross_tissue:
            n_cross += 1
        else:
            n_within += 1
    import numpy as np  # only the centrality needs it; reading a stored layer does not

    n = len(index)
    transition = np.zeros((n, n))
    for u, kinds in shares.items():
        parts = [k for k in kinds.values() if k]
        for neighbours in parts:
            total = sum(neighbours.values())
            for v, w in neighbours.items():
                transition[u, v] += w / total / len(parts)
    pi = np.full(n, 1.0 / n)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        nxt = (1.0 - damping) / n + damping * (transition.T @ pi)
        nxt /= nxt.sum()  # every node has a neighbour, so nothing dangles; guards rounding
        delta = float(np.abs(nxt - pi).sum())
        pi = nxt
        if delta < tol:
            break

    def ranked(kind: str) -> tuple[MetaScore, ...]:
        rows = [(key, float(pi[i])) for key, i in index.items() if key[0] == kind]
        rows.sort(key=lambda kv: (-kv[1], kv[0][1] or "", kv[0][2]))
        return tuple(
            MetaScore(kind=kind, tissue=key[1], name=key[2], score=value, rank=r)
            for r, (key, value) in enumerate(rows, 1)
        )

    return MetaCentrality(
        tissues=ranked("tissue"),
        cell_types=ranked("cell_type"),
        genes=ranked("gene"),
        damping=damping,
        iterations=iterations,
        seed=seed,
        n_cross_tissue_signals=n_cross,
        n_within_tissue_signals=n_within,
    )


def analyse_tissues(store: GraphStore, twin_id: str, spec: TwinSpec) -> dict[str, Any]:
    """Score a twin's tissue layer (already stored) and store the scores on its own nodes.

    Returns the Twin properties to set (empty for a twin without tissues, which is then exactly
    as before tissues existed).
    """
    if not spec.tissues:
        return {}

    found = meta_network_centrality(spec.tissues, spec.tissue_signals, seed=spec.params.seed)
    store.tissues.set_scores(
        twin_id,
        tissues=[{"name": t.name, "score": t.score, "rank": t.rank} for t in found.tissues],
        cell_types=[
            {"tissue": c.tissue, "name": c.name, "score": c.score, "rank": c.rank}
            for c in found.cell_types
        ],
    )
    log.info(
        "twin %s: %d tissue(s), %d cell type(s), %d cross-tissue signal(s); most central %s",
        twin_id,
        len(found.tissues),
        len(found.cell_types),
        found.n_cross_tissue_signals,
        found.tissues[0].name,
    )
    return summary_props(found)


TOP_GENES = 25
"""Genes of the meta-network ranking kept on the twin (``meta_top_genes_json``)."""


def summary_props(found: MetaCentrality) -> dict[str, Any]:
    """Twin properties recording a meta-network analysis (parameters, counts, top genes)."""
    return {
        "n_tissues": len(found.tissues),
        "n_tissue_cell_types": len(found.cell_types),
        "n_cross_tissue_signals": found.n_cross_tissue_signals,
        "n_within_tissue_signals": found.n_within_tissue_signals,
        "meta_method": "reverse PageRank on tissue/cell type/gene meta-network (numpy)",
        "meta_damping": found.damping,
        "meta_iterations": found.iterations,
        "meta_seed": found.seed,
        "meta_top_genes_json": json.dumps(
            [{"entrez": g.name, "score": g.score, "rank": g.rank} for g in found.genes[:TOP_GENES]]
        ),
    }


def cell_type_count(twin: Mapping[str, Any]) -> int:
    """The cell types of a stored twin (its properties): its own and those of its tissues.

    A multi-tissue twin's cell types hang off its tissues (``Twin-HAS_TISSUE->Tissue-
    HAS_CELL_TYPE->CellType``, counted in ``n_tissue_cell_types`` by :func:`summary_props`), not
    off the twin (``n_cell_types``, its own signalling network): the twin summary of the
    multi-tissue demo said 0 cell types (API, ``twin list --json``) where ``twin show`` listed
    11. The summary, and the report through it, count both.

    Examples
    --------
    >>> cell_type_count({"n_cell_types": 0, "n_tissue_cell_types": 11})
    11
    >>> cell_type_count({"n_cell_types": 2})
    2
    """
    return int(twin.get("n_cell_types") or 0) + int(twin.get("n_tissue_cell_types") or 0)


def tissue_layer(store: GraphStore, twin: Mapping[str, Any]) -> TissueLayer | None:
    """The stored tissue layer of ``twin`` (a Twin's properties), or ``None`` without tissues."""
    if not twin.get("n_tissues"):
        return None
    tissues_store = store.tissues
    rows = tissues_store.cell_types(twin["id"])
    by_tissue: dict[str, list[Any]] = defaultdict(list)
    head: dict[str, tuple[float, int | None]] = {}
    for r in rows:
        head[r["tissue"]] = (float(r["tissue_score"]), r["tissue_rank"])
        by_tissue[r["tissue"]].append(
            TissueCellType(
                tissue=r["tissue"],
                name=r["name"],
                n_genes=int(r["n_genes"]),
                score=float(r["score"]),
                rank=r["rank"],
                out_within=int(r["out_within"]),
                out_cross=int(r["out_cross"]),
                in_within=int(r["in_within"]),
                in_cross=int(r["in_cross"]),
            )
        )
    signals = tissues_store.signals(twin["id"])
    top = json.loads(twin.get("meta_top_genes_json") or "[]")
    ids = {g for s in signals for p in s["pairs"] for g in p.split(">")}
    ids |= {g["entrez"] for g in top}
    symbols = store.reference.protein_symbols(sorted(ids)) if ids else {}

    def sym(gene: str) -> str:
        return symbols.get(gene) or gene

    return TissueLayer(
        twin_id=twin["id"],
        method=str(twin.get("meta_method") or ""),
        damping=float(twin.get("meta_damping") or 0.85),
        seed=int(twin.get("meta_seed") or 0),
        tissues=tuple(
            TissueScore(name=t, score=head[t][0], rank=head[t][1], cell_types=tuple(cells))
            for t, cells in sorted(by_tissue.items(), key=lambda kv: head[kv[0]][1] or 10**6)
        ),
        signals=tuple(
            TissueSignalView(
                source_tissue=s["source_tissue"],
                source=s["source"],
                target_tissue=s["target_tissue"],
                target=s["target"],
                pairs=tuple(s["pairs"]),
                pair_symbols=tuple(">".join(sym(g) for g in p.split(">")) for p in s["pairs"]),
                cross_tissue=bool(s["cross_tissue"]),
            )
            for s in signals
        ),
        top_genes=tuple({**g, "symbol": sym(g["entrez"])} for g in top),
        n_cross_tissue_signals=int(twin.get("n_cross_tissue_signals") or 0),
        n_within_tissue_signals=int(twin.get("n_within_tissue_signals") or 0),
    )


TISSUE_VALUE = "reverse PageRank in the tissue meta-network"
"""What a tissue node's ``value`` is (the viewer's tapped node said nothing of it)."""
CELL_TYPE_VALUE = "changed genes"
"""What a cell type node's ``value`` is (a twin's own cell types and a tissue's alike)."""


def tissue_graph(layer: TissueLayer | None) -> tuple[list[GraphNode], list[GraphEdge]]:
    """Nodes (tissues, their cell types) and edges (contains, signals) of a tissue layer."""
    if layer is None:
        return [], []
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    top = max((t.score for t in layer.tissues), default=0.0) or 1.0
    top_cell = max((c.score for t in layer.tissues for c in t.cell_types), default=0.0) or 1.0
    for t in layer.tissues:
        tid = f"{layer.twin_id}/tissue:{t.name}"
        nodes.append(
            GraphNode(
                id=tid,
                label=t.name,
                layer="tissue",
                kind="Tissue",
                size=1.0 + 4.0 * t.score / top,
                value=t.score,
                value_label=TISSUE_VALUE,
            )
        )
        for c in t.cell_types:
            cid = f"{layer.twin_id}/{t.name}/{c.name}"
            nodes.append(
                GraphNode(
                    id=cid,
                    label=f"{c.name} ({t.name})",
                    layer="cell_type",
                    kind="CellType",
                    size=1.0 + 4.0 * c.score / top_cell,
                    value=float(c.n_genes),
                    value_label=CELL_TYPE_VALUE,
                )
            )
            edges.append(GraphEdge(source=tid, target=cid, kind="HAS_CELL_TYPE"))
    for s in layer.signals:
        edges.append(
            GraphEdge(
                source=f"{layer.twin_id}/{s.source_tissue}/{s.source}",
                target=f"{layer.twin_id}/{s.target_tissue}/{s.target}",
                kind="SIGNALS_TO_CROSS_TISSUE" if s.cross_tissue else "SIGNALS_TO",
                weight=float(len(s.pairs)),
            )
        )
    return nodes, edges
