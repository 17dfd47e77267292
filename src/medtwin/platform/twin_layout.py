"""Where each node of a twin drawing stands: one seeded layout for the viewer, report and exports.

Before stop 55 the viewer ran Cytoscape's force layout (cose) in the browser and the report
networkx's spring layout: two pictures of one twin. Now :func:`twin_layout` places the nodes
once, in the viewer's units (a caption is 7 units high), and :func:`laid_out` writes the places
on the :class:`~medtwin.platform.graph_models.TwinGraph` that the viewer (``preset`` layout), the
report's picture and the ``.cyjs``/GraphML exports read. On top of the force layout:

- each connected part is laid out on its own, to a median edge of :data:`_EDGE` units (and room
  for each node), the largest first and the small ones in rows below it (one force layout of
  all of them flung the small parts far out and squeezed the largest into a corner);
- a part of :data:`~medtwin.platform.force_layout.NEAR_FROM` nodes or more is force-laid with the
  forces of its nearby pairs only (:mod:`medtwin.platform.force_layout`): networkx's layout of a
  part that large compares all pairs some 50 times (8.5 s of CPU for 1,500 nodes);
- nodes without an edge in the drawing (a bulk twin's unconnected seeds) are set out as a
  list in columns below or beside the rest, A to Z, each caption right of its node; the force
  layout tiled each as its own component, a sparse grid as wide as the twin, and the first fit
  of the viewer drew every caption about 3 px high;
- the captions of the nodes that are not proteins (cell types, tissues, pathways, terms) are
  pushed apart until none touches another, and the proteins off them and, as far as 40 rounds
  go, off each other (:mod:`medtwin.platform.caption_spacing`; multitissue_demo's cell types,
  all linked to the same pathways, were drawn caption over caption);
- the force layout starts from positions drawn from ``seed`` and each node's id, so the same
  twin and seed give the same places, whatever process draws them.

The force layout is Fruchterman and Reingold's: with the ideal edge :math:`k`, two nodes at
distance :math:`d` repel with :math:`f_r = k^2 / d` and an edge attracts with
:math:`f_a = d^2 / k`, each step capped by a temperature that cools linearly to 0
(networkx ``spring_layout`` below :data:`~medtwin.platform.force_layout.NEAR_FROM` nodes,
:func:`~medtwin.platform.force_layout.near_force_layout` from there).

References
----------
Fruchterman T.M.J., Reingold E.M. Graph drawing by force-directed placement. Softw Pract Exper
21, 1129-1164 (1991). doi:10.1002/spe.4380211102
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from medtwin.platform.caption_spacing import (
    CAPTION_FONT,
    GAP,
    Box,
    caption_of,
    caption_width,
    clear_hubs,
    hub_box,
    part_hubs,
    spread,
)
from medtwin.platform.force_layout import NEAR_FROM, near_force_layout
from medtwin.platform.graph_models import TwinGraph

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "CAPTION_FONT",
    "DEFAULT_LAYOUT_SEED",
    "LAYOUT_MAX_NODES",
    "LONE_SIZE",
    "caption_of",
    "caption_width",
    "laid_out",
    "lone_nodes",
    "place",
    "twin_layout",
]

DEFAULT_LAYOUT_SEED = 0
"""The force layout's seed where the caller names none (a twin's own seed defaults to it too)."""
LAYOUT_MAX_NODES = 1500
"""Larger twins get no places (the viewer lays out what it draws of them; the report lays out its
largest nodes): the force layout costs the square of the nodes per step."""
LONE_SIZE = 12.0
"""The viewer's node size (layout units) of a node without an edge: its centrality says nothing."""
_WINDOW = 1.1
"""Width over height of the viewer's drawing area (an 1,100 to 1,400 px wide window beside the
280 px panel) that :func:`_grid` fits the whole drawing to."""
_AREA = 1600.0
"""Layout units² a node of a connected part has at least (a 40-unit square)."""
_EDGE = 45.0
"""The median edge's length in a connected part, in layout units (nodes are 10-44 across)."""


def lone_nodes(graph: TwinGraph) -> list[str]:
    """Ids of the nodes with no edge to another node of ``graph``, in node order."""
    linked = {x for e in graph.edges if e.source != e.target for x in (e.source, e.target)}
    return [n.id for n in graph.nodes if n.id not in linked]


def laid_out(graph: TwinGraph, seed: int = DEFAULT_LAYOUT_SEED) -> TwinGraph:
    """``graph`` with each node's ``x`` and ``y`` from :func:`twin_layout`, ``seed`` beside them.

    The seed is stored in the graph's ``layout_seed``: the viewer, the report and the exports read
    the places and the seed that produced them from one object (before stop 59 the seed was
    the caller's to keep, and a drawing did not say which seed laid it out). A graph of more than
    :data:`LAYOUT_MAX_NODES` nodes is returned as it is (no places: ``layout_seed`` None).
    ``seed`` is the twin's own (its stored parameters) where the server draws a twin.
    """
    if len(graph.nodes) > LAYOUT_MAX_NODES:
        return graph
    places = twin_layout(graph, seed)
    nodes = tuple(
        n.model_copy(update={"x": places[n.id][0], "y": places[n.id][1]}) for n in graph.nodes
    )
    return graph.model_copy(update={"nodes": nodes, "layout_seed": seed})


def twin_layout(
    graph: TwinGraph, seed: int = DEFAULT_LAYOUT_SEED
) -> dict[str, tuple[float, float]]:
    """Each node's place (x right, y down, layout units) in the drawing of ``graph``.

    Parameters
    ----------
    graph
        The twin drawing.
    seed
        Seeds the force layout's start (with each node's id) and its own random draws
        (:data:`DEFAULT_LAYOUT_SEED` if not given).

    Returns
    -------
    dict
        Node id to ``(x, y)``, rounded to 0.01 unit; the same for the same graph and seed. The
        places of a drawing, no statistic: the caller records the seed (:func:`laid_out` stores
        it beside them, in the graph's ``layout_seed``; the viewer and the report pass the
        twin's own).

    Examples
    --------
    >>> from medtwin.platform.graph_models import GraphEdge, GraphNode, TwinGraph
    >>> g = TwinGraph(twin_id="T", nodes=tuple(GraphNode(id=i, label=i, layer="seed",
    ...     kind="Protein") for i in "abcd"), edges=(GraphEdge(source="a", target="b",
    ...     kind="INTERACTS_WITH"),))
    >>> places = twin_layout(g, 7)
    >>> beyond = lambda k, i: places[k][i] > max(places["a"][i], places["b"][i])
    >>> places == twin_layout(g, 7), beyond("c", 0) or beyond("c", 1)
    (True, True)
    """
    return place(
        [(n.id, caption_of(n.label, n.id, n.regulator_rank), n.kind != "Protein", n.size)
         for n in graph.nodes],
        [(e.source, e.target) for e in graph.edges],
        seed,
    )  # fmt: skip


def place(
    nodes: Sequence[tuple[str, str, bool, float]],
    edges: Sequence[tuple[str, str]],
    seed: int = DEFAULT_LAYOUT_SEED,
) -> dict[str, tuple[float, float]]:
    """:func:`twin_layout` of bare nodes ``(id, caption, hub, size)`` and edges.

    A hub (a node that is not a protein) keeps its node and caption clear of every other hub's
    and every protein's; ``size`` sets how large the viewer draws a node (10-44 units across,
    from the smallest to the largest size). As :func:`twin_layout`, the caller records the seed.
    """
    sizes = [float(n[3]) for n in nodes]
    lo, hi = min(sizes, default=0.0), max(sizes, default=0.0)
    if not hi > lo:  # as the viewer: equal sizes are drawn mid-size
        lo, hi = 0.0, 2 * (hi or 1.0)
    # by id: the places do not depend on the order the nodes come in (the report sorts by size)
    ordered = tuple(
        sorted((str(i), str(c), bool(h), 5.0 + 17.0 * (z - lo) / (hi - lo)) for i, c, h, z in nodes)
    )
    pairs = tuple(sorted({(a, b) for a, b in edges if a != b}))
    return dict(zip((n[0] for n in ordered), _layout(ordered, pairs, seed), strict=True))


@lru_cache(maxsize=64)
def _layout(
    nodes: tuple[tuple[str, str, bool, float], ...], edges: tuple[tuple[str, str], ...], seed: int
) -> tuple[tuple[float, float], ...]:
    import networkx as nx

    ids = {n[0] for n in nodes}
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b in edges if a in ids and b in ids)
    by_id = {n[0]: n for n in nodes}
    parts = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    blocks = []
    for part in parts:
        members = [by_id[i] for i in sorted(part)]
        # a graph of its own in id order, not g.subgraph(part): a view smaller than half of g
        # lists its nodes in the order of a Python set of strings, which changes with each
        # process's hash seed — and with it the sums of the forces, by rounding-sized amounts
        sub = nx.Graph()
        sub.add_nodes_from(sorted(part))
        sub.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in g.edges(part)))
        pos = _force(members, sub, seed)
        # to the median edge, not the farthest node: a part's long arms squeezed its core
        lengths = sorted(math.dist(pos[a], pos[b]) for a, b in sub.edges)
        xs, ys = [v[0] for v in pos.values()], [v[1] for v in pos.values()]
        side = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)  # a pair has no height
        # and room for every node: a part of hubs and their genes was a hairball at 45
        stretch = max(
            _EDGE / max(lengths[len(lengths) // 2], 1e-9), math.sqrt(len(members) * _AREA) / side
        )
        places = {k: (float(v[0]) * stretch, float(v[1]) * stretch) for k, v in pos.items()}
        hubs = [(n[0], n[1], n[3]) for n in members if n[2]]
        proteins = [(n[0], n[1], n[3]) for n in members if not n[2]]
        places = part_hubs(places, hubs)
        places = spread(places, proteins)
        places = clear_hubs(places, hubs, proteins)
        blocks.append((places, _extent(places, by_id)))
    placed = _pack(blocks)
    lone = sorted((n for n in nodes if n[0] not in g), key=lambda n: (n[1].casefold(), n[0]))
    placed.update(_grid(lone, placed))
    return tuple((round(placed[n[0]][0], 2), round(placed[n[0]][1], 2)) for n in nodes)


def _force(
    members: Sequence[tuple[str, str, bool, float]], sub: nx.Graph, seed: int
) -> dict[str, tuple[float, float]]:
    """The force layout of one connected part (``members`` by id), from the seeded start.

    networkx's below :data:`NEAR_FROM` nodes (the places every demo drawing has), the near-pairs
    one from there: networkx's compared all pairs some 50 times, 8.5 s of CPU for 1,500 nodes.
    """
    import networkx as nx

    if len(members) < NEAR_FROM:
        start = {n[0]: _start(n[0], seed) for n in members}
        # numpy's RandomState takes seeds below 2**32 only, a twin's up to 2**53 - 1: a twin
        # seeded at 2**32 or more failed its drawing (ValueError) before stop 59; the start
        # (_start) still reads the whole seed
        pos = nx.spring_layout(sub, pos=start, seed=seed % 2**32, iterations=50)
        return {k: (float(v[0]), float(v[1])) for k, v in pos.items()}
    row = {n[0]: i for i, n in enumerate(members)}
    # edges in id order: the sums of the forces, and so the places, do not depend on the process
    links = sorted((min(row[a], row[b]), max(row[a], row[b])) for a, b in sub.edges)
    placed, _ = near_force_layout([_start(n[0], seed) for n in members], links)
    return {n[0]: (float(p[0]), float(p[1])) for n, p in zip(members, placed, strict=True)}


def _extent(
    places: Mapping[str, tuple[float, float]], nodes: Mapping[str, tuple[str, str, bool, float]]
) -> Box:
    """What the nodes at ``places`` cover with their captions above them."""
    boxes = [hub_box(*xy, nodes[i][1], nodes[i][3]) for i, xy in places.items()]
    return Box(
        min(b.x1 for b in boxes),
        min(b.y1 for b in boxes),
        max(b.x2 for b in boxes),
        max(b.y2 for b in boxes),
    )


def _pack(
    blocks: Sequence[tuple[dict[str, tuple[float, float]], Box]],
) -> dict[str, tuple[float, float]]:
    """The connected parts side by side: the largest first, the others in rows below it.

    One force layout of every part flung the small ones (a pair of linked seeds) far out, and
    the first fit of GSM389717 drew its 200 linked nodes in a corner, about 3 px each.
    """
    if not blocks:
        return {}
    first = blocks[0][1]
    area = sum((b.x2 - b.x1) * (b.y2 - b.y1) for _, b in blocks[1:])
    across = max(first.x2 - first.x1, math.sqrt(area) * _WINDOW)
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for n, (places, box) in enumerate(blocks):
        width, height = box.x2 - box.x1, box.y2 - box.y1
        if n == 1:  # the rows start below the largest part
            x, y, row = 0.0, row + 2 * GAP, 0.0
        elif n > 1 and x > 0 and x + width > across:
            x, y, row = 0.0, y + row + 2 * GAP, 0.0
        out.update({k: (px - box.x1 + x, py - box.y1 + y) for k, (px, py) in places.items()})
        x, row = x + width + 2 * GAP, max(row, height)
    return out


def _start(node_id: str, seed: int) -> tuple[float, float]:
    # random.Random of a str hashes it with SHA-512: the same start in every process
    rnd = random.Random(f"{seed}/{node_id}")
    return rnd.uniform(-1.0, 1.0), rnd.uniform(-1.0, 1.0)


def _grid(
    lone: Sequence[tuple[str, str, bool, float]], placed: Mapping[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """The nodes without an edge as a list in columns, beside or below the placed ones.

    A to Z down each column, each caption right of its node (the viewer's ``.lone`` style).
    Each column is as wide as its widest caption. Of the grids below and beside the placed
    part, the one whose whole drawing is largest when fitted to a window of :data:`_WINDOW`
    proportions (the viewer's first zoom) is kept.
    """
    if not lone:
        return {}
    height = LONE_SIZE + GAP
    widths = [LONE_SIZE + GAP / 2 + caption_width(n[1]) + 2 * GAP for n in lone]
    if placed:
        xs, ys = [p[0] for p in placed.values()], [p[1] for p in placed.values()]
        left, top, across, down = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
        gap = 4 * height
    else:
        left = top = across = down = gap = 0.0

    def columns(cols: int) -> list[float]:
        rows = math.ceil(len(lone) / cols)
        return [max(widths[i : i + rows]) for i in range(0, len(lone), rows)]

    def extent(cols: int, below: bool) -> float:
        rows, wide = math.ceil(len(lone) / cols), sum(columns(cols))
        if below:
            w, h = max(across, wide), down + gap + rows * height
        else:
            w, h = across + gap + wide, max(down, rows * height)
        return max(w / _WINDOW, h)

    cols, below = min(
        ((c, b) for c in range(1, min(len(lone), 60) + 1) for b in (True, False)),
        key=lambda cb: (extent(*cb), cb[0]),
    )
    x0, y0 = (left, top + down + gap) if below else (left + across + gap, top)
    rows = math.ceil(len(lone) / cols)
    starts = [x0 + sum(columns(cols)[:j]) for j in range(cols)]
    return {n[0]: (starts[i // rows], y0 + (i % rows) * height) for i, n in enumerate(lone)}
