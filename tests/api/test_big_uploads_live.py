"""Big, slow, cut and refused uploads under a real uvicorn (in-memory store, no Neo4j).

What the README's "Big uploads" paragraph says, checked on the server itself, not the ASGI app
alone: a client that goes away mid-upload leaves no patient, no file and no error behind; a
body past ``MEDTWIN_MAX_UPLOAD_MB`` is answered 413 to a real client (declared or streamed,
never a reset connection); an upload that pauses longer than uvicorn's keep-alive timeout, or
whose reading outlasts it, is answered whole; a client gone while its upload is read leaves the
add whole, and the same upload sent again adds no second input. Waits here are
deadlock guards, never timing assertions.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from medtwin.api import create_app
from medtwin.api.deps import get_store
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import WRITE, WRITE_SECRET, api_settings
from tests.api.live_uvicorn import BOUNDARY, open_upload, serving, upload_form

KEEP_ALIVE_S = 1
"""uvicorn's keep-alive timeout here (its default is 5 s): the pauses below outlast it."""
DE = b"gene\tlog2fc\tpadj\nNA\t1\t0.01\n" + b"".join(b"G%d\t1.5\t0.001\n" % i for i in range(200))
"""200 genes, and a row without a gene: its warning is where a request is held (:class:`_Hold`)."""


class _Log(logging.Handler):
    """Every record the server logs (uvicorn's and the app's), to look for errors."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def errors(self) -> list[str]:
        return [
            r.getMessage()
            for r in self.records
            if r.levelno >= logging.ERROR or r.exc_info or " 500" in r.getMessage()
        ]


class _Hold(logging.Filter):
    """Holds a request inside its reader (at its warning of a row without a gene) until released."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = threading.Event()
        self.release = threading.Event()

    def filter(self, record: logging.LogRecord) -> bool:
        if "without a gene were skipped" in record.getMessage() and not self.release.is_set():
            self.inside.set()
            assert self.release.wait(120), "never released"  # a deadlock guard
        return True


@pytest.fixture
def live() -> Iterator[tuple[int, MemoryStore, _Log, _Hold]]:
    store = MemoryStore()
    store.add_reference(genes={str(i + 1): f"G{i}" for i in range(200)})
    app = create_app(api_settings(Settings(), max_upload_mb=2), store=store)
    app.dependency_overrides[get_store] = lambda: store
    log, hold = _Log(), _Hold()
    root = logging.getLogger()
    reader = logging.getLogger("medtwin.loaders.gene_names")
    root.addHandler(log)
    reader.addFilter(hold)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="info",
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    try:
        with serving(config) as port:
            yield port, store, log, hold
    finally:
        hold.release.set()
        root.removeHandler(log)
        reader.removeFilter(hold)


def _answer(conn: socket.socket) -> tuple[int, bytes]:
    """Status and body of the answer on ``conn`` (read until the server closes or it is whole)."""
    data = b""
    while not (b"\r\n\r\n" in data and data.rstrip().endswith(b"}")):
        got = conn.recv(65536)
        if not got:
            break
        data += got
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def _upload_dirs() -> set[str]:
    return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("medtwin-upload-")}


def _deleted_files() -> int:
    """Open files of this process whose name is gone (spooled uploads not closed)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").endswith("(deleted)")
        except OSError:
            continue
    return count


def _get(port: int, path: str) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{port}{path}", headers=WRITE, timeout=120)


@pytest.mark.parametrize(
    "cut",
    ["in the patient_id field", "inside the file", "before the closing boundary", "1 byte short"],
)
def test_a_client_gone_mid_upload_leaves_nothing_behind(live, cut: str) -> None:
    port, store, log, _ = live
    rows = b"".join(b"G%d\t1.5\t0.001\n" % (i % 200) for i in range(50_000))
    body = upload_form("PCUT", DE + rows)  # ~0.7 MB: spooled to a file by the form parser
    at = {
        "in the patient_id field": 90,
        "inside the file": len(body) // 2,
        "before the closing boundary": len(body) - 12,
        "1 byte short": len(body) - 1,
    }[cut]
    dirs, files = _upload_dirs(), _deleted_files()
    conn = open_upload(port, len(body), WRITE_SECRET, timeout=120)
    conn.sendall(body[:at])
    conn.close()
    # the server answers the next request on a new connection: the cut one is done with
    assert _get(port, "/v1/patients/PCUT").status_code == 404
    assert _get(port, "/health").status_code == 200
    assert _upload_dirs() == dirs
    assert _deleted_files() <= files
    assert log.errors() == []


@pytest.mark.parametrize("how", ["declared", "streamed"])
def test_a_body_past_the_upload_limit_is_told_413_to_a_real_client(live, how: str) -> None:
    port, _, log, _ = live
    rows = b"".join(b"G%d\t1.5\t0.001\n" % (i % 200) for i in range(250_000))
    body = upload_form("PBIG", DE + rows)  # ~3.4 MB against a limit of 2 MiB
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    r = httpx.post(
        f"http://127.0.0.1:{port}/v1/patients",
        headers={**WRITE, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        content=body if how == "declared" else chunks,
        timeout=120,
    )
    assert r.status_code == 413, r.text
    assert r.json()["detail"].endswith("exceeds the upload limit of 2 MiB (MEDTWIN_MAX_UPLOAD_MB)")
    assert _get(port, "/v1/patients/PBIG").status_code == 404
    assert log.errors() == []


def test_an_upload_paused_past_the_keep_alive_timeout_is_read_whole(live) -> None:
    # uvicorn's keep-alive timeout is for idle connections between requests, not a body's
    # pauses: the server waits for the rest (a stalled client holds its connection)
    port, _, log, hold = live
    hold.release.set()
    body = upload_form("PSLOW", DE)
    conn = open_upload(port, len(body), WRITE_SECRET, timeout=120)
    conn.sendall(body[: len(body) // 2])
    assert not _wait_closed(conn, 3 * KEEP_ALIVE_S)  # still open, waiting for the rest
    conn.sendall(body[len(body) // 2 :])
    status, answer = _answer(conn)
    conn.close()
    assert status == 201, answer
    assert _get(port, "/v1/patients/PSLOW").json()["genes"] == 200
    assert log.errors() == []


def _wait_closed(conn: socket.socket, seconds: float) -> bool:
    """Whether the server closes ``conn`` (or answers on it) within ``seconds``."""
    conn.settimeout(seconds)
    try:
        conn.recv(1, socket.MSG_PEEK)
        return True
    except TimeoutError:
        return False
    finally:
        conn.settimeout(120)


def test_a_client_gone_while_its_upload_is_read_leaves_the_add_whole(live) -> None:
    # the client gives up (its timeout, a closed laptop) while the server reads the file: the
    # add goes on to the end, whole; the same upload sent again is told it is already there
    port, store, log, hold = live
    body = upload_form("PGONE", DE)
    conn = open_upload(port, len(body), WRITE_SECRET, timeout=120)
    conn.sendall(body)
    assert hold.inside.wait(120), "the upload never reached its reader"  # a deadlock guard
    conn.close()  # gone while the reader is held, past the keep-alive timeout
    assert not _wait_for_patient(port, "PGONE", 3 * KEEP_ALIVE_S)
    hold.release.set()
    assert _wait_for_patient(port, "PGONE", 120)
    shown = _get(port, "/v1/patients/PGONE").json()
    assert (shown["inputs"], shown["genes"]) == (1, 200)
    again = httpx.post(
        f"http://127.0.0.1:{port}/v1/patients",
        headers={**WRITE, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        content=body,
        timeout=120,
    )
    assert again.status_code == 201, again.text
    assert _get(port, "/v1/patients/PGONE").json()["inputs"] == 1
    assert log.errors() == []


def _wait_for_patient(port: int, patient_id: str, seconds: float) -> bool:
    """Whether ``patient_id`` exists within ``seconds`` (polled; a bound, not a timing check)."""
    done = threading.Event()
    for _ in range(int(seconds * 10)):
        if _get(port, f"/v1/patients/{patient_id}").status_code == 200:
            return True
        done.wait(0.1)
    return False
