"""Hand freed heap back to the system after a burst of large answers (glibc ``malloc_trim``).

:class:`medtwin.api.resilience.LimitMiddleware` calls :func:`trim_off_the_pool` when the last
request in progress ends (at most once a second), so the process does not stay at its peak size.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from anyio import CapacityLimiter

__all__ = ["CAN_TRIM", "trim_memory", "trim_off_the_pool"]

_TRIM_LIMITER = CapacityLimiter(1)


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


CAN_TRIM = _TRIM is not None
"""Whether :func:`trim_memory` does anything here (glibc; not musl or macOS)."""


async def trim_off_the_pool() -> None:
    """:func:`trim_memory` on a thread of its own (never the shared worker pool)."""
    await anyio.to_thread.run_sync(trim_memory, limiter=_TRIM_LIMITER)
