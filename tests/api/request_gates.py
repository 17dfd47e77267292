"""Requests held on a gate each (``X-Gate: name``) so that what runs and what waits is read from
the limiter's own counts, never from timing (tests of the keys' fair shares, api/key_share.py).

A test overrides the app's ``get_store`` with :meth:`Gates.gated`: a route's store dependency
then blocks its worker thread until the test opens that request's gate. Waits are deadlock guards
only (:func:`until`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
from fastapi import Request

from medtwin.store.memory import MemoryStore


@dataclass
class Gates:
    """Per-request gates (``X-Gate: name``) and the names of the requests that reached the route."""

    opened: dict[str, threading.Event] = field(default_factory=dict)
    entered: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    all_open: bool = False  # gates of requests still to come open too

    def gate(self, name: str) -> threading.Event:
        with self.lock:
            gate = self.opened.setdefault(name, threading.Event())
            if self.all_open:
                gate.set()
            self.entered.append(name)
            return gate

    def open(self, name: str) -> None:
        with self.lock:
            self.opened.setdefault(name, threading.Event()).set()

    def open_all(self) -> None:
        with self.lock:
            self.all_open = True
            for gate in self.opened.values():
                gate.set()

    def gated(self, store: MemoryStore) -> Callable[[Request], MemoryStore]:
        """A ``get_store`` override serving ``store`` once the request's gate is open."""

        def gated_store(request: Request) -> MemoryStore:  # sync: runs on a worker thread
            name = request.headers.get("x-gate")
            if name:
                self.gate(name).wait(30)
            return store

        return gated_store


def asgi_client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def until(condition: Callable[[], bool]) -> None:
    with anyio.fail_after(20):  # deadlock guard, not a timing assertion
        while not condition():
            await anyio.sleep(0.005)
