"""One key cannot starve the service; errors keep the connection (issue 19, findings 1 and 7).

In-memory store, no Neo4j. Waits here are deadlock guards (a generous ``fail_after``), never
timing assertions: a request that queues behind busy workers never answers at all.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import httpx
import numpy as np
import pytest
import uvicorn
from fastapi import Request

from medtwin.api import create_app
from medtwin.api.client_limits import ClientLimiter
from medtwin.api.deps import get_store
from medtwin.api.resilience import LimitMiddleware
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, READ_SECRET, WRITE, TestClient, api_settings
from tests.api.live_uvicorn import serving
from tests.unit.services.conftest import reference_store

DE = "gene\tlog2fc\tpadj\nG1\t2.0\t0.0001\nG2\t-1.0\t0.001\nG5\t1.5\t0.01\n"


@pytest.fixture
def store() -> MemoryStore:
    return reference_store()


async def _get(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> None:
    await client.get(path, headers=headers)


def _blocking_app(store: MemoryStore, gate: threading.Event, **limits: Any) -> Any:
    """An app whose store dependency holds a worker thread until ``gate`` (``X-Block: 1`` only)."""
    app = create_app(api_settings(Settings(), **limits), store=store)

    def held_store(request: Request) -> MemoryStore:  # sync: runs on a worker thread
        if request.headers.get("x-block"):
            gate.wait(30)
        return store

    app.dependency_overrides[get_store] = held_store
    return app


@pytest.mark.anyio
async def test_health_answers_while_every_worker_is_busy(store):
    gate = threading.Event()
    app = _blocking_app(store, gate)
    pool = anyio.to_thread.current_default_thread_limiter()
    tokens = pool.total_tokens
    pool.total_tokens = 2  # two held requests fill the whole pool
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://t") as client,
            anyio.create_task_group() as tg,
        ):
            for headers in (READ, WRITE):
                tg.start_soon(_get, client, "/v1/patients", {"x-block": "1", **headers})
            while pool.borrowed_tokens < 2:
                await anyio.sleep(0.01)
            with anyio.fail_after(20):  # deadlock guard: on a queued /health this never returns
                health = await client.get("/health")
            gate.set()
    finally:
        gate.set()
        pool.total_tokens = tokens
    assert health.status_code == 200
    assert health.json()["status"] == "ok"


@pytest.mark.anyio
async def test_one_key_gets_429_past_its_concurrency_while_others_are_served(store):
    gate = threading.Event()
    app = _blocking_app(store, gate, api_concurrency_per_key=2)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://t") as client,
            anyio.create_task_group() as tg,
        ):
            for _ in range(2):
                tg.start_soon(_get, client, "/v1/patients", {"x-block": "1", **READ})
            pool = anyio.to_thread.current_default_thread_limiter()
            while pool.borrowed_tokens < 2:
                await anyio.sleep(0.01)
            with anyio.fail_after(20):
                third = await client.get("/v1/patients", headers=READ)
                other = await client.get("/v1/patients", headers=WRITE)
            gate.set()
    finally:
        gate.set()
    assert third.status_code == 429, third.text
    assert int(third.headers["retry-after"]) >= 1
    assert third.json()["error"] == "TooManyRequests"
    assert other.status_code == 200


def test_rate_limit_answers_429_with_retry_after(store):
    app = create_app(
        api_settings(Settings(), api_rate_per_key=0.01, api_burst_per_key=3),
        store=store,
    )
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        codes = [c.get("/v1/patients", headers=READ).status_code for _ in range(4)]
        last = c.get("/v1/patients", headers=READ)
        assert c.get("/health").status_code == 200  # liveness is never limited
    assert codes == [200, 200, 200, 429]
    assert int(last.headers["retry-after"]) >= 1


def test_a_second_key_header_does_not_move_a_key_off_its_limit(store):
    """Before: the limiter read the last X-API-Key, the route the first, so a read key sent with
    a second, junk header was served as itself but limited as an anonymous address (burst 20)."""
    app = create_app(
        api_settings(Settings(), api_rate_per_key=0.01, api_burst_per_key=3),
        store=store,
    )
    app.dependency_overrides[get_store] = lambda: store
    twice = [("X-API-Key", READ_SECRET), ("X-API-Key", "junk")]
    with TestClient(app, raise_server_exceptions=False) as c:
        codes = [c.get("/v1/patients", headers=twice).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_a_get_with_a_body_is_400_not_a_scope_error(store):
    app = create_app(api_settings(Settings()), store=store)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.request("GET", "/v1/patients", headers=READ, content=b"{}")
    assert r.status_code == 400, r.text
    assert r.json()["detail"].startswith("a GET request takes no body")


def test_unauthenticated_flood_gets_429(store):
    app = create_app(
        api_settings(Settings(), api_rate_per_ip=0.01, api_burst_per_ip=5),
        store=store,
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        codes = [c.get("/v1/patients").status_code for _ in range(8)]
        keyed = c.get("/v1/patients", headers=READ)
    assert codes[:5] == [401] * 5
    assert set(codes[5:]) == {429}
    assert keyed.status_code == 200  # a valid key is its own client


def test_cohort_summary_top_is_bounded(store):
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/v1/cohorts/any/summary?top_drugs=1000", headers=READ)
        old = c.get("/v1/cohorts/any/summary?top=1000", headers=READ)  # its old name
        page = c.get("/v1/cohorts/any/summary?limit=100000", headers=READ)
    assert r.status_code == 422, r.text
    assert old.status_code == 422, old.text
    assert page.status_code == 422, page.text


# -- finding 7: malformed h5ad is the client's 422; errors keep the keep-alive connection -------
def _h5ad_with_unknown_encoding(folder: Path) -> bytes:
    import anndata
    import h5py
    import pandas as pd

    ad = anndata.AnnData(
        X=np.ones((4, 3), dtype=np.float32),
        obs=pd.DataFrame({"cell_type": ["a", "a", "b", "b"]}, index=[f"c{i}" for i in range(4)]),
        var=pd.DataFrame(index=["G1", "G2", "G5"]),
    )
    path = folder / "bad.h5ad"
    ad.write_h5ad(path)
    with h5py.File(path, "r+") as f:
        f["X"].attrs["encoding-type"] = "no-such-encoding"
    return path.read_bytes()


def test_malformed_h5ad_is_422_without_internal_text(store, tmp_path):
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": "H1"},
            files={
                "h5ad": ("bad.h5ad", _h5ad_with_unknown_encoding(tmp_path), "application/x-hdf5")
            },
        )
    assert r.status_code == 422, r.text
    assert "bad.h5ad" in r.json()["detail"]
    assert "no-such-encoding" not in r.text
    assert "Traceback" not in r.text


class _Broken:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("a bug deep inside")


@pytest.fixture
def live_server(store: MemoryStore) -> Iterator[int]:
    """The app under a real uvicorn on 127.0.0.1 (an ephemeral port); its store is broken."""
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: _Broken()
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", lifespan="on")
    with serving(config) as port:
        yield port


def test_connection_survives_500_and_422(live_server):
    conn = http.client.HTTPConnection("127.0.0.1", live_server, timeout=20)
    answers = []
    for path, headers in (
        ("/v1/patients", {"X-API-Key": WRITE["X-API-Key"]}),  # the store raises: 500
        ("/health", {}),
        ("/v1/patients/P1/twins/latest/diseases?top=-1", {"X-API-Key": WRITE["X-API-Key"]}),
        ("/health", {}),
    ):
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        answers.append((r.status, r.getheader("connection")))
        r.read()
    conn.close()
    assert [s for s, _ in answers] == [500, 200, 422, 200]
    assert all(c != "close" for _, c in answers)


def test_symptoms_file_error_does_not_echo_the_input(store):
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    long_term = "q" * 400_000
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post(
            "/v1/patients",
            headers=WRITE,
            data={"patient_id": "S1"},
            files={"symptoms_file": ("s.txt", f"{long_term}\n".encode(), "text/plain")},
        )
    assert r.status_code == 422, r.text[:300]
    assert len(r.json()["detail"]) <= 1000
    assert "s.txt" in r.json()["detail"]


# -- finding 8: one request cannot ask for minutes of work -----------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {"module_samples": 10_000, "expansion": "diamond", "expand": 1000},
        {"module_samples": 10_000},
        {"expansion": "diamond", "expand": 201},
        {"expansion": "rwr", "expand": 1000},
    ],
)
def test_twin_build_work_is_bounded(store, body):
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/v1/patients/P1/twins", headers=WRITE, json=body)
    assert r.status_code == 422, r.text


def test_trajectory_time_points_are_bounded(store):
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post(
            "/v1/patients/P1/trajectory",
            headers=WRITE,
            json={"time_points": [f"t{i}" for i in range(50)]},
        )
    assert r.status_code == 422, r.text
    assert "time_points" in r.json()["detail"]


# -- finding 2: reads never write; a race cannot duplicate stored results ---------------------
def _with_diseases(store: MemoryStore) -> MemoryStore:
    store.add_reference(
        genes={},
        disease_genes={
            "menche2015_interactome": {
                "mesh:a": ("disease a", ["1", "2", "3"]),
                "mesh:b": ("disease b", ["4", "5"]),
                "mesh:c": ("disease c", ["6", "7", "8"]),
            }
        },
    )
    return store


def _twin(c: TestClient) -> None:
    r = c.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1"},
        files={"de": ("p_de.tsv", DE.encode(), "text/tab-separated-values")},
    )
    assert r.status_code == 201, r.text
    r = c.post("/v1/patients/P1/twins", headers=WRITE, json={"module_samples": 20, "min_seeds": 2})
    assert r.status_code == 201, r.text


def test_disease_read_does_not_compute_and_says_how(store, tmp_path):
    _with_diseases(store)
    app = create_app(api_settings(Settings(home=tmp_path)), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        _twin(c)
        r = c.get("/v1/patients/P1/twins/latest/diseases", headers=READ)
        assert store.insights.resemblances("P1@v1") == []  # the read wrote nothing
        assert r.status_code == 404, r.text
        assert "not computed" in r.json()["detail"]
        # the route that computes it (the API's words for `medtwin twin diseases P1`)
        assert "call POST /v1/patients/P1/twins/latest/diseases" in r.json()["detail"]
        assert c.post("/v1/patients/P1/twins/latest/diseases", headers=READ).status_code == 403
        computed = c.post("/v1/patients/P1/twins/latest/diseases?top=0", headers=WRITE)
        assert computed.status_code == 200, computed.text
        read = c.get("/v1/patients/P1/twins/latest/diseases?top=0", headers=READ)
    assert read.status_code == 200
    assert read.json() == computed.json()
    assert sorted(r["disease_id"] for r in read.json()) == ["mesh:a", "mesh:b", "mesh:c"]


@pytest.mark.anyio
async def test_racing_computes_store_each_disease_once(store, tmp_path):
    _with_diseases(store)
    app = create_app(api_settings(Settings(home=tmp_path)), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        _twin(c)
    codes: list[int] = []

    async def compute(client: httpx.AsyncClient) -> None:
        r = await client.post("/v1/patients/P1/twins/latest/diseases?top=0", headers=WRITE)
        codes.append(r.status_code)

    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
        anyio.create_task_group() as tg,
    ):
        for _ in range(8):
            tg.start_soon(compute, client)
    assert set(codes) <= {200, 409}
    assert 200 in codes
    stored = [r["disease_id"] for r in store.insights.resemblances("P1@v1")]
    assert sorted(stored) == ["mesh:a", "mesh:b", "mesh:c"]


def test_no_host_reflection_and_no_versions_without_a_key(store):
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/v1/patients/", headers={**READ, "Host": "evil.example"}, follow_redirects=False)
        ready = c.get("/ready")
    assert r.status_code == 404
    assert "evil.example" not in r.headers.get("location", "")
    assert "evil.example" not in r.text
    assert ready.json() == {"status": "ready"}


class _Clock:
    """Monotonic seconds that only a held refusal moves on (its sleep is recorded, not slept)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.anyio
async def test_a_client_ignoring_retry_after_is_answered_when_its_wait_is_up(store):
    """Before: every refusal was answered at once, so a key whose 20 clients retried at once made
    ~360 refusals a second in the event loop every key shares (another read key's p50 19 -> 450
    ms); now a refusal inside the Retry-After of the last one waits in the loop for its end."""
    clock = _Clock()
    limiter = ClientLimiter(concurrency=1, rate=1000.0, burst=1000, clock=clock)
    gate = threading.Event()
    app = _blocking_app(store, gate)
    paced = LimitMiddleware(
        app,
        app.state.api_keys,
        keyed=limiter,
        anonymous=ClientLimiter(concurrency=2, rate=5.0, burst=20, clock=clock),
        sleep=clock.sleep,
    )
    transport = httpx.ASGITransport(app=paced)
    codes: list[int] = []
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://t") as client,
            anyio.create_task_group() as tg,
        ):
            tg.start_soon(_get, client, "/v1/patients", {"x-block": "1", **READ})
            while limiter.in_flight() < 1:
                await anyio.sleep(0.01)
            with anyio.fail_after(20):  # deadlock guard
                for _ in range(4):  # back at once each time, as a client ignoring Retry-After
                    r = await client.get("/v1/patients", headers=READ)
                    codes.append(r.status_code)
                clock.now += 5.0  # it waits as told: answered at once again
                codes.append((await client.get("/v1/patients", headers=READ)).status_code)
                other = await client.get("/v1/patients", headers=WRITE)
            gate.set()
    finally:
        gate.set()
    assert codes == [429] * 5
    # every other refusal waits for the end of the window the one before opened: one answer a
    # second, however fast the client comes back
    assert clock.slept == [1.0, 1.0]
    assert other.status_code == 200
    assert len(clock.slept) == 2  # another key is never held
