"""``/v1/cohorts/{name}/summary`` and ``/v1/patients/{id}/similar``: cohort results (read scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from medtwin.api.deps import PatientId, StoreDep
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import NOT_FOUND_RESPONSES
from medtwin.platform import cohort, stratify

router = APIRouter(prefix="/v1", tags=["cohorts"], responses=NOT_FOUND_RESPONSES)

MAX_TOP = 100
"""Largest ``top`` of a cohort summary (its rows are patients x top)."""
MAX_PAGE = 500

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
    response: Response,
    top: Annotated[int, Query(ge=1, le=MAX_TOP, description="The k of top k.")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="First drug/patient row.")] = 0,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description="Drugs and patients per page.")
    ] = 100,
) -> Response:
    """One page (``offset``, ``limit``) of the drug and the patient lists; counts are over all.

    ``X-Total-Drugs`` and ``X-Total-Patients`` give the lists' full lengths.
    """
    ids = cohort.cohort_patients(store, cohort=name)
    full = cohort.cohort_summary(store, ids, top=top, cohort=name)
    response.headers["X-Total-Drugs"] = str(len(full.drugs))
    response.headers["X-Total-Patients"] = str(len(full.per_patient))
    end = offset + limit
    page = full.model_copy(
        update={"drugs": full.drugs[offset:end], "per_patient": full.per_patient[offset:end]}
    )
    # Serialised here, on the worker thread: a large JSON body rendered by the framework would
    # be rendered in the event loop, where /health and the 429s are answered.
    return Response(
        page.model_dump_json(), media_type="application/json", headers=dict(response.headers)
    )


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
