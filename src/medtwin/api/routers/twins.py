"""``/v1/patients/{id}/twins``: build, versions, show (latest or one version), diff, graph, tissues,
phenotype module."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Response, status

from medtwin.api.deps import PatientId, SettingsDep, StoreDep
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import (
    BODY_RESPONSES,
    BUSY_RESPONSES,
    NOT_FOUND_RESPONSES,
    TwinBuildRequest,
    location_header,
)
from medtwin.command_lines import MAX_TWIN_VERSION
from medtwin.platform import cell_regulators, diseases, insight_reads, twin_regulators, twins
from medtwin.platform.cell_regulators import ContextRegulatorReport
from medtwin.platform.models import DiseaseMatch, TwinGraph, TwinSummary
from medtwin.platform.twin_models import (
    PhenotypeModule,
    RegulatorReport,
    TissueLayer,
    TwinDetail,
    TwinDiff,
)

router = APIRouter(
    prefix="/v1/patients/{patient_id}/twins", tags=["twins"], responses=NOT_FOUND_RESPONSES
)

TwinVersion = Annotated[
    int, Path(ge=1, le=MAX_TWIN_VERSION, description="Twin version (1, 2, ...).")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TwinSummary,
    dependencies=[Depends(scope("write"))],
    responses={
        201: {
            "headers": {
                "Location": location_header(
                    "The new version: `/v1/patients/{patient_id}/twins/{version}`"
                )
            }
        },
        **BUSY_RESPONSES,
        **BODY_RESPONSES,
    },
    summary="Build a new twin version from the patient's inputs",
)
def build_twin(
    patient_id: PatientId,
    store: StoreDep,
    response: Response,
    params: Annotated[TwinBuildRequest | None, Body()] = None,
) -> TwinSummary:
    chosen = (params or TwinBuildRequest()).params()
    built = twins.build_twin(store, patient_id, chosen)
    response.headers["Location"] = f"/v1/patients/{patient_id}/twins/{built.version}"
    return built


@router.get(
    "",
    response_model=list[TwinSummary],
    dependencies=[Depends(scope("read"))],
    summary="Every twin version of the patient, newest first",
)
def twin_versions(patient_id: PatientId, store: StoreDep) -> list[TwinSummary]:
    return list(twins.twin_versions(store, patient_id))


@router.get(
    "/latest",
    response_model=TwinDetail,
    dependencies=[Depends(scope("read"))],
    summary="The latest twin: central genes, communities, cell types, symptoms",
)
def latest_twin(patient_id: PatientId, store: StoreDep) -> TwinDetail:
    return twins.show_twin(store, patient_id)


@router.get(
    "/latest/diseases",
    response_model=list[DiseaseMatch],
    dependencies=[Depends(scope("read"))],
    summary="Known diseases the latest twin resembles (stored; 404 names how to compute them)",
)
def twin_diseases(
    patient_id: PatientId,
    store: StoreDep,
    top: Annotated[int, Query(ge=0, le=1000, description="Diseases returned (0 = all).")] = 20,
) -> list[DiseaseMatch]:
    rows = insight_reads.computed_diseases(store, patient_id)
    return rows if top == 0 else rows[:top]


@router.post(
    "/latest/diseases",
    response_model=list[DiseaseMatch],
    dependencies=[Depends(scope("write"))],
    responses=BUSY_RESPONSES,
    summary="Compute and store which known diseases the latest twin resembles (once per twin)",
)
def compute_twin_diseases(
    patient_id: PatientId,
    store: StoreDep,
    settings: SettingsDep,
    top: Annotated[int, Query(ge=0, le=1000, description="Diseases returned (0 = all).")] = 20,
) -> list[DiseaseMatch]:
    rows = diseases.twin_diseases(store, patient_id, settings.cache_dir)
    return rows if top == 0 else rows[:top]


@router.get(
    "/latest/regulators",
    response_model=RegulatorReport | ContextRegulatorReport,
    dependencies=[Depends(scope("read"))],
    summary="The latest twin's upstream regulators (TF activity, drivers) by personalised PageRank",
)
def twin_upstream_regulators(
    patient_id: PatientId,
    store: StoreDep,
    q: Annotated[float, Query(gt=0, le=1, description="TF activity q at most.")] = 0.05,
    top: Annotated[int, Query(ge=0, le=1000, description="Regulators returned (0 = all).")] = 0,
    by: Annotated[
        Literal["cell_type", "tissue"] | None,
        Query(description="Per cell type (h5ad twins) or per tissue (multi-tissue twins)."),
    ] = None,
) -> RegulatorReport | ContextRegulatorReport:
    if by is not None:
        return cell_regulators.context_regulators(store, patient_id, by, q=q, top=top or None)
    return twin_regulators.twin_regulators(store, patient_id, q=q, top=top or None)


@router.get(
    "/latest/tissues",
    response_model=TissueLayer,
    dependencies=[Depends(scope("read"))],
    summary="The latest twin's tissue layer: tissues and cell types by meta-network centrality",
)
def twin_tissues(patient_id: PatientId, store: StoreDep) -> TissueLayer:
    return twins.twin_tissues(store, patient_id)


@router.get(
    "/latest/phenotype-module",
    response_model=PhenotypeModule,
    dependencies=[Depends(scope("read"))],
    summary="The latest twin's phenotype module and the significance of its link to the module",
)
def twin_phenotype_module(patient_id: PatientId, store: StoreDep) -> PhenotypeModule:
    return twins.twin_phenotype_module(store, patient_id)


@router.get(
    "/diff",
    response_model=TwinDiff,
    dependencies=[Depends(scope("read"))],
    summary="What changed between two twin versions",
)
def diff_twins(
    patient_id: PatientId,
    store: StoreDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_TWIN_VERSION)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_TWIN_VERSION)],
) -> TwinDiff:
    return twins.diff_twins(store, patient_id, from_version, to_version)


@router.get(
    "/latest/graph",
    response_model=TwinGraph,
    dependencies=[Depends(scope("read"))],
    summary="The latest twin as nodes and edges (viewer, exports)",
)
def latest_graph(patient_id: PatientId, store: StoreDep) -> TwinGraph:
    return twins.twin_graph(store, patient_id)


@router.get(
    "/{version}",
    response_model=TwinDetail,
    dependencies=[Depends(scope("read"))],
    summary="One twin version",
)
def show_twin(
    patient_id: PatientId,
    version: TwinVersion,
    store: StoreDep,
) -> TwinDetail:
    return twins.show_twin(store, patient_id, version)


@router.get(
    "/{version}/graph",
    response_model=TwinGraph,
    dependencies=[Depends(scope("read"))],
    summary="One twin version as nodes and edges",
)
def version_graph(
    patient_id: PatientId,
    version: TwinVersion,
    store: StoreDep,
) -> TwinGraph:
    return twins.twin_graph(store, patient_id, version)
