"""Patient ids and query strings out of uvicorn's access log, the route's shape kept.

uvicorn logs every request as ``'%s - "%s %s HTTP/%s" %d'`` with the path and its query string as
the third argument. Query strings were already replaced (a key sent as ``?api_key=`` by mistake
stays out); the path itself still named the patient (``GET /v1/patients/P0042/rankings/latest``),
so the access log was a list of who was looked at when, beside the audit trail that is kept for
exactly that and nowhere else. Now every path parameter of the route the path matches is
``<redacted>`` (``GET /v1/patients/<redacted>/rankings/latest 200``): the patient id, a cohort name
and a drug id alike, since any of them may be chosen by a user; only a twin version (digits) stays.
A path that matches no route (a 404, a typo) keeps the segments that are words of some route
(``v1``, ``patients``, ``twins``) and loses every other one; the viewer's and the docs' static
files are logged as they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import partial
from urllib.parse import unquote

from starlette.routing import compile_path

__all__ = [
    "REDACTED",
    "RedactAccessLogFilter",
    "install_access_log_redaction",
    "loggable_route",
    "redact_path",
]

REDACTED = "<redacted>"
KEPT_PARAMS = frozenset({"version"})
"""Path parameters logged as they are when they are digits (a twin version is no one's data)."""

_STATIC = ("/static/", "/static-offline-docs/")
_PARAM = re.compile(r"{([^}:]+)(:[^}]*)?}")


class _Shapes:
    """The routes' templates compiled, and the words of all of them (for unmatched paths)."""

    def __init__(self, templates: Iterable[str]) -> None:
        self.routes: list[tuple[re.Pattern[str], str]] = []
        self.words: set[str] = set()
        for template in dict.fromkeys(templates):
            regex, _, _ = compile_path(template)
            self.routes.append((regex, template))
            self.words.update(s for s in template.split("/") if s and not _PARAM.search(s))

    def redact(self, path: str) -> str:
        """``path`` (percent-encoded, as uvicorn logs it) with its patient-derived segments out."""
        if path.startswith(_STATIC) and ".." not in path:
            return path
        decoded = unquote(path)
        for regex, template in self.routes:
            found = regex.match(decoded)
            if found is not None:
                return _PARAM.sub(partial(_shown, found.groupdict()), template)
        return "/".join(
            s if not s or unquote(s) in self.words else REDACTED for s in path.split("/")
        )


def _shown(values: dict[str, str], param: re.Match[str]) -> str:
    name = param.group(1)
    value = values.get(name, "")
    return value if name in KEPT_PARAMS and value.isdigit() else REDACTED


def redact_path(path_with_query: str, templates: Iterable[str]) -> str:
    """What the access log shows of ``path_with_query`` for an app with these route templates.

    Examples
    --------
    >>> t = [
    ...     "/v1/patients/{patient_id}/rankings/latest",
    ...     "/v1/patients/{patient_id}/twins/{version}",
    ... ]
    >>> redact_path("/v1/patients/P%2042/rankings/latest?limit=5", t)
    '/v1/patients/<redacted>/rankings/latest?<redacted>'
    >>> redact_path("/v1/patients/P1/twins/2", t)
    '/v1/patients/<redacted>/twins/2'
    >>> redact_path("/v1/patients/P1/rankngs", t)
    '/v1/patients/<redacted>/<redacted>'
    """
    return _redact(path_with_query, _Shapes(templates))


def _redact(path_with_query: str, shapes: _Shapes) -> str:
    path, sep, _ = path_with_query.partition("?")
    return shapes.redact(path) + (f"?{REDACTED}" if sep else "")


class RedactAccessLogFilter(logging.Filter):
    """Rewrite the path argument of ``uvicorn.access`` records in place; never drops a record.

    Examples
    --------
    >>> f = RedactAccessLogFilter(["/v1/patients/{patient_id}"])
    >>> r = logging.LogRecord("uvicorn.access", 20, "", 0, '%s - "%s %s HTTP/%s" %d',
    ...     ("127.0.0.1:5", "GET", "/v1/patients/P1?api_key=mtk_x", "1.1", 200), None)
    >>> f.filter(r), r.getMessage()
    (True, '127.0.0.1:5 - "GET /v1/patients/<redacted>?<redacted> HTTP/1.1" 200')
    """

    def __init__(self, templates: Iterable[str] = ()) -> None:
        super().__init__()
        self.shapes = _Shapes(templates)

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the path argument (uvicorn's third) by its redacted form."""
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], _redact(args[2], self.shapes), *args[3:])
        return True


def loggable_route(route: str) -> str:
    """``'GET /v1/patients/P1/x'`` as the server log may show it: the path redacted likewise.

    For the app's own log lines that name a request (the count of requests refused for want of
    a key); the audit trail keeps the real path, which is what it is for. Before an app has
    installed its routes, every segment is redacted.
    """
    method, _, path = route.partition(" ")
    return f"{method} {_redact(path, _installed[0])}"


_installed: list[_Shapes] = [_Shapes(())]


def install_access_log_redaction(templates: Iterable[str]) -> None:
    """Put one :class:`RedactAccessLogFilter` for ``templates`` on the ``uvicorn.access`` logger.

    A filter left by an earlier app of this process (tests make many) is replaced, so the log
    follows the routes of the app that started last.
    """
    logger = logging.getLogger("uvicorn.access")
    for old in [f for f in logger.filters if isinstance(f, RedactAccessLogFilter)]:
        logger.removeFilter(old)
    added = RedactAccessLogFilter(templates)
    logger.addFilter(added)
    _installed[0] = added.shapes
