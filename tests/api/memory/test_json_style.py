"""Every JSON answer is rendered in one style: FastAPI's ``JSONResponse`` (compact, UTF-8).

Before, the answers made before routing (``/health``, the body guard's 401/403/413/400, the
429 and the catch-all 500: ``json.dumps``) were spaced (``{"error": "Unauthorized", ...}``) and
every route's answer compact (``{"error":"ValidationError",...}``): a client comparing bodies
or a cache keyed on them saw two spellings of one shape.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, memory_client


def _compact(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/health", {}, 200),
        # the body guard, before routing: no key, a read key, a GET with a body, too large
        ("POST", "/v1/patients/P1/twins", {"json": {}}, 401),
        ("POST", "/v1/patients/P1/twins", {"json": {}, "headers": READ}, 403),
        ("GET", "/v1/patients", {"content": b"{}", "headers": READ}, 400),
        ("POST", "/v1/patients/P1/twins", {"content": b"x" * 2_000_000, "headers": WRITE}, 413),
        # the routes' own answers, for comparison: a 401 of the key check, a 404, a 200
        ("GET", "/v1/patients", {}, 401),
        ("GET", "/v1/patients/P1", {"headers": READ}, 404),
        ("GET", "/v1/patients", {"headers": READ}, 200),
    ],
    ids=["health", "guard 401", "guard 403", "guard 400", "guard 413", "401", "404", "200"],
)
def test_every_answer_is_compact_json(method, path, kwargs, status):
    for client in memory_client(MemoryStore(), max_upload_mb=1):
        r = client.request(method, path, **kwargs)
        assert r.status_code == status, r.text
        assert r.headers["content-type"] == "application/json"
        assert r.content == _compact(r.json())
        assert r.headers["content-length"] == str(len(r.content))
