"""Stored twin insights (disease resemblance, biomarker suggestions) read without numpy.

Kept apart from :mod:`medtwin.platform.insights` (which computes them and imports numpy and the
ranking code), so that ``medtwin twin diseases P`` and ``medtwin biomarkers P`` show a stored
result on the lean driver (:mod:`medtwin.store.lean`) like the other data commands, and compute
only on a miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medtwin.errors import InputError
from medtwin.platform.arguments import twin_version
from medtwin.platform.biomarkers import BIOMARKER_RULE
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.frozen_model import Rows
from medtwin.platform.insight_models import BiomarkerReport, BiomarkerSuggestion
from medtwin.platform.models import DiseaseMatch, RankingResult
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
from medtwin.platform.stored_rankings import get_ranking
from medtwin.store.base import GraphStore

__all__ = [
    "DISEASE_SOURCE",
    "BiomarkerInputs",
    "biomarker_inputs",
    "biomarker_key_parts",
    "biomarker_report",
    "disease_match",
    "stored_diseases",
    "stored_resemblance",
    "twin_resemblance_rows",
]

DISEASE_SOURCE = "menche2015_interactome"
"""Reference disease modules a twin is compared with (Menche 2015: 299 diseases)."""


def disease_match(twin_id: str, r: dict[str, Any]) -> DiseaseMatch:
    """One stored ``RESEMBLES`` row (its properties) as a :class:`DiseaseMatch`."""
    return DiseaseMatch(
        twin_id=twin_id,
        rank=int(r["rank"]),
        disease_id=r["disease_id"],
        name=r["name"],
        n_genes=int(r["n_genes"]),
        shared=int(r["shared"]),
        d_c=float(r["d_c"]),
        z=r["z"],
        p=float(r["p"]),
        q=float(r["q"]),
        s_ab=r["s_ab"],
        n_samples=int(r["n_samples"]),
        seed=int(r["seed"]),
    )


@audited("read")
def stored_diseases(
    store: GraphStore, patient_id: str, *, version: int | None = None
) -> Rows[DiseaseMatch]:
    """The stored resemblance of the patient's twin, closest first (empty when not computed)."""
    version = twin_version(version, patient_id)
    twin = store.twins.twin(patient_id, version)
    rows = store.insights.resemblances(twin["id"])
    return Rows(DiseaseMatch, (disease_match(twin["id"], r) for r in rows))


def stored_resemblance(
    store: GraphStore,
    patient_id: str,
    *,
    version: int | None = None,
    n_samples: int = 1000,
    seed: int = 0,
) -> list[DiseaseMatch] | None:
    """The stored resemblance when it was computed with ``n_samples``, ``seed`` and the source.

    ``None`` when nothing is stored for them (:func:`medtwin.platform.diseases.twin_diseases`
    then computes); a :class:`~medtwin.errors.NotFoundError` for an unknown patient or twin.
    """
    get_patient(store, patient_id)
    return twin_resemblance_rows(
        store, store.twins.twin(patient_id, version), n_samples=n_samples, seed=seed
    )


def twin_resemblance_rows(
    store: GraphStore, twin: dict[str, Any], *, n_samples: int, seed: int
) -> list[DiseaseMatch] | None:
    """:func:`stored_resemblance` of a twin already read (its properties)."""
    rows = store.insights.resemblances(twin["id"])
    if rows and all(
        r["n_samples"] == n_samples and r["seed"] == seed and r["source"] == DISEASE_SOURCE
        for r in rows
    ):
        return [disease_match(twin["id"], r) for r in rows]
    return None


def biomarker_report(
    patient_id: str,
    twin: dict[str, Any],
    ranking: RankingResult,
    suggestions: tuple[BiomarkerSuggestion, ...],
) -> BiomarkerReport:
    """The report of ``suggestions`` for ``ranking`` of ``twin`` (computed or read back)."""
    return BiomarkerReport(
        patient_id=patient_id,
        twin_id=twin["id"],
        ranking_id=ranking.id,
        top_drugs=len(ranking.drugs),
        rule=BIOMARKER_RULE,
        suggestions=suggestions,
        module_z=twin.get("module_z"),
        module_p=twin.get("module_p"),
    )


def biomarker_key_parts(ranking: RankingResult, top_drugs: int) -> tuple[str, str]:
    """``(prefix, suffix)`` of the key suggestions are stored under: ``prefix + str(top) + suffix``.

    The key names the ranking (id + creation time), the limits they were computed for and the
    version of the rule (:data:`BIOMARKER_KEY_VERSION`).
    """
    return (
        f"{ranking.id}@{ranking.created_at.isoformat()}|top=",
        f"|top_drugs={top_drugs}|rule={BIOMARKER_KEY_VERSION}",
    )


BIOMARKER_KEY_VERSION = 3
"""Raised when the chains or actions of the suggestions change, so that those stored by an older
rule are computed again instead of read back: 2 = actions by the ranking's direction rule
(DrugCentral fills DrugBank's missing ones); 3 = the ligand flag says what LIANA says (not
"measurable in blood")."""


@dataclass(frozen=True)
class BiomarkerInputs:
    """What biomarker suggestions are computed from, and what is stored for them."""

    patient_id: str
    twin: dict[str, Any]
    ranking: RankingResult
    key: str  # of these limits
    rows: list[dict[str, Any]]  # the stored suggestions, best first
    stored_key: str | None  # what they (possibly none) were computed for; None: nothing stored

    @property
    def stored(self) -> BiomarkerReport | None:
        """The stored suggestions when they were computed for exactly these limits."""
        return self.report(0) if self.stored_key == self.key else None

    def report(self, top: int) -> BiomarkerReport:
        """The first ``top`` stored suggestions (0: all) as a report."""
        rows = self.rows if top == 0 else self.rows[:top]
        suggestions = tuple(
            BiomarkerSuggestion.model_validate_json(r["suggestion_json"]) for r in rows
        )
        return biomarker_report(self.patient_id, self.twin, self.ranking, suggestions)


def biomarker_inputs(
    store: GraphStore,
    patient_id: str,
    *,
    top: int,
    top_drugs: int,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> BiomarkerInputs:
    """The latest ranking's first ``top_drugs`` drugs, its twin, and the stored suggestions.

    The latest ranking of twin version ``version`` (default: of the latest twin).

    Suggestions are stored on the twin under a key (:func:`biomarker_key_parts`); the twin keeps
    that key too (``biomarkers_key``), so that "none found" is read back as well. ``stored`` is
    ``None`` when nothing was computed for these limits (then
    :func:`medtwin.platform.insights.twin_biomarkers` computes).
    """
    if top_drugs < 1:
        raise InputError(f"top_drugs must be 1 or more, got {top_drugs}")
    get_patient(store, patient_id)
    ranking = get_ranking(
        store, ctx or reference_context(), patient_id, version=version, limit=top_drugs
    )
    twin = next(t for t in store.twins.twins(patient_id) if t["id"] == ranking.twin_id)
    prefix, suffix = biomarker_key_parts(ranking, top_drugs)
    rows = store.insights.biomarkers(twin["id"])
    keys = {r["key"] for r in rows} or (
        {twin["biomarkers_key"]} if twin.get("biomarkers_key") else set()
    )
    stored_key = next(iter(keys)) if len(keys) == 1 else None
    return BiomarkerInputs(patient_id, twin, ranking, f"{prefix}{top}{suffix}", rows, stored_key)
