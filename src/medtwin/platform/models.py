"""Typed results of the use cases (what the CLI prints, the API serves and Python users get).

Frozen pydantic models, so they serialise to the stable JSON that ``--json`` and the API return.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from medtwin.domain import TwinParams
from medtwin.platform.algorithms.direction import direction_word
from medtwin.platform.evidence import personal_evidence as evidence_label
from medtwin.platform.gating import module_gate

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CellTypeScore",
    "Community",
    "DeleteReport",
    "DiseaseMatch",
    "DrugExplanation",
    "DrugScore",
    "ExplanationPath",
    "GeneScore",
    "GraphEdge",
    "GraphNode",
    "PatientSummary",
    "PhenotypeModule",
    "PhenotypeTerm",
    "RankParams",
    "RankingResult",
    "TissueCellType",
    "TissueLayer",
    "TissueScore",
    "TissueSignalView",
    "TwinDetail",
    "TwinDiff",
    "TwinGraph",
    "TwinParams",
    "TwinSummary",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ModuleGated(_Frozen):
    """Adds ``module_significant`` and ``module_note`` (see :mod:`medtwin.platform.gating`)."""

    module_z: float | None = None
    module_p: float | None = None

    @computed_field(  # type: ignore[prop-decorator]
        description="True when the twin's module is more connected than random genes "
        "(module z >= 1.6 and p <= 0.05); otherwise the ranking is exploratory."
    )
    @property
    def module_significant(self) -> bool:
        """Whether the module passes the gate."""
        return module_gate(self.module_z, self.module_p).significant

    @computed_field(  # type: ignore[prop-decorator]
        description="Why the ranking is exploratory (module not more connected than random "
        "genes, or not assessable); null when the module is significant."
    )
    @property
    def module_note(self) -> str | None:
        """The gate's note (``None`` when significant)."""
        return module_gate(self.module_z, self.module_p).note


class RankParams(_Frozen):
    """How drugs are screened against a twin.

    ``methods`` are computed and shown; only ``order`` methods decide the rank. Defaults were
    chosen with ``make validate-twins`` (README, "How good are the rankings?").
    """

    methods: tuple[str, ...] = Field(
        default=("proximity", "direction", "centrality", "disruption"),
        description="Ranking methods computed and shown (see `medtwin rank --help`).",
    )
    order: tuple[str, ...] = Field(
        default=("proximity",),
        description="Methods whose percentiles make the combined score that orders the drugs.",
    )
    tier: Literal["approved", "none"] = Field(
        default="approved",
        description="'approved': approved drugs (and drugs of unknown status) before the others, "
        "a documented filter; 'none': one list.",
    )
    targets: str = Field(
        default="drugbank_dhimmel",
        description="Drug-target source, or a TSV of your own drugs (`rank --targets FILE`; the "
        "stored ranking records it as '<file name> sha256:<hex>').",
    )
    n_samples: int = Field(default=1000, ge=10, description="Null-model samples.")
    max_samples: int = Field(
        default=100_000,
        ge=10,
        description="Proximity: drugs whose p sits at the floor 1/(n+1) are resampled, 10x at a "
        "time, up to this many samples.",
    )
    seed: int = Field(default=0, description="Seed of the null models.")
    approved_only: bool = Field(default=False, description="Only drugs in DrugBank group approved.")
    effector_filter: bool = Field(
        default=True,
        description="Antibody Fc-receptor and complement 'targets' (FCGR*, FCER*, C1Q*, C2-C9...) "
        "are not used for ranking unless DrugBank marks them as the known action "
        "(medtwin.platform.ranking.effector).",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_order_follows_methods(cls, data: object) -> object:
        # Without an explicit order, rank by proximity when it is computed, else by the first
        # method given: `--method direction` alone must not fail on the default order.
        if isinstance(data, dict) and "order" not in data and data.get("methods"):
            methods = tuple(data["methods"])
            data = {**data, "order": ("proximity",) if "proximity" in methods else methods[:1]}
        return data

    @model_validator(mode="after")
    def _order_is_computed(self) -> RankParams:
        missing = [m for m in self.order if m not in self.methods]
        if missing:
            raise ValueError(
                f"order methods {missing} must also be in methods {list(self.methods)}"
            )
        if self.max_samples < self.n_samples:
            raise ValueError("max_samples must be >= n_samples")
        return self


class PatientSummary(_Frozen):
    """One patient and what is stored for them."""

    id: str
    inputs: int
    genes: int
    symptoms: tuple[str, ...]
    metadata: dict[str, str]
    twin_versions: tuple[int, ...]
    created_at: datetime | None = None


class DeleteReport(_Frozen):
    """What ``patient delete`` removed."""

    patient_id: str
    nodes_deleted: int
    relationships_deleted: int
    remaining_patient_nodes: int


class GeneScore(_Frozen):
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


class Community(_Frozen):
    """A Louvain community of the twin."""

    id: int
    size: int
    top_genes: tuple[str, ...]


class CellTypeScore(_Frozen):
    """A cell type of a multicellular twin ranked by centrality in the cell-type network."""

    name: str
    n_genes: int
    pagerank: float
    out_signals: int
    in_signals: int


class TwinSummary(ModuleGated):
    """One twin version (with the module gate: ``module_significant``, ``module_note``)."""

    id: str
    patient_id: str
    version: int
    created_at: datetime
    params: TwinParams
    params_hash: str
    input_checksums: dict[str, str]
    n_seeds: int
    n_genes: int
    module_size: int
    module_z: float | None
    module_p: float | None
    n_symptoms: int
    n_cell_types: int
    seconds: float | None = None


class TissueCellType(_Frozen):
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


class TissueScore(_Frozen):
    """A tissue of a multi-tissue twin, ranked by meta-network centrality."""

    name: str
    score: float
    rank: int | None
    cell_types: tuple[TissueCellType, ...]


class TissueSignalView(_Frozen):
    """A ligand–receptor link between two cell types of a twin's tissue layer."""

    source_tissue: str
    source: str
    target_tissue: str
    target: str
    pairs: tuple[str, ...] = Field(description="'ligand>receptor' Entrez id pairs.")
    pair_symbols: tuple[str, ...] = ()
    cross_tissue: bool


class TissueLayer(_Frozen):
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


class PhenotypeTerm(_Frozen):
    """A symptom/phenotype of a phenotype module (presented by the patient or co-occurring)."""

    id: str
    name: str | None
    kind: str
    role: Literal["presented", "co-occurring"]
    weight: float | None = Field(
        default=None, description="Summed co-occurrence weight to the patient's symptoms."
    )


class PhenotypeModule(_Frozen):
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


class TwinDetail(_Frozen):
    """``twin show``: a twin with its central genes, communities, cell types and symptoms."""

    twin: TwinSummary
    top_genes: tuple[GeneScore, ...]
    communities: tuple[Community, ...]
    cell_types: tuple[CellTypeScore, ...]
    symptoms: tuple[dict[str, str | int], ...]
    tissues: TissueLayer | None = None
    phenotype_module: PhenotypeModule | None = None


class TwinDiff(_Frozen):
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


class UpstreamRegulator(_Frozen):
    """One upstream regulator of a twin (``medtwin twin regulators``)."""

    entrez: str
    symbol: str
    activity: float | None = Field(description="TF activity t-value (ULM on DoRothEA A-C).")
    p: float | None
    q: float | None
    n_targets: int | None = Field(description="Regulon targets among the patient's genes.")
    driver: float | None = Field(description="Signed driver weight (+ gain, - loss).")
    pagerank: float = Field(description="Personalised PageRank seeded by |activity| and drivers.")
    rank: int = Field(description="1 = most central.")
    words: str


class RegulatorReport(_Frozen):
    """The twin's upstream regulators and pathway activities."""

    twin_id: str
    n_genes_with_statistic: int
    n_tfs_scored: int
    q_max: float
    restart: float
    regulators: tuple[UpstreamRegulator, ...]
    pathways: dict[str, dict[str, float]] = Field(
        description="PROGENy pathway -> score (MLM t), p, q."
    )
    seconds: float


class DrugScore(_Frozen):
    """One drug's scores against one twin."""

    rank: int
    drug_id: str
    drug_name: str | None
    n_targets: int
    n_targets_in_network: int
    approved: bool | None = None
    d_c: float | None = None
    z: float | None = None
    p: float | None = None
    q: float | None = None
    n_samples: int | None = None
    centrality: float | None = None
    disruption_z: float | None = None
    direction: float | None = Field(
        default=None,
        description="Action direction in [-1, 1]: + counteracts (the drug pushes its targets "
        "against the patient's change, e.g. inhibits an up-regulated gene), - aggravates "
        "(pushes them further the same way); null when no target has a known action and change.",
    )
    regulator: float | None = Field(
        default=None, description="Upstream-regulator activity the drug counteracts (regulator)."
    )
    regulator_network: float | None = Field(
        default=None, description="RWR p/k from the URs and drivers at its targets."
    )
    pathway: float | None = Field(
        default=None, description="Mean activity of the pathways whose core it targets (pathway)."
    )
    driver: float | None = Field(
        default=None, description="Driver evidence the drug counteracts (driver)."
    )
    reversal: float | None = Field(
        default=None, description="-Spearman of patient and LINCS drug signature (reversal)."
    )
    reversal_q: float | None = None
    degree_baseline_rank: int | None = None
    combined: float
    targets_in_module: tuple[str, ...] = ()
    targets_in_module_symbols: tuple[str, ...] = ()

    @computed_field(  # type: ignore[prop-decorator]
        description="`direction` in words: counteracts (+), aggravates (-), mixed (0) or unknown."
    )
    @property
    def direction_word(self) -> str:
        """``counteracts`` / ``aggravates`` / ``mixed`` / ``unknown`` (``direction_word``)."""
        return direction_word(self.direction)


class RankingResult(ModuleGated):
    """A stored ranking of all drugs against one twin version.

    ``module_z`` / ``module_p`` are those of the ranked twin's module; ``module_significant`` and
    ``module_note`` say whether the ranking is exploratory.
    """

    id: str
    twin_id: str
    params: RankParams
    created_at: datetime
    n_drugs: int
    seconds: float
    total: int = 0
    offset: int = 0
    drugs: tuple[DrugScore, ...]

    @computed_field(  # type: ignore[prop-decorator]
        description="How much the method that ordered this list depends on the patient, as "
        "measured by `make validate-twins` on the development data (own - swapped patient "
        "AUROC with its 95 % CI), or 'none beyond population priors' when no part shows a gain "
        "(medtwin.platform.evidence)."
    )
    @property
    def personal_evidence(self) -> str:
        """The committed harness figure for ``params.order`` / ``params.tier``."""
        return evidence_label(
            self.params.order, self.params.tier, approved_only=self.params.approved_only
        )

    def to_frame(self) -> pd.DataFrame:
        """The drugs as a pandas DataFrame, one row per drug (best first), one column per field.

        Examples
        --------
        >>> from datetime import UTC, datetime
        >>> r = RankingResult(id="P1@v1/x", twin_id="P1@v1", params=RankParams(), n_drugs=1,
        ...     created_at=datetime(2026, 1, 1, tzinfo=UTC), seconds=0.1,
        ...     drugs=(DrugScore(rank=1, drug_id="DB1", drug_name="one", n_targets=2,
        ...     n_targets_in_network=2, combined=0.5),))
        >>> r.to_frame()[["rank", "drug_id", "drug_name"]].to_dict("records")
        [{'rank': 1, 'drug_id': 'DB1', 'drug_name': 'one'}]
        """
        import pandas as pd  # pandas only for who asks for a frame (CLI start-up)

        return pd.DataFrame([d.model_dump() for d in self.drugs])


class ExplanationPath(_Frozen):
    """A shortest path from a drug target to a module gene."""

    nodes: tuple[str, ...]
    symbols: tuple[str | None, ...]
    length: int


class DrugExplanation(_Frozen):
    """``explain``: why a drug ranks where it does for a patient."""

    patient_id: str
    twin_id: str
    drug_id: str
    drug_name: str | None
    score: DrugScore | None
    targets: tuple[dict[str, str | float | bool | None], ...]
    central_genes_reached: tuple[str, ...]
    paths: tuple[ExplanationPath, ...]
    cell_types: tuple[str, ...]
    cypher: str


class GraphNode(_Frozen):
    """A node of a twin drawing (viewer, exports)."""

    id: str
    label: str
    layer: str
    kind: str
    size: float = 1.0
    value: float | None = None
    community: int | None = None


class GraphEdge(_Frozen):
    """An edge of a twin drawing."""

    source: str
    target: str
    kind: str
    weight: float | None = None


class DiseaseMatch(_Frozen):
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


class TwinGraph(_Frozen):
    """A twin as nodes and edges, for the viewer and Cytoscape/GraphML exports."""

    twin_id: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
