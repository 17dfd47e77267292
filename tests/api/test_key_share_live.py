"""A key's requests beyond its share wait their turn while another key is busy; alone, a key's
parallel requests (a notebook's 4) all run, none refused (api/key_share.py).

Requests hold a worker thread until the test opens their gate, so what runs and what waits is
read from the limiter's own counts, never from timing; waits are deadlock guards only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from medtwin.api import create_app
from medtwin.api.client_limits import ClientLimiter
from medtwin.api.deps import get_store
from medtwin.api.key_share import KeyShare
from medtwin.api.resilience import LimitMiddleware
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, api_settings
from tests.api.request_gates import Gates, asgi_client, until
from tests.unit.services.conftest import reference_store

READER = "key:reader"


@pytest.fixture
def gates() -> Iterator[Gates]:
    g = Gates()
    yield g
    g.open_all()  # never leave a worker thread blocked


def _app(
    gates: Gates, *, concurrency: int, share: int, wait_s: float = 30.0, window: float = 2.0
) -> Any:
    store: MemoryStore = reference_store()
    app = create_app(api_settings(Settings()), store=store)  # its own limits: unlimited
    app.dependency_overrides[get_store] = gates.gated(store)
    return LimitMiddleware(
        app,
        app.state.api_keys,
        keyed=ClientLimiter(concurrency=concurrency, rate=1000.0, burst=1000),
        anonymous=ClientLimiter(concurrency=2, rate=5.0, burst=20),
        fair=KeyShare(share=share, window=window),
        share_wait_s=wait_s,
    )


async def _get(client: httpx.AsyncClient, name: str, headers: dict[str, str]) -> int:
    r = await client.get("/v1/patients", headers={"x-gate": name, **headers})
    return r.status_code


async def _reader_beside_writer(tg: Any, client: httpx.AsyncClient, gates: Gates) -> None:
    """The reader's request r1 running, then the writer's w1 (the other key busy), both held."""
    for name, headers in (("r1", READ), ("w1", WRITE)):
        tg.start_soon(_get, client, name, headers)
        await until(lambda name=name: name in gates.entered)


@pytest.mark.anyio
async def test_beside_a_busy_key_a_key_runs_its_share_and_its_next_request_waits(gates):
    """Before: the reader's second request ran at once beside the writer's (a key ran up to its
    cap whatever the others did): one key's 4 heavy reads made another key's reads 4-8x slower."""
    limited = _app(gates, concurrency=4, share=1)
    codes: dict[str, int] = {}

    async def get(name: str, headers: dict[str, str]) -> None:
        r = await client.get("/v1/patients", headers={"x-gate": name, **headers})
        codes[name] = r.status_code

    async with (
        asgi_client(limited) as client,
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(get, "r1", READ)
        await until(lambda: "r1" in gates.entered)
        tg.start_soon(get, "w1", WRITE)  # another key's first request runs at once
        await until(lambda: "w1" in gates.entered)
        tg.start_soon(get, "r2", READ)
        await until(lambda: limited.fair.waiting(READER) == 1)
        assert "r2" not in gates.entered  # waiting in the event loop, not refused
        gates.open("r1")
        await until(lambda: "r2" in gates.entered)  # the reader's turn again
        gates.open_all()
    assert codes == {"r1": 200, "w1": 200, "r2": 200}


@pytest.mark.anyio
@pytest.mark.parametrize("beside_another_key", [False, True])
async def test_a_notebooks_four_parallel_requests_are_never_refused(gates, beside_another_key):
    """With the default cap (4) and share: alone all 4 run at once; beside another busy key they
    take turns (a cap of 2 refused the 3rd and 4th with 429)."""
    defaults = Settings()
    limited = _app(
        gates,
        concurrency=defaults.api_concurrency_per_key,
        share=defaults.api_busy_share_per_key,
    )
    codes: list[int] = []

    async def get(name: str, headers: dict[str, str]) -> None:
        r = await client.get("/v1/patients", headers={"x-gate": name, **headers})
        codes.append(r.status_code)

    async with (
        asgi_client(limited) as client,
        anyio.create_task_group() as tg,
    ):
        if beside_another_key:
            tg.start_soon(get, "other", WRITE)
            await until(lambda: "other" in gates.entered)
        for i in range(4):
            tg.start_soon(get, f"n{i}", READ)
        await until(lambda: limited.fair.running(READER) + limited.fair.waiting(READER) == 4)
        if beside_another_key:
            assert limited.fair.running(READER) == defaults.api_busy_share_per_key
        else:
            assert limited.fair.running(READER) == 4
        gates.open_all()
    assert codes == [200] * (5 if beside_another_key else 4)


@pytest.mark.anyio
async def test_a_waiting_request_starts_when_the_other_key_goes_quiet(gates):
    """Before: it started only when a request ended — beside its own key's one long request (a
    build) it waited out MEDTWIN_API_SHARE_WAIT_S and got 429, the other key long gone."""
    limited = _app(gates, concurrency=4, share=1, window=0.05)
    async with (
        asgi_client(limited) as client,
        anyio.create_task_group() as tg,
    ):
        await _reader_beside_writer(tg, client, gates)  # r1: held throughout
        tg.start_soon(_get, client, "r2", READ)
        await until(lambda: limited.fair.waiting(READER) == 1)
        gates.open("w1")  # the other key's request ends; no request of any key ends after it
        await until(lambda: "r2" in gates.entered)
        assert limited.fair.running(READER) == 2  # r1 still running beside it
        gates.open_all()


@pytest.mark.anyio
async def test_a_request_that_waits_too_long_is_429_and_frees_its_slot(gates):
    limited = _app(gates, concurrency=4, share=1, wait_s=0.05)
    async with (
        asgi_client(limited) as client,
        anyio.create_task_group() as tg,
    ):
        await _reader_beside_writer(tg, client, gates)
        with anyio.fail_after(20):
            late = await client.get("/v1/patients", headers={**READ, "x-gate": "r2"})
        assert limited.keyed.in_flight() == 2  # r1 and w1: the refused one holds no slot
        assert limited.fair.waiting(READER) == 0
        gates.open_all()
    assert late.status_code == 429, late.text
    assert late.headers["retry-after"] == "1"
    assert "waited 0.05 s for its turn" in late.json()["detail"]
    assert "r2" not in gates.entered


@pytest.mark.anyio
async def test_a_client_gone_while_waiting_leaves_no_turn_and_no_slot(gates):
    limited = _app(gates, concurrency=4, share=1)
    gone: list[anyio.CancelScope] = []

    async def leaving_client() -> None:
        with anyio.CancelScope() as scope:
            gone.append(scope)
            await _get(client, "r2", READ)

    async with (
        asgi_client(limited) as client,
        anyio.create_task_group() as tg,
    ):
        await _reader_beside_writer(tg, client, gates)
        tg.start_soon(leaving_client)
        await until(lambda: limited.fair.waiting(READER) == 1)
        gone[0].cancel()
        await until(lambda: limited.fair.waiting(READER) == 0)
        assert limited.keyed.in_flight() == 2  # r1 and w1
        assert limited.fair.running(READER) == 1
        gates.open_all()
    assert "r2" not in gates.entered
    assert limited.fair.running(READER) == 0
