"""Map errors to HTTP responses, once for the whole app.

Every error body is ``{"error": <type>, "detail": <message>}``:

=============================================  ======  ==========================================
raised                                         status  error
=============================================  ======  ==========================================
``NotFoundError``                              404     ``NotFoundError``
``InputTooLarge`` (a size limit)               413     ``InputTooLarge``
``ConflictError`` (patient or cohort busy)     409     ``ConflictError``
``InputError`` (and its other subclasses)      422     the class name
request validation (path, query, form, body)   422     ``ValidationError``
``GraphStoreUnavailable``, ``GdsNotInstalled`` 503     the class name
``UnsupportedByStore`` (in-memory test store)  501     ``UnsupportedByStore``
HTTP errors (401, 403, 404 route, 405, 413,    status  ``Unauthorized``, ``Forbidden``, ...
415, 422 of the request-shape checks)                  (422: ``ValidationError``, as above)
                                                       (a form field over 1 MB: 413, not 400)
                                                       (a part header over 4,224 bytes, i.e. a
                                                       file name: 422, with the name limit)
                                                       (405 lists every allowed method in Allow)
anything else (bugs, ``QueryFailed``, ...)     500     ``InternalError``, traceback only in the log
=============================================  ======  ==========================================

A refusal for a passing condition carries ``Retry-After`` (seconds) and ends its detail with
"; retry after N s": a busy patient (409, :data:`~medtwin.errors.BUSY_RETRY_S`), a cohort being
added (409, :data:`~medtwin.platform.cohort_loads.COHORT_ADD_RETRY_S`), a database that does not
answer or an audit log that cannot be written (503, :data:`~medtwin.errors.UNAVAILABLE_RETRY_S`) and
a client over its limits (429, :mod:`medtwin.api.resilience`). A refusal that waiting does not lift
has none and says what to do: a cohort whose add was killed (409: rerun the add), a server without
GDS, credentials the database refuses, a database restored under the running API (503).

An error's hint is sent in the detail, in the API's words: the commands it names are their routes
(``build one with POST /v1/patients/P1/twins``, :func:`~medtwin.command_lines.in_callers_words`);
a command without a route (``medtwin db start``) stays.

A detail is at most :data:`MAX_DETAIL` characters (messages quote at most 200 characters of an
offending value; this is the net under them). Exceptions that are not medtwin's are answered by
:class:`medtwin.api.catch_all.CatchAllMiddleware`, which keeps the connection open.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from python_multipart.multipart import DEFAULT_MAX_HEADER_SIZE
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from medtwin.api.access_log import loggable_route
from medtwin.api.json_response import Utf8JSONResponse
from medtwin.api.uploads import MAX_FILE_NAME
from medtwin.command_lines import in_callers_words
from medtwin.errors import (
    ConflictError,
    GdsNotInstalled,
    GraphStoreUnavailable,
    InputError,
    InputTooLarge,
    MedtwinError,
    NotFoundError,
    UnsupportedByStore,
)
from medtwin.platform.safe_text import utf8_text

__all__ = [
    "MAX_DETAIL",
    "error_response",
    "install_error_handlers",
    "retry_after",
    "status_for",
]

log = logging.getLogger(__name__)

_GENERIC_500 = "internal error; the server log has the details"
# Starlette's words for a multipart part / urlencoded field over its 1 MB limit
_STARLETTE_FIELD_LIMIT = ("Part exceeded maximum size", "Field exceeded maximum size")
_FIELD_TOO_LARGE = (
    "a form field's value is over 1 MB: send a file as a file (curl -F de=@p.tsv, not"
    " -F de=<p.tsv); text fields take at most 10,000 characters (a long symptoms list goes in"
    " the file field symptoms_file)"
)
_FASTAPI_UNPARSED = "There was an error parsing the body"
_UNPARSED = (
    "the request body cannot be read: a JSON body must be UTF-8 text (Content-Type: "
    "application/json), a form multipart/form-data (curl -F de=@p.tsv); check the body's "
    "encoding and its Content-Type"
)
_TOO_DEEP = (
    "the JSON body is nested too deeply to be read (Python's parser stops at about 1,000 levels "
    "of arrays and objects; no route's body nests more than a few); "
)
_TOO_MANY_DIGITS = (
    "a number in the JSON body has too many digits to be read (at most 4,300); no field needs "
    "more than 20 (the fields and their ranges are in /docs)"
)
# python-multipart's and Starlette's words for a broken multipart body
_MULTIPART_ERRORS = ("Invalid multipart", "Missing boundary", "Did not find boundary")
# python-multipart's words for a part header line over its limit (Starlette passes no other)
_HEADER_TOO_LONG = "Maximum header size exceeded"
_LONG_FILE_NAME = (
    f"a part of the form has a header line over {DEFAULT_MAX_HEADER_SIZE:,} bytes, which the "
    f"form parser refuses: most likely a file name; file names may have at most {MAX_FILE_NAME} "
    "characters: rename the file and upload it again"
)
_BAD_MULTIPART = (
    "send the form as multipart/form-data with its boundary in the Content-Type "
    "(curl -F patient_id=P1 -F de=@p.tsv builds it)"
)
MAX_DETAIL = 1000
"""Longest error detail sent (longer ones are cut, with a note)."""


def status_for(exc: MedtwinError) -> int | None:
    """HTTP status of a user-facing medtwin error, or ``None`` for one that is a server fault."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InputTooLarge):
        return 413
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, GraphStoreUnavailable | GdsNotInstalled):
        return 503
    if isinstance(exc, UnsupportedByStore):
        return 501
    return None


def retry_after(exc: MedtwinError) -> int | None:
    """Seconds after which the request refused with ``exc`` may succeed; None if waiting won't."""
    if isinstance(exc, ConflictError | GraphStoreUnavailable):
        return exc.retry_after
    return None


# 422: the request-shape checks (a repeated or unknown field or parameter, a body where none is
# taken) answer as the request validation does, not under a second name for one kind of mistake
_NAMES = {413: "ContentTooLarge", 422: "ValidationError"}


def _error_name(status: int) -> str:
    if status in _NAMES:
        return _NAMES[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "HTTPError"
    return "".join(w.capitalize() for w in phrase.replace("-", " ").split())


def error_response(
    status: int,
    error: str,
    detail: str,
    headers: dict[str, str] | None = None,
    *,
    retry: int | None = None,
) -> JSONResponse:
    """The one error body shape (``detail`` cut to :data:`MAX_DETAIL` characters).

    ``retry``: seconds after which the request may succeed, sent as ``Retry-After`` and at the
    end of the detail ("; retry after N s", kept when a long detail is cut).
    """
    # A value quoted from the request may hold a lone surrogate (JSON's "\ud800"), which has no
    # UTF-8 form: rendering it raised and the 422 became a 500.
    detail = utf8_text(detail)
    if len(detail) > MAX_DETAIL:
        detail = f"{detail[:MAX_DETAIL]} (… {len(detail) - MAX_DETAIL} more characters)"
    if retry is not None:
        detail = f"{detail}; retry after {retry} s"
        headers = {**(headers or {}), "Retry-After": str(retry)}
    return Utf8JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


_JSON_OBJECT = (
    "send a JSON object of the route's fields with Content-Type: application/json ({} takes "
    "the defaults; the fields are in /docs)"
)
_BODY_KINDS = {
    list: "a JSON list",
    str: "a JSON string",
    int: "a number",
    float: "a number",
    bool: "a JSON boolean",  # `true` read "the request body is not, not a JSON object"
}


def _body_error(e: dict[str, Any]) -> str | None:
    """The words for a body that is not JSON, or not a JSON object, or a file sent as text; None
    for another field's error.

    Pydantic's own ("1: JSON decode error", "request: Input should be a valid dictionary or
    object to extract fields from") name neither what was wrong nor the fix.
    """
    loc = tuple(e.get("loc", ()))
    if "Expected UploadFile" in str(e.get("msg", "")) and len(loc) == 2:
        # a file sent as a text field: curl -F de=<p.tsv (the file's text) or a part without a
        # file name; over 1 MB Starlette refuses the field itself (_FIELD_TOO_LARGE)
        return (
            f"{loc[1]}: a text field, not a file; send the file as a file part with a file name "
            f"(curl -F {loc[1]}=@p.tsv, not -F {loc[1]}=<p.tsv)"
        )
    if e.get("type") == "json_invalid":
        at = f" at character {loc[1]}" if len(loc) > 1 else ""
        why = (e.get("ctx") or {}).get("error", "JSON decode error")
        return f"the request body is not valid JSON ({why}{at}); {_JSON_OBJECT}"
    if loc == ("body",) and e.get("type") in ("model_attributes_type", "dict_type"):
        value = e.get("input")
        kind = (
            "form data"
            if isinstance(value, bytes)
            else _BODY_KINDS.get(type(value), "another value")
        )
        return f"the request body is {kind}, not a JSON object; {_JSON_OBJECT}"
    return None


def _summarise(errors: Any, described: dict[str, str] | None = None) -> str:
    """One line per error (at most 10): ``where value: what``, as the CLI's option errors are.

    ``described``: the route's parameter descriptions by name, said instead of a pattern that
    a value does not match (pydantic's words quote the regular expression, not what it means).
    """
    parts = []
    for e in list(errors)[:10]:
        said = _body_error(e)
        if said is not None:
            return said  # the body as a whole: its fields were not looked at
        loc = tuple(e.get("loc", ()))
        where = ".".join(str(p) for p in loc if p != "body") or "request"
        msg = e.get("msg", "invalid")
        if (
            e.get("type") == "string_pattern_mismatch"
            and loc
            and (described or {}).get(str(loc[-1]))
        ):
            msg = f"not a valid value; expected {(described or {})[str(loc[-1])]}"
        parts.append(f"{where}{_shown(e)}: {msg}")
    return "; ".join(parts) or "invalid request"


def _shown(e: dict[str, Any]) -> str:
    """`` <value>`` of an error about one value (quoted if text, cut to 200 characters), or ''.

    Before, ``query.limit: Input should be greater than or equal to 1`` did not say what was sent
    (a client building the URL in code may not know).
    """
    value = e.get("input")
    if e.get("type") == "missing" or isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return f" {value}"
    if isinstance(value, str):
        return f" {value[:200]!r}" + ("…" if len(value) > 200 else "")
    return ""


def _descriptions(request: Request) -> dict[str, str]:
    """The route's path, query and form parameters' descriptions, by the name a client sends."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return {}
    fields = [*dependant.path_params, *dependant.query_params, *dependant.body_params]
    return {
        f.alias: _as_object(f.field_info.description) for f in fields if f.field_info.description
    }


def _as_object(description: str) -> str:
    """A description as the object of "expected …": no final full stop, a lowercase start."""
    text = description.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    lower = len(first) == 1 or first[1:].islower()  # "A cohort", "Patient id"; not "DE", "HPO"
    return text[:1].lower() + text[1:] if lower else text


async def _medtwin_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MedtwinError)
    status = status_for(exc)
    if status is None:
        log.error("%s failed", loggable_route(f"{request.method} {request.url.path}"), exc_info=exc)
        return error_response(500, "InternalError", _GENERIC_500)
    if status >= 500:
        route = loggable_route(f"{request.method} {request.url.path}")
        log.warning("%s: %s: %s", route, type(exc).__name__, exc)
    detail = exc.message if not exc.hint else f"{exc.message} ({exc.hint})"
    # hints name CLI commands (the CLI prints them as they are): the client is told the routes
    detail = in_callers_words(detail, "api")
    return error_response(status, type(exc).__name__, detail, retry=retry_after(exc))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    unknown = [
        str(e["loc"][1])
        for e in errors
        if e.get("type") == "extra_forbidden" and len(e.get("loc", ())) == 2
    ]
    fields = _body_fields(request)
    if unknown and fields:
        # pydantic's "top: Extra inputs are not permitted" names neither the fields taken nor
        # says it is a misspelling; the form routes' check (uploads.checked_form) says both
        return error_response(
            422,
            "ValidationError",
            f"unknown field(s) {', '.join(unknown)}; this route takes {', '.join(fields)}",
        )
    return error_response(422, "ValidationError", _summarise(errors, _descriptions(request)))


def _body_fields(request: Request) -> list[str]:
    """The fields of the route's JSON body model (empty for a form or no body)."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    params = getattr(dependant, "body_params", None) or []
    if len(params) != 1:
        return []
    for model in get_args(params[0].field_info.annotation) or (params[0].field_info.annotation,):
        if isinstance(model, type) and issubclass(model, BaseModel):
            return list(model.model_fields)
    return []


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _error_name(exc.status_code)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 404 and exc.detail == "Not Found":  # no route matched (said nothing)
        detail = "no such route; the routes are listed at /docs (OpenAPI: /openapi.json)"
    if exc.status_code == 400 and detail == _FASTAPI_UNPARSED:
        # FastAPI's words for a JSON body it could not decode (not UTF-8), or a form it could not
        # parse: neither the reason nor the fix. Two bodies of valid UTF-8 JSON end here too, and
        # were told to check their encoding: nesting past the parser's recursion limit, and an
        # integer past Python's digit limit (the cause is the parser's own exception).
        cause = exc.__cause__
        if isinstance(cause, RecursionError):
            detail = _TOO_DEEP + _JSON_OBJECT
        elif isinstance(cause, ValueError) and "integer string conversion" in str(cause):
            detail = _TOO_MANY_DIGITS
        else:
            detail = _UNPARSED
    elif exc.status_code == 400 and detail.startswith(_MULTIPART_ERRORS):
        if _caused_by(exc, _HEADER_TOO_LONG):
            # before: 400 "Invalid multipart data" for a 5,000-character file name
            return error_response(422, _error_name(422), _LONG_FILE_NAME, headers)
        detail = f"{detail.rstrip('.')}: {_BAD_MULTIPART}"
    if exc.status_code == 400 and detail.startswith(_STARLETTE_FIELD_LIMIT):
        # Starlette's multipart limit for a field that is not a file; its message names neither
        # the field nor the way round it (the parser does not say which field it was)
        return error_response(413, _error_name(413), _FIELD_TOO_LARGE, headers)
    if exc.status_code == 405:
        # Starlette names the methods of the first route whose path matched; list all of them.
        allowed = _allowed_methods(request)
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        detail = f"method {request.method} not allowed here; allowed: {', '.join(allowed)}"
    return error_response(exc.status_code, _error_name(exc.status_code), detail, headers)


def _caused_by(exc: BaseException, words: str) -> bool:
    """Whether an exception that led to ``exc`` (cause or context, a few deep) says ``words``."""
    seen: BaseException | None = exc
    for _ in range(5):
        seen = seen.__cause__ or seen.__context__ if seen is not None else None
        if seen is None:
            return False
        if str(seen) == words:
            return True
    return False


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] == Match.FULL for route in request.app.router.routes):
            methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(MedtwinError, _medtwin_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
