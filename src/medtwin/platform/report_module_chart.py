"""The report's twin picture: each node where the viewer draws it, the largest labelled.

Split from :mod:`medtwin.platform.report_charts` (its SVG, text measures and layout helpers are
shared); :mod:`medtwin.platform.report` places the picture on the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from medtwin.platform.layer_colours import ACTIVITY_SIGN_COLOURS, layer_colour
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
from medtwin.platform.report_labels import _FONT, _LINE, _free_labels, _Label, _note
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
    marker: str = "o"  # its kind's shape (MARKERS), as the viewer's


class _Edge(NamedTuple):
    source: str
    target: str
    colour: str | None = None  # an ACTIVITY edge's, by its score's sign; None: the edges' grey


MARKERS = {"Pathway": "h", "TF": "^", "TimePoint": "s", "Twin": "*"}
"""A kind's marker in the picture, as ``viewer.js`` SHAPES draws it (others: a dot). Until stop
60 a pathway was a dot like a protein's."""


def _edge_colour(kind: str, weight: float | None) -> str | None:
    if kind != "ACTIVITY" or weight is None or weight != weight:
        return None
    return ACTIVITY_SIGN_COLOURS["-" if weight < 0 else "+"]


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
            _Node(
                n.id,
                n.size,
                n.layer,
                n.label,
                n.x,
                n.y,
                n.kind != "Protein",
                MARKERS.get(n.kind, "o"),
            )
            for n in graph.nodes
        ),  # fmt: skip
        tuple(_Edge(e.source, e.target, _edge_colour(e.kind, e.weight)) for e in graph.edges),
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
    # an ACTIVITY edge in its sign's colour (drawn over the grey ones), as the viewer draws it
    signed = {
        (min(e.source, e.target), max(e.source, e.target)): e.colour
        for e in edges
        if e.colour is not None
    }
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
    coloured = [(u, v) for u, v in drawn if (u, v) in signed]
    if coloured:
        ax.add_collection(
            LineCollection(
                [(pos[u], pos[v]) for u, v in coloured],
                colors=[signed[p] for p in coloured],
                linewidths=0.9,
                zorder=1.2,
            )
        )
    largest = max(n.size for n in nodes) or 1.0

    def area(n: _Node) -> float:  # of the node's dot, points²
        return 20 + 180 * max(n.size, 0.0) / largest

    for marker in sorted({n.marker for n in nodes}):  # one scatter per kind's shape
        group = [n for n in nodes if n.marker == marker]
        ax.scatter(
            [pos[n.id][0] for n in group],
            [pos[n.id][1] for n in group],
            s=[area(n) for n in group],
            c=[layer_colour(n.layer) for n in group],
            marker=marker,
            edgecolors="white",
            linewidths=0.5,
            zorder=2,
        )
    # the legend's box (upper right, 7 pt entries about 11 pt apart): no label goes over it
    legend = (box[0] - legend_width, box[1] - (11 * len(layers) + 10) / 72, box[0], box[1])
    labelled, unlabelled = _free_labels(
        nodes, pos, ax.get_xlim(), ax.get_ylim(), box, lambda n: math.sqrt(area(n)) / 2, legend
    )
    # a callout's number in dark red (not bold: its box is measured at the normal weight), as
    # it stands for a name in the note
    for label in labelled:
        ax.annotate(
            label.text, label.xy, xytext=label.offset, textcoords="offset points",
            fontsize=_FONT, ha=label.ha, va=label.va, zorder=3,
            color="#a50f15" if label.callout else "black",
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
    shape = {n.layer: n.marker for n in nodes}
    handles = [
        ax.scatter([], [], c=layer_colour(layer), s=30, marker=shape[layer]) for layer in layers
    ]
    ax.legend(handles, [_label(x) for x in layers], loc="upper right", fontsize=7, frameon=False)
    ax.set_axis_off()
    title = f"Twin module: {len(nodes)} nodes, {len(drawn)} edges"
    if len(nodes) < len(nodes_in):
        title += f" (largest {len(nodes)} of {len(nodes_in)} drawn)"
    # above the labels that stick out of the axes' top (one covered SYN001's title)
    over = max((label.box[3] - box[1] for label in labelled), default=0.0)
    ax.set_title(title, fontsize=9, pad=6 + 72 * max(over, 0.0))
    note = _note(labelled, unlabelled, box[0])
    if note:  # below the axes and every label sticking out of them
        under = max((-label.box[1] for label in labelled), default=0.0)
        ax.annotate(
            note, (0.0, 0.0), xycoords="axes fraction", fontsize=_FONT, ha="left", va="top",
            xytext=(0.0, -72 * max(under, 0.0) - _NOTE_GAP), textcoords="offset points",
        )  # fmt: skip
    _fit_module(fig, ax, labelled, box, note)
    return _svg(fig, "module")


_NOTE_GAP = 6.0
"""Points between the lowest label and the note naming the callouts and the hubs unlabelled."""


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
