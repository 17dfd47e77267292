"""Where the report's twin picture puts each node's label: next to it, further off, or a number.

Split from :mod:`medtwin.platform.report_module_chart` (which draws what this places). A label
goes where it covers no other label, no other node's dot and not the legend; a hub's label with
no such place is replaced by a number (a callout) named in the picture's note, and a hub whose
number fits nowhere either is named in the note as not labelled. Until stop 59 such a hub's
label went over proteins' dots (5 times in the 99 demo twins' pictures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from medtwin.platform.report_charts import _label, _text_size

__all__: list[str] = []

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
NUMBERED = "Numbered for lack of room:"
"""The note's words before the callouts' numbers and names."""
UNLABELLED = "Not labelled for lack of room:"
"""The note's words before the hubs with neither a label nor a number."""


class _Label(NamedTuple):
    xy: tuple[float, float]  # the node's place (data units)
    text: str
    ha: str
    va: str
    offset: tuple[float, float]  # points from the node to the label's anchor
    box: tuple[float, float, float, float]  # inches in the axes box: x1, y1, x2, y2 (y up)
    leader: bool = False  # off its node: a line ties it to the node
    callout: str = ""  # a number standing for this name (named in the note), or ""


def _free_labels(
    nodes: Sequence[Any],
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
    label with no such place is a number (1, 2, ...) at the first of those places free for it,
    its ``callout`` the name (the picture's note says which number is which); a hub whose
    number fits nowhere either is left out and named in the second list (the note). A protein's
    label that fits nowhere is left out (its node is still drawn and named in the tables), and
    at most :data:`_LABELLED` proteins are labelled, of the ``4 * _LABELLED`` largest.
    ``radius(node)`` is a node's dot radius in points; ``legend`` the legend's box (x1, y1,
    x2, y2 inches in the axes box), kept clear too. Before, only the largest 25 nodes were
    labelled, all above their node (1,517 labels over other nodes' dots in the 99 demo twins'
    pictures); until stop 59 a hub's label with no free place went where it covered the fewest
    proteins' dots (5 in the 99 pictures).
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
    row = {n.id: i for i, n in enumerate(nodes)}

    def first_free(n: Any, text: str) -> _Label | None:
        """``text``'s first place near ``n`` (nearest first) that covers nothing, or None."""
        width, _ = _text_size(text, _FONT)
        height = _LINE * _FONT / 72 * (text.count("\n") + 1)
        cx, cy = dots[row[n.id]]
        others = np.arange(len(nodes)) != row[n.id]
        for ha, va, dx, dy in _candidates(radius(n), height * 72, n.hub, width * 72):
            left = cx + dx / 72 - {"center": width / 2, "left": 0.0, "right": width}[ha]
            bottom = cy + dy / 72 - {"bottom": 0.0, "center": height / 2, "top": height}[va]
            a = (left - pad, bottom - pad, left + width + pad, bottom + height + pad)
            if any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for b in placed):
                continue
            # a dot (a circle) is under the label where the label's nearest point is inside it
            near_x = dots[:, 0] - np.clip(dots[:, 0], a[0], a[2])
            near_y = dots[:, 1] - np.clip(dots[:, 1], a[1], a[3])
            if (others & (near_x**2 + near_y**2 < dot_r**2)).any():
                continue
            # more than a line's height between the label and its dot: tied by a line
            gap = math.hypot(near_x[row[n.id]], near_y[row[n.id]]) * 72 - radius(n)
            return _Label(pos[n.id], text, ha, va, (dx, dy), a, gap > _FONT * _LINE)
        return None

    # every hub first, then the largest proteins (``nodes`` come largest first), from twice as
    # many as before: kept off dots, fewer fit (1,792 labels of the 99 demo pictures; 1,823)
    hubs = [n for n in nodes if n.hub]
    numbered = 0
    for n in hubs + [n for n in nodes if not n.hub][: 4 * _LABELLED]:
        if not n.hub and proteins >= _LABELLED:
            break
        text = _label(n.label)
        label = first_free(n, text)
        if label is None and n.hub:
            # a number is a few points wide: it finds room where the name did not
            label = first_free(n, str(numbered + 1))
            if label is not None:
                label = label._replace(callout=text)
                numbered += 1
        if label is None:
            if n.hub:
                unlabelled.append(text)
            continue
        placed.append(label.box)
        out.append(label)
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


def _note(labelled: Sequence[_Label], unlabelled: Sequence[str], width: float) -> str:
    """The picture's note: each callout's number and name, then the hubs left unlabelled, or "".

    In lines ``width`` inches wide, a name never split across lines. Before stop 58 a hub's
    label that fitted nowhere was left out without a word; until stop 59 the note named only
    those (a hub's label with no free place went over proteins' dots instead of a number).
    """
    lines: list[str] = []
    for head, names in (
        (NUMBERED, [f"{la.text} = {la.callout}" for la in labelled if la.callout]),
        (UNLABELLED, list(unlabelled)),
    ):
        if not names:
            continue
        lines.append(head)
        for i, name in enumerate(names):
            word = " " + name.replace("\n", " ") + ("," if i < len(names) - 1 else "")
            if _text_size(lines[-1] + word, _FONT)[0] > width:
                lines.append(word.strip())
            else:
                lines[-1] += word
    return "\n".join(lines)
