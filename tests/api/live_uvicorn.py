"""A real uvicorn on 127.0.0.1 in a thread, for tests that need the server itself (its
connection handling, its access log), not only the ASGI app."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn


@contextmanager
def serving(config: uvicorn.Config) -> Iterator[int]:
    """Run ``config``'s server (``port=0``: an ephemeral port) and yield the port it bound."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # a deadlock guard, not a timing assertion
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)


BOUNDARY = "medtwin-test-boundary"
"""The multipart boundary of :func:`upload_form`."""


def upload_form(patient_id: str, payload: bytes) -> bytes:
    """A ``POST /v1/patients`` form body: ``patient_id`` and ``payload`` as its ``de`` file."""
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="patient_id"\r\n\r\n'
            f'{patient_id}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="de"; '
            'filename="de.tsv"\r\nContent-Type: text/tab-separated-values\r\n\r\n'
        ).encode()
        + payload
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def open_upload(port: int, body_length: int, key: str, *, timeout: float) -> socket.socket:
    """A raw connection that has sent the headers of an :func:`upload_form` of ``body_length``
    bytes with the API key ``key``, and nothing of its body yet (the test sends it as it likes)."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    conn.sendall(
        (
            f"POST /v1/patients HTTP/1.1\r\nHost: test\r\nX-API-Key: {key}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {body_length}\r\n\r\n"
        ).encode()
    )
    return conn
