"""Request dependencies: settings, the store, and API-key scopes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query, Request, Security, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict

from medtwin.api.security import ApiKey, Scope, request_key
from medtwin.command_lines import MAX_TWIN_VERSION
from medtwin.errors import GraphStoreUnavailable
from medtwin.settings import Settings
from medtwin.store.base import GraphStore

__all__ = [
    "ACTOR_KEY",
    "DRUG_ID_PATTERN",
    "PATIENT_ID_PATTERN",
    "PATIENT_KEY",
    "DrugId",
    "PatientId",
    "SettingsDep",
    "StoreDep",
    "StoreHolder",
    "TwinVersionQuery",
    "get_store",
    "body_media_type",
    "known_query_names",
    "repeated_names",
    "require_scope",
    "no_ignored_body",
    "single_query_values",
    "write_routes",
]

log = logging.getLogger(__name__)

PATIENT_ID_PATTERN = r"^[A-Za-z0-9_.-]*[A-Za-z0-9_-][A-Za-z0-9_.-]*$"
"""1-64 of ``A-Z a-z 0-9 _ . -`` (length checked apart), not only dots: ``.``/``..`` are refused."""
DRUG_ID_PATTERN = r"^[A-Za-z0-9_.:+-]{1,64}$"
"""A DrugBank id or a drug id of a targets file (``loaders.drug_targets_custom``: ``+`` joins a
combination's parts), so that asking about one gets its answer, not a 422."""
ACTOR_KEY = "medtwin.actor"
"""ASGI scope key where authentication leaves the key name (read by the audit middleware)."""
PATIENT_KEY = "medtwin.patient_id"
"""ASGI scope key where a route names the patient of a request without one in its path."""

PatientId = Annotated[
    str,
    Path(
        pattern=PATIENT_ID_PATTERN,
        max_length=64,
        description="Patient id ([A-Za-z0-9_.-]{1,64}, not only dots).",
    ),
]
DrugId = Annotated[
    str, Path(pattern=DRUG_ID_PATTERN, description="Drug id (DrugBank id, e.g. DB00945).")
]

TwinVersionQuery = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_TWIN_VERSION,
        description="Twin version (default: the latest), with its latest ranking; a version the "
        "patient does not have is 404 naming those it has (as the CLI's `--version N`).",
    ),
]


class StoreHolder:
    """The app's one store (one Driver, thread-safe), opened at startup or on first use.

    When the database is down at startup the app still starts (``/health`` answers, ``/ready``
    and data routes return 503) and connects on the first request after the database is back.
    """

    def __init__(
        self,
        settings: Settings,
        opener: Callable[[Settings], GraphStore],
        *,
        owned: bool = True,
    ) -> None:
        self._settings = settings
        self._owned = owned  # False: the caller's store, left open at shutdown
        self._opener = opener
        self._store: GraphStore | None = None
        self._lock = threading.Lock()

    def open(self) -> None:
        """Try to connect now; log (not raise) when the database does not answer."""
        try:
            self.get()
        except GraphStoreUnavailable as e:
            log.warning("starting without a database connection: %s", e)

    @property
    def is_open(self) -> bool:
        """Whether the store is connected (``get`` will not block)."""
        return self._store is not None

    def get(self) -> GraphStore:
        """The store, connecting first if needed."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = self._opener(self._settings)
        return self._store

    def close(self) -> None:
        """Close the Driver, if open and the app's own."""
        with self._lock:
            if self._store is not None and self._owned:
                self._store.close()
                self._store = None


# The dependencies are async although they do not await: sync ones would each take a trip through
# the thread pool on every request, which costs more than they do (bench-api, 10 clients).
async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _open_store(request: Request) -> GraphStore:
    holder: StoreHolder = request.app.state.stores
    return holder.get()


async def get_store(request: Request) -> GraphStore:
    """The app's store (tests override this dependency with a ``MemoryStore``)."""
    holder: StoreHolder = request.app.state.stores
    if holder.is_open:
        return holder.get()
    return await run_in_threadpool(_open_store, request)  # connecting blocks


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]


def repeated_names(values: ImmutableMultiDict[str, Any]) -> list[str]:
    """The names given more than once in a query string or form, sorted."""
    return sorted({k for k in values if len(values.getlist(k)) > 1})


def single_query_values(request: Request) -> None:
    """Refuse a query parameter given more than once (``limit=2&limit=3`` took the last, 3).

    No route takes a list in its query string, so a repeated name is a mistake (or an attempt
    to slip a second value past a proxy that checks the first); forms are checked the same way
    (:func:`medtwin.api.uploads.checked_form`).
    """
    repeated = repeated_names(request.query_params)
    if repeated and _key_allows(request):
        raise HTTPException(
            422, f"query parameter(s) {', '.join(repeated)} given more than once; send each once"
        )


async def known_query_names(request: Request) -> None:
    """Refuse a query parameter the route does not take (``?limt=5`` gave the default 50 drugs).

    As a misspelt form field (:func:`medtwin.api.uploads.checked_form`) or JSON field is refused:
    ignored, the request is answered as if the parameter were right, and the client never knows.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params or not _key_allows(request):
        return
    known = sorted(_query_names(dependant))
    unknown = sorted(set(request.query_params) - set(known))
    if unknown:
        takes = f"this route takes {', '.join(known)}" if known else "this route takes none"
        raise HTTPException(
            422, f"unknown query parameter(s) {', '.join(unknown)}; {takes} (see /docs)"
        )


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters of a route and of its dependencies (as sent: aliases)."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


_JSON_TYPES = ("application/json",)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_NO_TYPE = "a body without a Content-Type"


async def body_media_type(request: Request) -> None:
    """Refuse (415) a body whose Content-Type the route does not read.

    A JSON route given ``text/plain`` (or no Content-Type) was told its body "is form data", and
    the upload route given JSON that ``patient_id`` was missing: neither named the real mistake.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not dependant.body_params or not _has_body(request):
        return
    if not _key_allows(request):
        return
    is_form = any(isinstance(p.field_info, params.Form) for p in dependant.body_params)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if is_form and media not in _FORM_TYPES:
        raise HTTPException(
            415,
            f"this route takes a form (multipart/form-data), not {media or _NO_TYPE}; send its "
            f"fields ({', '.join(p.alias for p in dependant.body_params)}) as a form: curl -F "
            "name=value for a field, -F name=@path for a file (see /docs)",
        )
    if not is_form and not (media in _JSON_TYPES or media.endswith("+json")):
        got = f"{media} (form data)" if media in _FORM_TYPES else media
        raise HTTPException(
            415,
            f"this route takes a JSON body, not {got or _NO_TYPE}; send a JSON object of its "
            "fields with Content-Type: application/json (curl -H "
            "'Content-Type: application/json' -d '{}' takes the defaults; the fields are in "
            "/docs)",
        )
    if not is_form and (await request.body()).strip() == b"null":
        # FastAPI reads a JSON null as no body, so `null` (json.dumps(None) of a client whose
        # parameters were lost) built or ranked with every default, where `[]`, `true` or `"x"`
        # are refused as not a JSON object. The body is FastAPI's, read once and cached.
        raise HTTPException(
            422,
            "the request body is JSON null, not a JSON object; send a JSON object of the "
            "route's fields with Content-Type: application/json ({} takes the defaults; the "
            "fields are in /docs)",
        )


def _key_allows(request: Request) -> bool:
    """Whether the request's key passes the route's key check (or the route needs no key).

    The request-shape checks above run before the route's own key check (router dependencies
    come first); they stand aside for a request that check refuses, so that a client without a
    key is told 401 (and a read key on a write route 403), not how to spell a parameter. The key
    is the one :func:`~medtwin.api.security.request_key` resolved for the request (hashed once).
    """
    dependant = getattr(request.scope.get("route"), "dependant", None)
    needed = _scope_needed(dependant) if dependant is not None else None
    if needed is None:
        return True
    key = request_key(request.app.state.api_keys, request.scope)
    return key is not None and key.allows(needed)


def _scope_needed(dependant: Dependant) -> Scope | None:
    scope: Scope | None = getattr(dependant.call, _SCOPE_ATTRIBUTE, None)
    for sub in dependant.dependencies:
        scope = scope or _scope_needed(sub)
    return scope


def write_routes(routes: Iterable[Any]) -> list[APIRoute]:
    """The ``routes`` that need a write key and are not GETs: builds, rankings, adds, deletes.

    They take the write lane of the keys' fair shares (:class:`medtwin.api.key_share.Lanes`); a
    write-key GET (a patient's audit trail) is a read. A router the app included is looked into
    (its routes carry their router's prefix; the app includes its routers without one).
    """
    found: list[APIRoute] = []
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI >= 0.16x: kept as a branch
        if included is not None:
            found += write_routes(included.routes)
        elif (
            isinstance(route, APIRoute)
            and (route.methods or set()) - {"GET", "HEAD"}
            and _scope_needed(route.dependant) == "write"
        ):
            found.append(route)
    return found


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length.strip() not in ("", "0")) or (
        "transfer-encoding" in request.headers
    )


def no_ignored_body(request: Request) -> None:
    """Refuse a body sent to a route that takes none (``POST …/biomarkers`` ignored ``{"top": 5}``).

    A route's parameters are then in its query string; the answer says so.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or dependant.body_params:
        return
    if _has_body(request) and _key_allows(request):
        raise HTTPException(
            422, "this route takes no body: send its parameters in the query string (see /docs)"
        )


_SCOPE_ATTRIBUTE = "medtwin_scope"
_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: <API key>`")


def require_scope(scope: Scope) -> Callable[..., Awaitable[ApiKey]]:
    """Dependency factory: the request must carry a configured key whose scope covers ``scope``.

    No key or an unknown key is 401; a read key on a write route is 403. The key is the
    request's :func:`~medtwin.api.security.request_key` (resolved once for the limits, the body
    guard and the request-shape checks, the same headers read the same way).
    """

    async def check(
        request: Request,
        # declared for the OpenAPI security schemes (/docs' Authorize); the key is read once
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
        header: Annotated[str | None, Security(_header)],
    ) -> ApiKey:
        key = request_key(request.app.state.api_keys, request.scope)
        if key is None:
            raise HTTPException(
                401,
                "missing or invalid API key: send `Authorization: Bearer <key>` or "
                "`X-API-Key: <key>` (create one with `medtwin api-key new NAME`)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.scope[ACTOR_KEY] = key.name
        if not key.allows(scope):
            raise HTTPException(403, f"API key {key.name!r} has scope {key.scope}, needs {scope}")
        return key

    setattr(check, _SCOPE_ATTRIBUTE, scope)  # for _key_allows
    return check
