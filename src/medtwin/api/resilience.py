"""Keep the service answering under load: per-client limits, liveness off the pool, no dropped
connections, memory handed back (the access log's redaction: :mod:`medtwin.api.access_log`).

**Limits** (:class:`LimitMiddleware`). Every request is charged to a client: its API key when it
carries a valid one, else its address (``ip:<host>``). A client may have at most N requests in
progress (``MEDTWIN_API_CONCURRENCY_PER_KEY`` / ``_PER_IP``) and may make R requests per second
with a burst of B (a token bucket: ``MEDTWIN_API_RATE_PER_KEY``/``_BURST_PER_KEY``, ``..._IP``).
Past either it answers ``429 TooManyRequests`` with ``Retry-After`` (whole seconds) at once, without
queueing and without a thread, so one key cannot fill the worker pool that every other client and
route shares. The checks run in the event loop before routing. A client that comes back before the
``Retry-After`` it was given is answered its 429 only when that time is up, or after
:data:`MAX_HOLD_S` (its request waits in the event loop, holding no thread and no slot; at most
:data:`MAX_HELD` per client, the rest at once): a key whose 20 clients ignored ``Retry-After``
made ~360 refusals a second, and the event loop they shared with every other key slowed another
key's reads from p50 19 to 450 ms (now 92 ms: docs/api.md). Within its cap,
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

**Errors** (:class:`CatchAllMiddleware`). A bug becomes the generic 500 body here and is not
re-raised, so the server keeps the keep-alive connection (Starlette's last-resort handler re-raises
after answering, which makes uvicorn drop the connection).

**Memory.** When the last request in progress ends, glibc's ``malloc_trim`` hands freed heap back
to the system (at most once a second), so a burst of large answers does not leave the process at
its peak size.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any, cast

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medtwin.api.access_log import loggable_route
from medtwin.api.json_answers import json_body, send_json
from medtwin.api.key_share import READ, KeyShare, Lane, Lanes
from medtwin.api.security import ApiKey, request_key

__all__ = [
    "MAX_HELD",
    "MAX_HOLD_S",
    "READY_LIMITER",
    "STATIC_PATHS",
    "CatchAllMiddleware",
    "ClientLimiter",
    "LimitMiddleware",
    "trim_memory",
]

log = logging.getLogger(__name__)

STATIC_PATHS = ("/static/", "/static-offline-docs/")
"""The viewer's and the docs' files (read from the package, no database, no patient data)."""

READY_LIMITER = CapacityLimiter(2)
"""Threads for ``/ready`` probes, apart from the shared worker pool."""
_TRIM_LIMITER = CapacityLimiter(1)
_GENERIC_500 = "internal error; the server log has the details"
_MAX_CLIENTS = 10_000
MAX_HELD = 64
"""Refusals of one client held until its ``Retry-After`` at once (the rest are answered at once)."""
MAX_HOLD_S = 1.0
"""Longest a refusal is held (a rate's Retry-After may be minutes; pacing needs only a second)."""


@dataclass
class _Client:
    tokens: float
    stamp: float
    in_flight: int = 0
    refused_until: float = 0.0  # the end of the Retry-After of its last refusal answered at once
    held: int = 0  # its refusals waiting for that time


@dataclass
class ClientLimiter:
    """Per-client concurrency cap and token bucket (module docstring).

    Parameters
    ----------
    concurrency
        Requests one client may have in progress.
    rate
        Tokens (requests) added per second.
    burst
        Bucket size: requests a client may make at once after being idle.
    clock
        Monotonic seconds (tests pass their own).

    Examples
    --------
    >>> t = [0.0]
    >>> lim = ClientLimiter(concurrency=1, rate=1.0, burst=2, clock=lambda: t[0])
    >>> lim.acquire("k"), lim.acquire("k")          # the second is over the concurrency cap
    (None, 1)
    >>> lim.release("k"); lim.acquire("k") is None  # second token of the burst
    True
    >>> lim.release("k"); lim.acquire("k")          # bucket empty: wait for a token
    1
    >>> t[0] = 1.0; lim.acquire("k") is None
    True
    >>> t[0] = 3.0; lim.acquire("k", hold=False) is None  # a static file: over the cap, in rate
    True
    """

    concurrency: int
    rate: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _clients: dict[str, _Client] = field(default_factory=dict)

    def acquire(self, client: str, *, hold: bool = True) -> int | None:
        """Admit one request of ``client`` (``None``) or say how many seconds to wait.

        ``hold=False``: a request charged to the rate only, not to the concurrency cap (a static
        file; :meth:`release` is then not called for it).
        """
        now = self.clock()
        state = self._clients.get(client)
        if state is None:
            if len(self._clients) >= _MAX_CLIENTS:
                self._forget_idle(now)
            state = self._clients[client] = _Client(tokens=float(self.burst), stamp=now)
        state.tokens = min(float(self.burst), state.tokens + (now - state.stamp) * self.rate)
        state.stamp = now
        if hold and state.in_flight >= self.concurrency:
            return 1
        if state.tokens < 1.0:
            return max(1, math.ceil((1.0 - state.tokens) / self.rate))
        state.tokens -= 1.0
        state.in_flight += hold
        return None

    def hold(self, client: str, wait: int) -> float:
        """Seconds to hold a refusal of ``client`` (just refused, told to wait ``wait`` s).

        0 for a client that waited as told (its refusal is answered at once and opens a new
        window of ``wait`` s); for one that came back inside that window, the rest of it, at most
        :data:`MAX_HOLD_S` (then call :meth:`unhold`), unless :data:`MAX_HELD` of its refusals
        are already held.

        Examples
        --------
        >>> t = [0.0]
        >>> lim = ClientLimiter(concurrency=1, rate=1.0, burst=5, clock=lambda: t[0])
        >>> lim.acquire("k"), lim.acquire("k")
        (None, 1)
        >>> lim.hold("k", 1)                            # first refusal: at once
        0.0
        >>> t[0] = 0.25; lim.hold("k", 1)               # back 0.25 s later: held 0.75 s
        0.75
        >>> lim.unhold("k"); t[0] = 1.0; lim.hold("k", 1)  # back after its Retry-After: at once
        0.0
        """
        now = self.clock()
        state = self._clients[client]
        if now < state.refused_until and state.held < MAX_HELD:
            state.held += 1
            return min(state.refused_until - now, MAX_HOLD_S)
        if now >= state.refused_until:
            state.refused_until = now + wait
        return 0.0

    def unhold(self, client: str) -> None:
        """A held refusal of ``client`` has been answered."""
        state = self._clients.get(client)
        if state is not None and state.held > 0:
            state.held -= 1

    def release(self, client: str) -> None:
        """One admitted request of ``client`` has ended."""
        state = self._clients.get(client)
        if state is not None and state.in_flight > 0:
            state.in_flight -= 1

    def in_flight(self) -> int:
        """Requests in progress over all clients."""
        return sum(c.in_flight for c in self._clients.values())

    def _forget_idle(self, now: float) -> None:
        # A full bucket with nothing in progress carries no state worth keeping: the client
        # would get the same answer as a new one. Bounds memory under an address flood.
        full = [
            k
            for k, c in self._clients.items()
            if c.in_flight == 0
            and c.held == 0
            and c.tokens + (now - c.stamp) * self.rate >= self.burst
        ]
        for k in full:
            del self._clients[k]


def _libc_trim() -> Callable[[], Any] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim: Callable[[int], Any] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None
    return lambda: trim(0)


_TRIM = _libc_trim()


def trim_memory() -> bool:
    """Return freed heap to the system (glibc ``malloc_trim(0)``); False where unavailable."""
    if _TRIM is None:
        return False
    _TRIM()
    return True


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
            _TRIM is None
            or now - self._last_trim < 1.0
            or self.keyed.in_flight() + self.anonymous.in_flight()
        ):
            return
        self._last_trim = now
        # The client already has its answer; the trim takes a thread of its own (never the pool).
        await anyio.to_thread.run_sync(trim_memory, limiter=_TRIM_LIMITER)


class CatchAllMiddleware:
    """Answer an unexpected exception with the generic 500 body and keep the connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            route = loggable_route(f"{scope['method']} {scope['path']}")  # the audit trail has it
            log.error("%s failed", route, exc_info=exc)
            if started:
                raise  # half an answer is out: only closing the connection can end it
            await send_json(send, 500, "InternalError", _GENERIC_500)
