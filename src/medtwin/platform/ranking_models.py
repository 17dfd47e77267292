"""Typed results of the ranking use cases: how drugs are ranked, the ranking, an explanation.

Frozen pydantic models (stable JSON for ``--json`` and the API): the ranking parameters
(:class:`RankParams`, with the default methods and order), one drug's scores
(:class:`DrugScore`), a stored ranking (:class:`RankingResult`) and ``explain``'s answer
(:class:`DrugExplanation`). :mod:`medtwin.platform.models` re-exports them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, computed_field, model_validator

from medtwin.domain import Seed
from medtwin.field_names import STORED_CONTEXT, KnownFields
from medtwin.platform.algorithms.direction import direction_word
from medtwin.platform.evidence import personal_evidence as evidence_label
from medtwin.platform.frozen_model import FrozenModel
from medtwin.platform.gating import ModuleGated
from medtwin.platform.graph_models import ExplanationPath
from medtwin.platform.twin_models import PANEL_GENES, target_expression_panel_note

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_METHODS",
    "DEFAULT_ORDER",
    "DrugExplanation",
    "DrugScore",
    "RankParams",
    "RankingResult",
]


DEFAULT_METHODS: tuple[str, ...] = (
    "degree", "proximity", "target_expression", "direction", "centrality", "disruption"
)  # fmt: skip
"""The ranking methods computed and shown by default."""

DEFAULT_ORDER: tuple[str, ...] = ("degree", "proximity", "target_expression")
"""The default ranking after the approval tier: the mean percentile of the targets' network
degree (a population prior, named as such in each drug's evidence), network proximity (Guney
2016) and target expression (the drug acts against its targets' own change in this patient).
Chosen by ``make validate-twins`` (``benchmarks/results/regulators_dev.md``, stop 25): the only
order whose personal gain (own - swapped patient) has a CI above 0 on the 19 held-out
signatures overall and within approved drugs *and* that is not below the approval + degree prior
there (0.921 vs 0.914; within approved 0.725 vs 0.700); tier + proximity + target_expression
(stop 24) had the larger gain but stayed below that prior (0.898)."""


class RankParams(FrozenModel, KnownFields):
    """How drugs are screened against a twin.

    ``methods`` are computed and shown; only ``order`` methods decide the rank. Defaults were
    chosen with ``make validate-twins`` (docs/validation.md). A keyword that
    is no field is refused (:class:`~medtwin.field_names.KnownFields`).
    """

    FIELD_SYNONYMS: ClassVar[dict[str, str]] = {
        "n_permutations": "n_samples",
        "permutations": "n_samples",
        "n_iter": "n_samples",
        "method": "methods",
    }

    methods: tuple[str, ...] = Field(
        default=DEFAULT_METHODS,
        description="Ranking methods computed and shown (see `medtwin rank --help`).",
    )
    order: tuple[str, ...] = Field(
        default=DEFAULT_ORDER,
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
    seed: Seed = Field(default=0, description="Seed of the null models.")
    approved_only: bool = Field(default=False, description="Only drugs in DrugBank group approved.")
    effector_filter: bool = Field(
        default=True,
        description="Antibody Fc-receptor and complement 'targets' (FCGR*, FCER*, C1Q*, C2-C9...) "
        "are not used for ranking unless DrugBank marks them as the known action "
        "(medtwin.platform.effector).",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_order_follows_methods(cls, data: object) -> object:
        # Without an explicit order, rank by the default order's methods that are computed,
        # else by the first method given: `--method direction` alone must not fail on it.
        # Only from a list of names: anything else is the field's own 422 (a number was iterated
        # here, a 500, and a list of lists named an `order` the client never sent).
        if not isinstance(data, dict) or "order" in data:
            return data
        given = data.get("methods")
        if isinstance(given, list | tuple | set | frozenset) and given:
            methods = tuple(given)
            if all(isinstance(m, str) for m in methods):
                order = tuple(m for m in DEFAULT_ORDER if m in methods)
                data = {**data, "order": order or methods[:1]}
        return data

    @classmethod
    def from_stored(cls, params_json: str) -> RankParams:
        """The parameters stored with a ranking; a field this medtwin lacks is dropped."""
        return cls.model_validate_json(params_json, context=STORED_CONTEXT)

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


class DrugScore(FrozenModel):
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
        default=None,
        description="Mean activity of the pathways whose core it targets, whatever its action "
        "(a dependence rule: an agonist of an active pathway scores high too).",
    )
    driver: float | None = Field(
        default=None, description="Driver evidence the drug counteracts (driver)."
    )
    reversal: float | None = Field(
        default=None, description="-Spearman of patient and LINCS drug signature (reversal)."
    )
    reversal_q: float | None = None
    activity_reversal: float | None = Field(
        default=None,
        description="-Spearman of the patient's TF and pathway activities and those of the "
        "drug's LINCS signature (activity_reversal).",
    )
    activity_reversal_q: float | None = None
    pathway_proximity: float | None = Field(
        default=None,
        description="Pathway activity weighted by the targets' closeness to each PROGENy "
        "footprint (pathway_proximity).",
    )
    target_expression: float | None = Field(
        default=None,
        description="z of the targets' own statistics against the drug's action, vs degree-matched "
        "genes of the same patient (target_expression).",
    )
    degree_baseline_rank: int | None = None
    combined: float
    targets_in_module: tuple[str, ...] = ()
    targets_in_module_symbols: tuple[str, ...] = ()
    placed_by: str | None = Field(
        default=None,
        description="Which evidence placed the drug, in the words `rank` prints (priors named as "
        "priors, e.g. 'approval tier (prior); proximity z -2.39 (q 1, not significant)'); filled "
        "when a ranking is read (medtwin.platform.first_screen.evidence_words), not stored.",
    )

    direction_computed: bool = Field(True, description="Whether the ranking ran `direction`.")

    @computed_field(  # type: ignore[prop-decorator]
        description="`direction` in words: counteracts, aggravates, mixed, unknown or not computed."
    )
    @property
    def direction_word(self) -> str:
        """``counteracts`` / ``aggravates`` / ``mixed`` / ``unknown`` / ``not computed …``."""
        return direction_word(self.direction, computed=self.direction_computed)


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
    patient_note: str | None = Field(
        default=None,
        description="The patient's own caveat (its metadata `note`, e.g. a twin made of "
        "several people's samples), recorded with the ranking and shown with it.",
    )
    stale_note: str | None = Field(
        default=None,
        description="Set when the patient's inputs changed after the ranked twin was built: "
        "the ranking does not reflect them; it ends with the step that makes it again, in the "
        "caller's words (the API: `call POST /v1/patients/{id}/twins` or `.../rankings`).",
    )
    no_score: dict[str, str] = Field(
        default_factory=dict,
        description="Method -> why it scored no drug of this twin (e.g. target_expression "
        "without a vector of every measured gene); each drug's placed_by repeats it briefly.",
    )
    n_genes_with_statistic: int | None = Field(
        default=None,
        description="Genes in the twin's vector of every measured gene, which target_expression "
        "(and the other statistic methods) read; null without one, or for a ranking stored "
        "before it was kept.",
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="Set when target_expression was computed on fewer genes than a transcriptome "
        f"(< {PANEL_GENES:,}): likely a pre-selected panel, so its null is drawn from the "
        "selection (the caution `twin regulators` gives its activities)."
    )
    @property
    def target_expression_note(self) -> str | None:
        """:func:`~medtwin.platform.twin_models.target_expression_panel_note`, if it ran."""
        if "target_expression" not in self.params.methods:
            return None
        return target_expression_panel_note(self.n_genes_with_statistic)

    @computed_field(  # type: ignore[prop-decorator]
        description="How much the method that ordered this list depends on the patient, as "
        "measured by `make validate-twins` on the development data (own - swapped patient "
        "AUROC with its 95 % CI, its exact sign-flip p and its reassignment p, each Holm-adjusted "
        "over the part's rankers; a gain needs the CI above 0 and both adjusted p below 0.05); "
        "with no part showing a "
        "gain, 'none beyond population priors' "
        "or, for an order without a prior, 'no gain over another patient's ranking' (.evidence)."
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


class DrugExplanation(FrozenModel):
    """``explain``: why a drug ranks where it does for a patient."""

    patient_id: str
    twin_id: str
    drug_id: str
    drug_name: str | None
    score: DrugScore | None
    targets: tuple[dict[str, str | float | bool | None], ...] = Field(
        description="direction by the ranking's rule; direction_source: the dataset that filled "
        "it in (drugcentral_2016 for DrugBank; null: the source's own); action_words: the "
        "direction as explain and the viewer word it ('inhibit (DrugCentral)' for a filled-in "
        "one); role: target, enzyme, …"
    )
    central_genes_reached: tuple[str, ...]
    paths: tuple[ExplanationPath, ...]
    cell_types: tuple[str, ...]
    cypher: str
    placed_by: str | None = Field(
        default=None,
        description="Which evidence placed the drug in the latest ranking, as `rank` prints it "
        "(priors named as priors); None when the patient has no ranking.",
    )
    ranking_note: str | None = Field(
        default=None,
        description="Set when the row is not from the latest ranking: that one comes from a "
        "targets file without this drug, so the row is from the latest ranking of a loaded "
        "target source (named here).",
    )
    method_lines: tuple[str, ...] = Field(
        (), description="Each regulator-era method that scored the drug: its value, and from what."
    )
    target_expression_note: str | None = Field(
        None,
        description="The ranking's target_expression_note when the drug has a target_expression "
        "score: the genes it rests on look like a pre-selected panel.",
    )
