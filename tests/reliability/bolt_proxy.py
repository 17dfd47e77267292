"""A TCP proxy in front of the test server whose connections a test can break: a real network fault.

The driver sees what it sees when the server restarts or a link drops under a query: the socket
it sent the query on is closed by the other end (``SessionExpired``/``ServiceUnavailable``), with
no mock of the driver or the store.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

__all__ = ["BoltProxy", "bolt_proxy"]


class BoltProxy:
    """Forwards ``127.0.0.1:<port>`` to ``target``; :meth:`break_open` breaks what is open.

    ``refuse``: connections accepted from then on are closed at once (the server is gone).
    ``accepted`` counts the connections the clients opened.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.refuse = False
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open: list[tuple[socket.socket, socket.socket]] = []
        self._doomed: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            with self._lock:
                self.accepted += 1
            if self.refuse:
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self._lock:
                self._open.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if source in self._doomed:  # the client's next message: the link breaks now
                    break
                sink.sendall(data)
        _close(source, sink)

    def break_open(self) -> None:
        """Break each open connection at the client's next message (a query on a pooled one).

        Not at once: the driver sees a connection closed while idle when it takes it from its
        pool, and opens another without an error. Broken under a query, the query fails.
        """
        with self._lock:
            self._doomed.update(client for client, _ in self._open)

    def close(self) -> None:
        """Stop listening and close what is open."""
        self._listener.close()
        with self._lock:
            for pair in self._open:
                _close(*pair)


def _close(*sockets: socket.socket) -> None:
    for s in sockets:
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        s.close()


@contextlib.contextmanager
def bolt_proxy(uri: str) -> Iterator[BoltProxy]:
    """A :class:`BoltProxy` in front of the ``bolt://host:port`` of ``uri``."""
    host, _, port = uri.split("://", 1)[1].rstrip("/").rpartition(":")
    proxy = BoltProxy((host, int(port)))
    try:
        yield proxy
    finally:
        proxy.close()
