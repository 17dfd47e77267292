"""API fixtures: keys of both scopes, an app on the real test database, a seeded patient."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette >= 1.x warns when the test client runs on httpx instead of httpx2 (the lead adds
    # httpx2 to the dev group; until then the old client works the same).
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from medtwin.api import create_app
from medtwin.api.deps import get_store
from medtwin.api.security import new_key
from medtwin.settings import Settings
from tests.integration.conftest import tiny_reference  # noqa: F401  (the lead's tiny graph)

READ_SECRET, READ_KEY = new_key("reader", "read")
WRITE_SECRET, WRITE_KEY = new_key("writer", "write")
READ = {"Authorization": f"Bearer {READ_SECRET}"}
WRITE = {"X-API-Key": WRITE_SECRET}

DE_TABLE = "gene\tlog2fc\tpadj\n" + "".join(
    f"G{i}\t{1.5 if i % 2 else -1.2}\t0.001\n" for i in range(2, 14)
)
FAST_TWIN = {"module_samples": 20, "expand": 3, "max_seeds": 50}


# Tests that are not about the per-client limits fire requests back to back from one key.
UNLIMITED = {
    "api_rate_per_key": 1e6,
    "api_burst_per_key": 10**6,
    "api_rate_per_ip": 1e6,
    "api_burst_per_ip": 10**6,
    "api_concurrency_per_key": 1000,
    "api_busy_share_per_key": 1000,
    "api_concurrency_per_ip": 1000,
    "audit_journal": False,  # tests share the default home; the journal has its own tests
}


def api_settings(base: Any, **update: Any) -> Any:
    keys = f"{READ_KEY.settings_entry()},{WRITE_KEY.settings_entry()}"
    return base.model_copy(update={"api_keys": keys, **UNLIMITED, **update})


def memory_app(store: Any, **settings: Any) -> Any:
    """The app serving ``store`` (an in-memory store the test keeps), with the test keys."""
    app = create_app(api_settings(Settings(), **settings), store=store)
    app.dependency_overrides[get_store] = lambda: store
    return app


def memory_client(store: Any, **settings: Any) -> Iterator[TestClient]:
    """:func:`memory_app` in a test client (lifespan run) that returns 500s as responses."""
    with TestClient(memory_app(store, **settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def client(neo4j_driver: Any, test_settings: Any) -> Iterator[TestClient]:
    """The app on the test server (lifespan run), raising nothing: 500s come back as responses."""
    app = create_app(api_settings(test_settings))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def seeded(tiny_reference: Any, client: TestClient) -> tuple[Any, TestClient]:  # noqa: F811
    """Patient PA added through the API (DE upload + symptom) with one twin built."""
    store, _ = tiny_reference
    r = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "PA", "symptoms": "HP:0001370"},
        files={"de": ("pa_de.tsv", DE_TABLE.encode(), "text/tab-separated-values")},
    )
    assert r.status_code == 201, r.text
    r = client.post("/v1/patients/PA/twins", headers=WRITE, json=FAST_TWIN)
    assert r.status_code == 201, r.text
    return store, client
