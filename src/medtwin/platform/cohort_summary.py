"""Which patients a cohort command means, and the cohort summary (reads only).

Kept apart from :mod:`medtwin.platform.cohort` (which builds and ranks on Dask workers and imports
the ranking stack) so that ``medtwin cohort summary`` imports none of it; that module re-exports
these names.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import Field

if TYPE_CHECKING:
    import pandas as pd

from medtwin.command_lines import next_step
from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.gene_names import shown_name
from medtwin.platform.arguments import count, id_list
from medtwin.platform.cohort_loads import require_complete
from medtwin.platform.frozen_model import FrozenModel, frame_of
from medtwin.platform.python_audit import audited
from medtwin.platform.twin_currency import (
    _cohort_run,
    _names,
    cohort_currency,
    cohort_rankings_note,
    older_rules,
)
from medtwin.store.base import GraphStore
from medtwin.store.not_found import no_patient

__all__ = [
    "CohortSummary",
    "DrugCount",
    "PatientTop",
    "cohort_patients",
    "cohort_summary",
]


# -- which patients -------------------------------------------------------------------------
def _cohort_names(patients: Sequence[dict[str, Any]]) -> str:
    """The cohorts of ``patients`` (``metadata.cohort``), sorted, or ``none``."""
    names = sorted({str(p["metadata"]["cohort"]) for p in patients if "cohort" in p["metadata"]})
    return ", ".join(names) or "none"


def _alike(stored: str, given: str) -> bool:
    """Whether ``given`` is ``stored`` but for case or spaces around it."""
    return stored != given and stored.casefold() == given.strip().casefold()


def cohort_patients(
    store: GraphStore,
    ids: Sequence[str] = (),
    *,
    all_patients: bool = False,
    cohort: str | None = None,
) -> list[str]:
    """Patient ids chosen by explicit ``ids``, ``all_patients`` or ``metadata.cohort == cohort``.

    Raises
    ------
    InputError
        Not exactly one way of choosing was given.
    NotFoundError
        An explicit id names no patient, or the choice is empty.
    ConflictError
        ``cohort``'s ``patient add-cohort`` was killed, failed or is still running
        (:func:`~medtwin.platform.cohort_loads.require_complete`).
    """
    if sum((bool(ids), all_patients, cohort is not None)) != 1:
        raise InputError("choose the patients with ids, --all or --cohort NAME (exactly one)")
    patients = store.twins.patient_metadata()  # ids and metadata only (no counts): fast
    if cohort is not None and not cohort.strip():
        # `--cohort ""` (an unset shell variable) chose every patient without a cohort, shown
        # as "all patients", and `cohort run --cohort ""` built and ranked them all.
        raise InputError(
            f"the cohort name {cohort!r} is blank: give a cohort's name",
            hint=f"cohorts present: {_cohort_names(patients)} (patients' metadata.cohort)",
        )
    if ids:
        known = {p["id"] for p in patients}
        missing = [i for i in ids if i not in known]
        if missing:
            # the hint of every other command's unknown patient (`twin show X`): the stored id
            # that differs in case or spaces, else how to add one; it had no hint at all
            alike = [k for m in missing for k in sorted(known) if _alike(k, m)]
            if len(missing) == 1:
                raise no_patient(missing[0], alike)
            raise NotFoundError(
                f"no patient {', '.join(map(shown_name, missing))}",
                hint=f"did you mean {' or '.join(alike)}? (patient ids are case-sensitive)"
                if alike
                else f"{next_step('medtwin patient list')} to list the patients",
            )
        return list(dict.fromkeys(ids))
    chosen = [
        p["id"] for p in patients if all_patients or str(p["metadata"].get("cohort", "")) == cohort
    ]
    if cohort is not None:  # a cohort whose add-cohort was killed or failed: refused, not taken
        require_complete(store, cohort, chosen)
    if not chosen:
        raise NotFoundError(
            "no patient " + (f"in cohort {cohort!r}" if cohort else "in the database"),
            hint=f"cohorts present: {_cohort_names(patients)} (patients' metadata.cohort)",
        )
    return chosen


# -- results --------------------------------------------------------------------------------
class DrugCount(FrozenModel):
    """How many patients of a cohort have one drug in their top k."""

    drug_id: str
    drug_name: str | None
    top_k: int = Field(description="Patients with the drug in their top k.")
    significant: int = Field(description="... of them with q < 0.05 (proximity).")
    counteracting: int = Field(description="... of them with direction > 0 (counteracts).")
    best_rank: int


class PatientTop(FrozenModel):
    """A patient's best drugs in its latest ranking."""

    patient_id: str
    ranking_id: str
    targets: str | None
    drugs: tuple[dict[str, Any], ...]


class CohortSummary(FrozenModel):
    """Per drug and per patient view of a cohort's latest rankings."""

    cohort: str | None
    top: int = Field(
        deprecated="`top` is the old name of `top_drugs` (the same value); it goes in the next "
        "release: read `top_drugs`",
        description="Deprecated: the old name of `top_drugs` (the same value), kept for one "
        "release.",
    )
    top_drugs: int = Field(
        description="The top k of each patient's latest ranking counted per drug (`cohort "
        "summary --top-drugs`)."
    )
    patients: int = Field(description="Patients asked for.")
    ranked: int = Field(description="Patients with a ranking.")
    stale_twins: int = Field(
        default=0,
        description="Patients whose latest twin predates their inputs (its ranking too).",
    )
    stale_note: str | None = Field(
        default=None,
        description="Set when stale_twins > 0: how many, a few ids, and the step that builds "
        "their twins again and ranks them, in the caller's words (the API: each patient's "
        "twin and ranking routes; the CLI: `medtwin cohort run`; Python: `run_cohort`).",
    )
    completeness_note: str | None = Field(
        default=None,
        description="Set when the cohort, or some of its patients, came from a `patient "
        "add-cohort` without a record (added before they were recorded): whether it is whole is "
        "not known; how many patients, and how to record them.",
    )
    older_twins: int = Field(
        default=0,
        description="Patients whose latest twin was made under older twin rules (TWIN_RULES; "
        "counted in stale_twins, named in stale_note).",
    )
    older_rankings: int = Field(
        default=0,
        description="Patients whose listed ranking was made under older ranking rules "
        "(RANKING_RULES): their rows are an earlier medtwin's scores.",
    )
    rankings_note: str | None = Field(
        default=None,
        description="Set when older_rankings > 0: how many, a few ids, and the step that ranks "
        "them again, in the caller's words (the API: each patient's ranking route; the CLI: "
        "`medtwin cohort run`; Python: `run_cohort`).",
    )
    unranked_note: str | None = Field(
        default=None,
        description="Set when ranked < patients: how many patients have no ranking (their "
        "drugs are not counted), a few ids, and the step that builds and ranks them, in the "
        "caller's words (the API: each patient's twin and ranking routes; the CLI: `medtwin "
        "cohort run`; Python: `run_cohort`).",
    )
    drugs: tuple[DrugCount, ...]
    per_patient: tuple[PatientTop, ...]  # last: api.routers.cohorts.render_summary

    def to_frame(self) -> pd.DataFrame:
        """The drugs as a pandas DataFrame, one row each (most patients first)."""
        return frame_of(self.drugs, DrugCount)


def unranked_note(
    unranked: Sequence[str], n_patients: int, *, cohort: str | None = None
) -> str | None:
    """The cohort summary's line for patients without a ranking, else None.

    Their drugs are in no count, so a summary of 1 ranked patient of 18 (the demo's GSE15573
    cohort, whose one showcase patient it ranks) read as the cohort's; ``cohort run`` of the
    same patients builds their twins and ranks them (a patient whose genes miss the interactome
    still gets none, and says why).

    Examples
    --------
    >>> from medtwin.command_lines import speaking_to
    >>> with speaking_to("cli"):
    ...     print(unranked_note(["P2", "P3"], 3, cohort="toy"))
    2 of 3 patients have no ranking, so their drugs are not counted (P2, P3); run `medtwin \
cohort run --cohort toy`
    >>> unranked_note([], 3) is None
    True
    """
    n = len(unranked)
    if not n:
        return None
    verb = "has" if n == 1 else "have"
    return (
        f"{n} of {n_patients} patients {verb} no ranking, so their drugs are not counted "
        f"({_names(unranked)}); {_cohort_run(unranked, cohort, twins=True)}"
    )


def _refuse_unknown(store: GraphStore, unranked: Sequence[str]) -> None:
    """A :class:`NotFoundError` naming the ids of ``unranked`` that name no patient.

    An unknown id was counted as a patient without a ranking. Only ids without a ranking can be
    unknown, so a fully ranked cohort (the CLI's, whose ids come from the store) costs no query.
    """
    if not unranked:
        return
    known = {p["id"] for p in store.twins.patient_metadata()}
    missing = [i for i in unranked if i not in known]
    if missing:
        raise NotFoundError(f"no patient {', '.join(missing)}")


@audited("read")
def cohort_summary(
    store: GraphStore,
    ids: Sequence[str],
    *,
    top_drugs: int | None = None,
    cohort: str | None = None,
    top: int | None = None,
) -> CohortSummary:
    """Count, per drug, patients with it in their top ``top_drugs`` (q < 0.05, direction > 0).

    ``top_drugs``: the k of each patient's top k (default 20), as the CLI's ``--top-drugs`` and
    the API's ``top_drugs``. ``top``: its old name, still read with a
    :class:`DeprecationWarning`; both with different values are an
    :class:`~medtwin.errors.InputError`.

    Drugs are ordered by ``top_k``, then ``significant``, ``counteracting``, drug id. Patients
    whose twins predate their inputs or today's twin rules are counted (``stale_twins``,
    ``older_twins``, ``stale_note``): their rows are rankings of those older twins; patients
    whose ranking was made under older ranking rules too (``older_rankings``,
    ``rankings_note``): their rows are an earlier medtwin's scores.
    """
    ids = id_list(ids, "ids")
    k = _top_drugs(top_drugs, top)
    lists = sorted(store.cohorts.top_lists(ids, k), key=lambda x: x["patient_id"])
    ranked = {x["patient_id"] for x in lists}
    _refuse_unknown(store, [i for i in ids if i not in ranked])
    currency = cohort_currency(store, ids, cohort=cohort)
    older = [x["patient_id"] for x in lists if older_rules(x, "ranking")]  # read with the tops
    counts: dict[str, list[int]] = {}
    names: dict[str, str | None] = {}
    for item in lists:
        for r in item["drugs"]:
            d, q, direction, rank = r["drug_id"], r["q"], r["direction"], r["rank"]
            significant = 1 if q is not None and q < 0.05 else 0
            counteracting = 1 if direction is not None and direction > 0 else 0
            c = counts.get(d)
            if c is None:
                counts[d] = [1, significant, counteracting, rank]
            else:
                c[0] += 1
                c[1] += significant
                c[2] += counteracting
                if rank < c[3]:
                    c[3] = rank
            names[d] = r["drug_name"]
    drugs = sorted(
        (
            DrugCount(
                drug_id=d,
                drug_name=names[d],
                top_k=c[0],
                significant=c[1],
                counteracting=c[2],
                best_rank=c[3],
            )
            for d, c in counts.items()
        ),
        key=lambda d: (-d.top_k, -d.significant, -d.counteracting, d.drug_id),
    )
    # Built from the store's rows without validating 10,000 x top dicts again (model_construct:
    # the fields are the declared types by construction).
    return CohortSummary.model_construct(
        cohort=cohort,
        top=k,
        top_drugs=k,
        patients=len(ids),
        ranked=len(lists),
        stale_twins=len(currency.stale),
        stale_note=currency.note,
        completeness_note=currency.completeness,
        older_twins=len(currency.older),
        older_rankings=len(older),
        rankings_note=cohort_rankings_note(older, len(ids), cohort=cohort),
        unranked_note=unranked_note([i for i in ids if i not in ranked], len(ids), cohort=cohort),
        drugs=tuple(drugs),
        per_patient=tuple(
            PatientTop.model_construct(
                patient_id=x["patient_id"],
                ranking_id=x["ranking_id"],
                targets=x["targets"],
                drugs=tuple(x["drugs"]),
            )
            for x in lists
        ),
    )


def _top_drugs(top_drugs: int | None, top: int | None) -> int:
    """The k of :func:`cohort_summary` from ``top_drugs`` and its old name ``top`` (checked)."""
    k = None if top_drugs is None else count(top_drugs, "top_drugs", minimum=1)
    if top is None:
        return 20 if k is None else k
    old = count(top, "top", minimum=1)
    if k is not None and k != old:
        raise InputError(
            f"top_drugs {k} and its old name top {old} differ; give top_drugs only",
            hint=f"cohort_summary(store, ids, top_drugs={k})",
        )
    # stacklevel 4: the caller's line, above this function, cohort_summary and its audit wrapper
    warnings.warn(
        "cohort_summary(top=...) is the old name of top_drugs= (the k of each patient's top k, "
        "as the CLI's --top-drugs and the API's top_drugs); top= goes in the next release",
        DeprecationWarning,
        stacklevel=4,
    )
    return old


def summary_json(summary: CohortSummary) -> dict[str, Any]:
    """``summary.model_dump(mode="json")``, built without pydantic's walk over every drug row.

    The rows come JSON-ready from the store (plain str/int/float/None; a NaN or infinite number
    is None, as pydantic's JSON mode writes it), so they are passed on as they are; at 10,000
    patients x 20 drugs the walk took ~0.2-0.4 s of ``cohort summary --json``.
    ``tests/unit/services/test_cohort_summary_json.py`` compares the two.
    """
    return {
        "cohort": summary.cohort,
        "top": summary.top_drugs,  # deprecated, the same value (see CohortSummary.top)
        "top_drugs": summary.top_drugs,
        "patients": summary.patients,
        "ranked": summary.ranked,
        "stale_twins": summary.stale_twins,
        "stale_note": summary.stale_note,
        "completeness_note": summary.completeness_note,
        "older_twins": summary.older_twins,
        "older_rankings": summary.older_rankings,
        "rankings_note": summary.rankings_note,
        "unranked_note": summary.unranked_note,
        "drugs": [
            {
                "drug_id": d.drug_id,
                "drug_name": d.drug_name,
                "top_k": d.top_k,
                "significant": d.significant,
                "counteracting": d.counteracting,
                "best_rank": d.best_rank,
            }
            for d in summary.drugs
        ],
        "per_patient": [
            {
                "patient_id": p.patient_id,
                "ranking_id": p.ranking_id,
                "targets": p.targets,
                "drugs": list(p.drugs),
            }
            for p in summary.per_patient
        ],
    }
