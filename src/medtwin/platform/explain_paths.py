"""``explain``'s paths: the shortest interactome paths from a drug's targets to central genes.

Numpy only, over the kept CSR arrays of the interactome
(:class:`~medtwin.platform.algorithms.network_file.NetworkArrays`), so ``medtwin explain`` needs
no scipy. :mod:`medtwin.platform.explain` re-exports :func:`shortest_paths`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from medtwin.platform.algorithms.network_file import NetworkArrays

__all__ = ["shortest_paths"]


def shortest_paths(
    network: NetworkArrays, targets: list[str], genes: list[str], max_paths: int = 10
) -> list[list[str]]:
    """The ``max_paths`` shortest unweighted paths from any target to any of ``genes``.

    Breadth-first search from each target over the kept CSR arrays (:func:`_bfs`, numpy only);
    of several shortest paths to a gene, the one whose every step back goes to the lowest-index
    node one step closer to the target. Paths are ordered by length, then by target and gene
    node index; ids not in the network are ignored. Returns node-id lists, target first.
    (Before: ``scipy.sparse.csgraph.shortest_path``, same lengths and order; its import was
    ~0.3 s of ``medtwin explain``.)

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> net = NetworkArrays.of(Network.from_edges([("a", "b"), ("b", "c"), ("c", "d")]))
    >>> shortest_paths(net, ["a"], ["d", "b", "zz"])
    [['a', 'b'], ['a', 'b', 'c', 'd']]
    """
    src = sorted({network.index[t] for t in targets if t in network.index})
    dst = np.array(sorted({network.index[g] for g in genes if g in network.index}), np.int64)
    if not src or dst.size == 0:
        return []
    found = []
    preds = {}
    for s in src:
        dist, preds[s] = _bfs(network.indptr, network.indices, s, dst)
        found += [(int(dist[d]), s, int(d)) for d in dst if dist[d] >= 0]
    found.sort()
    out = []
    for _, s, d in found[:max_paths]:
        path = [d]
        while path[-1] != s:
            path.append(int(preds[s][path[-1]]))
        out.append([network.nodes[i] for i in reversed(path)])
    return out


def _bfs(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    source: int,
    stop_at: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Hops from ``source`` (-1: not reached) and predecessors, until ``stop_at`` are reached.

    Level by level (breadth-first search; Moore E.F., The shortest path through a maze, Proc.
    Int. Symp. Theory of Switching, 1959): level k+1 is every unreached neighbour of level k, at
    k+1 hops; each takes as predecessor the lowest-index node of level k that reaches it (the level
    is sorted, and ``np.unique`` returns first occurrences).

    Examples
    --------
    >>> from medtwin.platform.algorithms.network import Network
    >>> net = NetworkArrays.of(Network.from_edges([("0", "1"), ("0", "2"), ("1", "3"),
    ...                                            ("2", "3")]))
    >>> dist, pred = _bfs(net.indptr, net.indices, 0, np.array([3]))
    >>> dist.tolist(), pred.tolist()
    ([0, 1, 1, 2], [-1, 0, 0, 1])
    """
    n = indptr.size - 1
    dist = np.full(n, -1, dtype=np.int64)
    pred = np.full(n, -1, dtype=np.int64)
    dist[source] = 0
    frontier = np.array([source], dtype=np.int64)
    level = 0
    while frontier.size and np.any(dist[stop_at] < 0):
        level += 1
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        # the neighbour positions of every frontier node, one flat array
        first_of_run = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        neighbours = indices[first_of_run + np.arange(int(counts.sum()))].astype(np.int64)
        parents = np.repeat(frontier, counts)
        new = dist[neighbours] < 0
        frontier, first = np.unique(neighbours[new], return_index=True)
        dist[frontier] = level
        pred[frontier] = parents[new][first]
    return dist, pred
