r"""The drug screen: proximity of every drug to one disease module at once (Guney et al. 2016).

Equal, drug by drug, to :func:`~medtwin.platform.algorithms.proximity.proximity` (same seeded
samples, same integer sums), whose module docstring gives the closest distance :math:`d_c`, its
degree-matched null and z. What is vectorised: the module's null samples :math:`S'_k` are reduced
once to :math:`m_k(v) = \min_{s \in S'_k} d(s, v)`, so a drug's null distance is a gather, and
drugs whose targets share a degree-bin signature share their null (:func:`screen`).

References
----------
Guney E., Menche J., Vidal M., Barabási A.-L. Network-based in silico drug efficacy screening.
Nat Commun 7, 10331 (2016). doi:10.1038/ncomms10331
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.null_cache import cached_bins, cached_samples
from medtwin.platform.algorithms.null_stats import NullSummary
from medtwin.platform.algorithms.nulls import ROLE_TARGETS, resolve_seed, signature
from medtwin.platform.algorithms.proximity_result import (
    ProximityResult,
    check_inputs,
    gene_samples,
    resolve_ids,
    target_samples,
)

__all__ = ["screen"]

log = logging.getLogger(__name__)


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


def _by_target(targets: npt.NDArray[np.intp], n_nodes: int) -> npt.NDArray[np.intp]:
    """Positions of ``targets`` ordered by node (any order among equal nodes)."""
    # below 2**16 nodes a stable sort of 16-bit keys is a radix sort (~8× a sort of int64)
    keys = targets.astype(np.uint16) if n_nodes <= 1 << 16 else targets
    return np.argsort(keys, kind="stable")


def _null_sums_at(
    dist: npt.NDArray[np.uint8],
    module_null: npt.NDArray[np.intp],
    t_null: npt.NDArray[np.intp],
    block: int = 1 << 18,
) -> npt.NDArray[np.int64]:
    r"""Row ``k``: :math:`\sum_j \min_{s \in S'_k} d(s, T'_{kj})`, without the ``m_k`` table.

    Each pair ``(k, j)`` is :math:`\min_{s \in S'_k} d(T'_{kj}, s)`, read from the row of the
    target (``dist`` is symmetric: the distances of an undirected network). The pairs are
    visited in order of their target node, so that the pairs of one target read its row (13 kB
    on the interactome) while it is in cache: in sample order each of the ``|S'| × |T'|``
    reads of a sample was a miss in a 178 MB matrix, ~7× slower on the interactome (resampling
    drugs at the p floor). ``block`` bounds the distances read at once (bytes × 9 of memory).
    The minima are the same integers whatever the order, so the sums are the same; rows of
    ``module_null`` sorted (as :func:`screen` passes them, once for all its groups) read a
    target's row in increasing order.
    """
    n_samples, n_targets = t_null.shape
    flat_t = t_null.reshape(-1)
    order = _by_target(flat_t, dist.shape[0])
    flat = dist.reshape(-1)
    mins = np.empty(flat_t.size, dtype=np.uint8)
    step = max(1, block // max(1, module_null.shape[1]))
    for a in range(0, order.size, step):
        pairs = order[a : a + step]
        at = module_null[pairs // n_targets]
        at += (flat_t[pairs] * dist.shape[0])[:, None]
        mins[pairs] = flat.take(at).min(axis=1)
    sums: npt.NDArray[np.int64] = mins.reshape(n_samples, n_targets).astype(np.int64).sum(axis=1)
    return sums


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
    r"""Proximity of every drug to one module, vectorised; equal to :func:`.proximity` per drug.

    The module's null samples :math:`S'_k` are drawn once and reduced to
    :math:`m_k(v) = \min_{s \in S'_k} d(s, v)` (``n_samples × n_nodes`` uint8). A drug's null
    distance is then :math:`\frac{1}{|T|}\sum_j m_k(T'_{kj})`, a gather. Drugs whose targets
    share a degree-bin signature share :math:`T'` (the streams depend only on seed and
    signature), so their null, ``mu`` and ``sigma`` are computed once.

    When the drugs' signatures name few target columns in all (fewer than
    ``n_nodes / 16``, as when a few drugs at the p floor are resampled 10,000 times), the
    table :math:`m_k` is not built: each :math:`m_k(T'_{kj})` is computed from the distance row
    of the sampled target at :math:`S'_k` only, target by target (same samples, same integer
    sums, so the same results; ``n_samples × |module| × Σ|T|`` instead of
    ``n_samples × |module| × n_nodes``).

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
        As in :func:`~medtwin.platform.algorithms.proximity.proximity`.
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
        As :func:`~medtwin.platform.algorithms.proximity.proximity` for the module; also if no
        drug has a target in the network.

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
    >>> from medtwin.platform.algorithms.proximity import proximity
    >>> one = proximity(D, net, ["0"], ["1", "2"], n_samples=50, bin_size=1, seed=3)
    >>> dataclasses.replace(res[0], drug=None) == one
    True
    """
    check_inputs(dist, network, n_samples)
    seed = resolve_seed(seed)
    t0 = time.perf_counter()
    s_idx, n_genes = resolve_ids(network, module, "module genes", warn=True)
    if s_idx.size == 0:
        raise InputError("none of the module genes is in the network; check the gene ids")
    bins = cached_bins(network, bin_size)
    m_real = dist[s_idx].min(axis=0)
    module_null = gene_samples(bins, s_idx, n_samples, seed)
    rows = np.arange(n_samples)[:, None]

    groups: dict[tuple[int, ...], list[int]] = {}
    entries: list[tuple[str, npt.NDArray[np.intp], int]] = []
    dropped: list[str] = []
    partial = 0
    for drug, targets in drugs.items():
        t_idx, n_given = resolve_ids(network, targets, "", warn=False)
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
    # m_k(v) at flat index k * n + v: one gather per group (``m_null[rows, t_null]``, with two
    # index arrays, was ~3× slower: 0.20 -> 0.07 s of CPU for the ~1,000 groups of DrugBank)
    table = None if direct else module_min_distances(dist, module_null, n_workers=n_workers)
    # each sample's genes in increasing order, so that a target's row is read forwards; sorted
    # once here, not once per group (0.2-0.8 s each for 100,000 resampled modules)
    module_rows = np.sort(module_null, axis=1) if direct else module_null
    at_row = rows * dist.shape[0]
    scored = 0
    for sig, members in groups.items():
        t_null = cached_samples(
            (network.checksum, bin_size, ROLE_TARGETS, sig, n_samples, seed),
            lambda: target_samples(bins, sig, n_samples, seed),  # noqa: B023 -- called now
        )
        if table is None:
            null = _null_sums_at(dist, module_rows, t_null) / len(sig)
        else:
            null = table.reshape(-1).take(t_null + at_row).astype(np.int64).sum(axis=1) / len(sig)
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
