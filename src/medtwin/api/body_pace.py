"""How long the body guard waits for the next part of a request body.

A client that sent its headers and then stopped (or trickled) its body held one of its key's
``MEDTWIN_API_CONCURRENCY_PER_KEY`` slots, and its connection, until it sent the rest or went:
uvicorn's ``timeout_keep_alive`` closes idle connections *between* requests only, and its HTTP
parser has no body timeout. Two limits, after Apache's ``mod_reqtimeout`` (``body=20,MinRate=500``:
a first timeout extended by each byte received) and nginx's ``client_body_timeout`` (the longest
wait between two reads):

- **idle**: no byte for ``MEDTWIN_API_BODY_IDLE_S`` seconds (30);
- **rate**: each byte buys ``1 / rate`` seconds beyond the first ``idle_s``, so a body must average
  ``MEDTWIN_API_BODY_MIN_RATE_KB`` KiB/s (1; 0: no minimum) once it has been arriving for longer
  than ``idle_s``. Without it, one byte every 29 s would hold the slot for ever.

Past either the request is answered 408 (:meth:`BodyPace.refusal`) and its slot freed. Only the
time spent waiting for the client counts towards the idle limit, never the app's own work.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BodyPace"]

_KIB = 1024


@dataclass(frozen=True)
class BodyPace:
    """The idle and minimum-rate limits of a request body (module docstring).

    Parameters
    ----------
    idle_s
        Longest wait for the next chunk, seconds.
    min_rate_kb
        Average KiB/s a body must keep after its first ``idle_s`` seconds; 0: none.

    Examples
    --------
    >>> pace = BodyPace(idle_s=30, min_rate_kb=1)
    >>> pace.wait_limit(received=0, elapsed=0)          # a new body: the idle limit
    30
    >>> pace.wait_limit(received=10 * 1024, elapsed=35)  # 10 KiB bought 10 s past the first 30
    5.0
    >>> BodyPace(idle_s=30, min_rate_kb=0).wait_limit(received=0, elapsed=600)
    30
    """

    idle_s: float
    min_rate_kb: float

    def wait_limit(self, *, received: int, elapsed: float) -> float:
        """Seconds to wait for the next chunk of a body that has sent ``received`` bytes in
        ``elapsed`` seconds (≤ 0: it is already too slow)."""
        if self.min_rate_kb <= 0:
            return self.idle_s
        budget = self.idle_s + received / (self.min_rate_kb * _KIB) - elapsed
        return min(self.idle_s, budget)

    def refusal(self, *, received: int, elapsed: float, limit: float) -> str:
        """The 408's detail: which limit the body passed, and the fix.

        ``limit``: the :meth:`wait_limit` that ran out (the idle limit, or less: the rate's).

        Examples
        --------
        >>> pace = BodyPace(idle_s=30, min_rate_kb=1)
        >>> pace.refusal(received=100, elapsed=31, limit=30)[:62]
        'the request body stopped: no byte for 30 s after 100 bytes (ME'
        >>> pace.refusal(received=100, elapsed=30.1, limit=0.1)[:70]
        'the request body arrived too slowly: 100 bytes in 30 s, under the 1 Ki'
        """
        fix = (
            "send the body without pausing (on a slow link, gzip the file first); "
            "a server's operator can raise the limit"
        )
        if limit >= self.idle_s:
            return (
                f"the request body stopped: no byte for {self.idle_s:g} s after {received:,} "
                f"bytes (MEDTWIN_API_BODY_IDLE_S); {fix}"
            )
        return (
            f"the request body arrived too slowly: {received:,} bytes in {elapsed:.0f} s, under "
            f"the {self.min_rate_kb:g} KiB/s a body must average after its first "
            f"{self.idle_s:g} s (MEDTWIN_API_BODY_MIN_RATE_KB); {fix}"
        )
