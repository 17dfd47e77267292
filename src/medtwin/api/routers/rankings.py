"""``/v1/patients/{id}/rankings`` (run, get paginated) and per-drug explanations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, Query, Response, UploadFile, status

from medtwin.api.deps import DrugId, PatientId, SettingsDep, StoreDep, TwinVersionQuery
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import (
    BODY_RESPONSES,
    BUSY_RESPONSES,
    NOT_FOUND_RESPONSES,
    CustomRankingResult,
    ErrorBody,
    RankRequest,
)
from medtwin.api.uploads import (
    checked_form,
    client_file_name,
    saved_targets_file,
    targets_warnings,
)
from medtwin.domain import Seed
from medtwin.errors import InputError
from medtwin.loaders.limits import input_limits, limits_from
from medtwin.platform import explanations, stored_rankings
from medtwin.platform.models import DrugExplanation, RankingResult
from medtwin.platform.rank_params import rank_params
from medtwin.platform.read_warnings import RankingMade

_TOTAL_HEADER = {
    "description": "Drugs in the whole ranking (the body's `total`)",
    "schema": {"type": "integer", "minimum": 0},
}

router = APIRouter(
    prefix="/v1/patients/{patient_id}", tags=["rankings"], responses=NOT_FOUND_RESPONSES
)


@router.post(
    "/rankings",
    status_code=status.HTTP_201_CREATED,
    response_model=RankingMade,
    dependencies=[Depends(scope("write"))],
    responses={**BUSY_RESPONSES, **BODY_RESPONSES},
    summary="Rank every drug against the patient's latest twin",
)
def rank_drugs(
    patient_id: PatientId,
    store: StoreDep,
    settings: SettingsDep,
    params: Annotated[RankRequest | None, Body()] = None,
) -> RankingMade:
    """The ranking's first page, with the ``warnings`` that ``medtwin rank --json`` prints (the
    use case's; before, this answer dropped them). A loaded source is no file of the caller's,
    so they are empty here; an upload's are in ``/rankings/custom``'s."""
    from medtwin.platform import rankings  # the ranking stack: at the first ranking, not start-up

    request = params or RankRequest()
    return rankings.rank_drugs(
        store,
        patient_id,
        request.params(),
        cache_dir=settings.cache_dir,
        require_module=request.require_module,
    )


@router.post(
    "/rankings/custom",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomRankingResult,
    dependencies=[Depends(scope("write")), Depends(checked_form)],
    responses={
        **BUSY_RESPONSES,
        **BODY_RESPONSES,
        413: {"model": ErrorBody, "description": "Upload too large"},
    },
    summary="Rank your own drugs (an uploaded drug-target TSV) against the patient's latest twin",
)
def rank_custom_drugs(
    patient_id: PatientId,
    store: StoreDep,
    settings: SettingsDep,
    targets: Annotated[
        UploadFile,
        File(
            description="TSV/CSV, one row per drug-target pair: drug_id, gene (HGNC symbol or "
            "Entrez id), optional drug_name and action (inhibitor, agonist, ...). A combination "
            "is one drug_id with the union of its targets. The ranking records the file's name "
            "as uploaded and its sha256."
        ),
    ],
    methods: Annotated[
        str | None,
        Form(max_length=200, description="Comma-separated methods (default: the default set)."),
    ] = None,
    n_samples: Annotated[int, Form(ge=10, le=10_000)] = 1000,
    max_samples: Annotated[int, Form(ge=10, le=100_000)] = 100_000,
    seed: Annotated[Seed, Form()] = 0,
    require_module: Annotated[
        bool, Form(description="Refuse (422) a twin without a significant module.")
    ] = False,
) -> CustomRankingResult:
    """The ranking's first page, with ``warnings``: what the targets file's reader said (action
    words of no known direction, genes not in the database), the file named as uploaded."""
    from medtwin.platform import rankings  # as rank_drugs

    chosen = tuple(m.strip() for m in (methods or "").split(",") if m.strip())
    if max_samples < n_samples:  # as POST /rankings says; the CLI's rule raises it to n_samples
        raise InputError(f"max_samples ({max_samples}) must be >= n_samples ({n_samples})")
    limits = limits_from(
        max_input_mb=settings.max_input_mb,
        max_line_kb=settings.max_line_kb,
        max_input_rows=settings.max_input_rows,
    )
    with (
        input_limits(limits),
        saved_targets_file(targets, max_bytes=settings.max_upload_mb * 1024**2) as path,
    ):
        params = rank_params(
            methods=chosen,
            targets=str(path),
            n_samples=n_samples,
            max_samples=max_samples,
            seed=seed,
        )
        ranking = rankings.rank_drugs(
            store,
            patient_id,
            params,
            cache_dir=settings.cache_dir,
            require_module=require_module,
            # recorded as the client's file, not the server's sanitised copy
            targets_name=client_file_name(targets),
        )
        said = targets_warnings(ranking.warnings, path, targets)
    return CustomRankingResult.of(ranking, said)


@router.get(
    "/rankings/latest",
    response_model=RankingResult,
    dependencies=[Depends(scope("read"))],
    summary="The latest ranking, one page of drugs (best first; the total in X-Total-Count)",
    responses={200: {"headers": {"X-Total-Count": _TOTAL_HEADER}}},
)
def get_ranking(
    patient_id: PatientId,
    store: StoreDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    version: TwinVersionQuery = None,
) -> Response:
    page = stored_rankings.latest_ranking_page(
        store, patient_id, offset=offset, limit=limit, version=version
    )
    # Serialised here, on the worker thread: returned as a model, the framework would validate it
    # on a second trip through the thread pool (the route is sync) before rendering it.
    # the total in the header too, as GET /v1/patients gives it: a client pages every list alike
    return Response(
        page.model_dump_json(),
        media_type="application/json",
        headers={"X-Total-Count": str(page.total)},
    )


@router.get(
    "/drugs/{drug_id}/explanation",
    response_model=DrugExplanation,
    dependencies=[Depends(scope("read"))],
    summary="Why a drug ranks where it does: targets, paths to central genes, cell types",
)
def explain_drug(
    patient_id: PatientId, drug_id: DrugId, store: StoreDep, version: TwinVersionQuery = None
) -> DrugExplanation:
    return explanations.explain_drug(store, patient_id, drug_id, version=version)
