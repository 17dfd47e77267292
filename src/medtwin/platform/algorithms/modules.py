r"""Disease modules: the largest connected component of a gene set and its significance.

Menche et al. (2015) measure how much a disease's genes agglomerate in the interactome by the
size of the largest connected component (LCC) of the subgraph they induce, compared with random
gene sets of the same size:

.. math:: z = \frac{|LCC(S)| - \mu}{\sigma}

Here the random sets keep each gene's degree bin (the Guney et al. 2016 binning of
:mod:`~medtwin.platform.algorithms.nulls`), ``sigma`` is the population standard deviation and
``p = (1 + #{null >= observed}) / (n + 1)`` (one-sided, large LCC = significant). The LCC sizes
equal networkx's connected components (``tests/unit/algorithms/test_lcc_oracle.py``).

References
----------
Menche J. et al. Uncovering disease-disease relationships through the incomplete interactome.
Science 347, 1257601 (2015). doi:10.1126/science.1257601
Guney E. et al. Network-based in silico drug efficacy screening. Nat Commun 7, 10331 (2016).
doi:10.1038/ncomms10331
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array, csgraph

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

__all__ = ["ModuleResult", "induced_lcc", "lcc_sizes", "module_significance"]


def induced_lcc(
    network: Network,
    nodes: npt.NDArray[np.intp],
    weights: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.intp]:
    """Node indices of the largest connected component of the subgraph induced by ``nodes``.

    Several components of the largest size (e.g. seeds that touch no other seed, each its own
    component) are a tie: ``weights`` (one per node index, e.g. a gene's evidence) break it by
    the component's largest weight. Without them, or at equal weight, the component of the
    lowest node index is taken. Before weights, an isolated-seeds twin's module was the seed of
    the lowest id, not its strongest.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("x", "y")])
    >>> [net.nodes[i] for i in induced_lcc(net, np.array([0, 1, 3, 4, 5]))]
    ['a', 'b']
    >>> w = np.zeros(len(net.nodes)); w[4] = 3.0  # x (index 4) is the strongest
    >>> [net.nodes[i] for i in induced_lcc(net, np.array([0, 1, 3, 4, 5]), w)]
    ['x', 'y']
    """
    nodes = np.unique(np.asarray(nodes, dtype=np.intp))
    if nodes.size == 0:
        return nodes
    sub = network.adjacency[nodes][:, nodes]
    _, labels = csgraph.connected_components(sub, directed=False)
    sizes = np.bincount(labels)
    largest = np.flatnonzero(sizes == sizes.max())
    best = largest[0]
    if weights is not None and largest.size > 1:
        strongest = np.full(sizes.size, -np.inf)
        np.maximum.at(strongest, labels, np.asarray(weights, dtype=np.float64)[nodes])
        best = largest[np.argmax(strongest[largest])]  # argmax: the first of equal weights
    lcc: npt.NDArray[np.intp] = nodes[labels == best]
    return lcc


_BLOCKED_MAX_ENTRIES = 5000
"""Above this mean number of adjacency entries per row, :func:`lcc_sizes` goes row by row."""


def _lcc_size(network: Network, nodes: npt.NDArray[np.intp]) -> int:
    sub = network.adjacency[nodes][:, nodes]
    _, labels = csgraph.connected_components(sub, directed=False)
    return int(np.bincount(labels).max())


def lcc_sizes(
    network: Network, samples: npt.NDArray[np.intp], *, rows_per_block: int = 64
) -> npt.NDArray[np.intp]:
    """LCC size of the subgraph each row of ``samples`` induces (rows hold no node twice).

    The same numbers as one ``csgraph.connected_components`` per row, in one call per block of
    rows: the rows' induced subgraphs are laid side by side (block diagonal; node ``j`` of row
    ``r`` becomes ``r * k + j``), so no component spans two rows. A neighbour of a row's node is
    kept when the row holds it (a rows × nodes table of local positions, ``rows_per_block`` rows
    at a time, bounds the memory). Rows whose nodes have more than 5,000 adjacency entries on
    average go one at a time (faster for large sets of hubs).

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("x", "y")])
    >>> lcc_sizes(net, np.array([[0, 1, 3], [0, 4, 5], [1, 2, 3]])).tolist()
    [2, 2, 3]
    """
    samples = np.asarray(samples, dtype=np.intp)
    n, k = samples.shape
    out = np.zeros(n, dtype=np.intp)
    if n == 0 or k == 0:
        return out
    adj = network.adjacency
    indptr = adj.indptr.astype(np.int64)
    if (indptr[samples + 1] - indptr[samples]).sum() > _BLOCKED_MAX_ENTRIES * n:
        # large sets of hubs: one subgraph at a time is faster than gathering every neighbour
        return np.array([_lcc_size(network, np.sort(row)) for row in samples], dtype=np.intp)
    indices = adj.indices.astype(np.int64)
    pos = np.full((min(rows_per_block, n), adj.shape[0]), -1, dtype=np.int64)
    for start in range(0, n, rows_per_block):
        block = samples[start : start + rows_per_block]
        out[start : start + block.shape[0]] = _lcc_sizes_block(indptr, indices, pos, block)
    return out


def _lcc_sizes_block(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int64],
    pos: npt.NDArray[np.int64],
    samples: npt.NDArray[np.intp],
) -> npt.NDArray[np.intp]:
    n, k = samples.shape
    flat = samples.ravel().astype(np.int64)
    row_of = np.repeat(np.arange(n, dtype=np.int64), k)
    pos[row_of, flat] = np.arange(n * k, dtype=np.int64)
    starts = indptr[flat]
    counts = indptr[flat + 1] - starts
    src = np.repeat(np.arange(n * k, dtype=np.int64), counts)
    offsets = np.arange(src.size, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    dst = pos[row_of[src], indices[np.repeat(starts, counts) + offsets]]
    pos[row_of, flat] = -1  # clean for the next block
    hit = dst >= 0
    graph = coo_array(
        (np.ones(int(hit.sum()), dtype=np.int8), (src[hit], dst[hit])), shape=(n * k, n * k)
    )
    _, labels = csgraph.connected_components(graph.tocsr(), directed=False)
    sizes = np.bincount(labels)
    row_of_comp = np.empty(sizes.size, dtype=np.intp)
    row_of_comp[labels] = row_of
    best = np.zeros(n, dtype=np.intp)
    np.maximum.at(best, row_of_comp, sizes)
    return best


def module_significance(
    network: Network,
    genes: Iterable[str],
    *,
    n_samples: int = 1000,
    bin_size: int = 100,
    seed: int | None = None,
    weights: Mapping[str, float] | None = None,
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
    weights
        Per gene (e.g. its evidence): among components of the largest size, the one holding
        the heaviest gene is the LCC (:func:`induced_lcc`); genes not given weigh 0. The size,
        and so z and p, do not depend on it.

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
    w = None
    if weights:
        w = np.zeros(len(network.nodes))
        w[idx] = [float(weights.get(network.nodes[i], 0.0)) for i in idx]
    lcc = induced_lcc(network, idx, w)
    bins = degree_bins(network, bin_size)
    sig = signature(bins, idx)
    samples = sample_matched(bins, sig, n_samples, signature_rng(seed, ROLE_MODULE, sig))
    null = lcc_sizes(network, samples).astype(np.float64)
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
