"""What uvicorn refuses before the app is called is answered in JSON under ``medtwin serve``.

uvicorn answered a URL over 65,535 bytes (httptools' URL parser keeps 16-bit offsets) and any
request its parser refused with a plain-text ``400 Invalid HTTP request received.``, the one
answer of the API that was not ``{"error", "detail"}`` JSON. The server here is started with the
options ``medtwin serve`` passes to ``uvicorn.run`` (recorded, not guessed), on the memory store.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from medtwin.api import create_app
from medtwin.cli import cli, interfaces
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ_SECRET, api_settings
from tests.api.live_uvicorn import serving


@pytest.fixture
def port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(interfaces, "settings", lambda: Settings(home=tmp_path))
    assert CliRunner().invoke(cli, ["serve", "--port", "8014"]).exit_code == 0
    (options,) = calls
    options.update(port=0, log_level="warning")  # an ephemeral port, quiet
    app = create_app(api_settings(Settings()), store=MemoryStore())
    with serving(uvicorn.Config(app, **options)) as bound:
        yield bound


def _ask(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    conn = socket.create_connection(("127.0.0.1", port), timeout=60)
    with contextlib.suppress(OSError):  # closed after its answer, before all was sent
        conn.sendall(request)
    data = b""
    while True:
        try:
            got = conn.recv(65536)
        except ConnectionResetError:
            break
        if not got:
            break
        data += got
        if b"\r\n\r\n" in data and data.rstrip().endswith(b"}"):
            break
    conn.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def _get(url: str) -> bytes:
    return f"GET {url} HTTP/1.1\r\nHost: t\r\nX-API-Key: {READ_SECRET}\r\n\r\n".encode()


@pytest.mark.parametrize("size", [66_000, 1_000_000])
def test_a_url_over_64_kib_is_a_json_414(port: int, size: int) -> None:
    status, headers, body = _ask(port, _get("/v1/patients?x=" + "a" * size))
    assert status == 414, body  # before: 400, text/plain "Invalid HTTP request received."
    assert headers["content-type"] == "application/json"
    error = json.loads(body)
    assert error["error"] == "URITooLong"
    assert "more than 65,535 bytes" in error["detail"]
    assert "offset and limit" in error["detail"]


def test_a_url_under_the_limit_reaches_the_app(port: int) -> None:
    status, _, body = _ask(port, _get("/v1/patients?x=" + "a" * 60_000))
    assert status == 422, body
    assert json.loads(body)["detail"].startswith("unknown query parameter(s) x")


def test_a_request_the_parser_refuses_is_a_json_400(port: int) -> None:
    status, headers, body = _ask(port, b"GET /v1/patients HTTP/1.1\r\nHo st: t\r\n\r\n")
    assert status == 400, body
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"] == "BadRequest"
    status, _, body = _ask(port, _get("/health"))  # the server goes on answering
    assert status == 200, body
