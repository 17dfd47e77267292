r"""Drug–disease network proximity (Guney et al. 2016) of one drug to one disease module.

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
The vectorised screen of many drugs (:mod:`~medtwin.platform.algorithms.proximity_screen`) gives
the same result per drug; the result type and the steps both take are in
:mod:`~medtwin.platform.algorithms.proximity_result`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.nulls import degree_bins, resolve_seed, signature
from medtwin.platform.algorithms.proximity_result import (
    ProximityResult,
    check_inputs,
    gene_samples,
    resolve_ids,
    target_samples,
)

# benchmarks/bench_screen.py imports the screen from this module: it stays importable here
from medtwin.platform.algorithms.proximity_screen import screen

__all__ = ["closest_distance", "proximity", "screen"]


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
    check_inputs(dist, network, n_samples)
    seed = resolve_seed(seed)
    s_idx, n_genes = resolve_ids(network, genes, "module genes", warn=True)
    t_idx, n_targets = resolve_ids(network, targets, "drug targets", warn=True)
    if s_idx.size == 0:
        raise InputError("none of the module genes is in the network; check the gene ids")
    if t_idx.size == 0:
        raise InputError("none of the drug targets is in the network; check the target ids")
    bins = degree_bins(network, bin_size)
    d = closest_distance(dist, s_idx, t_idx)
    s_null = gene_samples(bins, s_idx, n_samples, seed)
    t_null = target_samples(bins, signature(bins, t_idx), n_samples, seed)
    null = np.empty(n_samples, dtype=np.float64)
    for k in range(n_samples):
        null[k] = closest_distance(dist, s_null[k], t_null[k])
    z, p, mu, sigma, p_normal, valid = _summarise(d, null)
    return ProximityResult(
        d=d, z=z, p=p, mu=mu, sigma=sigma, n_iter=n_samples, seed=seed,
        n_targets=n_targets, n_targets_in_network=int(t_idx.size),
        n_genes_in_network=int(s_idx.size), n_genes=n_genes, z_valid=valid, p_normal=p_normal,
    )  # fmt: skip
