"""A key's reads and writes take turns in lanes of their own (api/key_share.py, stop 58).

Before: one lane per key, so while another key kept reading, a key whose one running request was
a build (seconds to minutes) could not start a light read until the build ended, and past
``MEDTWIN_API_SHARE_WAIT_S`` was answered 429. The app here is :func:`medtwin.api.create_app`'s
whole middleware stack with the default cap (4) and share (1); requests are held on gates, and
what runs and what waits is read from the limiter's own counts (``tests/api/request_gates.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest

from medtwin.api.deps import get_store
from medtwin.api.key_share import READ as READ_LANE
from medtwin.api.key_share import WRITE as WRITE_LANE
from medtwin.api.resilience import LimitMiddleware
from medtwin.platform import patients
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import FAST_TWIN, READ, WRITE, memory_app
from tests.api.request_gates import Gates, asgi_client, until
from tests.unit.services.conftest import profile, reference_store

A = "key:writer"  # builds and reads its own patients
B = "key:reader"  # another key, reading


@pytest.fixture
def gates() -> Iterator[Gates]:
    g = Gates()
    yield g
    g.open_all()  # never leave a worker thread blocked


@pytest.fixture
def app(gates: Gates) -> Any:
    store: MemoryStore = reference_store()
    for pid in ("P1", "P2"):
        patients.add_patient(store, profile(pid))
    defaults = Settings()
    app = memory_app(
        store,
        api_concurrency_per_key=defaults.api_concurrency_per_key,
        api_busy_share_per_key=defaults.api_busy_share_per_key,
    )
    app.dependency_overrides[get_store] = gates.gated(store)
    return app


def _limits(app: Any) -> LimitMiddleware:
    """The app's limit middleware (its stack is built at the first request)."""
    layer = app.middleware_stack
    while not isinstance(layer, LimitMiddleware):
        layer = layer.app
    return layer


class _Requests:
    """Gated requests started in a task group; their statuses by gate name."""

    def __init__(self, client: httpx.AsyncClient, tg: Any, gates: Gates) -> None:
        self.client, self.tg, self.gates = client, tg, gates
        self.codes: dict[str, int] = {}

    def start(self, name: str, method: str, path: str, headers: dict[str, str]) -> None:
        async def send() -> None:
            body = {"json": FAST_TWIN} if method == "POST" else {}
            r = await self.client.request(method, path, headers={"x-gate": name, **headers}, **body)
            self.codes[name] = r.status_code

        self.tg.start_soon(send)

    async def running(self, name: str, method: str, path: str, headers: dict[str, str]) -> None:
        self.start(name, method, path, headers)
        await until(lambda: name in self.gates.entered)


@asynccontextmanager
async def _sending(app: Any, gates: Gates) -> AsyncIterator[_Requests]:
    """Gated requests to ``app``; every gate opens on the way out, a failed assertion too (the
    task group would otherwise wait for the held requests' 30 s guards)."""
    async with asgi_client(app) as client, anyio.create_task_group() as tg:
        try:
            yield _Requests(client, tg, gates)
        finally:
            gates.open_all()


@pytest.mark.anyio
async def test_a_keys_read_starts_beside_its_own_build_and_its_second_build_waits(app, gates):
    """Before: A's read waited in the event loop until A's build ended (fails at its assert)."""
    async with _sending(app, gates) as sent:
        await sent.running("b1", "GET", "/v1/patients", READ)  # B busy throughout
        limits = _limits(app)
        await sent.running("build", "POST", "/v1/patients/P1/twins", WRITE)
        sent.start("a_read", "GET", "/v1/patients/P1", WRITE)
        await until(lambda: "a_read" in gates.entered or limits.fair.waiting(A) == 1)
        assert "a_read" in gates.entered, "A's read queued behind its own build"
        assert limits.fair.running(A) == 2
        sent.start("build2", "POST", "/v1/patients/P2/twins", WRITE)
        await until(lambda: limits.fair.waiting(A, WRITE_LANE) == 1)
        assert "build2" not in gates.entered  # A's writes still run one at a time beside B
        gates.open("build")
        await until(lambda: "build2" in gates.entered)  # its turn when A's build ended
    assert sent.codes == {"b1": 200, "build": 201, "a_read": 200, "build2": 201}


@pytest.mark.anyio
@pytest.mark.parametrize("beside_its_build", [False, True])
async def test_a_key_flooding_reads_beside_a_busy_key_still_runs_one_at_a_time(
    app, gates, beside_its_build
):
    """The protection lanes keep: a write lane of its own does not let a key's heavy reads past
    its share (a build of its own running or not; 3 reads + the build fill its cap of 4)."""
    async with _sending(app, gates) as sent:
        await sent.running("b1", "GET", "/v1/patients", READ)
        limits = _limits(app)
        if beside_its_build:
            await sent.running("build", "POST", "/v1/patients/P1/twins", WRITE)
        reads = 3 if beside_its_build else 4
        for i in range(reads):
            sent.start(f"a{i}", "GET", "/v1/patients/P1", WRITE)
        entered = lambda: sum(name.startswith("a") for name in gates.entered)  # noqa: E731
        await until(lambda: limits.fair.waiting(A, READ_LANE) == reads - 1 and entered() == 1)
        assert limits.fair.running(A, READ_LANE) == 1
    assert set(sent.codes.values()) <= {200, 201}


@pytest.mark.anyio
async def test_every_route_that_changes_something_takes_the_write_lane(app):
    """Builds, rankings, adds, deletes: the lanes come from the routes, not from a list here
    (every non-GET route of the API needs a write key); every GET is a read."""
    async with asgi_client(app) as client:
        assert (await client.get("/health")).status_code == 200  # builds the middleware stack
    lanes = _limits(app).lanes
    seen = {READ_LANE: 0, WRITE_LANE: 0}
    for path, operations in app.openapi()["paths"].items():
        concrete = path.replace("{", "").replace("}", "")  # P1-like values for every parameter
        for method in operations:
            scope = {"type": "http", "method": method.upper(), "path": concrete, "root_path": ""}
            lane = lanes.of(scope)
            assert lane == (READ_LANE if method == "get" else WRITE_LANE), (method, path)
            seen[lane] += 1
    assert seen[WRITE_LANE] >= 9, seen
    assert seen[READ_LANE] >= 20, seen
