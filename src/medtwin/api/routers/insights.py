"""Biomarker suggestions of the latest twin and the patient's twins over time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from medtwin.api.deps import PatientId, SettingsDep, StoreDep, TwinVersionQuery
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import (
    BODY_RESPONSES,
    BUSY_RESPONSES,
    MAX_TIME_POINTS,
    NOT_FOUND_RESPONSES,
)
from medtwin.platform import insight_reads
from medtwin.platform.insight_models import BiomarkerReport, Trajectory

router = APIRouter(
    prefix="/v1/patients/{patient_id}", tags=["insights"], responses=NOT_FOUND_RESPONSES
)


class TrajectoryRequest(BaseModel):
    """Which time points to follow, and whether to rank the twins built for them."""

    model_config = ConfigDict(extra="forbid")

    time_points: list[str] | None = Field(
        default=None,
        max_length=MAX_TIME_POINTS,
        description="Time points in time order (default: all of the patient's, natural order; "
        f"at most {MAX_TIME_POINTS}, each may be a twin build and a ranking).",
    )
    rank: bool = Field(default=True, description="Rank time points that have no ranking yet.")
    top_drugs: int = Field(default=10, ge=1, le=100, description="Drugs followed over time.")

    @field_validator("time_points")
    @classmethod
    def _short_labels(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(not 1 <= len(v) <= 64 for v in value):
            raise ValueError("each time point must have 1 to 64 characters")
        return value


Top = Annotated[int, Query(ge=0, le=1000, description="Suggestions (0 = all).")]
TopDrugs = Annotated[
    int, Query(ge=1, le=500, description="Drugs of the latest ranking considered.")
]


@router.get(
    "/twins/latest/biomarkers",
    response_model=BiomarkerReport,
    dependencies=[Depends(scope("read"))],
    summary="Stored biomarker suggestions of the latest ranking (404 names how to compute them)",
)
def twin_biomarkers(
    patient_id: PatientId,
    store: StoreDep,
    top: Top = 10,
    top_drugs: TopDrugs = 20,
    version: TwinVersionQuery = None,
) -> BiomarkerReport:
    return insight_reads.computed_biomarkers(
        store, patient_id, top=top, top_drugs=top_drugs, version=version
    )


@router.post(
    "/twins/latest/biomarkers",
    response_model=BiomarkerReport,
    dependencies=[Depends(scope("write"))],
    responses=BUSY_RESPONSES,
    summary="Compute and store the proteins whose measurement would support or refute a drug",
)
def compute_twin_biomarkers(
    patient_id: PatientId, store: StoreDep, top: Top = 10, top_drugs: TopDrugs = 20
) -> BiomarkerReport:
    from medtwin.platform import insights  # the ranking stack: at the first use, not start-up

    return insights.twin_biomarkers(store, patient_id, top=top, top_drugs=top_drugs)


@router.get(
    "/trajectory",
    response_model=Trajectory,
    dependencies=[Depends(scope("read"))],
    summary="The patient's stored twins over time (builds nothing; missing time points listed)",
)
def read_trajectory(
    patient_id: PatientId,
    store: StoreDep,
    top_drugs: Annotated[int, Query(ge=1, le=100, description="Drugs followed.")] = 10,
) -> Trajectory:
    from medtwin.platform import insights  # as compute_twin_biomarkers

    return insights.twin_trajectory(
        store, patient_id, None, build=False, rank=False, top_drugs=top_drugs
    )


@router.post(
    "/trajectory",
    response_model=Trajectory,
    dependencies=[Depends(scope("write"))],
    responses={**BUSY_RESPONSES, **BODY_RESPONSES},
    summary="Build (or reuse) a twin per time point, rank them, and report the trajectory",
)
def build_trajectory(
    patient_id: PatientId,
    store: StoreDep,
    settings: SettingsDep,
    body: Annotated[TrajectoryRequest | None, Body()] = None,
) -> Trajectory:
    from medtwin.platform import insights  # as compute_twin_biomarkers

    req = body or TrajectoryRequest()
    return insights.twin_trajectory(
        store,
        patient_id,
        settings.cache_dir,
        time_points=req.time_points,
        build=True,
        rank=req.rank,
        top_drugs=req.top_drugs,
        max_points=MAX_TIME_POINTS,
    )
