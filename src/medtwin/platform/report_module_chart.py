"""The report's twin picture: each node where the viewer draws it, the largest labelled.

Split from :mod:`medtwin.platform.report_charts` (its SVG, text measures and layout helpers are
shared); :mod:`medtwin.platform.report` places the picture on the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from medtwin.platform.layer_colours import layer_colour
from medtwin.platform.models import TwinGraph
from medtwin.platform.report_charts import (
    _MAX_DRAWN,
    _PAD,
    CHARTS_KEPT,
    _label,
    _place,
    _svg,
    _text_size,
)
from medtwin.platform.twin_layout import caption_of, place

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["module_figure"]


class _Node(NamedTuple):
    id: str
    size: float
    layer: str
    label: str
    x: float | None = None  # the drawing's place (twin_layout), y down as in the viewer
    y: float | None = None
    hub: bool = False  # not a protein: twin_layout keeps its caption clear of other hubs'


class _Edge(NamedTuple):
    source: str
    target: str


def module_figure(graph: TwinGraph, seed: int) -> str | None:
    """The twin as an SVG (largest nodes only), or ``None`` without nodes.

    Each node stands where the viewer draws it (its ``x``, ``y``:
    :mod:`medtwin.platform.twin_layout`); a graph without places (past
    :data:`~medtwin.platform.twin_layout.LAYOUT_MAX_NODES` nodes) has its largest nodes laid out
    by the same function with ``seed``. Before, the report drew networkx's spring layout and the
    viewer Cytoscape's: two pictures of one twin.
    """
    if not graph.nodes:
        return None
    return _module_svg(
        tuple(
            _Node(n.id, n.size, n.layer, n.label, n.x, n.y, n.kind != "Protein")
            for n in graph.nodes
        ),  # fmt: skip
        tuple(_Edge(e.source, e.target) for e in graph.edges),
        seed,
    )


# A chart is a function of what it draws (layouts have fixed seeds, the SVG a fixed hash salt and
# no date), so a process draws each one once: an API server re-rendered the same three charts for
# every request of a patient's report (~60 % of a warm report's time; `make bench-views`).
@lru_cache(maxsize=CHARTS_KEPT)
def _module_svg(nodes: tuple[_Node, ...], edges: tuple[_Edge, ...], seed: int) -> str:
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        return _draw_module(nodes, edges, seed)


def _draw_module(nodes_in: tuple[_Node, ...], edges: tuple[_Edge, ...], seed: int) -> str:
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    nodes = sorted(nodes_in, key=lambda n: (-n.size, n.id))[:_MAX_DRAWN]
    keep = {n.id for n in nodes}
    # one line per pair of drawn nodes, whatever the edges' kinds and directions
    drawn = sorted(
        {
            (min(e.source, e.target), max(e.source, e.target))
            for e in edges
            if e.source != e.target and e.source in keep and e.target in keep
        }
    )
    pos = _places(nodes, edges, seed)
    box = (7.5 * 0.775, 6.0 * 0.77)  # the axes of the figure size and margins it had (7.5 x 6 in)
    fig = Figure()
    ax = fig.add_subplot()
    layers = sorted({n.layer for n in nodes})
    # the legend's column (upper right) is kept clear of nodes: a twin's list of nodes without
    # an edge ran under it
    legend_width = max(_text_size(_label(x), 7)[0] for x in layers) + 0.4
    _same_scale(ax, list(pos.values()), box, legend_width)
    ax.add_collection(
        LineCollection(
            [(pos[u], pos[v]) for u, v in drawn], colors="#bbbbbb", linewidths=0.5, zorder=1
        )
    )
    largest = max(n.size for n in nodes) or 1.0

    def area(n: _Node) -> float:  # of the node's dot, points²
        return 20 + 180 * max(n.size, 0.0) / largest

    ax.scatter(
        [pos[n.id][0] for n in nodes],
        [pos[n.id][1] for n in nodes],
        s=[area(n) for n in nodes],
        c=[layer_colour(n.layer) for n in nodes],
        edgecolors="white",
        linewidths=0.5,
        zorder=2,
    )
    # the legend's box (upper right, 7 pt entries about 11 pt apart): no label goes over it
    legend = (box[0] - legend_width, box[1] - (11 * len(layers) + 10) / 72, box[0], box[1])
    labelled, unlabelled = _free_labels(
        nodes, pos, ax.get_xlim(), ax.get_ylim(), box, lambda n: math.sqrt(area(n)) / 2, legend
    )
    for label in labelled:
        ax.annotate(
            label.text, label.xy, xytext=label.offset, textcoords="offset points",
            fontsize=_FONT, ha=label.ha, va=label.va, zorder=3,
        )  # fmt: skip
    # a label off its node is tied to it by a line from the node to the label's nearest point,
    # darker than the edges and under the dots
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ties = []
    for (px, py), (bx1, by1, bx2, by2) in ((la.xy, la.box) for la in labelled if la.leader):
        near_x = min(max(box[0] * (px - x0) / (x1 - x0), bx1), bx2) / box[0]
        near_y = min(max(box[1] * (py - y0) / (y1 - y0), by1), by2) / box[1]
        ties.append([(px, py), (x0 + near_x * (x1 - x0), y0 + near_y * (y1 - y0))])
    if ties:
        ax.add_collection(LineCollection(ties, colors="#666666", linewidths=0.5, zorder=1.5))
    # Handles and labels passed explicitly: legend() alone drops labels starting with "_".
    handles = [ax.scatter([], [], c=layer_colour(layer), s=30) for layer in layers]
    ax.legend(handles, [_label(x) for x in layers], loc="upper right", fontsize=7, frameon=False)
    ax.set_axis_off()
    title = f"Twin module: {len(nodes)} nodes, {len(drawn)} edges"
    if len(nodes) < len(nodes_in):
        title += f" (largest {len(nodes)} of {len(nodes_in)} drawn)"
    # above the labels that stick out of the axes' top (one covered SYN001's title)
    over = max((label.box[3] - box[1] for label in labelled), default=0.0)
    ax.set_title(title, fontsize=9, pad=6 + 72 * max(over, 0.0))
    note = _unlabelled_note(unlabelled, box[0])
    if note:  # below the axes and every label sticking out of them
        under = max((-label.box[1] for label in labelled), default=0.0)
        ax.annotate(
            note, (0.0, 0.0), xycoords="axes fraction", fontsize=_FONT, ha="left", va="top",
            xytext=(0.0, -72 * max(under, 0.0) - _NOTE_GAP), textcoords="offset points",
        )  # fmt: skip
    _fit_module(fig, ax, labelled, box, note)
    return _svg(fig, "module")


_NOTE_GAP = 6.0
"""Points between the lowest label and the note naming the hubs left unlabelled."""


def _unlabelled_note(hubs: Sequence[str], width: float) -> str:
    """The picture's note naming the hubs whose label fits nowhere, or ``""``.

    In lines ``width`` inches wide. Before, such a label was left out without a word.
    """
    if not hubs:
        return ""
    lines = ["Not labelled for lack of room:"]
    for i, name in enumerate(hubs):
        word = " " + name.replace("\n", " ") + ("," if i < len(hubs) - 1 else "")
        if _text_size(lines[-1] + word, _FONT)[0] > width:
            lines.append(word.strip())
        else:
            lines[-1] += word
    return "\n".join(lines)


def _places(
    nodes: Sequence[_Node], edges: Sequence[_Edge], seed: int
) -> dict[str, tuple[float, float]]:
    """Each drawn node's place, y up: the viewer's (the nodes' x, y), else laid out here alike."""
    if all(n.x is not None and n.y is not None for n in nodes):
        return {n.id: (float(n.x or 0.0), -float(n.y or 0.0)) for n in nodes}
    keep = {n.id for n in nodes}
    places = place(
        [(n.id, caption_of(n.label, n.id), n.hub, n.size) for n in nodes],
        [(e.source, e.target) for e in edges if {e.source, e.target} <= keep],
        seed,
    )
    return {k: (x, -y) for k, (x, y) in places.items()}


def _same_scale(
    ax: Any, points: Sequence[tuple[float, float]], box: tuple[float, float], right: float
) -> None:
    """Axis limits around ``points`` with one scale on both axes, as the viewer draws them.

    Set before any label is placed (:func:`_free_labels` reads them), not left to autoscaling,
    which stretched each axis to the box on its own. The points keep ``right`` inches of the
    box's width free, on the right.
    """
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half_w = max((max(xs) - min(xs)) / 2, 1.0) * 1.05
    half_h = max((max(ys) - min(ys)) / 2, 1.0) * 1.05
    wide = max(box[0] - right, box[0] / 2)
    per_inch = max(2 * half_w / wide, 2 * half_h / box[1])
    ax.set_xlim(cx - per_inch * wide / 2, cx + per_inch * (box[0] - wide / 2))
    ax.set_ylim(cy - per_inch * box[1] / 2, cy + per_inch * box[1] / 2)


_LABELLED = 25
"""Protein labels the module picture draws at most, largest nodes first (every hub's is drawn)."""
_FONT = 7.0
"""Points of a node's label."""
_LINE = 1.2
"""A label's height in font sizes, as a browser boxes the SVG's text (DejaVu Sans: ascent and
descent 1.16); matplotlib's "lp" height (0.95) let two labels on near lines cover each other."""


_FAR_LINES = 12
"""Lines up or down a hub's label may go, where no nearer place is free (6 until stop 57)."""
_SIDEWAYS = (20.0, 40.0, 60.0)
"""Points a hub's label may go sideways of its node's near places, where none is free."""


class _Label(NamedTuple):
    xy: tuple[float, float]  # the node's place (data units)
    text: str
    ha: str
    va: str
    offset: tuple[float, float]  # points from the node to the label's anchor
    box: tuple[float, float, float, float]  # inches in the axes box: x1, y1, x2, y2 (y up)
    leader: bool = False  # off its node: a line ties it to the node


def _free_labels(
    nodes: Sequence[_Node],
    pos: Any,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    box: tuple[float, float],
    radius: Any,
    legend: tuple[float, float, float, float] | None = None,
) -> tuple[list[_Label], list[str]]:
    """The labels to draw, none over another or another node's dot, and the hubs left unlabelled.

    Every hub's label, then the largest proteins'. Each label (7 pt) goes above its node, else
    below, right or left of it, else (a hub's) up to 12 lines further up or down, centred,
    beside or aside (:func:`_candidates`, nearest first; tied to its node by a line when more
    than a line off), at the first place that covers no label and no other node's dot. A hub's
    label with no such place goes where it covers the fewest proteins' dots (never a hub's or a
    label);
    one with none is left out and named in the second list (the picture's note). A protein's
    label that fits nowhere is left out (its node is still drawn and named in the tables), and
    at most :data:`_LABELLED` proteins are labelled, of the ``4 * _LABELLED`` largest.
    ``radius(node)`` is a node's dot radius in points; ``legend`` the legend's box (x1, y1,
    x2, y2 inches in the axes box), kept clear too. Before, only the largest 25 nodes were
    labelled, all above their node, so a hub (multitissue_demo's pathways) could lose its label
    to a protein, and two labels on near lines touched in the browser (``_text_size``'s height
    is matplotlib's, shorter than the browser's line); labels covered other nodes' dots (1,517
    times in the 99 demo twins' pictures), and a hub's label that fitted nowhere was left out
    without a word.
    """
    import numpy as np

    (x0, x1), (y0, y1) = xlim, ylim
    placed: list[tuple[float, float, float, float]] = [legend] if legend else []
    out: list[_Label] = []
    unlabelled: list[str] = []
    proteins = 0
    pad = 0.75 / 72  # between two labels
    # each node's dot in inches in the axes box: centre and radius
    dots = np.array(
        [
            (box[0] * (pos[n.id][0] - x0) / (x1 - x0), box[1] * (pos[n.id][1] - y0) / (y1 - y0))
            for n in nodes
        ]
    ).reshape(-1, 2)
    dot_r = np.array([radius(n) / 72 for n in nodes])
    hub_dot = np.array([n.hub for n in nodes], dtype=bool)
    row = {n.id: i for i, n in enumerate(nodes)}
    # every hub first, then the largest proteins (``nodes`` come largest first), from twice as
    # many as before: kept off dots, fewer fit (1,792 labels of the 99 demo pictures; 1,823)
    hubs = [n for n in nodes if n.hub]
    for n in hubs + [n for n in nodes if not n.hub][: 4 * _LABELLED]:
        if not n.hub and proteins >= _LABELLED:
            break
        text = _label(n.label)
        width, _ = _text_size(text, _FONT)
        height = _LINE * _FONT / 72 * (text.count("\n") + 1)
        cx, cy = dots[row[n.id]]
        others = np.arange(len(nodes)) != row[n.id]
        best: tuple[int, _Label] | None = None  # a hub's place over the fewest proteins' dots
        for ha, va, dx, dy in _candidates(radius(n), height * 72, n.hub, width * 72):
            left = cx + dx / 72 - {"center": width / 2, "left": 0.0, "right": width}[ha]
            bottom = cy + dy / 72 - {"bottom": 0.0, "center": height / 2, "top": height}[va]
            a = (left - pad, bottom - pad, left + width + pad, bottom + height + pad)
            if any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for b in placed):
                continue
            # a dot (a circle) is under the label where the label's nearest point is inside it
            near_x = dots[:, 0] - np.clip(dots[:, 0], a[0], a[2])
            near_y = dots[:, 1] - np.clip(dots[:, 1], a[1], a[3])
            under = others & (near_x**2 + near_y**2 < dot_r**2)
            # more than a line's height between the label and its dot: tied by a line
            gap = math.hypot(near_x[row[n.id]], near_y[row[n.id]]) * 72 - radius(n)
            label = _Label(pos[n.id], text, ha, va, (dx, dy), a, gap > _FONT * _LINE)
            if not under.any():
                best = (0, label)
                break
            if n.hub and not (under & hub_dot).any() and (best is None or under.sum() < best[0]):
                best = (int(under.sum()), label)
        if best is None:
            if n.hub:
                unlabelled.append(text)
            continue
        placed.append(best[1].box)
        out.append(best[1])
        proteins += not n.hub
    return out, unlabelled


def _candidates(
    r: float, height: float, hub: bool, width: float = 0.0
) -> list[tuple[str, str, float, float]]:
    """Where a label may go: ``(ha, va, dx, dy)``, offsets in points from its node's centre.

    A protein's label goes next to its node or nowhere. A hub's may go further, up to
    :data:`_FAR_LINES` lines up or down and :data:`_SIDEWAYS` points aside, nearest first
    (the label's centre from the node's; ``width`` is the label's, points). Before stop 58 it
    went at most 6 lines off and never aside, and in the 99 demo twins' pictures hubs' labels
    covered proteins' dots 85 times where none of those places was free.
    """
    near = [
        ("center", "bottom", 0.0, r),
        ("center", "top", 0.0, -r),
        ("left", "center", r + 1.0, 0.0),
        ("right", "center", -r - 1.0, 0.0),
    ]
    if not hub:
        return near
    # a hub's name is never left out where a few lines up or down, or aside, are free
    far = []
    for k in range(_FAR_LINES + 1):
        up = k * height
        if k:
            far += [
                ("center", "bottom", 0.0, r + up),
                ("center", "top", 0.0, -r - up),
                ("left", "bottom", r + 1.0, up),
                ("left", "top", r + 1.0, -up),
                ("right", "bottom", -r - 1.0, up),
                ("right", "top", -r - 1.0, -up),
            ]
        for aside in _SIDEWAYS:
            far += [
                ("left", "bottom", aside, r + up),
                ("left", "top", aside, -r - up),
                ("right", "bottom", -aside, r + up),
                ("right", "top", -aside, -r - up),
            ]

    def centre_off(c: tuple[str, str, float, float]) -> float:
        ha, va, dx, dy = c
        x = dx + {"center": 0.0, "left": width / 2, "right": -width / 2}[ha]
        y = dy + {"center": 0.0, "bottom": height / 2, "top": -height / 2}[va]
        return math.hypot(x, y)

    return near + sorted(far, key=centre_off)  # sorted is stable: ties keep this order


def _fit_module(
    fig: Figure, ax: Any, labelled: Sequence[_Label], box: tuple[float, float], note: str
) -> None:
    """Margins around the module picture's axes that hold its title, node labels and note.

    As :func:`_fit_barh`, from the text: whatever a node's label sticks out of the axes (the
    axes, drawn without their frame, hold the nodes), the title (9 pt, 6 pt above the axes
    and those labels) and the note naming unlabelled hubs (:data:`_NOTE_GAP` below them).
    """
    left = right = top = bottom = 0.0
    for label in labelled:
        x1, y1, x2, y2 = label.box
        left, right = max(left, -x1), max(right, x2 - box[0])
        bottom, top = max(bottom, -y1), max(top, y2 - box[1])
    top = max(top, 0.0) + 6 / 72 + _text_size("x", 9)[1]  # the title, above the labels
    if note:
        width = _text_size(note, _FONT)[0]
        # lines 1.2 font sizes apart, as matplotlib spaces them (and _LINE, the browser)
        bottom += _NOTE_GAP / 72 + _LINE * _FONT / 72 * (note.count("\n") + 1)
        right = max(right, width - box[0])
    _place(fig, ax, box, [_PAD + m for m in (left, right, bottom, top)])
