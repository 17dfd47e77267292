"""Twin drawings (viewer, exports), explanation paths and disease matches: results with no ranking.

Kept apart from :mod:`medtwin.platform.models`, which re-exports them.
"""

from __future__ import annotations

from pydantic import Field

from medtwin.platform.frozen_model import FrozenModel

__all__ = ["DiseaseMatch", "ExplanationPath", "GraphEdge", "GraphNode", "TwinGraph"]


class GraphNode(FrozenModel):
    """A node of a twin drawing (viewer, exports)."""

    id: str
    label: str
    layer: str
    kind: str
    size: float = 1.0
    value: float | None = None
    value_label: str | None = Field(
        None,
        description="What `value` is: 'log2 fold change' (a twin gene), 'TF activity t (ULM)' (an "
        "upstream regulator drawn from outside the twin), 'changed genes' (a cell type), "
        "'pathway activity score' (a pathway's patient-level one), 'twin genes annotated to it' "
        "(a presented term), 'phenotype genes in the twin's module' (the phenotype module).",
    )
    community: int | None = None
    regulator_rank: int | None = Field(
        None, description="Rank among the twin's upstream regulators (1 = most central)."
    )
    regulator: str | None = Field(None, description="The upstream regulator in words.")
    x: float | None = Field(
        None,
        description="Place in the drawing (layout units, right), the same in the viewer, the "
        "report's picture and the exports: medtwin.platform.twin_layout; none past 1,500 nodes.",
    )
    y: float | None = Field(None, description="Place in the drawing (layout units, down).")


class GraphEdge(FrozenModel):
    """An edge of a twin drawing."""

    source: str
    target: str
    kind: str
    weight: float | None = None


class ExplanationPath(FrozenModel):
    """A shortest path from a drug target to a module gene (``explain``; drawn by the viewer)."""

    nodes: tuple[str, ...]
    symbols: tuple[str | None, ...]
    length: int


class DiseaseMatch(FrozenModel):
    """A reference disease module and how close it lies to a twin's module."""

    twin_id: str
    rank: int
    disease_id: str
    name: str
    n_genes: int = Field(description="Disease genes in the interactome.")
    shared: int = Field(description="Genes in both the twin's module and the disease module.")
    d_c: float = Field(description="Mean closest distance of the disease genes to the module.")
    z: float | None = Field(description="Proximity z against degree-matched random pairs.")
    p: float
    q: float = Field(description="Benjamini-Hochberg across the diseases.")
    s_ab: float | None = Field(description="Network separation (negative = overlapping).")
    n_samples: int
    seed: int


class TwinGraph(FrozenModel):
    """A twin as nodes and edges, for the viewer and Cytoscape/GraphML exports.

    Proteins, cell types (with their EXPRESSES_CHANGE edges to the twin's proteins), tissues,
    upstream regulators, presented terms, the phenotype module, the strongest pathways, the twin
    itself with its strongest TF and pathway ACTIVITY edges, and its patient's time points.
    """

    twin_id: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    regulator_note: str | None = Field(
        default=None,
        description="Why no node is marked as an upstream regulator although the layers may be "
        "loaded (no vector of every measured gene), and where the per-cell-type ones are.",
    )
    regulator_legend: str | None = Field(
        default=None,
        description="The viewer's legend of the ringed upstream regulators: how many of the "
        "twin's are drawn (e.g. 'top 20 of 39 by centrality + 4 drivers ranked lower').",
    )
    pathway_legend: str | None = Field(
        default=None,
        description="The viewer's legend of the pathway nodes: how many of the twin's pathways "
        "(by activity, patient-level or per cell type/tissue) are drawn (e.g. 'pathway (top 20 "
        "of 61 by |activity|)').",
    )
    activity_legend: str | None = Field(
        default=None,
        description="The viewer's legend of the ACTIVITY edges from the twin (and from its cell "
        "types/tissues): their colours by the score's sign and how many of the twin's TF "
        "activities are drawn (e.g. 'ACTIVITY (red +, blue -; top 10 of 87 TFs by |score|, +77 "
        "more)'). None without an activity edge.",
    )
    time_point_legend: str | None = Field(
        default=None,
        description="The viewer's legend of the patient's time points (a timeline in order, "
        "linked by THEN; AT edges from the twin to those it was built from), e.g. 'time point "
        "(all 3, in order; AT: the twin's)'. None when the patient's inputs name none.",
    )
    layout_seed: int | None = Field(
        default=None,
        description="The seed of the force layout that placed the nodes' x and y "
        "(medtwin.platform.twin_layout; the twin's own seed): the same graph and seed give the "
        "same places. None where no node has a place (past 1,500 nodes).",
    )
