"""The HTTP version probe names the server that does not answer (no server needed)."""

from __future__ import annotations

import socket

import pytest

from medtwin.errors import GraphStoreUnavailable
from medtwin.store.http import probe_http


def test_probe_of_a_closed_port_is_unavailable():
    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GraphStoreUnavailable, match=f"127.0.0.1:{port} does not answer"):
        probe_http(port, "neo4j", "x", timeout=2.0)
