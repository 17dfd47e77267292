"""API keys of a request: verification (``authenticate``, ``key_from_headers``, ``request_key``).

The key format, generation and parsing live in :mod:`medtwin.api_keys` (standard library only, so
``medtwin api-key`` does not import the app); they are re-exported here for the API's modules.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, MutableMapping
from typing import Any

from medtwin.api_keys import KEY_PREFIX, ApiKey, Scope, hash_key, new_key, parse_api_keys

__all__ = [
    "KEY_PREFIX",
    "ApiKey",
    "Scope",
    "authenticate",
    "hash_key",
    "key_from_headers",
    "new_key",
    "parse_api_keys",
    "request_key",
]

REQUEST_KEY = "medtwin.api_key"
"""ASGI scope key where :func:`request_key` keeps the request's key (or None) once resolved."""


def authenticate(keys: tuple[ApiKey, ...], secret: str | None) -> ApiKey | None:
    """Return the configured key whose hash matches ``secret`` (constant-time compare), or None."""
    if not secret:
        return None
    digest = hash_key(secret)
    found: ApiKey | None = None
    for key in keys:
        if hmac.compare_digest(key.sha256, digest):
            found = key
    return found


def key_from_headers(
    keys: tuple[ApiKey, ...], headers: Iterable[tuple[bytes, bytes]]
) -> ApiKey | None:
    """The key of raw ASGI headers (``Authorization: Bearer`` or ``X-API-Key``), or None.

    A header sent twice counts by its first value, as for the routes (Starlette's
    ``Headers.get``): before, the last one counted here, so a key sent with a second, wrong
    ``X-API-Key`` was authenticated by its route but rate-limited as an anonymous client.

    Examples
    --------
    >>> key = ApiKey(name="reader", scope="read", sha256=hash_key("mtk_example"))
    >>> key_from_headers((key,), [(b"x-api-key", b"mtk_example"), (b"x-api-key", b"junk")]).name
    'reader'
    >>> key_from_headers((key,), [(b"x-api-key", b"junk"), (b"x-api-key", b"mtk_example")])
    """
    first: dict[bytes, bytes] = {}
    for name, value in headers:
        first.setdefault(name.lower(), value)
    secret: str | None = None
    auth = first.get(b"authorization", b"").decode("latin-1")
    scheme, _, credentials = auth.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        secret = credentials.strip()
    elif b"x-api-key" in first:
        secret = first[b"x-api-key"].decode("latin-1")
    return authenticate(keys, secret)


def request_key(keys: tuple[ApiKey, ...], scope: MutableMapping[str, Any]) -> ApiKey | None:
    """The key of the request of ASGI ``scope`` (:func:`key_from_headers`), resolved once.

    The per-client limits, the body guard, the request-shape checks and the route's own key check
    all ask; before, each hashed the key again (a sha256 each: up to four per request). The
    answer is kept in the scope, which the middlewares and the route share (``HeadMiddleware``'s
    copy carries it), so every later ask is a dictionary look-up.
    """
    if REQUEST_KEY not in scope:
        scope[REQUEST_KEY] = key_from_headers(keys, scope["headers"])
    key: ApiKey | None = scope[REQUEST_KEY]
    return key
