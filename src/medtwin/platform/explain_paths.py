"""``explain``'s paths: the shortest interactome paths from a drug's targets to central genes.

Over the kept CSR lists of the interactome
(:class:`~medtwin.platform.algorithms.network_lists.NetworkLists`): in pure Python where numpy
is not imported (``medtwin explain``: its import was ~0.1 s of the command), with numpy where it
is (a report explains 5 drugs, ~14 searches: 0.15 s in pure Python); both searches give the
same paths (a test compares them). :mod:`medtwin.platform.explain` re-exports
:func:`shortest_paths`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

from medtwin.platform.algorithms.network_lists import NetworkLists

__all__ = ["shortest_paths"]


def shortest_paths(
    network: NetworkLists, targets: list[str], genes: list[str], max_paths: int = 10
) -> list[list[str]]:
    """The ``max_paths`` shortest unweighted paths from any target to any of ``genes``.

    Breadth-first search from each target over the kept CSR lists (:func:`_bfs`); of several
    shortest paths to a gene, the one whose every step back goes to the lowest-index node one
    step closer to the target. Paths are ordered by length, then by target and gene node
    index; ids not in the network are ignored. Returns node-id lists, target first. (Before:
    ``scipy.sparse.csgraph.shortest_path``, then a numpy search, same lengths, paths and order;
    their imports were ~0.3 s and ~0.1 s of ``medtwin explain``.)

    The searches from the targets go one level at a time side by side, and stop after the
    level at which ``max_paths`` (target, gene) pairs are reached: every pair not reached yet is
    longer, so it would sort after them. A level's hops and steps back do not depend on the
    levels after it, so the paths are those of searches run to the end (which walked the
    interactome's largest levels, 4-5 hops out, for its farthest central gene).

    Examples
    --------
    >>> net = NetworkLists(("a", "b", "c", "d"), {"a": 0, "b": 1, "c": 2, "d": 3},
    ...                    [0, 1, 3, 5, 6], [1, 0, 2, 1, 3, 2])
    >>> shortest_paths(net, ["a"], ["d", "b", "zz"])
    [['a', 'b'], ['a', 'b', 'c', 'd']]
    """
    src = sorted({network.index[t] for t in targets if t in network.index})
    dst = sorted({network.index[g] for g in genes if g in network.index})
    if not src or not dst:
        return []
    searches: dict[int, Iterator[tuple[Any, Any]]]
    numpy = _numpy_imported()  # its search is the faster one, once imported
    if numpy:
        indptr, indices = network.arrays()
        stop = sys.modules["numpy"].array(dst, dtype="int64")
        searches = {s: _bfs_arrays(indptr, indices, s, stop) for s in src}
    else:
        searches = {s: _bfs(network.indptr, network.indices, s, dst) for s in src}
    # (hops, predecessors) of each search, updated in place level by level
    reached = {s: next(search) for s, search in searches.items()}

    def pairs() -> list[tuple[int, int, int]]:
        if numpy:
            return [(int(h[d]), s, d) for s, (h, _) in reached.items() for d in dst if h[d] >= 0]
        return [(h[d], s, d) for s, (h, _) in reached.items() for d in dst if d in h]

    found = pairs()
    while searches and len(found) < max_paths:
        for s in list(searches):
            if next(searches[s], None) is None:  # this search has reached every gene it can
                del searches[s]
        found = pairs()
    found.sort()
    out = []
    for _, s, d in found[:max_paths]:
        preds = reached[s][1]
        path = [d]
        while path[-1] != s:
            path.append(int(preds[path[-1]]))
        out.append([network.nodes[i] for i in reversed(path)])
    return out


def _numpy_imported() -> bool:
    return "numpy" in sys.modules


def _bfs(
    indptr: Sequence[int], indices: Sequence[int], source: int, stop_at: Sequence[int]
) -> Iterator[tuple[dict[int, int], dict[int, int]]]:
    """Hops from ``source`` of the nodes reached, and their predecessors, until ``stop_at`` are.

    Yields the two (the same dicts, grown) at the start and after each level, so that the
    caller can stop the search between levels.

    Level by level (breadth-first search; Moore E.F., The shortest path through a maze, Proc.
    Int. Symp. Theory of Switching, 1959): level k+1 is every unreached neighbour of level k, at
    k+1 hops; each takes as predecessor the lowest-index node of level k that reaches it (the
    level is walked in index order, and a node keeps the first predecessor found). A row's
    neighbours are taken as a set difference, so the scan of the edges runs in C.

    Examples
    --------
    >>> *_, (dist, pred) = _bfs([0, 2, 4, 6, 8], [1, 2, 0, 3, 0, 3, 1, 2], 0, [3])
    >>> sorted(dist.items()), sorted(pred.items())
    ([(0, 0), (1, 1), (2, 1), (3, 2)], [(1, 0), (2, 0), (3, 1)])
    """
    dist = {source: 0}
    pred: dict[int, int] = {}
    frontier = [source]
    level = 0
    yield dist, pred
    while frontier and any(d not in dist for d in stop_at):
        level += 1
        reached: list[int] = []
        for u in frontier:
            new = set(indices[indptr[u] : indptr[u + 1]]).difference(dist)
            for v in new:
                dist[v] = level
                pred[v] = u
            reached += new
        frontier = sorted(reached)
        yield dist, pred


def _bfs_arrays(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    source: int,
    stop_at: npt.NDArray[np.int64],
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """:func:`_bfs` with numpy: hops from ``source`` (-1: not reached) and predecessors.

    Yields the two (the same arrays, filled in) at the start and after each level.

    Level by level (breadth-first search; Moore E.F., The shortest path through a maze, Proc.
    Int. Symp. Theory of Switching, 1959): level k+1 is every unreached neighbour of level k, at
    k+1 hops; each takes as predecessor the lowest-index node of level k that reaches it (the level
    is sorted, and ``np.unique`` returns first occurrences).

    Examples
    --------
    >>> import numpy as np
    >>> indptr, indices = np.array([0, 2, 4, 6, 8]), np.array([1, 2, 0, 3, 0, 3, 1, 2], np.int32)
    >>> *_, (dist, pred) = _bfs_arrays(indptr, indices, 0, np.array([3]))
    >>> dist.tolist(), pred.tolist()
    ([0, 1, 1, 2], [-1, 0, 0, 1])
    """
    import numpy as np  # imported already (shortest_paths)

    n = indptr.size - 1
    dist = np.full(n, -1, dtype=np.int64)
    pred = np.full(n, -1, dtype=np.int64)
    dist[source] = 0
    frontier = np.array([source], dtype=np.int64)
    level = 0
    yield dist, pred
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
        yield dist, pred
