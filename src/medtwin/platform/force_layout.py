"""A force layout of a large connected part of a twin drawing, at the cost of its near pairs.

networkx's ``spring_layout`` of a part of 500 nodes or more minimises an energy whose every
evaluation compares all pairs (about 50 evaluations): 1,400 proteins and 100 hubs took 8.5 s of
CPU. :func:`near_force_layout` is Fruchterman and Reingold's own grid variant of the force
layout networkx runs below 500 nodes: the same forces, the same cooling, but a node is pushed
only by the nodes within :data:`_REACH` ideal edges of it (found with a k-d tree each step),
so a step costs about the nodes, not their square. Parts under 500 nodes keep networkx's layout
(:data:`NEAR_FROM`): every demo drawing's places stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["NEAR_FROM", "near_force_layout"]

NEAR_FROM = 500
"""Nodes of a connected part from which :func:`near_force_layout` lays it out (networkx's own
threshold between its all-pairs force layout and its all-pairs energy minimisation)."""
_REACH = 3.0
"""How far a node's push reaches, in ideal edge lengths (the grid variant's 2, a bit more so
that the part spreads evenly)."""
ITERATIONS = 50
"""Steps of the layout, as networkx's default."""


def near_force_layout(
    start: Sequence[tuple[float, float]],
    edges: Sequence[tuple[int, int]],
    iterations: int = ITERATIONS,
) -> tuple[np.ndarray, int]:
    """Places of ``start``'s nodes (``x, y`` each) after the force layout, and pairs pushed.

    ``edges`` are pairs of row numbers. The second value, the number of node pairs whose push
    was computed over all steps, is the layout's work (``tests/unit/report/test_force_layout.py``
    keeps it within a budget proportional to the nodes).
    """
    import numpy as np
    from scipy.spatial import cKDTree

    pos = np.array(start, dtype=float)
    n = len(pos)
    if n < 2:
        return pos, 0
    a, b = (
        (np.array(side, dtype=np.intp) for side in zip(*edges, strict=True))
        if edges
        else (
            np.zeros(0, dtype=np.intp),
            np.zeros(0, dtype=np.intp),
        )
    )
    width = max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1])), 1e-9)
    k = width / np.sqrt(n)  # the ideal edge: each node a k x k square of the start's box
    t = 0.1 * width  # the largest step, cooled linearly to nothing (networkx's schedule)
    dt = t / (iterations + 1)
    work = 0
    for _ in range(iterations):
        i, j = cKDTree(pos).query_pairs(_REACH * k, output_type="ndarray").T
        work += len(i)
        d = pos[i] - pos[j]
        dist2 = np.maximum((d * d).sum(axis=1), (0.01 * k) ** 2)
        push = d * (k * k / dist2)[:, None]  # repulsion, on i (and its opposite on j)
        e = pos[a] - pos[b]
        pull = e * (np.sqrt((e * e).sum(axis=1)) / k)[:, None]  # attraction along each edge
        move = np.zeros_like(pos)
        for axis in (0, 1):
            move[:, axis] = (
                np.bincount(i, push[:, axis], n)
                - np.bincount(j, push[:, axis], n)
                - np.bincount(a, pull[:, axis], n)
                + np.bincount(b, pull[:, axis], n)
            )
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 0.01 * k)
        pos += move * (t / length)[:, None]
        t -= dt
    return pos, work
