"""Cohort planning: what is left to do for each patient of a cohort run, read from the store.

:func:`plan_patients` compares what the store holds with the requested parameters:

* a patient's twin is **stale** when it is missing, incomplete (a build killed half-way), or its
  input checksums or :class:`~medtwin.platform.models.TwinParams` hash differ from the patient's
  current inputs and the requested parameters, or a reference dataset was loaded after it
  (:func:`~medtwin.platform.twin_batch.stale_reason`); a stale twin is built again (a new
  version);
* a patient is **done** when its latest twin is current and carries a ranking with the requested
  :class:`~medtwin.platform.models.RankParams` (same ranking id) whose every score is stored.

:func:`medtwin.platform.cohort.run_cohort` skips done patients, so a killed run resumes where it
stopped.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from medtwin.platform import treatment
from medtwin.platform.context import reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.read_warnings import targets_file_warnings
from medtwin.platform.twin import params_hash
from medtwin.platform.twin_batch import reference_loaded, stale_reason
from medtwin.platform.twin_currency import older_rules
from medtwin.store.base import GraphStore

__all__ = ["PatientPlan", "plan_patients", "plan_run"]


class PatientPlan(BaseModel):
    """What a cohort run has to do for one patient."""

    model_config = ConfigDict(frozen=True)

    patient_id: str
    build: bool = Field(description="Build a new twin (missing, incomplete or stale).")
    rank: bool = Field(description="Rank the (new or current) twin.")
    reason: str = Field(description="Why (for logs and --json).")

    @property
    def done(self) -> bool:
        """Nothing left to do."""
        return not (self.build or self.rank)


def _effective_rank_params(store: GraphStore, params: RankParams) -> RankParams:
    """``params`` as stored with the ranking (a targets file becomes its name and sha256)."""
    custom = treatment.custom_drugs(store, reference_context(), params)
    return params if custom is None else params.model_copy(update={"targets": custom.label})


def plan_patients(
    store: GraphStore,
    ids: Sequence[str],
    twin_params: TwinParams,
    rank_params: RankParams,
) -> list[PatientPlan]:
    """What is left to do for each patient (see the module docstring), in ``ids`` order."""
    effective = _effective_rank_params(store, rank_params)
    wanted_hash = params_hash(twin_params)
    states = {s["id"]: s for s in store.cohorts.patient_states(ids)}
    loaded = reference_loaded(store)
    plans = []
    for pid in ids:
        s = states.get(pid)
        if s is None:
            plans.append(PatientPlan(patient_id=pid, build=False, rank=False, reason="no patient"))
            continue
        current = {i["id"]: i["sha256"] for i in s["inputs"] if i and i.get("id")}
        twin = s["twin"]
        if twin is None:
            plans.append(PatientPlan(patient_id=pid, build=True, rank=True, reason="no twin"))
            continue
        why = stale_reason(twin, current, wanted_hash, loaded)
        if why:
            plans.append(PatientPlan(patient_id=pid, build=True, rank=True, reason=why))
            continue
        rid = treatment.ranking_id(twin["id"], effective)
        ranked = any(
            r["id"] == rid
            and int(r["n_scores"]) == int(r["n_drugs"] or -1)
            and not older_rules(r, "ranking")  # an older ranking is ranked again; twin kept
            for r in s["rankings"]
            if r
        )
        plans.append(
            PatientPlan(
                patient_id=pid,
                build=False,
                rank=not ranked,
                reason="done" if ranked else "not ranked with these parameters",
            )
        )
    return plans


def plan_run(
    store: GraphStore,
    ids: Sequence[str],
    twin_params: TwinParams,
    rank_params: RankParams,
) -> tuple[list[PatientPlan], tuple[str, ...]]:
    """:func:`plan_patients` and what the reader of a targets file said while the plan read it.

    The plan reads ``rank_params.targets`` when it is a file (its name and sha256 are the
    rankings'), so a run says the file's warnings once (``CohortRun.warnings``); each patient's
    ranking, maybe on a worker, reads the same file again.
    """
    with targets_file_warnings() as said:
        plans = plan_patients(store, ids, twin_params, rank_params)
    return plans, tuple(said)
