"""Fair shares of the server between API keys: one key's flood must not slow another key's reads.

The per-key cap (``MEDTWIN_API_CONCURRENCY_PER_KEY``, 4) bounds what one key may have in progress,
but 4 heavy reads of one key on 2 cores made another key's light reads 4-8x slower at p50, and a
cap of 2 would refuse a notebook's 3rd and 4th parallel request. So a key may run up to its cap
while it is alone, but while another key is *busy* (has a request running or waiting, or had one
end less than ``window`` seconds ago) it runs at most ``share`` requests
(``MEDTWIN_API_BUSY_SHARE_PER_KEY``); its further requests, still within its cap, wait their turn
in the event loop (no thread, no 429) for at most ``MEDTWIN_API_SHARE_WAIT_S``. The window matters:
a key reading one request at a time has nothing in progress for a moment between two, and without
it the other key's waiting requests all started in that moment (measurements: docs/api.md, "Fair
shares between keys"; ``benchmarks/bench_flood.py``).

**Lanes.** A key's requests take turns in two lanes, each with its own share: *writes* (the routes
that need a write key and change something: builds, rankings, adds, deletes; :class:`Lanes` finds
them in the app's routes) and *reads* (the rest). With one lane, a key whose one running request
was a 2-minute build waited for it to end before its next light read could start, as long as
another key kept reading, and past ``MEDTWIN_API_SHARE_WAIT_S`` was told to come back; with two, a
key's reads never queue behind its own write. Beside a busy key, a key thus runs at most ``share``
reads *and* ``share`` writes (1 + 1 by default), and never more than its cap: a key flooding heavy
reads still runs ``share`` of them at a time, and a key flooding writes runs ``share`` of those,
its further writes waiting their turn like any read (and a second operation on one patient is
answered 409 by the patient's lock, whatever the lanes).

:class:`KeyShare` is the bookkeeping alone (a clock, no I/O, no waiting), so the policy is tested
step by step on a hand-moved clock; :class:`medtwin.api.resilience.LimitMiddleware` does the
waiting, with an event per waiting request that :meth:`KeyShare.finish` hands back.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

__all__ = ["BUSY_WINDOW_S", "READ", "WRITE", "KeyShare", "Lane", "Lanes"]

Lane = Literal["read", "write"]
READ: Lane = "read"
WRITE: Lane = "write"

BUSY_WINDOW_S = 2.0
"""Seconds a key stays busy after its last request ended (longer than a client's pause between
two requests read one at a time; short enough that a key gone quiet frees its share soon)."""


@dataclass
class _Key:
    running: int = 0
    waiting: deque[Hashable] = field(default_factory=deque)
    last_end: float = float("-inf")


@dataclass
class KeyShare:
    """Who may start now, and who waits, among the keys' requests, per lane (module docstring).

    Parameters
    ----------
    share
        Requests one key may run in each lane while another key is busy.
    window
        Seconds a key stays busy after its last request ended.
    clock
        Monotonic seconds (tests pass their own).

    Examples
    --------
    >>> t = [0.0]
    >>> fair = KeyShare(share=1, window=2.0, clock=lambda: t[0])
    >>> fair.start("a"), fair.start("a")   # alone: no share to keep
    (True, True)
    >>> fair.start("b")                    # b's first request always runs
    True
    >>> fair.start("a")                    # a runs 2 > 1 beside busy b: this one waits
    False
    >>> fair.wait("a", "a3"); fair.finish("b")  # b done, still busy for 2 s
    []
    >>> fair.finish("a")                   # a back to 1 running: still its share
    []
    >>> fair.finish("a")                   # a at 0: its waiting request starts
    ['a3']
    >>> fair.start("a")                    # a3 runs and b's window is open: this one waits
    False
    >>> fair.wait("a", "a5"); t[0] = 2.5; fair.wake()  # b quiet past its window: a alone again
    ['a5']
    >>> fair.start("b"), fair.start("a", WRITE)  # b busy again; a's write lane is empty
    (True, True)
    >>> fair.start("a", WRITE)                   # a's second write waits beside busy b
    False
    """

    share: int
    window: float
    clock: Callable[[], float] = time.monotonic
    _keys: dict[tuple[str, Lane], _Key] = field(default_factory=dict)

    def start(self, key: str, lane: Lane = READ) -> bool:
        """Start a request of ``key`` now (True) or not (False: :meth:`wait` for your turn)."""
        state = self._keys.setdefault((key, lane), _Key())
        if state.waiting or not self._may_run((key, lane), state, self.clock()):
            return False  # a later request never overtakes one of its key and lane already waiting
        state.running += 1
        return True

    def wait(self, key: str, ticket: Hashable, lane: Lane = READ) -> None:
        """Queue ``ticket`` (after :meth:`start` said False); :meth:`finish` hands it back."""
        self._keys.setdefault((key, lane), _Key()).waiting.append(ticket)

    def withdraw(self, key: str, ticket: Hashable, lane: Lane = READ) -> bool:
        """Take a waiting ``ticket`` out (its wait ran out, or its client went); False: started."""
        state = self._keys.get((key, lane))
        if state is None or ticket not in state.waiting:
            return False
        state.waiting.remove(ticket)
        return True

    def finish(self, key: str, lane: Lane = READ) -> list[Hashable]:
        """A running request of ``key`` ended; the waiting tickets that start now (running)."""
        state = self._keys.get((key, lane))
        if state is not None and state.running > 0:
            state.running -= 1
            state.last_end = self.clock()
        return self.wake()

    def wake(self) -> list[Hashable]:
        """The waiting tickets that start now (running): after a request ended, and when another
        key's busy window may have passed with none ending (a key whose one running write is a
        long build would otherwise keep its next write waiting, beside a key long gone quiet)."""
        now = self.clock()
        started: list[Hashable] = []
        for name, other in list(self._keys.items()):
            while other.waiting and self._may_run(name, other, now):
                started.append(other.waiting.popleft())
                other.running += 1
            if not other.running and not other.waiting and now - other.last_end >= self.window:
                del self._keys[name]  # idle past the window: no state worth keeping
        return started

    def running(self, key: str, lane: Lane | None = None) -> int:
        """Requests of ``key`` running now (in ``lane``; None: in both)."""
        return sum(s.running for s in self._states(key, lane))

    def waiting(self, key: str, lane: Lane | None = None) -> int:
        """Requests of ``key`` waiting for their turn now (in ``lane``; None: in both)."""
        return sum(len(s.waiting) for s in self._states(key, lane))

    def _states(self, key: str, lane: Lane | None) -> Iterable[_Key]:
        lanes: tuple[Lane, ...] = (READ, WRITE) if lane is None else (lane,)
        return [s for name in lanes if (s := self._keys.get((key, name))) is not None]

    def _may_run(self, key_lane: tuple[str, Lane], state: _Key, now: float) -> bool:
        if state.running < self.share:
            return True
        # another key is busy in either lane; the key's own other lane never holds this one back
        return not any(
            other.running or other.waiting or now - other.last_end < self.window
            for (name, _), other in self._keys.items()
            if name != key_lane[0]
        )


class Lanes:
    """Which lane a request takes: :data:`WRITE` for the ``write_routes``, else :data:`READ`.

    The routes come from the app (:func:`medtwin.api.deps.write_routes`: those that need a write
    key and are not GETs), so a new build or import route takes the write lane without a list
    here to keep up. A GET or HEAD is never a write route, and is answered without a look.
    """

    def __init__(self, write_routes: Iterable[BaseRoute] = ()) -> None:
        self.write_routes = tuple(write_routes)

    def of(self, scope: Scope) -> Lane:
        """The lane of the request ``scope`` (an HTTP scope, before routing)."""
        if scope["method"] in ("GET", "HEAD") or not self.write_routes:
            return READ
        full = any(route.matches(scope)[0] == Match.FULL for route in self.write_routes)
        return WRITE if full else READ
