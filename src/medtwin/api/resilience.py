"""Keep the service answering under load: per-client limits and liveness off the pool (the access
log's redaction: :mod:`medtwin.api.access_log`; the counting: :mod:`medtwin.api.client_limits`).

**Limits** (:class:`LimitMiddleware`). Every request is charged to a client: its API key when it
carries a valid one, else its address (``ip:<host>``). A client may have at most N requests in
progress (``MEDTWIN_API_CONCURRENCY_PER_KEY`` / ``_PER_IP``) and may make R requests per second
with a burst of B (a token bucket: ``MEDTWIN_API_RATE_PER_KEY``/``_BURST_PER_KEY``, ``..._IP``).
Past either it answers ``429 TooManyRequests`` with ``Retry-After`` (whole seconds) at once, without
queueing and without a thread, so one key cannot fill the worker pool that every other client and
route shares. The checks run in the event loop before routing. A client that comes back before the
``Retry-After`` it was given is answered its 429 only when that time is up, or after
:data:`~medtwin.api.client_limits.MAX_HOLD_S` (its request waits in the event loop, holding no
thread and no slot; at most :data:`~medtwin.api.client_limits.MAX_HELD` per client, the rest at
once): a key whose 20 clients ignored ``Retry-After`` made ~360 refusals a second, and the event
loop they shared with every other key slowed another key's reads from p50 19 to 450 ms (now 92
ms: docs/api.md). Within its cap,
a key's request may still wait its turn (in the event loop, no thread) while another key is busy:
the fair share of :mod:`medtwin.api.key_share` (``MEDTWIN_API_BUSY_SHARE_PER_KEY``, in each of
a read and a write lane).

Static files (:data:`STATIC_PATHS`: the viewer's script, style sheet and Cytoscape.js, the docs'
assets) count against the rate but not the cap: a browser asks for them at once, without a key
(the viewer reads its key from the address fragment), and with a cap of 2 per address the viewer's
script was refused now and then.

Why an own limiter and not a library: the concurrency cap is the part that protects the pool, and
neither ``limits`` (fixed/moving windows) nor ``slowapi`` (route decorators on top of it, checked
after routing) counts requests in progress; the token bucket beside it is a dozen lines with its
own tests, and keeps the parallel branches of this repository free of a new lock-file entry.

**Liveness** (``GET /health``) is answered by the middleware itself, in the event loop: it never
waits for a worker thread, however busy they are. ``/ready`` runs its database probe on a limiter
of its own (:data:`READY_LIMITER`), not the shared pool.

**Errors** (:class:`medtwin.api.catch_all.CatchAllMiddleware`). A bug becomes the generic 500
body and is not re-raised, so the server keeps the keep-alive connection.

**Memory.** When the last request in progress ends, glibc's ``malloc_trim`` hands freed heap back
to the system (at most once a second: :mod:`medtwin.api.memory_trim`), so a burst of large
answers does not leave the process at its peak size.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from importlib.metadata import version
from typing import cast

import anyio
from anyio import CapacityLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from medtwin.api.client_limits import ClientLimiter
from medtwin.api.json_answers import json_body, send_json
from medtwin.api.key_share import READ, KeyShare, Lane, Lanes
from medtwin.api.memory_trim import CAN_TRIM, trim_off_the_pool
from medtwin.api.security import ApiKey, request_key

__all__ = ["READY_LIMITER", "STATIC_PATHS", "LimitMiddleware"]

STATIC_PATHS = ("/static/", "/static-offline-docs/")
"""The viewer's and the docs' files (read from the package, no database, no patient data)."""

READY_LIMITER = CapacityLimiter(2)
"""Threads for ``/ready`` probes, apart from the shared worker pool."""


class LimitMiddleware:
    """``/health`` in the event loop, then per-client limits (module docstring).

    Parameters
    ----------
    app
        The wrapped app.
    api_keys
        The configured keys (a valid key is the client; else the address).
    keyed, anonymous
        Limiters for requests with a valid key and for the rest.
    sleep
        Waits a held refusal out (tests pass their own).
    fair, share_wait_s
        The keys' shares of the server while several are busy (:mod:`medtwin.api.key_share`),
        and how long a request may wait for its key's turn before it is answered 429.
    lanes
        Which of a key's lanes a request takes (default: all reads, one lane as before lanes).
    """

    def __init__(
        self,
        app: ASGIApp,
        api_keys: tuple[ApiKey, ...],
        keyed: ClientLimiter,
        anonymous: ClientLimiter,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        fair: KeyShare | None = None,
        share_wait_s: float = 30.0,
        lanes: Lanes | None = None,
    ) -> None:
        self.app = app
        self.lanes = lanes or Lanes()
        # Default: no sharing (a share as large as any cap), as before the fair share.
        self.fair = fair or KeyShare(share=keyed.concurrency, window=0.0)
        self.share_wait_s = share_wait_s
        self.sleep = sleep
        self.api_keys = api_keys
        self.keyed = keyed
        self.anonymous = anonymous
        self._health = json_body({"status": "ok", "version": version("medtwin")})
        self._last_trim = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == "/health" and scope["method"] in ("GET", "HEAD"):
            await self._answer_health(scope, send)
            return
        key = request_key(self.api_keys, scope)
        if key is not None:
            limiter, client = self.keyed, f"key:{key.name}"
        else:
            host = (scope.get("client") or ("unknown", 0))[0]
            limiter, client = self.anonymous, f"ip:{host}"
        # A page's script, style sheet and library come at once and without a key (the viewer
        # reads its key from the address fragment): static files count against the rate only.
        hold = not scope["path"].startswith(STATIC_PATHS)
        wait = limiter.acquire(client, hold=hold)
        if wait is not None:
            held = limiter.hold(client, wait)
            if held:
                try:
                    await self.sleep(held)
                finally:
                    limiter.unhold(client)
            who = f"API key {key.name!r}" if key is not None else "this address (no valid key)"
            await send_json(
                send,
                429,
                "TooManyRequests",
                f"too many requests from {who}: at most {limiter.concurrency} at once and "
                f"{limiter.rate:g} per second (burst {limiter.burst}); retry after {wait} s",
                [(b"retry-after", str(wait).encode())],
            )
            return
        shared = hold and key is not None  # static files and keyless requests take no turn
        lane = self.lanes.of(scope) if shared else READ
        try:
            turn = not shared or await self._take_turn(client, lane)
        except BaseException:  # the client went while waiting: its slot too is free
            limiter.release(client)
            raise
        if key is not None and not turn:
            limiter.release(client)
            await send_json(
                send,
                429,
                "TooManyRequests",
                f"API key {key.name!r} waited {self.share_wait_s:g} s for its turn beside other "
                f"keys' requests (its {lane}s; MEDTWIN_API_SHARE_WAIT_S); retry after 1 s",
                [(b"retry-after", b"1")],
            )
            return
        try:
            await self.app(scope, receive, send)
        finally:
            if shared:
                self._finish_turn(client, lane)
            if hold:
                limiter.release(client)
        await self._maybe_trim()

    async def _take_turn(self, client: str, lane: Lane) -> bool:
        """Wait until ``client`` may run in ``lane`` beside other keys (False: waited too long)."""
        if self.fair.start(client, lane):
            return True
        ticket = anyio.Event()
        self.fair.wait(client, ticket, lane)
        try:
            with anyio.move_on_after(self.share_wait_s):
                while not ticket.is_set():
                    # look again when another key's busy window may have passed: nothing else
                    # wakes this ticket while its own key's running request is a long one
                    with anyio.move_on_after(self.fair.window or self.share_wait_s):
                        await ticket.wait()
                    self._start(self.fair.wake())
        except BaseException:  # the client went while waiting: its turn, if given, ends here
            if not self.fair.withdraw(client, ticket, lane):
                self._finish_turn(client, lane)
            raise
        return not self.fair.withdraw(client, ticket, lane)

    def _finish_turn(self, client: str, lane: Lane) -> None:
        self._start(self.fair.finish(client, lane))

    @staticmethod
    def _start(tickets: list[Hashable]) -> None:
        for ticket in tickets:
            cast(anyio.Event, ticket).set()

    async def _answer_health(self, scope: Scope, send: Send) -> None:
        body = b"" if scope["method"] == "HEAD" else self._health
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(self._health)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _maybe_trim(self) -> None:
        now = time.monotonic()
        if (
            not CAN_TRIM
            or now - self._last_trim < 1.0
            or self.keyed.in_flight() + self.anonymous.in_flight()
        ):
            return
        self._last_trim = now
        # The client already has its answer; the trim takes a thread of its own (never the pool).
        await trim_off_the_pool()
