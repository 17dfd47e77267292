"""A request's API key is hashed once, whatever checks ask for it.

The per-client limits, the body guard, the request-shape checks (unknown or repeated query
parameters, a body of the wrong Content-Type, a body on a route that takes none) and the route's
own key check each need the request's key. Before, each hashed it again: a GET with a query
string took 3 sha256, a POST with a body 4. The order the clients see is kept (401/403 before
422/415: ``test_request_shape.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from medtwin.api import security
from tests.api.conftest import READ, WRITE


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every secret the app hashes (``security.hash_key``, which ``authenticate`` calls)."""
    seen: list[str] = []
    real: Callable[[str], str] = security.hash_key

    def counted(secret: str) -> str:
        seen.append(secret)
        return real(secret)

    monkeypatch.setattr(security, "hash_key", counted)
    return seen


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/v1/patients?limit=1", {"headers": READ}, 200),
        ("GET", "/v1/patients?limt=1", {"headers": READ}, 422),
        ("GET", "/v1/patients?limit=1&limit=2", {"headers": READ}, 422),
        ("POST", "/v1/patients/P1/twins", {"headers": WRITE, "json": {}}, 404),
        (
            "POST",
            "/v1/patients/P1/twins",
            {"headers": {**WRITE, "content-type": "text/plain"}, "content": b"x"},
            415,
        ),
        ("POST", "/v1/patients/P1/twins", {"headers": READ, "json": {}}, 403),
        ("POST", "/v1/patients/P1/twins", {"json": {}}, 401),
        ("GET", "/v1/patients?limt=1", {"headers": {"X-API-Key": "mtk_wrong"}}, 401),
        ("GET", "/ready", {"headers": READ}, 200),
    ],
    ids=["read", "unknown query", "repeated", "body", "415", "403", "401", "401 query", "ready"],
)
def test_each_request_hashes_its_key_once(client, hashes, method, path, kwargs, status):
    r = client.request(method, path, **kwargs)
    assert r.status_code == status, r.text
    sent = 0 if "headers" not in kwargs or kwargs["headers"] == {} else 1
    assert len(hashes) == sent, hashes
