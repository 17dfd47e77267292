"""Every /v1 route refuses requests without a valid key (401) or with too small a scope (403)."""

from __future__ import annotations

import pytest

from medtwin.api import create_app
from medtwin.settings import Settings
from tests.api.conftest import READ, WRITE, TestClient, api_settings

pytestmark = pytest.mark.neo4j

_VALUES = {"patient_id": "PA", "version": "1", "drug_id": "DB00001"}
_OPEN = {"/v1/patients/{patient_id}/viewer"}


def _routes() -> list[tuple[str, str, str]]:
    """(method, concrete path, scope) of every keyed route, from the app's OpenAPI schema."""
    app = create_app(api_settings(Settings()))
    out = []
    for template, operations in app.openapi()["paths"].items():
        if not template.startswith("/v1") or template in _OPEN:
            continue
        path = template
        for name, value in _VALUES.items():
            path = path.replace("{" + name + "}", value)
        for method in sorted(operations):
            out.append((method.upper(), path, "read" if method == "get" else "write"))
    return out


ROUTES = _routes()


def test_the_route_table_is_what_we_expect():
    assert len(ROUTES) >= 15
    assert ("POST", "/v1/patients", "write") in ROUTES
    assert ("DELETE", "/v1/patients/PA", "write") in ROUTES
    assert ("GET", "/v1/patients/PA/drugs/DB00001/explanation", "read") in ROUTES


def _no_traceback(body: str) -> None:
    assert "Traceback" not in body
    assert 'File "' not in body


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
def test_without_key_is_401(client, method, path, scope):
    r = client.request(method, path)
    assert r.status_code == 401, r.text
    assert r.json()["error"] == "Unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    _no_traceback(r.text)


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
def test_unknown_key_is_401(client, method, path, scope):
    r = client.request(method, path, headers={"Authorization": "Bearer mtk_not-a-configured-key"})
    assert r.status_code == 401
    r = client.request(method, path, headers={"X-API-Key": "wrong"})
    assert r.status_code == 401


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
def test_scope(client, method, path, scope):
    r = client.request(method, path, headers=READ)
    if scope == "write" and not path.endswith("/audit"):
        assert r.status_code == 403, r.text
        assert r.json() == {
            "error": "Forbidden",
            "detail": "API key 'reader' has scope read, needs write",
        }
    elif path.endswith("/audit"):
        assert r.status_code == 403  # the audit trail needs a write (admin) key
    else:
        assert r.status_code not in (401, 403), r.text
    r = client.request(method, path, headers=WRITE)
    assert r.status_code not in (401, 403), r.text


def test_no_keys_configured_means_no_access(neo4j_driver, test_settings):
    app = create_app(test_settings.model_copy(update={"api_keys": ""}))
    with TestClient(app) as c:
        assert c.get("/v1/patients", headers=READ).status_code == 401
        assert c.get("/health").status_code == 200


def test_open_routes_need_no_key(client):
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    r = client.get("/v1/patients/PA/viewer")
    assert r.status_code == 200
    assert "X-API-Key" in r.text  # the page asks for a key; it holds no patient data
