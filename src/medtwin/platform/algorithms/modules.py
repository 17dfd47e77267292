r"""Disease modules: the largest connected component of a gene set and its significance.

Menche et al. (2015) measure how much a disease's genes agglomerate in the interactome by the
size of the largest connected component (LCC) of the subgraph they induce, compared with random
gene sets of the same size:

.. math:: z = \frac{|LCC(S)| - \mu}{\sigma}

Here the random sets keep each gene's degree bin (the Guney et al. 2016 binning of
:mod:`~medtwin.platform.algorithms.nulls`), ``sigma`` is the population standard deviation and
``p = (1 + #{null >= observed}) / (n + 1)`` (one-sided, large LCC = significant).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy.sparse import csgraph

from medtwin.domain import ModuleResult
from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network, warn_missing
from medtwin.platform.algorithms.nulls import (
    ROLE_MODULE,
    degree_bins,
    resolve_seed,
    sample_matched,
    signature,
    signature_rng,
)

__all__ = ["ModuleResult", "induced_lcc", "module_significance"]


def induced_lcc(network: Network, nodes: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Node indices of the largest connected component of the subgraph induced by ``nodes``.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("x", "y")])
    >>> [net.nodes[i] for i in induced_lcc(net, np.array([0, 1, 3, 4, 5]))]
    ['a', 'b']
    """
    nodes = np.unique(np.asarray(nodes, dtype=np.intp))
    if nodes.size == 0:
        return nodes
    sub = network.adjacency[nodes][:, nodes]
    _, labels = csgraph.connected_components(sub, directed=False)
    lcc: npt.NDArray[np.intp] = nodes[labels == np.argmax(np.bincount(labels))]
    return lcc


def _lcc_size(network: Network, nodes: npt.NDArray[np.intp]) -> int:
    if nodes.size == 0:
        return 0
    sub = network.adjacency[nodes][:, nodes]
    _, labels = csgraph.connected_components(sub, directed=False)
    return int(np.bincount(labels).max())


def module_significance(
    network: Network,
    genes: Iterable[str],
    *,
    n_samples: int = 1000,
    bin_size: int = 100,
    seed: int | None = None,
) -> ModuleResult:
    """LCC size of a gene set and its z-score against degree-binned random gene sets.

    Parameters
    ----------
    network
        The network (usually the interactome LCC).
    genes
        Gene ids.
    n_samples
        Random gene sets.
    bin_size
        Minimum nodes per degree bin.
    seed
        Seed; ``None`` draws one, recorded in the result.

    Returns
    -------
    ModuleResult

    Raises
    ------
    InputError
        If no gene is in the network or ``n_samples < 2``.

    Warns
    -----
    MissingNodesWarning
        When some genes are not network nodes.

    References
    ----------
    Menche J. et al. Uncovering disease-disease relationships through the incomplete
    interactome. Science 347, 1257601 (2015). doi:10.1126/science.1257601

    Examples
    --------
    >>> net = Network.from_edges([(str(i), str(i + 1)) for i in range(19)])
    >>> r = module_significance(net, ["3", "4", "5", "6"], n_samples=200, bin_size=5, seed=1)
    >>> r.lcc_genes, r.lcc_size, r.z > 2, r.seed
    (('3', '4', '5', '6'), 4, True, 1)
    """
    if n_samples < 2:
        raise InputError(f"n_samples must be >= 2, got {n_samples}")
    seed = resolve_seed(seed)
    given = list(dict.fromkeys(str(g) for g in genes))
    idx, missing = network.indices_of(given)
    warn_missing("module genes", missing, len(given))
    if idx.size == 0:
        raise InputError("none of the module genes is in the network; check the gene ids")
    lcc = induced_lcc(network, idx)
    bins = degree_bins(network, bin_size)
    sig = signature(bins, idx)
    samples = sample_matched(bins, sig, n_samples, signature_rng(seed, ROLE_MODULE, sig))
    null = np.array([_lcc_size(network, np.sort(row)) for row in samples], dtype=np.float64)
    mu = float(null.mean())
    sigma = float(null.std())
    observed = int(lcc.size)
    p = float((1 + np.count_nonzero(null >= observed)) / (n_samples + 1))
    valid = sigma > 0
    return ModuleResult(
        genes=tuple(network.nodes[i] for i in idx),
        lcc_genes=tuple(network.nodes[i] for i in lcc),
        lcc_size=observed,
        z=(observed - mu) / sigma if valid else math.nan,
        p=p,
        mu=mu,
        sigma=sigma,
        n_iter=n_samples,
        seed=seed,
        n_genes=len(given),
        z_valid=valid,
    )
