"""Typed results of the twin read use cases: ``twin show``, ``twin diff`` and their layers.

What a twin holds inside: its central genes, communities, cell types, tissue layer, phenotype
module and upstream regulators. The twin's own summary
(:class:`~medtwin.platform.patient_models.TwinSummary`, with the module gate) is in
:mod:`medtwin.platform.patient_models`, the ranking results in
:mod:`medtwin.platform.ranking_models`; these are frozen pydantic models on the same base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, computed_field

if TYPE_CHECKING:
    import pandas as pd

from medtwin.platform.frozen_model import FrozenModel, frame_of
from medtwin.platform.patient_models import TwinSummary

PANEL_GENES = 5000
"""Fewer genes with a statistic than this is read as a selected panel, not a transcriptome
(microarrays and filtered RNA-seq measure 10,000-20,000 genes)."""


def panel_note(n_genes: int | None) -> str | None:
    """A caution when activities rest on few enough genes to be a panel (:data:`PANEL_GENES`).

    Footprint methods regress each regulon or pathway signature on every measured gene
    (Badia-i-Mompel 2022, doi:10.1093/bioadv/vbac016): a file of only DE hits or most variable
    genes leaves out the unchanged background, so activities lean toward the selection. A rule
    for words, not a filter: the activities are still computed.

    >>> panel_note(570).startswith("activities rest on 570 genes")
    True
    >>> panel_note(12000) is None, panel_note(0) is None
    (True, True)
    """
    if not n_genes or n_genes >= PANEL_GENES:
        return None
    return (
        f"activities rest on {n_genes:,} genes: if the file holds only selected genes (DE hits, "
        "most variable genes) rather than every measured gene, they lean toward that selection "
        f"(a transcriptome has over {PANEL_GENES:,})"
    )


def target_expression_panel_note(n_genes: int | None) -> str | None:
    """:func:`panel_note`'s caution for the ranking's ``target_expression``, in its words.

    ``target_expression`` compares a drug's targets with degree-matched genes drawn from the
    patient's own vector of every measured gene (:mod:`medtwin.platform.ranking.
    target_expression_rank`): a file of only DE hits or most variable genes makes that null a
    draw from the selection, not from the unchanged background. Words, not a filter: the drugs
    are still scored.

    >>> target_expression_panel_note(572).startswith("target_expression rests on 572 genes")
    True
    >>> target_expression_panel_note(12000) is None, target_expression_panel_note(None) is None
    (True, True)
    """
    if not n_genes or n_genes >= PANEL_GENES:
        return None
    return (
        f"target_expression rests on {n_genes:,} genes: if the file holds only selected genes "
        "(DE hits, most variable genes) rather than every measured gene, its degree-matched null "
        "is drawn from that selection rather than from the unchanged background, so the z "
        f"compares the targets with other selected genes (a transcriptome has over {PANEL_GENES:,})"
    )


__all__ = [
    "CellTypeScore",
    "Community",
    "GeneScore",
    "PhenotypeModule",
    "PhenotypeTerm",
    "RegulatorReport",
    "TissueCellType",
    "TissueLayer",
    "TissueScore",
    "TissueSignalView",
    "TwinDetail",
    "TwinDiff",
    "UpstreamRegulator",
]


class GeneScore(FrozenModel):
    """A gene of a twin with the patient's change and its centralities in the twin."""

    entrez: str
    symbol: str | None
    role: Literal["seed", "expanded"]
    log2fc: float | None
    in_module: bool
    pagerank: float | None = None
    personalised_pagerank: float | None = None
    betweenness: float | None = None
    rwr: float | None = None
    community: int | None = None
    cell_types: tuple[str, ...] = ()


class Community(FrozenModel):
    """A Louvain community of the twin."""

    id: int
    size: int
    top_genes: tuple[str, ...]


class CellTypeScore(FrozenModel):
    """A cell type of a multicellular twin ranked by centrality in the cell-type network."""

    name: str
    n_genes: int
    pagerank: float
    out_signals: int
    in_signals: int


class TissueCellType(FrozenModel):
    """A cell type of one tissue in a multi-tissue twin, with its meta-network centrality."""

    tissue: str
    name: str
    n_genes: int
    score: float = Field(description="Reverse PageRank in the tissue/cell type/gene meta-network.")
    rank: int | None = Field(description="Rank among all cell types (1 = most central).")
    out_within: int = Field(description="Cell types of the same tissue it sends ligands to.")
    out_cross: int = Field(description="Cell types of other tissues it sends ligands to.")
    in_within: int
    in_cross: int


class TissueScore(FrozenModel):
    """A tissue of a multi-tissue twin, ranked by meta-network centrality."""

    name: str
    score: float
    rank: int | None
    cell_types: tuple[TissueCellType, ...]


class TissueSignalView(FrozenModel):
    """A ligand–receptor link between two cell types of a twin's tissue layer."""

    source_tissue: str
    source: str
    target_tissue: str
    target: str
    pairs: tuple[str, ...] = Field(description="'ligand>receptor' Entrez id pairs.")
    pair_symbols: tuple[str, ...] = ()
    cross_tissue: bool


class TissueLayer(FrozenModel):
    """The tissue layer of a twin: tissues, their cell types, signalling and central genes."""

    twin_id: str
    method: str
    damping: float
    seed: int
    tissues: tuple[TissueScore, ...]
    signals: tuple[TissueSignalView, ...]
    top_genes: tuple[dict[str, str | float | int | None], ...]
    n_cross_tissue_signals: int
    n_within_tissue_signals: int


class PhenotypeTerm(FrozenModel):
    """A symptom/phenotype of a phenotype module (presented by the patient or co-occurring)."""

    id: str
    name: str | None
    kind: str
    role: Literal["presented", "co-occurring"]
    weight: float | None = Field(
        default=None, description="Summed co-occurrence weight to the patient's symptoms."
    )


class PhenotypeModule(FrozenModel):
    """A twin's phenotype module and the significance of its link to the molecular module."""

    twin_id: str
    terms: tuple[PhenotypeTerm, ...]
    n_genes: int = Field(description="Phenotype genes (annotated to the terms) in the interactome.")
    module_size: int = Field(description="Genes of the twin's molecular module.")
    overlap: int = Field(description="Phenotype genes inside the twin's module.")
    overlap_genes: tuple[dict[str, str | list[str] | None], ...]
    mu: float = Field(description="Mean overlap of degree-matched random gene sets.")
    sigma: float
    z: float | None
    p: float | None = Field(description="Empirical p: (1 + #null >= overlap) / (n + 1).")
    significant: bool
    n_samples: int
    seed: int
    min_weight: dict[str, float] = Field(
        description="Summed co-occurrence weight a term of each kind needs to join the module."
    )
    n_symptoms_unknown: int = 0
    method: str


class TwinDetail(FrozenModel):
    """``twin show``: a twin with its central genes, communities, cell types and symptoms."""

    twin: TwinSummary
    top_genes: tuple[GeneScore, ...]
    communities: tuple[Community, ...]
    cell_types: tuple[CellTypeScore, ...]
    symptoms: tuple[dict[str, str | int], ...]
    tissues: TissueLayer | None = None
    phenotype_module: PhenotypeModule | None = None
    stale_note: str | None = Field(
        default=None,
        description="Set when the patient's inputs changed after this twin was built (an input "
        "added, or a file added again with other content): the twin does not reflect them; "
        "it ends with the step that builds one that does, in the caller's words (the API: "
        "`call POST /v1/patients/{id}/twins`; the CLI: `medtwin twin build`; Python: "
        "`twins.build_twin`).",
    )


class TwinDiff(FrozenModel):
    """``twin diff``: what changed between two versions of one patient's twin."""

    patient_id: str
    from_version: int
    to_version: int
    params_changed: dict[str, tuple[str, str]]
    inputs_changed: bool
    genes_added: tuple[str, ...]
    genes_removed: tuple[str, ...]
    module_size: tuple[int, int]
    module_z: tuple[float | None, float | None]
    changed_values: tuple[dict[str, str | float | None], ...]
    tissues_added: tuple[str, ...] = ()
    tissues_removed: tuple[str, ...] = ()
    most_central_tissue: tuple[str | None, str | None] = (None, None)
    phenotype_terms_added: tuple[str, ...] = Field(
        default=(),
        description="Terms of the phenotype module (presented or co-occurring) new in v2.",
    )
    phenotype_terms_removed: tuple[str, ...] = ()
    phenotype_module_p: tuple[float | None, float | None] = (None, None)
    stale_note: str | None = Field(
        default=None,
        description="Set when the newer version (to) predates the patient's inputs: the note of "
        "`twin show --version TO`, so a diff is not read as the patient's change up to now.",
    )


class UpstreamRegulator(FrozenModel):
    """One upstream regulator of a twin (``medtwin twin regulators``)."""

    entrez: str
    symbol: str
    activity: float | None = Field(description="TF activity t-value (ULM on DoRothEA A-C).")
    p: float | None
    q: float | None
    n_targets: int | None = Field(description="Regulon targets among the patient's genes.")
    driver: float | None = Field(
        description="Signed driver weight: < 0 loss, >= 2/3 gain (copy-number gain), <= 0.5 a "
        "coding mutation whose direction (gain or loss of function) the call does not give (a "
        "+1/2 prior, not an observed gain)."
    )
    driver_call: str | None = Field(
        None,
        description="The call behind the driver weight: a --mutations category (e.g. "
        "MutKnownFunctional, Amp8) or a variant consequence; null for a twin built before it "
        "was kept.",
    )
    pagerank: float = Field(description="Personalised PageRank seeded by |activity| and drivers.")
    rank: int = Field(description="1 = most central.")
    words: str
    kind: Literal["tf", "driver", "tf+driver"] = Field(
        "tf", description="Active TF (q at most q_max), driver gene, or both."
    )
    community: int | None = Field(
        None,
        description="Louvain community of the whole regulatory + PPI network (1 = the top UR's); "
        "a partition of the network, not of the patient's genes, which differs between engines "
        "(GDS vs networkx, seed 18).",
    )
    community_size: int | None = Field(
        None, description="Proteins in that community (null: a twin built before it was kept)."
    )
    network_size: int | None = Field(
        None, description="Proteins of the network the communities partition (engine's network)."
    )
    group_with: tuple[str, ...] = Field((), description="The other URs of the same group.")


class RegulatorReport(FrozenModel):
    """The twin's upstream regulators and pathway activities."""

    twin_id: str
    n_genes_with_statistic: int
    n_tfs_scored: int
    q_max: float
    restart: float
    regulators: tuple[UpstreamRegulator, ...]
    engine: Literal["gds", "in_process", "none"] = Field(
        "none", description="Where the centrality and groups were computed (none: no UR)."
    )
    stored: bool = Field(
        False, description="Read from the twin's UPSTREAM_REGULATOR edges (else computed now)."
    )
    n_regulators: int = Field(0, description="Upstream regulators in total (before --top).")
    pathways: dict[str, dict[str, float]] = Field(
        description="PROGENy pathway -> score (MLM t), p, q."
    )
    seconds: float
    note: str | None = Field(
        None,
        description="Why there are no twin-level regulators although the layers are loaded: "
        "the twin has no vector of every measured gene (e.g. an h5ad twin); the per-cell-type "
        "ones (`--by cell-type`, `?by=cell_type`) read full per-cell-type vectors.",
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="Set when the activities rest on fewer genes than a transcriptome "
        f"(< {PANEL_GENES:,}): likely a pre-selected panel, which biases the footprints."
    )
    @property
    def gene_set_note(self) -> str | None:
        """:func:`panel_note` of the genes with a statistic."""
        return panel_note(self.n_genes_with_statistic)

    def to_frame(self) -> pd.DataFrame:
        """The upstream regulators as a pandas DataFrame, one row each (by rank)."""
        return frame_of(self.regulators, UpstreamRegulator)
