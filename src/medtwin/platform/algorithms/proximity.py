r"""Drug–disease network proximity (Guney et al. 2016) and a vectorised drug screen.

The closest distance between a drug's targets :math:`T` and a disease module :math:`S` is

.. math:: d_c(S, T) = \frac{1}{|T|} \sum_{t \in T} \min_{s \in S} d(s, t)

with :math:`d` the shortest-path length. Its significance comes from ``n_samples`` random pairs
:math:`(S'_k, T'_k)` in which every node is replaced by a node of its own degree bin
(:mod:`~medtwin.platform.algorithms.nulls`):

.. math:: z = \frac{d_c - \mu}{\sigma}, \qquad \mu, \sigma = \text{mean, std } (\text{ddof}=0)
          \text{ of } d_c(S'_k, T'_k)

``p`` is the one-sided empirical p-value with the +1 correction,
:math:`p = (1 + \#\{k : d_c(S'_k, T'_k) \le d_c\}) / (n + 1)` (small = closer than chance);
``p_normal`` is :math:`\Phi(z)`, the normal approximation Guney et al. implied by reporting z.
The empirical ``p`` is kept as the main value because the null of :math:`d_c` is discrete and
skewed for small target sets. When :math:`\sigma = 0`, ``z`` and ``p_normal`` are NaN and
``z_valid`` is False.

Targets or genes that are not network nodes are dropped with a
:class:`~medtwin.platform.algorithms.network.MissingNodesWarning` and counted in the result.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import MissingNodesWarning, Network, warn_missing
from medtwin.platform.algorithms.null_cache import cached_bins, cached_samples
from medtwin.platform.algorithms.null_stats import NullSummary
from medtwin.platform.algorithms.nulls import (
    ROLE_GENES,
    ROLE_TARGETS,
    DegreeBins,
    degree_bins,
    resolve_seed,
    sample_matched,
    signature,
    signature_rng,
)

__all__ = ["ProximityResult", "closest_distance", "proximity", "screen"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProximityResult:
    r"""Proximity of one drug to one disease module.

    Attributes
    ----------
    d
        Closest distance :math:`d_c(S, T)`.
    z
        :math:`(d - \mu) / \sigma`; NaN when ``z_valid`` is False.
    p
        One-sided empirical p-value :math:`(1 + \#\{d_{null} \le d\}) / (n + 1)`.
    mu, sigma
        Mean and population standard deviation of the null distances.
    n_iter
        Number of random samples.
    seed
        Seed of the random streams.
    n_targets, n_targets_in_network
        Distinct targets given, and those that are network nodes.
    n_genes_in_network, n_genes
        Distinct module genes that are network nodes, and given.
    z_valid
        False when :math:`\sigma = 0` (z undefined).
    p_normal
        Normal-approximation p-value :math:`\Phi(z)`; NaN when ``z_valid`` is False.
    drug
        Drug id when produced by :func:`screen`.
    """

    d: float
    z: float
    p: float
    mu: float
    sigma: float
    n_iter: int
    seed: int
    n_targets: int
    n_targets_in_network: int
    n_genes_in_network: int
    n_genes: int
    z_valid: bool
    p_normal: float
    drug: str | None = None


def closest_distance(
    dist: npt.NDArray[np.uint8], genes: npt.NDArray[np.intp], targets: npt.NDArray[np.intp]
) -> float:
    r"""Closest distance :math:`d_c(S,T) = \frac{1}{|T|}\sum_{t\in T}\min_{s\in S} d(s,t)`.

    Parameters
    ----------
    dist
        ``(n, n)`` distance matrix.
    genes
        Node indices of the module :math:`S` (non-empty).
    targets
        Node indices of the targets :math:`T` (non-empty).

    Returns
    -------
    float

    References
    ----------
    Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
    doi:10.1038/ncomms10331

    Examples
    --------
    Path a-b-c-d-e, module {a}, targets {c, e}: (2 + 4) / 2.

    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    >>> D = all_pairs_distances(net)
    >>> closest_distance(D, np.array([0]), np.array([2, 4]))
    3.0
    """
    sub = dist[np.ix_(genes, targets)]
    return float(sub.min(axis=0).astype(np.int64).sum() / targets.size)


def _check(dist: npt.NDArray[np.uint8], network: Network, n_samples: int) -> None:
    n = network.n_nodes
    if dist.shape != (n, n):
        raise InputError(f"distance matrix has shape {dist.shape}, network has {n} nodes")
    if not network.is_connected:
        raise InputError(
            "proximity needs a connected network; pass network.largest_component() "
            "and its distance matrix"
        )
    if n_samples < 2:
        raise InputError(f"n_samples must be >= 2, got {n_samples}")


def _resolve(
    network: Network, ids: Iterable[str], what: str, *, warn: bool
) -> tuple[npt.NDArray[np.intp], int]:
    given = list(dict.fromkeys(str(x) for x in ids))
    idx, missing = network.indices_of(given)
    if warn:
        warn_missing(what, missing, len(given), stacklevel=4)
    return idx, len(given)


def _summarise(
    d: float, null: npt.NDArray[np.float64]
) -> tuple[float, float, float, float, float, bool]:
    mu = float(null.mean())
    sigma = float(null.std())
    # ties of a discrete statistic: compare with a tolerance (d and null are means of integers)
    p = float((1 + np.count_nonzero(null <= d + 1e-9)) / (null.size + 1))
    if sigma > 0:
        z = (d - mu) / sigma
        return z, p, mu, sigma, float(ndtr(z)), True
    return math.nan, p, mu, sigma, math.nan, False


def _gene_samples(
    bins: DegreeBins, genes: npt.NDArray[np.intp], n_samples: int, seed: int
) -> npt.NDArray[np.intp]:
    sig = signature(bins, genes)
    return sample_matched(bins, sig, n_samples, signature_rng(seed, ROLE_GENES, sig))


def _target_samples(
    bins: DegreeBins, sig: tuple[int, ...], n_samples: int, seed: int
) -> npt.NDArray[np.intp]:
    return sample_matched(bins, sig, n_samples, signature_rng(seed, ROLE_TARGETS, sig))


def proximity(
    dist: npt.NDArray[np.uint8],
    network: Network,
    targets: Iterable[str],
    genes: Iterable[str],
    *,
    n_samples: int = 1000,
    bin_size: int = 100,
    seed: int | None = None,
) -> ProximityResult:
    """Proximity z-score of a drug's targets to a disease module (Guney et al. 2016).

    See the module docstring for the formulas.

    Parameters
    ----------
    dist
        Distance matrix of ``network`` (:func:`~.distances.all_pairs_distances`).
    network
        A connected network (use the LCC).
    targets
        Drug target ids :math:`T`.
    genes
        Disease module gene ids :math:`S`.
    n_samples
        Random samples for the null (Guney: 1000).
    bin_size
        Minimum nodes per degree bin (Guney: 100).
    seed
        Seed; ``None`` draws one, which is recorded in the result.

    Returns
    -------
    ProximityResult

    Raises
    ------
    InputError
        If no target or no gene is in the network, the network is not connected, the matrix
        does not match it, or ``n_samples < 2``.

    Warns
    -----
    MissingNodesWarning
        When some targets or genes are not network nodes.

    References
    ----------
    Guney E., Menche J., Vidal M., Barabási A.-L. Network-based in silico drug efficacy
    screening. Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331

    Examples
    --------
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> D = all_pairs_distances(net)
    >>> r = proximity(D, net, ["0"], ["1", "2"], n_samples=50, bin_size=1, seed=3)
    >>> r.d, r.n_iter, r.seed, r.z_valid
    (1.0, 50, 3, True)
    """
    _check(dist, network, n_samples)
    seed = resolve_seed(seed)
    s_idx, n_genes = _resolve(network, genes, "module genes", warn=True)
    t_idx, n_targets = _resolve(network, targets, "drug targets", warn=True)
    if s_idx.size == 0:
        raise InputError("none of the module genes is in the network; check the gene ids")
    if t_idx.size == 0:
        raise InputError("none of the drug targets is in the network; check the target ids")
    bins = degree_bins(network, bin_size)
    d = closest_distance(dist, s_idx, t_idx)
    s_null = _gene_samples(bins, s_idx, n_samples, seed)
    t_null = _target_samples(bins, signature(bins, t_idx), n_samples, seed)
    null = np.empty(n_samples, dtype=np.float64)
    for k in range(n_samples):
        null[k] = closest_distance(dist, s_null[k], t_null[k])
    z, p, mu, sigma, p_normal, valid = _summarise(d, null)
    return ProximityResult(
        d=d, z=z, p=p, mu=mu, sigma=sigma, n_iter=n_samples, seed=seed,
        n_targets=n_targets, n_targets_in_network=int(t_idx.size),
        n_genes_in_network=int(s_idx.size), n_genes=n_genes, z_valid=valid, p_normal=p_normal,
    )  # fmt: skip


def module_min_distances(
    dist: npt.NDArray[np.uint8], samples: npt.NDArray[np.intp], *, n_workers: int = 2
) -> npt.NDArray[np.uint8]:
    r"""Row ``k`` = :math:`\min_{s \in S'_k} d(s, \cdot)` for each sampled module ``S'_k``."""
    n_samples = samples.shape[0]
    out = np.empty((n_samples, dist.shape[0]), dtype=np.uint8)

    def run(ks: range) -> None:
        for k in ks:
            np.min(dist[samples[k]], axis=0, out=out[k])

    chunks = [range(a, min(a + 64, n_samples)) for a in range(0, n_samples, 64)]
    if n_workers > 1:
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            list(pool.map(run, chunks))
    else:
        for chunk in chunks:
            run(chunk)
    return out


def _null_sums_at(
    dist: npt.NDArray[np.uint8],
    module_null: npt.NDArray[np.intp],
    t_null: npt.NDArray[np.intp],
    chunk: int = 256,
) -> npt.NDArray[np.int64]:
    r"""Row ``k``: :math:`\sum_j \min_{s \in S'_k} d(s, T'_{kj})`, without the ``m_k`` table."""
    out = np.empty(module_null.shape[0], dtype=np.int64)
    for a in range(0, module_null.shape[0], chunk):
        b = min(a + chunk, module_null.shape[0])
        block = dist[module_null[a:b, :, None], t_null[a:b, None, :]]  # (k, module, targets)
        out[a:b] = block.min(axis=1).astype(np.int64).sum(axis=1)
    return out


def screen(
    dist: npt.NDArray[np.uint8],
    network: Network,
    module: Iterable[str],
    drugs: Mapping[str, Sequence[str]],
    *,
    n_samples: int = 1000,
    bin_size: int = 100,
    seed: int | None = None,
    n_workers: int = 2,
    progress: Callable[[int, int], object] | None = None,
) -> list[ProximityResult]:
    r"""Proximity of every drug to one module, vectorised; equal to :func:`proximity` per drug.

    The module's null samples :math:`S'_k` are drawn once and reduced to
    :math:`m_k(v) = \min_{s \in S'_k} d(s, v)` (``n_samples × n_nodes`` uint8). A drug's null
    distance is then :math:`\frac{1}{|T|}\sum_j m_k(T'_{kj})`, a gather. Drugs whose targets
    share a degree-bin signature share :math:`T'` (the streams depend only on seed and
    signature), so their null, ``mu`` and ``sigma`` are computed once.

    When the drugs' signatures name few target columns in all (fewer than
    ``n_nodes / 16``, as when a few drugs at the p floor are resampled 10,000 times), the
    table :math:`m_k` is not built: each :math:`m_k(T'_{kj})` is computed from the distance rows
    of :math:`S'_k` at the sampled targets only (same samples, same integer sums, so the same
    results; ``n_samples × |module| × Σ|T|`` instead of ``n_samples × |module| × n_nodes``).

    Parameters
    ----------
    dist
        Distance matrix of ``network``.
    network
        A connected network.
    module
        Disease module gene ids.
    drugs
        Drug id -> target ids.
    n_samples, bin_size, seed
        As in :func:`proximity`.
    n_workers
        Threads for the module's null reduction.
    progress
        ``progress(done, total)`` after each group of drugs sharing a null: the drugs with a
        target in the network scored so far, of all of them.

    Returns
    -------
    list of ProximityResult
        One per drug with at least one target in the network, in ``drugs`` order, with
        ``drug`` set. Drugs without such a target are left out with one warning.

    Raises
    ------
    InputError
        As :func:`proximity` for the module; also if no drug has a target in the network.

    Warns
    -----
    MissingNodesWarning
        Once for missing module genes, once for drugs left out or with some targets missing.

    References
    ----------
    Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
    doi:10.1038/ncomms10331

    Examples
    --------
    >>> from medtwin.platform.algorithms.distances import all_pairs_distances
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(9)])
    >>> D = all_pairs_distances(net)
    >>> res = screen(D, net, ["1", "2"], {"x": ["0"], "y": ["8", "9"]}, n_samples=50,
    ...              bin_size=1, seed=3)
    >>> [(r.drug, r.d) for r in res]
    [('x', 1.0), ('y', 6.5)]
    >>> import dataclasses
    >>> one = proximity(D, net, ["0"], ["1", "2"], n_samples=50, bin_size=1, seed=3)
    >>> dataclasses.replace(res[0], drug=None) == one
    True
    """
    _check(dist, network, n_samples)
    seed = resolve_seed(seed)
    t0 = time.perf_counter()
    s_idx, n_genes = _resolve(network, module, "module genes", warn=True)
    if s_idx.size == 0:
        raise InputError("none of the module genes is in the network; check the gene ids")
    bins = cached_bins(network, bin_size)
    m_real = dist[s_idx].min(axis=0)
    module_null = _gene_samples(bins, s_idx, n_samples, seed)
    rows = np.arange(n_samples)[:, None]

    groups: dict[tuple[int, ...], list[int]] = {}
    entries: list[tuple[str, npt.NDArray[np.intp], int]] = []
    dropped: list[str] = []
    partial = 0
    for drug, targets in drugs.items():
        t_idx, n_given = _resolve(network, targets, "", warn=False)
        if t_idx.size == 0:
            dropped.append(drug)
            continue
        partial += int(t_idx.size < n_given)
        groups.setdefault(signature(bins, t_idx), []).append(len(entries))
        entries.append((drug, t_idx, n_given))
    if dropped:
        shown = ", ".join(dropped[:5]) + (", ..." if len(dropped) > 5 else "")
        warnings.warn(
            f"{len(dropped)} of {len(drugs)} drugs have no target in the network and are left "
            f"out: {shown}",
            MissingNodesWarning,
            stacklevel=2,
        )
    if partial:
        warnings.warn(
            f"{partial} of {len(entries)} screened drugs have some targets outside the network "
            "(see n_targets vs n_targets_in_network)",
            MissingNodesWarning,
            stacklevel=2,
        )
    if not entries:
        raise InputError("no drug has a target in the network; check the target ids")

    results: list[ProximityResult | None] = [None] * len(entries)
    direct = sum(len(sig) for sig in groups) * 16 < dist.shape[0]
    m_null = None if direct else module_min_distances(dist, module_null, n_workers=n_workers)
    scored = 0
    for sig, members in groups.items():
        t_null = cached_samples(
            (network.checksum, bin_size, ROLE_TARGETS, sig, n_samples, seed),
            lambda: _target_samples(bins, sig, n_samples, seed),  # noqa: B023 -- called now
        )
        if m_null is None:
            null = _null_sums_at(dist, module_null, t_null) / len(sig)
        else:
            null = m_null[rows, t_null].astype(np.int64).sum(axis=1) / len(sig)
        summary = NullSummary.of(null)  # shared by the group's drugs
        for e in members:
            drug, t_idx, n_given = entries[e]
            d = float(m_real[t_idx].astype(np.int64).sum() / t_idx.size)
            z, p, mu, sigma, p_normal, valid = summary.at(d)
            results[e] = ProximityResult(
                d=d, z=z, p=p, mu=mu, sigma=sigma, n_iter=n_samples, seed=seed,
                n_targets=n_given, n_targets_in_network=int(t_idx.size),
                n_genes_in_network=int(s_idx.size), n_genes=n_genes, z_valid=valid,
                p_normal=p_normal, drug=drug,
            )  # fmt: skip
        if progress is not None:
            scored += len(members)
            progress(scored, len(entries))
    n_invalid = sum(1 for r in results if r is not None and not r.z_valid)
    log.info(
        "screen: %d drugs (%d signatures) x %d samples in %.2f s; %d with sigma = 0",
        len(entries), len(groups), n_samples, time.perf_counter() - t0, n_invalid,
    )  # fmt: skip
    return [r for r in results if r is not None]
