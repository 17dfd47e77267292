"""Captions kept apart in a twin drawing: how wide a caption is, and moves that part them.

:mod:`medtwin.platform.twin_layout` lays the twin out, then moves its hubs (cell types, tissues,
pathways, terms: nodes that are not proteins) apart until no hub's node and caption touches
another's (:func:`part_hubs`), the proteins apart where their captions cover each other
(:func:`spread`), and the proteins off the hubs (:func:`clear_hubs`). Sizes are in the viewer's
units: a caption is :data:`CAPTION_FONT` high, with no font metrics on the server.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from medtwin.platform.safe_text import at_word

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CAPTION_FONT",
    "GAP",
    "MAX_CAPTION",
    "Box",
    "caption_of",
    "caption_width",
    "clear_hubs",
    "hub_box",
    "part_hubs",
    "spread",
]

CAPTION_FONT = 7.0
"""Caption font size, in layout units (the viewer's ``font-size``)."""
MAX_CAPTION = 32
"""Characters of a caption the viewer draws (``viewer.js`` MAX_CAPTION); longer ones are cut."""
_CHAR = 0.72
"""A caption character's width, in font sizes: a bold upper-case symbol in Chromium's sans-serif
is about 0.7; a wider guess only leaves more room."""
GAP = 6.0


def caption_of(label: str, node_id: str, regulator_rank: int | None = None) -> str:
    """The caption the viewer draws for a node: its label (else id) cut at ``MAX_CAPTION``.

    Cut at a word's end, as the viewer's ``cutAtWord`` cuts it
    (:func:`medtwin.platform.safe_text.at_word`); only a first word longer than the limit is
    cut inside. Before, the cut fell at 31 characters whatever was there ("PI3K/AKT/MTOR
    signalling (act…"), so the layout made room for a caption the viewer does not draw.

    >>> caption_of("A" * 40, "1", 3)
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA… #3'
    >>> caption_of("PI3K/AKT/MTOR signalling (activity +2.31)", "p1")
    'PI3K/AKT/MTOR signalling…'
    """
    name = at_word(label.strip() or node_id.strip() or "(unnamed)", MAX_CAPTION)
    return name + (f" #{regulator_rank}" if regulator_rank is not None else "")


def caption_width(caption: str) -> float:
    """A generous width of ``caption`` in layout units (no font metrics on the server).

    >>> caption_width("STAT1")
    25.2
    """
    return round(len(caption) * _CHAR * CAPTION_FONT, 6)


class Box(NamedTuple):
    """A rectangle in layout units (y down)."""

    x1: float
    y1: float
    x2: float
    y2: float


def hub_box(x: float, y: float, caption: str, radius: float) -> Box:
    """A hub's node and its caption above it (the viewer's default ``text-valign: top``)."""
    half = max(caption_width(caption) / 2, radius) + GAP / 2
    return Box(x - half, y - radius - 1.25 * CAPTION_FONT - GAP, x + half, y + radius)


def part_hubs(
    places: dict[str, tuple[float, float]], hubs: Sequence[tuple[str, str, float]]
) -> dict[str, tuple[float, float]]:
    """``places`` with the hubs moved apart until no hub's node and caption touch another's.

    Each overlapping pair is pushed apart along the line between them, half each, pair by pair
    in order (a pair's push moves the boxes the next pairs are checked against). The pairs a hub
    overlaps are found with one array comparison against the hubs after it, not by building two
    boxes per pair in Python: 200 hubs of one phenotype module took 6.2 s of CPU, growing with
    their square. The places are the same to the last bit (the same float operations).
    """
    import numpy as np

    out = dict(places)
    if len(hubs) < 2:
        return out
    xy = np.array([out[h] for h, _, _ in hubs], dtype=float)
    half = np.array([max(caption_width(c) / 2, r) + GAP / 2 for _, c, r in hubs])
    radius = np.array([float(r) for _, _, r in hubs])
    for _ in range(500):
        moved = False
        for i, (_, cap_a, r_a) in enumerate(hubs):
            after = i + 1
            while after < len(hubs):
                # hub_box of i and of every later hub, as hub_box computes them
                ba = hub_box(float(xy[i, 0]), float(xy[i, 1]), cap_a, r_a)
                x, y = xy[after:, 0], xy[after:, 1]
                dx = np.minimum(ba.x2, x + half[after:]) - np.maximum(ba.x1, x - half[after:])
                top = y - radius[after:] - 1.25 * CAPTION_FONT - GAP
                dy = np.minimum(ba.y2, y + radius[after:]) - np.maximum(ba.y1, top)
                hits = np.flatnonzero((dx > 0) & (dy > 0))
                if hits.size == 0:
                    break
                k = int(hits[0])
                j, ox, oy = after + k, float(dx[k]), float(dy[k])
                moved = True
                (ax, ay), (bx, by) = (float(v) for v in xy[i]), (float(v) for v in xy[j])
                ux, uy = ax - bx, ay - by
                if ux == 0 and uy == 0:  # one place: apart along the pair's own direction
                    ux, uy = math.cos(i), math.sin(i)
                norm = math.hypot(ux, uy)
                ux, uy = ux / norm, uy / norm
                # along the line between them (sideways pushes alone stacked the hubs in a
                # tower): as far as takes them apart on one axis, half each
                t = min(ox / abs(ux) if ux else math.inf, oy / abs(uy) if uy else math.inf)
                step = t / 2 + 0.5
                xy[i] = (ax + step * ux, ay + step * uy)
                xy[j] = (bx - step * ux, by - step * uy)
                after = j + 1
        if not moved:
            break
    out.update({h: (float(p[0]), float(p[1])) for (h, _, _), p in zip(hubs, xy, strict=True)})
    return out


def spread(
    places: dict[str, tuple[float, float]], proteins: Sequence[tuple[str, str, float]]
) -> dict[str, tuple[float, float]]:
    """``places`` with the proteins' nodes and captions moved apart where they cover each other.

    Each round moves every covered protein by half of each overlap, along the line to the other
    (so a pair parts by the overlap); 40 rounds at most, so a dense core may keep a few.

    Only the pairs whose boxes meet across (:func:`_across`) are compared, not every pair in
    square arrays: 1,400 proteins took 8.7 s of CPU. The places are the same to the last bit:
    the same float operations on each covering pair, and each node's moves summed in a row as
    long as the proteins (zeros elsewhere), as the square arrays summed them.
    """
    import numpy as np

    if len(proteins) < 2:
        return places
    n = len(proteins)
    xy = np.array([places[p[0]] for p in proteins])
    radius = np.array([p[2] for p in proteins])
    half = np.maximum(np.array([caption_width(p[1]) / 2 for p in proteins]), radius) + GAP / 2
    up, down = radius + 1.25 * CAPTION_FONT + GAP / 2, radius + GAP / 2
    rnd = np.random.default_rng(0)
    unused_draws = 0  # rounds whose n x n normal draws (for nodes in one place) are not taken yet
    for _ in range(40):
        x, y = xy[:, 0], xy[:, 1]
        left, right, top, bottom = x - half, x + half, y - up, y + down
        i, j = _across(left, right)
        dx = np.minimum(right[i], right[j]) - np.maximum(left[i], left[j])
        dy = np.minimum(bottom[i], bottom[j]) - np.maximum(top[i], top[j])
        keep = (dx > 0) & (dy > 0)
        if not keep.any():
            break
        # each covering pair both ways: row i, column j as in the square arrays
        i, j = np.concatenate([i[keep], j[keep]]), np.concatenate([j[keep], i[keep]])
        dx, dy = np.tile(dx[keep], 2), np.tile(dy[keep], 2)
        ux, uy = x[i] - x[j], y[i] - y[j]  # from each other node to this one
        same = (ux == 0) & (uy == 0)
        unused_draws += 1
        if same.any():  # the draws the square arrays took this round, after the skipped ones
            for _ in range(unused_draws - 1):
                rnd.standard_normal((n, n))
            ux = np.where(same, rnd.standard_normal((n, n))[i, j], ux)
            unused_draws = 0
        norm = np.hypot(ux, uy)
        norm[norm == 0] = 1.0
        ux, uy = ux / norm, uy / norm
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.minimum(
                np.where(ux != 0, dx / np.abs(ux), np.inf),
                np.where(uy != 0, dy / np.abs(uy), np.inf),
            )
        t = np.minimum(t, dx + dy) / 2 + 0.25
        # each node takes its share of each of its overlaps, scaled down where it has many
        n_hits = np.sqrt(np.maximum(np.bincount(i, minlength=n), 1))[i]
        rows, at = np.unique(i, return_inverse=True)
        for k, step in ((0, t * ux / n_hits), (1, t * uy / n_hits)):
            moves = np.zeros((len(rows), n))
            moves[at, j] = step
            xy[rows, k] += moves.sum(axis=1)
    out = dict(places)
    out.update({p[0]: (float(a), float(b)) for p, (a, b) in zip(proteins, xy, strict=True)})
    return out


def _across(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``i, j`` of boxes that meet across: ``left[j] < right[i]``, ``left[i] < right[j]``.

    By left edge: each box against the boxes after it whose left edge is left of its right edge.
    """
    import numpy as np

    order = np.argsort(left, kind="stable")
    lefts = left[order]
    ends = np.searchsorted(lefts, right[order], side="left")
    starts = np.arange(1, len(order) + 1)
    counts = np.maximum(ends - starts, 0)
    a = np.repeat(np.arange(len(order)), counts)
    b = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + starts[a]
    i, j = order[a], order[b]
    keep = left[i] < right[j]
    return i[keep], j[keep]


def clear_hubs(
    places: dict[str, tuple[float, float]],
    hubs: Sequence[tuple[str, str, float]],
    proteins: Sequence[tuple[str, str, float]],
) -> dict[str, tuple[float, float]]:
    """``places`` with each protein whose node or caption covers a hub's moved off it.

    A protein is pushed out of the hub it covers most, along the shorter way out; the hubs stay.
    Before, a cell type's caption sat under its changed genes' nodes and captions.
    """
    import numpy as np

    if not hubs or not proteins:
        return places
    h = np.array([hub_box(*places[i], c, r) for i, c, r in hubs])
    xy = np.array([places[p[0]] for p in proteins])
    radius = np.array([p[2] for p in proteins])[:, None]
    half = np.maximum(np.array([caption_width(p[1]) / 2 for p in proteins])[:, None], radius)
    for _ in range(100):
        x1, x2 = xy[:, :1] - half, xy[:, :1] + half
        y1, y2 = xy[:, 1:] - radius - 1.25 * CAPTION_FONT, xy[:, 1:] + radius
        dx = np.minimum(x2, h[:, 2]) - np.maximum(x1, h[:, 0])  # proteins x hubs
        dy = np.minimum(y2, h[:, 3]) - np.maximum(y1, h[:, 1])
        area = np.where((dx > 0) & (dy > 0), dx * dy, 0.0)
        hit = area.max(axis=1) > 0
        if not hit.any():
            break
        rows = np.nonzero(hit)[0]
        k = area[rows].argmax(axis=1)
        ox, oy = dx[rows, k], dy[rows, k]
        away_x = np.where(xy[rows, 0] >= (h[k, 0] + h[k, 2]) / 2, 1.0, -1.0)
        away_y = np.where(xy[rows, 1] >= (h[k, 1] + h[k, 3]) / 2, 1.0, -1.0)
        sideways = ox < oy
        xy[rows, 0] += np.where(sideways, (ox + 0.5) * away_x, 0.0)
        xy[rows, 1] += np.where(sideways, 0.0, (oy + 0.5) * away_y)
    out = dict(places)
    out.update({p[0]: (float(a), float(b)) for p, (a, b) in zip(proteins, xy, strict=True)})
    return out
