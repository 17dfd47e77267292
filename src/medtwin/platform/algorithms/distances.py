"""All-pairs shortest-path lengths of a :class:`~medtwin.platform.algorithms.network.Network`.

The matrix is ``uint8`` (255 = unreachable): 13,329 × 13,329 nodes take 178 MB. It is computed by
a bit-parallel breadth-first search: 512 sources at a time, the frontier of each node is a row of
8 ``uint64`` words (one bit per source) and one BFS level for all of them is one gather
``F[indices]`` plus one ``bitwise_or.reduceat`` over the CSR row pointers. The distance is the
number of levels at which a node was still unvisited. On the Menche et al. (2015) interactome LCC
this takes ~2-3 s on 2 cores, against ~50 s for ``scipy.sparse.csgraph.shortest_path``
(Dijkstra, unweighted) and ~20 s for a dense-frontier sparse product (measured, see
``benchmarks/bench_screen.py``).
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt

from medtwin.atomic import atomic_output
from medtwin.errors import InputError
from medtwin.platform.algorithms.network import Network

__all__ = ["UNREACHABLE", "all_pairs_distances", "load_or_compute"]

log = logging.getLogger(__name__)

UNREACHABLE = 255
"""Value of unreachable pairs in the ``uint8`` distance matrix."""

_BLOCK = 512


def _bfs_block(
    indptr: npt.NDArray[np.int32], indices: npt.NDArray[np.int32], sources: npt.NDArray[np.intp]
) -> npt.NDArray[np.uint8]:
    """Return the ``(n, len(sources))`` distance block (node × source) by bit-parallel BFS."""
    n = indptr.size - 1
    b = sources.size
    words = (b + 63) // 64
    frontier = np.zeros((n, words), dtype=np.uint64)
    j = np.arange(b)
    bits = np.left_shift(np.uint64(1), (j % 64).astype(np.uint64))
    np.bitwise_or.at(frontier, (sources, j // 64), bits)
    visited = frontier.copy()
    acc = np.zeros((n, words * 64), dtype=np.uint8)
    starts = indptr[:-1]
    nonempty = np.diff(indptr) > 0
    level = 0
    while True:
        # dist(v, s) = number of levels k >= 0 at which v is not yet within k hops of s
        acc += np.unpackbits((~visited).view(np.uint8), axis=1, bitorder="little")
        level += 1
        if level >= UNREACHABLE:
            raise InputError(
                f"network diameter exceeds {UNREACHABLE - 1}; uint8 distances cannot hold it"
            )
        reached = np.zeros_like(frontier)
        if indices.size:
            gathered = np.bitwise_or.reduceat(frontier[indices], starts[nonempty], axis=0)
            reached[nonempty] = gathered
        frontier = reached & ~visited
        if not frontier.any():
            break
        visited |= frontier
    unreached = np.unpackbits((~visited).view(np.uint8), axis=1, bitorder="little").astype(bool)
    acc[unreached] = UNREACHABLE
    return acc[:, :b]


def all_pairs_distances(network: Network, *, n_workers: int | None = None) -> npt.NDArray[np.uint8]:
    r"""All-pairs shortest-path lengths (hops) as a ``uint8`` matrix.

    .. math:: D_{uv} = \min\{k : (A^k)_{uv} > 0\}, \quad D_{uv} = 255 \text{ if unreachable}

    Parameters
    ----------
    network
        Undirected network.
    n_workers
        Threads (blocks of 512 sources run in parallel; numpy releases the GIL in the kernels).
        Default: ``min(2, os.cpu_count())``.

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` symmetric ``uint8`` matrix in node-index order, zero diagonal.

    Raises
    ------
    InputError
        If the diameter is 255 or more.

    References
    ----------
    Menche J. et al. Uncovering disease-disease relationships through the incomplete interactome.
    Science 347, 1257601 (2015). doi:10.1126/science.1257601

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("x", "y")])
    >>> all_pairs_distances(net).tolist()
    [[0, 1, 2, 255, 255], [1, 0, 1, 255, 255], [2, 1, 0, 255, 255], [255, 255, 255, 0, 1], [255, 255, 255, 1, 0]]
    """  # noqa: E501
    n = network.n_nodes
    adj = network.adjacency
    indptr = np.asarray(adj.indptr)
    indices = np.asarray(adj.indices)
    workers = n_workers if n_workers is not None else min(2, os.cpu_count() or 1)
    out = np.empty((n, n), dtype=np.uint8)
    blocks = [np.arange(s, min(s + _BLOCK, n), dtype=np.intp) for s in range(0, n, _BLOCK)]
    t0 = time.perf_counter()

    def run(src: npt.NDArray[np.intp]) -> None:
        # the graph is undirected, so the (node × source) block is also the (source × node) rows
        out[src[0] : src[-1] + 1, :] = _bfs_block(indptr, indices, src).T

    if workers > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, blocks))
    else:
        for block in blocks:
            run(block)
    log.info(
        "distances: %d nodes, %d edges in %.2f s", n, network.n_edges, time.perf_counter() - t0
    )
    return out


def load_or_compute(
    network: Network, cache_dir: Path | str, *, n_workers: int | None = None, mmap: bool = False
) -> npt.NDArray[np.uint8]:
    """Load the distance matrix cached under the network checksum, or compute and cache it.

    The cache file is ``<cache_dir>/distances-<checksum[:16]>.npy``; it is written to a
    temporary file in the same folder and renamed, so readers never see a partial file.
    A cached file with the wrong shape or dtype is recomputed.

    Parameters
    ----------
    network
        The network.
    cache_dir
        Folder for the cache (created if missing).
    n_workers
        Passed to :func:`all_pairs_distances`.
    mmap
        Memory-map a cached file read-only instead of reading it (processes that share the
        file then share its pages; cohort workers use this).

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` ``uint8`` distances.
    """
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"distances-{network.checksum[:16]}.npy"
    n = network.n_nodes
    if path.exists():
        cached = np.load(path, allow_pickle=False, mmap_mode="r" if mmap else None)
        if cached.shape == (n, n) and cached.dtype == np.uint8:
            log.info("distances: loaded %s", path)
            return np.asarray(cached, dtype=np.uint8)
        log.warning(
            "distances: %s has shape %s dtype %s; recomputing", path, cached.shape, cached.dtype
        )
    dist = all_pairs_distances(network, n_workers=n_workers)
    with atomic_output(path) as handle:
        np.save(handle, dist, allow_pickle=False)
    log.info("distances: cached %s", path)
    return dist
