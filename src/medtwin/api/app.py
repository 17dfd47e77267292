"""The FastAPI application factory (``medtwin serve`` runs it with uvicorn).

The lifespan opens the process's one Driver (wrapped in a store) on ``app.state`` and closes it
on shutdown. Routers are included here, in one place; errors are mapped in :mod:`.errors`.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.metadata import version

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.routing import Route

from medtwin.api.access_log import install_access_log_redaction
from medtwin.api.app_static import STATIC_DIR
from medtwin.api.audit_middleware import AuditMiddleware, RefusedCounter
from medtwin.api.body_guard import BodyGuardMiddleware
from medtwin.api.body_pace import BodyPace
from medtwin.api.catch_all import CatchAllMiddleware
from medtwin.api.client_limits import ClientLimiter
from medtwin.api.deps import (
    StoreHolder,
    body_media_type,
    known_query_names,
    no_ignored_body,
    single_query_values,
    write_routes,
)
from medtwin.api.errors import install_error_handlers
from medtwin.api.head_requests import HeadMiddleware
from medtwin.api.json_response import Utf8JSONResponse
from medtwin.api.key_share import BUSY_WINDOW_S, KeyShare, Lanes
from medtwin.api.openapi_examples import install_examples
from medtwin.api.resilience import LimitMiddleware
from medtwin.api.routers import (
    cohorts,
    datasets,
    health,
    insights,
    pages,
    patients,
    rankings,
    twins,
)
from medtwin.api.security import parse_api_keys
from medtwin.api.surface import SurfaceMiddleware
from medtwin.settings import Settings, get_settings
from medtwin.store.audit_writer import AuditWriter
from medtwin.store.base import GraphStore

__all__ = ["create_app"]

log = logging.getLogger(__name__)

_DESCRIPTION = """\
Patient digital twins on a Neo4j multilayer graph, ranked against every drug.

Every `/v1` route needs an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`): `read`
keys may read, `write` keys may also add, build, rank and delete. Create one with `medtwin
api-key new NAME --scope read|write` and put the printed line into `MEDTWIN_API_KEYS`. Errors
are `{"error": <type>, "detail": <message>}`. Every authenticated request to a patient route of
an existing patient is recorded in the database as an `AuditEvent`. Request bodies are read only
after the key is checked, and are limited while they stream (`MEDTWIN_MAX_UPLOAD_MB`, 413);
decompressed inputs are limited too (`MEDTWIN_MAX_INPUT_MB`, 413); a body that stalls
(`MEDTWIN_API_BODY_IDLE_S`) or trickles (`MEDTWIN_API_BODY_MIN_RATE_KB`) is answered 408. Two
operations on one patient at once (build, rank, add, delete) answer 409 to the second. A refusal
that passes (409 busy, 429, 503 database down) carries `Retry-After` (seconds) and says it in
its detail. Each key (and each address without a valid key) may have a few requests in progress
and a bounded rate (`MEDTWIN_API_CONCURRENCY_PER_KEY`, `MEDTWIN_API_RATE_PER_KEY`, ...); past
that: 429 with `Retry-After`. While another key is busy, a key's requests beyond its share
(`MEDTWIN_API_BUSY_SHARE_PER_KEY`, of reads and of writes apart: a read never waits for its key's
own build) wait their turn instead of running, at most `MEDTWIN_API_SHARE_WAIT_S` (then 429).
`/health` never waits for a worker; `/ready` names versions only to a valid key.
"""


def create_app(
    settings: Settings | None = None,
    *,
    store_opener: Callable[[Settings], GraphStore] | None = None,
    store: GraphStore | None = None,
) -> FastAPI:
    """Build the API.

    Parameters
    ----------
    settings
        Default: the process settings (``MEDTWIN_*``).
    store_opener
        Opens the store at startup; default :meth:`medtwin.store.neo4j.Neo4jStore.open`
        (tests pass :class:`medtwin.store.memory.MemoryStore`); the app closes what it opened
        when it shuts down.
    store
        A store the caller owns and keeps using after the app (a notebook's or a test's
        :class:`~medtwin.store.memory.MemoryStore`): served as it is and not closed at shutdown,
        since a closed store refuses every call (:class:`~medtwin.errors.StoreClosed`).

    Raises
    ------
    ConfigError
        ``MEDTWIN_API_KEYS`` is malformed.
    """
    settings = settings or get_settings()
    if store is not None:
        if store_opener is not None:
            raise TypeError("create_app takes store_opener or store, not both")
        given = store
        store_opener = lambda _settings: given  # noqa: E731
    elif store_opener is None:
        from medtwin.store.neo4j import Neo4jStore

        store_opener = Neo4jStore.open
    api_keys = parse_api_keys(settings.api_keys)
    if not api_keys:
        log.warning("MEDTWIN_API_KEYS is empty: every /v1 route will answer 401")
    stores = StoreHolder(settings, store_opener, owned=store is None)
    journal = settings.home / "audit-journal.jsonl" if settings.audit_journal else None
    writer = AuditWriter(stores.get, journal=journal, linger_s=0.05)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Every route's template: patient ids (and other path parameters) out of the access log.
        install_access_log_redaction(app.state.route_templates)
        # The event loop answers /health and the 429s; with N worker threads busy in Python it
        # waits up to N switch intervals for the GIL. 1 ms instead of 5 ms keeps it responsive.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))
        await anyio.to_thread.run_sync(stores.open)
        writer.start()
        # A full (oldest-generation) collection stops every thread, the event loop included, for
        # a time that grows with the objects alive; the start-up objects (modules, the driver,
        # pydantic schemas) live as long as the process, so they leave the collector's scans
        # (make bench-api, burst: /health p99 93-113 ms without, 35-53 ms with, quiet machine).
        gc.freeze()
        try:
            yield
        finally:
            # Queued audit events are written before the Driver closes.
            await anyio.to_thread.run_sync(writer.close)
            await anyio.to_thread.run_sync(stores.close)

    # Swagger UI at /docs and ReDoc at /redoc from the packaged assets of fastapi-offline
    # (served under /static-offline-docs), not from a CDN: the docs work offline.
    app = FastAPIOffline(
        title="medtwin",
        version=version("medtwin"),
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url="/redoc",
        # No 307 to the other spelling of a path: its Location would echo the request's Host.
        redirect_slashes=False,
        default_response_class=Utf8JSONResponse,
    )
    app.state.settings = settings
    app.state.api_keys = api_keys
    app.state.stores = stores
    app.state.audit_writer = writer
    app.state.refused = refused = RefusedCounter()
    install_error_handlers(app)
    install_examples(app)
    routers = (health, datasets, patients, twins, rankings, cohorts, insights, pages)
    for module in routers:
        app.include_router(
            module.router,
            dependencies=[
                Depends(single_query_values),
                Depends(known_query_names),
                Depends(no_ignored_body),
                Depends(body_media_type),
            ],
        )
    # An APIRouter's routes carry its prefix; the app's own (docs, OpenAPI) are plain routes.
    app.state.route_templates = [
        route.path_format
        for route in [*app.routes, *(r for m in routers for r in m.router.routes)]
        if isinstance(route, Route)  # APIRoute too; not the static mounts, not included routers
    ]
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Last added runs first: CORS, the catch-all 500 (keeps the connection), /health and the
    # per-client limits, HEAD as GET, audit (sees every answer), the body guard, then the
    # surface the routes' notes speak to.
    app.add_middleware(SurfaceMiddleware)
    app.add_middleware(
        BodyGuardMiddleware,
        api_keys=api_keys,
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        pace=BodyPace(settings.api_body_idle_s, settings.api_body_min_rate_kb),
    )
    app.add_middleware(
        AuditMiddleware, stores=stores, writer=writer, refused=refused, api_keys=api_keys
    )
    app.add_middleware(HeadMiddleware)
    app.add_middleware(
        LimitMiddleware,
        api_keys=api_keys,
        keyed=ClientLimiter(
            settings.api_concurrency_per_key, settings.api_rate_per_key, settings.api_burst_per_key
        ),
        anonymous=ClientLimiter(
            settings.api_concurrency_per_ip, settings.api_rate_per_ip, settings.api_burst_per_ip
        ),
        fair=KeyShare(share=settings.api_busy_share_per_key, window=BUSY_WINDOW_S),
        share_wait_s=settings.api_share_wait_s,
        # builds, rankings, adds and deletes take a lane of their own: a key's reads never wait
        # for its own long build (docs/api.md, "Fair shares between keys")
        lanes=Lanes(write_routes(app.routes)),
    )
    app.add_middleware(CatchAllMiddleware)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "HEAD", "POST", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        )
    return app
