"""Domain types shared by :mod:`medtwin.store` and :mod:`medtwin.platform`.

The store materialises what the platform computes, so both need these types; they live here so
that ``store/`` never imports ``platform/`` (the arrows run cli/api → platform → store, and both
platform and store → domain). Everything here is a plain value: no I/O, no driver types.

- :class:`TwinParams` — how a twin is cut from the reference graph (re-exported by
  :mod:`medtwin.platform.models`);
- :class:`ModuleResult` — a module's LCC and z-score (computed by
  :func:`medtwin.platform.algorithms.modules.module_significance`);
- :class:`TwinGene`, :class:`CellSignal`, :class:`TwinSpec` — one twin version as built by
  :func:`medtwin.platform.twin.build_twin_spec`;
- :class:`TwinAnalysis` — which graph algorithms the store runs on a stored twin (the platform
  decides, the store executes).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from medtwin.errors import InputError
from medtwin.field_names import STORED_CONTEXT, KnownFields
from medtwin.random_seed import MAX_SEED, seed_or_value_error

__all__ = [
    "LAYERS",
    "RANKING_RULES",
    "Seed",
    "TWIN_RULES",
    "CellSignal",
    "ModuleResult",
    "TissueSignal",
    "TwinAlgorithm",
    "TwinAnalysis",
    "TwinGene",
    "TwinParams",
    "TwinSpec",
]

log = logging.getLogger(__name__)


def _seed_field(value: int, info: ValidationInfo) -> int:
    # A twin or ranking stored before the bound (up to 2**63 - 1) is read back as stored: its
    # seed is what it was built with; only new parameters are held to MAX_SEED.
    if info.context and info.context.get("stored"):
        return value
    return seed_or_value_error(value)


Seed = Annotated[
    int,
    AfterValidator(_seed_field),
    # the bound in the OpenAPI schema too (a validator alone leaves it out)
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_SEED}),
]
"""A seed field or API parameter, refused in :data:`medtwin.random_seed.SEED_RULE`'s words."""


LAYERS = ("expression", "protein", "variant")
"""The patient layers a twin's seeds come from (``loaders.patient_rows.ChangeLayer``)."""

TWIN_RULES = 4
"""Version of the rules that turn a patient's inputs into a twin, stored on each Twin
(``rules``; none stored = 0, before a version was recorded): its seeds and module, and what the
build stores beside them (twin-level activities, upstream regulators and their drivers). Raise
it, and say what changed in :data:`medtwin.platform.twin_currency.RULE_CHANGES` (``"twin"``),
with any change that moves what a build stores for the same inputs and parameters: such twins
then say so and are built again (``twin build --skip-current``, ``cohort run``, ``twin
trajectory``) instead of reused; the fix named is ``medtwin twin build P``."""

RANKING_RULES = 4
"""Version of the rules that score a twin's drugs, stored on each Ranking (``rules``; none
stored = 0). Raise it, and say what changed in :data:`~medtwin.platform.twin_currency.RULE_CHANGES`
(``"ranking"``), with any change that moves a ranking's scores or order for the same twin and
parameters: such rankings then say so and are computed again (``rank``, ``cohort run``, ``twin
trajectory``) while their twin is kept; the fix named is ``medtwin rank P --rerank``.

Two numbers rather than one (a single ``SCORING_RULES`` stood for both before): a change
in how a ranking scores needs only a rerank, and rebuilding every twin for it would give new
twin versions (and new Louvain groups, GDS ids) for nothing. Both were 1 when they were split,
so nothing stored became stale by the split itself. A change of both kinds (a driver's weight is
stored on the twin's regulators *and* read again by the driver methods, version 2) raises both."""


class TwinParams(KnownFields):
    """How a twin is cut from the reference graph (stored with the twin; hashed into its id).

    Defaults were chosen with ``make validate-twins`` on the development data (docs/validation.md,
    "How good are the rankings?"); the same values serve every patient and disease.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    FIELD_SYNONYMS: ClassVar[dict[str, str]] = {
        "padj_max": "seed_fdr",  # the reader's option (InputOptions) is padj_max
        "fdr": "seed_fdr",
        "n_samples": "module_samples",
        "n_permutations": "module_samples",
    }

    layers: tuple[str, ...] = Field(
        default=("expression", "protein", "variant"),
        description="Patient layers whose genes seed the module.",
    )
    layer_weights: dict[str, float] = Field(
        default_factory=lambda: {"expression": 1.0, "protein": 1.0, "variant": 1.0},
        description="Multiplier of each layer's evidence when genes compete for seed places.",
    )
    seed_fdr: float = Field(
        default=0.05,
        gt=0,
        le=1,
        description="Changes with an adjusted p above this are not seeds (unless too few pass).",
    )
    min_seeds: int = Field(
        default=20, ge=1, description="Fill up to this many seeds by evidence when too few pass."
    )
    max_seeds: int = Field(default=400, ge=1, description="Keep the seeds with most evidence.")
    expansion: Literal["none", "diamond", "rwr"] = Field(
        default="none",
        description="How non-seed genes are added: DIAMOnD connectivity significance, a "
        "degree-normalised random walk, or none.",
    )
    expand: int = Field(default=0, ge=0, description="Non-seed genes added by the expansion.")
    restart: float = Field(default=0.7, gt=0, le=1, description="RWR restart probability.")
    module_samples: int = Field(
        default=1000, ge=10, description="Random degree-matched gene sets for the module z-score."
    )
    seed: Seed = Field(default=0, description="Seed of every stochastic step.")
    time_point: str | None = Field(default=None, description="Use only inputs of this time point.")

    @classmethod
    def from_stored(cls, params_json: str, *, twin_id: str, strict: bool = False) -> TwinParams:
        """The parameters stored with twin ``twin_id``.

        A twin stored before a check was added (a layer weight of NaN was stored as null before
        the weights were checked) is read as stored, with a warning, so that it can still be
        listed and shown; with ``strict`` (a computation on the twin) it is an
        :class:`~medtwin.errors.InputError` that says to build a new version. A field this
        medtwin does not have (stored by another version) is dropped, not refused.
        """
        try:
            return cls.model_validate_json(params_json, context=STORED_CONTEXT)
        except ValidationError as exc:
            reason = "; ".join(str(e["msg"]) for e in exc.errors())
            if strict:
                raise InputError(
                    f"twin {twin_id} was stored with parameters that are no longer accepted "
                    f"({reason})",
                    hint="build a new version of the twin with valid parameters",
                ) from None
            log.warning("twin %s: stored parameters read as stored (%s)", twin_id, reason)
            known = {k: v for k, v in json.loads(params_json).items() if k in cls.model_fields}
            return cls.model_construct(**known)

    # A weight of NaN or inf was stored as null and broke every later read of the twin (HTTP 500
    # on the twin routes, a traceback in `twin show`); an unknown layer did nothing, silently.
    @field_validator("layers")
    @classmethod
    def _known_layers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError(f"name at least one layer of {', '.join(LAYERS)}")
        unknown = [x for x in value if x not in LAYERS]
        if unknown:
            raise ValueError(f"unknown layer {unknown[0]!r}: the layers are {', '.join(LAYERS)}")
        if len(set(value)) < len(value):
            raise ValueError("a layer is named twice")
        return value

    @field_validator("layer_weights")
    @classmethod
    def _finite_weights(cls, value: dict[str, float]) -> dict[str, float]:
        for layer, weight in value.items():
            if layer not in LAYERS:
                raise ValueError(
                    f"unknown layer {layer!r} in layer_weights: the layers are {', '.join(LAYERS)}"
                )
            if not math.isfinite(weight) or weight < 0:
                raise ValueError(
                    f"the weight of layer {layer!r} must be a finite number >= 0, got {weight}"
                )
        return value


@dataclass(frozen=True)
class ModuleResult:
    """LCC of a gene set and its z-score against degree-matched random gene sets.

    Attributes
    ----------
    genes
        Distinct input genes that are network nodes (sorted by node index).
    lcc_genes
        Genes of the largest connected component of the induced subgraph.
    lcc_size
        ``len(lcc_genes)``.
    z, p, mu, sigma
        z-score, one-sided empirical p-value, mean and population std of the random LCC sizes;
        ``z`` is NaN when ``z_valid`` is False (``sigma == 0``).
    n_iter, seed
        Number of random gene sets and the seed.
    n_genes
        Distinct input genes, including those outside the network.
    z_valid
        False when ``sigma == 0``.
    """

    genes: tuple[str, ...]
    lcc_genes: tuple[str, ...]
    lcc_size: int
    z: float
    p: float
    mu: float
    sigma: float
    n_iter: int
    seed: int
    n_genes: int
    z_valid: bool


@dataclass(frozen=True)
class TwinGene:
    """A gene of the twin with the patient's aggregated change."""

    entrez: str
    role: str  # "seed" | "expanded"
    log2fc: float | None
    padj: float | None
    layers: tuple[str, ...]
    cell_types: tuple[str, ...]
    time_points: tuple[str, ...]
    in_module: bool
    rwr: float
    evidence: float = 0.0


@dataclass(frozen=True)
class CellSignal:
    """Cell type ``source`` signals to ``target`` through ligand–receptor pairs."""

    source: str
    target: str
    pairs: tuple[str, ...]  # "ligand>receptor" Entrez ids


@dataclass(frozen=True)
class TissueSignal:
    """Cell type ``source`` (in ``source_tissue``) signals to ``target`` (in ``target_tissue``)."""

    source_tissue: str
    source: str
    target_tissue: str
    target: str
    pairs: tuple[str, ...]  # "ligand>receptor" Entrez ids

    @property
    def cross_tissue(self) -> bool:
        """Whether sender and receiver lie in different tissues."""
        return self.source_tissue != self.target_tissue


@dataclass(frozen=True)
class TwinSpec:
    """Everything the store needs to materialise one twin version."""

    patient_id: str
    params: TwinParams
    params_hash: str
    input_checksums: dict[str, str]
    genes: tuple[TwinGene, ...]
    module: ModuleResult
    symptoms: tuple[str, ...]
    cell_types: dict[str, tuple[str, ...]]
    signals: tuple[CellSignal, ...]
    n_changes: int
    n_outside_network: int
    n_seeds_below_fdr: int = 0
    tissues: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    tissue_signals: tuple[TissueSignal, ...] = ()
    gene_stats: dict[str, float] = field(default_factory=dict)
    """Entrez id -> signed evidence of every selected non-variant change (twin step 8)."""
    drivers: dict[str, float] = field(default_factory=dict)
    """Entrez id -> signed driver weight of the variant-layer changes (twin step 8)."""


TwinAlgorithm = Literal["pagerank", "personalised_pagerank", "betweenness", "louvain"]
"""Algorithms the store can run on a twin's PPI projection."""


@dataclass(frozen=True)
class TwinAnalysis:
    """Which graph algorithms to run on a stored twin, and with what.

    Attributes
    ----------
    algorithms
        Run on the twin's PPI subgraph, in this order: PageRank (Brin & Page 1998,
        doi:10.1016/S0169-7552(98)00110-X), PageRank personalised to ``seeds``, betweenness
        (Brandes 2001, doi:10.1080/0022250X.2001.9990249), Louvain communities (Blondel et al.
        2008, doi:10.1088/1742-5468/2008/10/P10008). Results are stored on the twin's genes.
    seeds
        Restart genes of the personalised PageRank (Entrez ids).
    cell_type_pagerank
        Also rank the twin's cell types by weighted PageRank of their signalling network.
    seed
        Seed of Louvain's node order where an implementation randomises it (the in-memory
        store's networkx Louvain); GDS at ``concurrency: 1`` visits the nodes in the projection's
        protein id order and has no seed. The two give other partitions where several are
        nearly as good, with a modularity within 0.02 (docs/patients.md, "Twin communities").
    """

    algorithms: tuple[TwinAlgorithm, ...] = (
        "pagerank",
        "personalised_pagerank",
        "betweenness",
        "louvain",
    )
    seeds: tuple[str, ...] = ()
    cell_type_pagerank: bool = True
    seed: int = 0
