"""Per-client concurrency cap and token bucket: the counting behind :mod:`medtwin.api.resilience`.

Pure bookkeeping on a clock (no ASGI, no threads): :class:`ClientLimiter` admits a request or says
how many seconds to wait, and tells how long to hold a refusal of a client that came back before
its ``Retry-After`` (:data:`MAX_HOLD_S`, at most :data:`MAX_HELD` per client).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["MAX_HELD", "MAX_HOLD_S", "ClientLimiter"]

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
