"""The FastAPI application factory (``medtwin serve`` runs it with uvicorn).

The lifespan opens the process's one Driver (wrapped in a store) on ``app.state`` and closes it
on shutdown. Routers are included here, in one place; errors are mapped in :mod:`.errors`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.metadata import version

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from medtwin.api.app_static import STATIC_DIR
from medtwin.api.deps import StoreHolder
from medtwin.api.errors import install_error_handlers
from medtwin.api.middleware import AuditMiddleware, UploadLimitMiddleware
from medtwin.api.routers import cohorts, datasets, health, pages, patients, rankings, twins
from medtwin.api.security import parse_api_keys
from medtwin.settings import Settings, get_settings
from medtwin.store.neo4j import Neo4jStore

__all__ = ["create_app"]

log = logging.getLogger(__name__)

_DESCRIPTION = """\
Patient digital twins on a Neo4j multilayer graph, ranked against every drug.

Every `/v1` route needs an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`):
`read` keys may read, `write` keys may also add, build, rank and delete. Create one with
`medtwin api-key new NAME --scope read|write` and put the printed line into `MEDTWIN_API_KEYS`.
Errors are `{"error": <type>, "detail": <message>}`. Every request to a patient route is recorded
in the database as an `AuditEvent`.
"""


def create_app(
    settings: Settings | None = None,
    *,
    store_opener: Callable[[Settings], Neo4jStore] = Neo4jStore.open,
) -> FastAPI:
    """Build the API.

    Parameters
    ----------
    settings
        Default: the process settings (``MEDTWIN_*``).
    store_opener
        Opens the store at startup (tests may pass another).

    Raises
    ------
    ConfigError
        ``MEDTWIN_API_KEYS`` is malformed.
    """
    settings = settings or get_settings()
    api_keys = parse_api_keys(settings.api_keys)
    if not api_keys:
        log.warning("MEDTWIN_API_KEYS is empty: every /v1 route will answer 401")
    stores = StoreHolder(settings, store_opener)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(stores.open)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(stores.close)

    app = FastAPI(
        title="medtwin",
        version=version("medtwin"),
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.api_keys = api_keys
    app.state.stores = stores
    install_error_handlers(app)
    for module in (health, datasets, patients, twins, rankings, cohorts, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Last added runs first: CORS, then audit (so refused uploads are audited), then the limit.
    app.add_middleware(UploadLimitMiddleware, max_bytes=settings.max_upload_mb * 1024 * 1024)
    app.add_middleware(AuditMiddleware, stores=stores)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        )
    return app
