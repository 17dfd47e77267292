"""``/v1/cohorts/{name}/summary`` and ``/v1/patients/{id}/similar``: cohort results (read scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from medtwin.api.deps import PatientId, StoreDep
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import NOT_FOUND_RESPONSES
from medtwin.platform import cohort, stratify

router = APIRouter(prefix="/v1", tags=["cohorts"], responses=NOT_FOUND_RESPONSES)

CohortName = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9_.:-]{1,128}$",
        description="A cohort: the patients whose metadata.cohort is this name.",
    ),
]


@router.get(
    "/cohorts/{name}/summary",
    response_model=cohort.CohortSummary,
    dependencies=[Depends(scope("read"))],
    summary="Per drug: patients with it in their top k (with q < 0.05, counteracting); per patient",
)
def cohort_summary(
    name: CohortName,
    store: StoreDep,
    top: Annotated[int, Query(ge=1, le=1000, description="The k of top k.")] = 20,
) -> cohort.CohortSummary:
    ids = cohort.cohort_patients(store, cohort=name)
    return cohort.cohort_summary(store, ids, top=top, cohort=name)


@router.get(
    "/patients/{patient_id}/similar",
    response_model=list[stratify.SimilarPatient],
    dependencies=[Depends(scope("read"))],
    summary="Patients like this one (SIMILAR_TO from `medtwin cohort stratify`), best first",
)
def similar_patients(
    patient_id: PatientId,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
) -> list[stratify.SimilarPatient]:
    return stratify.similar_patients(store, patient_id, limit=limit)
