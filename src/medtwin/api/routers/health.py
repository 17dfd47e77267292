"""``/health`` (the process answers) and ``/ready`` (database and GDS answer). No key needed.

``/health`` is answered by :class:`medtwin.api.resilience.LimitMiddleware` before routing (the
route below documents it). ``/ready`` probes the database on threads of its own
(:data:`~medtwin.api.resilience.READY_LIMITER`), never waiting behind the shared worker pool, and
names the Neo4j and GDS versions only to a request with a valid key.
"""

from __future__ import annotations

from importlib.metadata import version

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from medtwin.api.deps import StoreHolder
from medtwin.api.errors import error_response
from medtwin.api.resilience import READY_LIMITER
from medtwin.api.schemas import TOO_MANY_RESPONSES, UNAVAILABLE_RESPONSES, Health, Ready
from medtwin.api.security import request_key
from medtwin.errors import (
    UNAVAILABLE_RETRY_S,
    GdsNotInstalled,
    GraphStoreError,
    GraphStoreUnavailable,
)
from medtwin.platform import datasets

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness: the API process answers")
async def health() -> Health:
    return Health(version=version("medtwin"))


def _probe(holder: StoreHolder) -> tuple[str, str]:
    return datasets.readiness(holder.get())


@router.get(
    "/ready",
    response_model=Ready,
    response_model_exclude_none=True,
    responses={
        503: {**UNAVAILABLE_RESPONSES[503], "description": "Database or GDS not reachable"},
        **TOO_MANY_RESPONSES,
    },
    summary="Readiness: the database and its GDS plugin answer (versions only with a key)",
)
async def ready(request: Request) -> Ready | JSONResponse:
    try:
        neo4j_version, gds_version = await anyio.to_thread.run_sync(
            _probe, request.app.state.stores, limiter=READY_LIMITER
        )
    except GdsNotInstalled as e:
        # Not passing, so no Retry-After. The message names no URI: /ready takes no key.
        return error_response(
            503,
            type(e).__name__,
            "the database answers but has no Graph Data Science plugin; waiting will not help: "
            "install it (`medtwin db install` for the local server)",
        )
    except GraphStoreError as e:
        # a query the probe could not run (a database still starting) passes like a dead server
        retry = e.retry_after if isinstance(e, GraphStoreUnavailable) else UNAVAILABLE_RETRY_S
        return error_response(
            503, type(e).__name__, "the database or its GDS plugin does not answer", retry=retry
        )
    if request_key(request.app.state.api_keys, request.scope) is None:
        return Ready(status="ready")
    return Ready(status="ready", neo4j=neo4j_version, gds=gds_version)
