"""Process cache of the degree bins and the drug-target null samples of the proximity screen.

A drug's null target sets depend only on the network, the seed and the degree-bin signature of
its targets (:func:`~medtwin.platform.algorithms.nulls.signature_rng`), never on the patient.
A cohort worker ranks hundreds of patients with the same seed: it draws each signature's
samples once and reuses them (the same arrays, read-only, so the same results). Entries are
keyed by the network's checksum; the least recently used are dropped beyond
:data:`MAX_BYTES`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.nulls import DegreeBins, degree_bins

__all__ = ["MAX_BYTES", "cached_bins", "cached_samples", "clear"]

MAX_BYTES = 256 * 2**20
"""Null samples kept per process (bytes)."""

_LOCK = threading.Lock()
_BINS: dict[tuple[str, int], DegreeBins] = {}
_SAMPLES: OrderedDict[tuple[object, ...], npt.NDArray[np.intp]] = OrderedDict()
_SIZE = [0]


def cached_bins(network: Network, bin_size: int) -> DegreeBins:
    """:func:`~medtwin.platform.algorithms.nulls.degree_bins`, computed once per network."""
    key = (network.checksum, bin_size)
    with _LOCK:
        got = _BINS.get(key)
    if got is None:
        got = degree_bins(network, bin_size)
        with _LOCK:
            if len(_BINS) >= 4:
                _BINS.clear()
            _BINS[key] = got
    return got


def cached_samples(
    key: tuple[object, ...], draw: Callable[[], npt.NDArray[np.intp]]
) -> npt.NDArray[np.intp]:
    """The samples under ``key``, else ``draw()`` them and keep them (read-only).

    ``key``: network checksum, bin size, role, signature, number of samples, seed.
    """
    with _LOCK:
        got = _SAMPLES.get(key)
        if got is not None:
            _SAMPLES.move_to_end(key)
            return got
    got = draw()
    got.setflags(write=False)
    with _LOCK:
        if key not in _SAMPLES:
            _SAMPLES[key] = got
            _SIZE[0] += got.nbytes
            while _SIZE[0] > MAX_BYTES and len(_SAMPLES) > 1:
                _SIZE[0] -= _SAMPLES.popitem(last=False)[1].nbytes
    return got


def clear() -> None:
    """Forget everything (tests)."""
    with _LOCK:
        _BINS.clear()
        _SAMPLES.clear()
        _SIZE[0] = 0
