"""Degree-preserving null models: Guney et al. (2016) degree binning and matched node sampling.

Nodes are sorted by degree and grouped into bins of consecutive degree values ``l <= k <= h``
holding at least ``bin_size`` nodes; a last bin that stays smaller is merged into the previous
one (``get_degree_binning`` in emreg00/toolbox ``network_utilities.py``, used by Guney 2016).
A random counterpart of a node set draws each node from its *own* node's bin, without
replacement within the set.

Random streams are derived from ``(seed, role, bin signature)`` by
:class:`numpy.random.SeedSequence`, so the null of one node set does not depend on which other
sets are screened in the same call: :func:`~medtwin.platform.algorithms.proximity.proximity` and
:func:`~medtwin.platform.algorithms.proximity_screen.screen` give identical results for the
same drug.

The helpers here make the seed and the generator, and draw from it; none of them records the
seed, because none of them returns a statistic: the functions that do (``proximity``,
``module_significance``, ``module_disruption``, ``phenotype_module``) record the seed they pass
down. ``python -m benchmarks.algorithm_audit`` knows these three helpers by name
(``SEED_RECORDED_BY_CALLER``).

References
----------
Guney E., Menche J., Vidal M., Barabási A.-L. Network-based in silico drug efficacy screening.
Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network
from medtwin.random_seed import check_seed

__all__ = ["DegreeBins", "degree_bins", "resolve_seed", "sample_matched", "signature_rng"]

ROLE_GENES = 1
ROLE_TARGETS = 2
ROLE_MODULE = 3
ROLE_DISRUPTION = 4


@dataclass(frozen=True, eq=False)
class DegreeBins:
    """Degree bins of a network.

    Attributes
    ----------
    low, high
        Inclusive degree range of each bin.
    bin_of
        Bin index of every node.
    members
        Node indices of each bin (sorted).
    bin_size
        Minimum number of nodes per bin that was requested.
    """

    low: tuple[int, ...]
    high: tuple[int, ...]
    bin_of: npt.NDArray[np.intp] = field(repr=False)
    members: tuple[npt.NDArray[np.intp], ...] = field(repr=False)
    bin_size: int


def degree_bins(network: Network, bin_size: int = 100) -> DegreeBins:
    r"""Group nodes into bins of consecutive degrees holding at least ``bin_size`` nodes each.

    From the lowest degree up, a bin :math:`[l, h]` grows by the next degree value until
    :math:`\#\{v : l \le k_v \le h\} \ge` ``bin_size``; a last bin that stays smaller joins the
    previous one (module docstring).

    Parameters
    ----------
    network
        The network.
    bin_size
        Minimum nodes per bin (Guney et al. 2016 use 100). If the whole network has fewer
        nodes, there is one bin.

    Returns
    -------
    DegreeBins

    Raises
    ------
    InputError
        If ``bin_size < 1``.

    References
    ----------
    Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
    doi:10.1038/ncomms10331

    Examples
    --------
    >>> star = Network.from_edges([("hub", leaf) for leaf in "abcde"])
    >>> bins = degree_bins(star, bin_size=3)
    >>> bins.low, bins.high, [star.nodes[i] for i in bins.members[-1]]
    ((1,), (5,), ['a', 'b', 'c', 'd', 'e', 'hub'])
    >>> degree_bins(star, bin_size=1).low
    (1, 5)
    """
    if bin_size < 1:
        raise InputError(f"bin_size must be >= 1, got {bin_size}")
    degrees = network.degrees
    values, counts = np.unique(degrees, return_counts=True)
    lows: list[int] = []
    highs: list[int] = []
    sizes: list[int] = []
    i = 0
    while i < values.size:
        low = int(values[i])
        total = int(counts[i])
        while total < bin_size and i + 1 < values.size:
            i += 1
            total += int(counts[i])
        high = int(values[i])
        i += 1
        if total < bin_size and lows:
            highs[-1] = high
            sizes[-1] += total
        else:
            lows.append(low)
            highs.append(high)
            sizes.append(total)
    bin_of = np.searchsorted(np.asarray(highs), degrees, side="left").astype(np.intp)
    order = np.argsort(bin_of, kind="stable")
    members = tuple(np.sort(part) for part in np.split(order, np.cumsum(sizes)[:-1]))
    return DegreeBins(
        low=tuple(lows), high=tuple(highs), bin_of=bin_of, members=members, bin_size=bin_size
    )


def resolve_seed(seed: int | None) -> int:
    """Return ``seed``, or a fresh random seed when it is ``None`` (to be recorded).

    A fresh seed has 53 bits: at most :data:`~medtwin.random_seed.MAX_SEED`, so the seed a result
    records can be given back, to the API as well.

    No statistic: its result *is* the seed, and the caller records the seed in its own result
    (``ProximityResult.seed``, ``ModuleResult.seed``).
    """
    if seed is None:
        return secrets.randbits(53)
    return check_seed(seed)


def signature(bins: DegreeBins, nodes: npt.NDArray[np.intp]) -> tuple[int, ...]:
    """Sorted bin indices of ``nodes`` (with multiplicity): what a matched null depends on."""
    return tuple(sorted(bins.bin_of[nodes].tolist()))


def signature_rng(seed: int, role: int, sig: tuple[int, ...]) -> np.random.Generator:
    """Random generator derived from the seed, a role tag and a bin signature.

    No statistic: it returns a generator, and the caller records the seed it passed (the
    functions of the module docstring).
    """
    digest = hashlib.sha256(np.asarray(sig, dtype=np.int64).tobytes()).digest()
    words = tuple(int.from_bytes(digest[k : k + 4], "little") for k in range(0, 16, 4))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(role, *words)))


MAX_EXPECTED_PAIRS = 3.0
"""Most expected equal pairs per row for which :func:`sample_matched` draws by rejection.

The disease modules of ``twin diseases`` reach 2.5 and drug target sets far less, so their
samples are those of the rejection sampler as before."""


def sample_matched(
    bins: DegreeBins, sig: tuple[int, ...], n_samples: int, rng: np.random.Generator
) -> npt.NDArray[np.intp]:
    """Draw ``n_samples`` random node sets matching a bin signature.

    Column ``j`` of every row is drawn from bin ``sig[j]``; a row holds no node twice.

    The ``c`` columns of one bin of ``size`` nodes are drawn with replacement and a row holding a
    node twice is drawn again (rejection) while that is cheap: ``c <= size / 4`` and at most
    :data:`MAX_EXPECTED_PAIRS` expected equal pairs per row, ``c (c - 1) / (2 size)``, so that a
    row is kept with probability about ``exp(-pairs) >= 5 %`` (the birthday bound). Otherwise they
    are the ``c`` smallest of ``size`` uniform keys per row (``argpartition``: exact sampling
    without replacement, ``n_samples * size`` draws). Before, only ``c <= size / 4`` was asked:
    226 genes of a bin of 2,143 (a phenotype module) kept a row with probability ~7e-6, and the
    draw did not end. In symbols, per bin: ``pairs = c (c - 1) / (2 size)`` and a row is kept
    with probability ``≈ exp(-pairs)``.

    No statistic: it draws from its caller's generator (made by :func:`signature_rng` from the
    caller's seed) and returns node indices, so the caller records the seed.

    Parameters
    ----------
    bins
        Degree bins.
    sig
        Sorted bin index of each node of the original set (see :func:`signature`).
    n_samples
        Number of random sets.
    rng
        Generator.

    Returns
    -------
    numpy.ndarray
        ``(n_samples, len(sig))`` node indices.
    """
    out = np.empty((n_samples, len(sig)), dtype=np.intp)
    sig_arr = np.asarray(sig, dtype=np.intp)
    for b in np.unique(sig_arr).tolist():
        cols = np.flatnonzero(sig_arr == b)
        c = cols.size
        pool = bins.members[b]
        size = pool.size
        if c * 4 <= size and c * (c - 1) <= 2 * MAX_EXPECTED_PAIRS * size:
            picks = rng.integers(0, size, size=(n_samples, c))
            if c > 1:
                # rejection: redraw rows holding a duplicate (rare when c << size); only the
                # redrawn rows are checked again, so a bin with c near size / 4 (most rows
                # redrawn for several rounds) costs its redraws, not a sort of every row a round
                bad = _rows_with_duplicates(picks)
                while bad.size:
                    redrawn = rng.integers(0, size, size=(bad.size, c))
                    picks[bad] = redrawn
                    bad = bad[_rows_with_duplicates(redrawn)]
        else:
            picks = np.argpartition(rng.random((n_samples, size)), c - 1, axis=1)[:, :c]
        out[:, cols] = pool[picks]
    return out


def _rows_with_duplicates(picks: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """Indices of the rows of ``picks`` (at least 2 columns) that hold a value twice."""
    if picks.shape[1] == 2:
        return np.flatnonzero(picks[:, 0] == picks[:, 1])
    srt = np.sort(picks, axis=1)
    return np.flatnonzero((srt[:, 1:] == srt[:, :-1]).any(axis=1))
