"""A stalled or trickled request body frees its key's slot with a 408 (a real uvicorn, raw sockets).

Before, a client that sent its headers and then stopped (or trickled) its body held one of its
key's ``MEDTWIN_API_CONCURRENCY_PER_KEY`` slots until it sent the rest or went: nothing timed a
body out (uvicorn's keep-alive timeout is for idle connections between requests). Here a key has
one slot, so a stalled upload refuses the key's every other request (429) while it holds it.
Waits are deadlock guards; the limits are seconds wide so a loaded machine does not trip them.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from medtwin.api import create_app
from medtwin.api.deps import get_store
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import WRITE, WRITE_SECRET, api_settings
from tests.api.live_uvicorn import open_upload, serving, upload_form

IDLE_S = 2.0
"""The body-idle limit here (default 30 s)."""
MIN_RATE_KB = 1.0
DE = b"gene\tlog2fc\tpadj\n" + b"".join(b"G%d\t1.5\t0.001\n" % i for i in range(200))


@pytest.fixture
def port() -> Iterator[int]:
    store = MemoryStore()
    store.add_reference(genes={str(i + 1): f"G{i}" for i in range(200)})
    settings = api_settings(
        Settings(),
        api_concurrency_per_key=1,
        api_body_idle_s=IDLE_S,
        api_body_min_rate_kb=MIN_RATE_KB,
    )
    app = create_app(settings, store=store)
    app.dependency_overrides[get_store] = lambda: store
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    with serving(config) as bound:
        yield bound


def _answer(conn: socket.socket, within: float) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of the answer on ``conn``; (0, {}, b"") if none ``within`` s."""
    conn.settimeout(within)
    data = b""
    try:
        while not (b"\r\n\r\n" in data and data.rstrip().endswith(b"}")):
            got = conn.recv(65536)
            if not got:
                break
            data += got
    except TimeoutError:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def _get(port: int, path: str) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{port}{path}", headers=WRITE, timeout=60)


def test_a_stalled_upload_is_told_408_and_frees_its_key_s_slot(port: int) -> None:
    body = upload_form("PSTALL", DE)
    conn = open_upload(port, len(body), WRITE_SECRET, timeout=60)
    conn.sendall(body[: len(body) // 2])  # then nothing more
    # the stalled upload holds the key's one slot while the server waits for its body (polled:
    # on a loaded machine the upload may reach the server after the first read)
    statuses = []
    while 429 not in statuses and len(statuses) < 20:
        statuses.append(_get(port, "/v1/patients/PSTALL").status_code)
        time.sleep(0.05)
    assert 429 in statuses, statuses
    status, headers, answer = _answer(conn, 30 * IDLE_S)  # before: no answer at all
    conn.close()
    assert status == 408, answer
    assert headers["connection"] == "close"
    error = json.loads(answer)
    assert error["error"] == "RequestTimeout"
    assert "no byte for 2 s" in error["detail"]
    assert "MEDTWIN_API_BODY_IDLE_S" in error["detail"]
    # the slot is free again: the key's next request is served (404: nothing was added)
    assert _get(port, "/v1/patients/PSTALL").status_code == 404


def test_a_trickled_body_is_told_408_by_the_minimum_rate(port: int) -> None:
    # one byte every 0.2 s never pauses for IDLE_S, but averages 5 bytes/s, under 1 KiB/s
    body = upload_form("PTRICKLE", DE)
    conn = open_upload(port, len(body), WRITE_SECRET, timeout=60)
    started = time.monotonic()
    status, answer = 0, b""
    for i in range(len(body)):
        try:
            conn.sendall(body[i : i + 1])
        except OSError:  # closed by the server after its answer
            break
        conn.settimeout(0.2)
        try:
            if conn.recv(1, socket.MSG_PEEK):
                break
        except TimeoutError:
            pass
        assert time.monotonic() - started < 30 * IDLE_S, "never cut"  # before: trickles on
    status, _, answer = _answer(conn, 30 * IDLE_S)
    conn.close()
    assert status == 408, answer
    detail = json.loads(answer)["detail"]
    assert "MEDTWIN_API_BODY_MIN_RATE_KB" in detail
    assert "1 KiB/s" in detail
    assert _get(port, "/v1/patients/PTRICKLE").status_code == 404


def test_a_slow_but_moving_upload_longer_than_the_idle_limit_is_read_whole(port: int) -> None:
    # 2 KiB every 0.1 s (~20 KiB/s, far above the minimum) for longer than IDLE_S in all
    rows = b"".join(b"G%d\t1.5\t0.001\n" % (i % 200) for i in range(4000))
    body = upload_form("PSLOW", DE + rows)
    conn = open_upload(port, len(body), WRITE_SECRET, timeout=60)
    started = time.monotonic()
    for i in range(0, len(body), 2048):
        conn.sendall(body[i : i + 2048])
        time.sleep(0.1)
    assert time.monotonic() - started > IDLE_S
    status, _, answer = _answer(conn, 120)
    conn.close()
    assert status == 201, answer
    assert _get(port, "/v1/patients/PSLOW").json()["genes"] == 200
