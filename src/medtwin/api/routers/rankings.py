"""``/v1/patients/{id}/rankings`` (run, get paginated) and per-drug explanations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, status

from medtwin.api.deps import DrugId, PatientId, SettingsDep, StoreDep
from medtwin.api.deps import require_scope as scope
from medtwin.api.routers.patients import _NOT_FOUND
from medtwin.api.schemas import RankRequest
from medtwin.platform import services
from medtwin.platform.models import DrugExplanation, RankingResult

router = APIRouter(prefix="/v1/patients/{patient_id}", tags=["rankings"], responses=_NOT_FOUND)


@router.post(
    "/rankings",
    status_code=status.HTTP_201_CREATED,
    response_model=RankingResult,
    dependencies=[Depends(scope("write"))],
    summary="Rank every drug against the patient's latest twin",
)
def rank_drugs(
    patient_id: PatientId,
    store: StoreDep,
    settings: SettingsDep,
    params: Annotated[RankRequest | None, Body()] = None,
) -> RankingResult:
    chosen = (params or RankRequest()).params()
    return services.rank_drugs(store, patient_id, chosen, cache_dir=settings.cache_dir)


@router.get(
    "/rankings/latest",
    response_model=RankingResult,
    dependencies=[Depends(scope("read"))],
    summary="The latest ranking, one page of drugs (best first)",
)
def get_ranking(
    patient_id: PatientId,
    store: StoreDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> RankingResult:
    return services.get_ranking(store, patient_id, offset=offset, limit=limit)


@router.get(
    "/drugs/{drug_id}/explanation",
    response_model=DrugExplanation,
    dependencies=[Depends(scope("read"))],
    summary="Why a drug ranks where it does: targets, paths to central genes, cell types",
)
def explain_drug(patient_id: PatientId, drug_id: DrugId, store: StoreDep) -> DrugExplanation:
    return services.explain_drug(store, patient_id, drug_id)
