"""``/health`` (the process answers) and ``/ready`` (database and GDS answer). No key needed."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from medtwin.api.deps import StoreDep
from medtwin.api.errors import error_response
from medtwin.api.schemas import ErrorBody, Health, Ready
from medtwin.errors import GraphStoreError
from medtwin.platform import datasets

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness: the API process answers")
def health() -> Health:
    return Health(version=version("medtwin"))


@router.get(
    "/ready",
    response_model=Ready,
    responses={503: {"model": ErrorBody, "description": "Database or GDS not reachable"}},
    summary="Readiness: the database and its GDS plugin answer",
)
def ready(store: StoreDep) -> Ready | JSONResponse:
    try:
        neo4j_version, gds_version = datasets.readiness(store)
    except GraphStoreError as e:
        return error_response(503, type(e).__name__, e.message)
    return Ready(status="ready", neo4j=neo4j_version, gds=gds_version)
