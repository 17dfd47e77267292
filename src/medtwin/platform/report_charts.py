"""The report's charts: inline SVG of the twin module, its central genes and its cell types.

Drawn with matplotlib's object API (no pyplot, so it is safe in the API's worker threads); each
figure becomes an inline ``<svg>`` with ids unique to the chart and no URL, and layouts use fixed
seeds, so the same inputs give the same picture. The layer colours are
:mod:`medtwin.platform.layer_colours` (re-exported here), shared with the exports and the viewer.
:mod:`medtwin.platform.report` places the charts on the page.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from medtwin.platform.layer_colours import LAYER_COLOURS, layer_colour
from medtwin.platform.report_html import esc
from medtwin.platform.safe_text import at_word, printable
from medtwin.platform.twin_models import TwinDetail

if TYPE_CHECKING:
    # matplotlib and networkx are imported where a chart is drawn: importing this module (the
    # API at start-up, through its report route) costs neither (~0.5 s of `medtwin serve`)
    from matplotlib.figure import Figure

__all__ = [
    "LAYER_COLOURS",
    "activities_figure",
    "cells_figure",
    "genes_figure",
    "layer_colour",
]

_MAX_DRAWN = 400
_MAX_LABEL = 32
"""Characters of a label drawn in a chart: a 200-character cell type name squeezed its bar chart
to a sliver and ran across the module picture. The tables beside each chart give whole names."""


def _label(text: str) -> str:
    # at a word's end: "CD4+/CD45RA+/CD25- Naive T…", not "… Naive T (blo…" (before stop 59)
    return at_word(printable(text), _MAX_LABEL)


CHARTS_KEPT = 64
"""Charts a process keeps drawn (each an SVG of ~10-150 kB), least recently used dropped first."""
# Labels are user data (gene symbols, cell types, tissues, layers): matplotlib would parse a label
# with two `$` as math text, and a bad formula (`$\\badmath{$`) raises on every draw. Text objects
# take `text.parse_math` when created and tick labels when drawn, so both happen with it off.


def _svg(fig: Figure, name: str) -> str:
    """Figure as an inline ``<svg>`` element with ids unique to ``name`` and no namespaces."""
    import matplotlib

    buf = io.StringIO()
    with (
        warnings.catch_warnings(),
        matplotlib.rc_context(
            {"svg.hashsalt": f"medtwin-{name}", "svg.fonttype": "none", "text.parse_math": False}
        ),
    ):
        # Text stays text in the SVG (svg.fonttype none): the browser draws it with its own
        # fonts, so a character missing from matplotlib's font is no fault of the page.
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
        # the figure is laid out already (_fit_barh, _fit_module): bbox_inches="tight" drew
        # every chart twice, once to measure it (56 vs 125 ms of CPU per bar chart)
        fig.savefig(
            buf,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    # Inline SVG in HTML needs no namespace declarations (the parser supplies them); dropping
    # them leaves the page without a single URL.
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text)
    text = text.replace('id="', f'id="{name}-').replace("url(#", f"url(#{name}-")
    text = text.replace('xlink:href="#', f'xlink:href="#{name}-')
    return text.replace("<svg", f'<svg role="img" aria-label="{esc(name)}" class="plot"', 1)


_PAD = 0.1
"""Inches of white space around a chart's content (what ``bbox_inches="tight"`` left)."""


def _text_size(text: str, points: float) -> tuple[float, float]:
    """Width and height in inches of one line of ``text`` at ``points``, as the SVG is laid out.

    The metrics the SVG renderer measures text with (its ``TextToPath``), without drawing; the
    height is that of "lp" (ascender to descender) per line, as matplotlib sizes a line of text,
    the width that of the widest line.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(size=points)
    lines = text.split("\n")  # a label of several lines: matplotlib draws each on its own
    with warnings.catch_warnings():  # as in _svg: the browser draws text with its own fonts
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
        width = max(
            text_to_path.get_text_width_height_descent(x, prop, ismath=False)[0] for x in lines
        )
        _, height, _ = text_to_path.get_text_width_height_descent("lp", prop, ismath=False)
    # matplotlib's line spacing: 1.2 line heights from one line to the next
    return width / 72, height * (1 + 1.2 * (len(lines) - 1)) / 72


def _place(fig: Figure, ax: Any, box: tuple[float, float], margins: Sequence[float]) -> None:
    """Size ``fig`` to hold an axes of ``box`` (inches) with ``margins`` around; place the axes.

    ``box`` is (width, height), ``margins`` (left, right, bottom, top), in inches: a layout
    made without drawing the figure.
    """
    left, right, bottom, top = margins
    width, height = left + box[0] + right, bottom + box[1] + top
    fig.set_size_inches(width, height)
    ax.set_position((left / width, bottom / height, box[0] / width, box[1] / height))


def _barh(
    name: str,
    labels: Sequence[str],
    values: Sequence[float],
    colours: Sequence[str],
    xlabel: str,
    title: str,
) -> str:
    return _barh_svg(name, tuple(labels), tuple(values), tuple(colours), xlabel, title)


@lru_cache(maxsize=CHARTS_KEPT)  # as _module_svg
def _barh_svg(
    name: str,
    labels: tuple[str, ...],
    values: tuple[float, ...],
    colours: tuple[str, ...],
    xlabel: str,
    title: str,
) -> str:
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        return _draw_barh(name, labels, values, colours, xlabel, title)


def _draw_barh(
    name: str,
    labels: Sequence[str],
    values: Sequence[float],
    colours: Sequence[str],
    xlabel: str,
    title: str,
) -> str:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=list(colours))
    shown = [_label(x) for x in labels]
    ax.set_yticks(ys, labels=shown, fontsize=7)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    # the axes of the figure size and subplot margins it had before (6.5 in wide, 0.28 in a bar)
    _fit_barh(fig, ax, shown, (6.5 * 0.775, (0.28 * len(labels) + 1.0) * 0.77))
    return _svg(fig, name)


_TICK = (3.5 + 3.5) / 72
"""Inches from an axis to its tick labels: the tick's length and the label's pad (3.5 pt each)."""


def _fit_barh(fig: Figure, ax: Any, labels: Sequence[str], box: tuple[float, float]) -> None:
    """Margins around a bar chart's axes that hold its tick labels, axis label and title.

    Measured from the text (:func:`_text_size`), as ``bbox_inches="tight"`` found them by
    drawing the chart once more: the widest bar label on the left; below, the tick labels (7
    pt) and the axis label (8 pt, 4 pt away); above, the title (9 pt, 6 pt away); and what the
    first and last tick labels of the x axis stick out beyond its ends.
    """
    x0, x1 = ax.get_xlim()
    ticks = [t for t in ax.xaxis.get_major_locator()() if min(x0, x1) <= t <= max(x0, x1)]
    texts = ax.xaxis.get_major_formatter().format_ticks(ticks)
    left = max((_text_size(t, 7)[0] for t in labels), default=0.0) + _TICK
    # the axis' offset or scale ("1e-7"), right-aligned under the tick labels, 3 pt below them
    offset = ax.xaxis.get_major_formatter().get_offset()
    offset_size = _text_size(offset, ax.xaxis.offsetText.get_fontsize()) if offset else (0, 0)
    right = 0.0
    for tick, text in zip(ticks, texts, strict=True):
        at, half = box[0] * (tick - x0) / (x1 - x0), _text_size(text, 7)[0] / 2
        left, right = max(left, half - at), max(right, at + half - box[0])
    under_ticks = _TICK + _text_size("0", 7)[1]
    bottom = max(
        under_ticks + 4 / 72 + _text_size("x", 8)[1], under_ticks + 3 / 72 + offset_size[1]
    )
    top = 6 / 72 + _text_size("x", 9)[1]
    _place(fig, ax, box, [_PAD + m for m in (left, right, bottom, top)])


def genes_figure(detail: TwinDetail) -> str | None:
    """Bars of the 20 most central genes (red up, blue down), or ``None`` without centralities."""
    genes = [g for g in detail.top_genes if g.pagerank is not None or g.personalised_pagerank]
    if not genes:
        return None
    score = "personalised PageRank" if genes[0].personalised_pagerank is not None else "PageRank"

    def value(g: Any) -> float:
        v = g.personalised_pagerank if g.personalised_pagerank is not None else g.pagerank
        return float(v or 0.0)

    genes = sorted(genes, key=value, reverse=True)[:20]
    colours = [
        "#bbbbbb" if g.log2fc is None else ("#D6604D" if g.log2fc > 0 else "#4393C3") for g in genes
    ]
    return _barh(
        "genes",
        [g.symbol or g.entrez for g in genes],
        [value(g) for g in genes],
        colours,
        score,
        "Central genes (red: up, blue: down in the patient)",
    )


def cells_figure(detail: TwinDetail) -> str | None:
    """Bars of the 20 most central cell types, or ``None`` for a twin without cell types."""
    cells = sorted(detail.cell_types, key=lambda c: c.pagerank, reverse=True)[:20]
    if not cells:
        return None
    return _barh(
        "cell-types",
        [c.name for c in cells],
        [c.pagerank for c in cells],
        [LAYER_COLOURS["cell_type"]] * len(cells),
        "PageRank in the cell-cell signalling network",
        "Cell types",
    )


def activities_figure(items: Sequence[tuple[str, float]], title: str) -> str | None:
    """Bars of signed activities (red: active, blue: inactive), or ``None`` when there are none.

    ``items`` are (label, score) pairs in drawing order, top first (at most 25 are drawn).
    """
    items = list(items)[:25]
    if not items:
        return None
    return _barh(
        "activities",
        [label for label, _ in items],
        [v for _, v in items],
        ["#D6604D" if v > 0 else "#4393C3" for _, v in items],
        "activity (t-value; + active, - inactive)",
        title,
    )
