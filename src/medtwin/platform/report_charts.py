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
from typing import TYPE_CHECKING, Any, NamedTuple

from medtwin.platform.layer_colours import LAYER_COLOURS, layer_colour
from medtwin.platform.models import TwinGraph
from medtwin.platform.report_html import esc
from medtwin.platform.safe_text import printable, shortened
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
    "module_figure",
]

_MAX_DRAWN = 400
_MAX_LABEL = 32
"""Characters of a label drawn in a chart: a 200-character cell type name squeezed its bar chart
to a sliver and ran across the module picture. The tables beside each chart give whole names."""


def _label(text: str) -> str:
    return shortened(printable(text), _MAX_LABEL, tail=0)


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
        fig.savefig(
            buf,
            format="svg",
            bbox_inches="tight",
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


class _Node(NamedTuple):
    id: str
    size: float
    layer: str
    label: str


class _Edge(NamedTuple):
    source: str
    target: str


def module_figure(graph: TwinGraph, seed: int) -> str | None:
    """The twin module as a spring-layout SVG (largest nodes only), or ``None`` without nodes."""
    if not graph.nodes:
        return None
    return _module_svg(
        tuple(_Node(n.id, n.size, n.layer, n.label) for n in graph.nodes),
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
    import networkx as nx
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    nodes = sorted(nodes_in, key=lambda n: (-n.size, n.id))[:_MAX_DRAWN]
    keep = {n.id for n in nodes}
    g = nx.Graph()
    g.add_nodes_from(n.id for n in nodes)
    g.add_edges_from((e.source, e.target) for e in edges if {e.source, e.target} <= keep)
    pos = nx.spring_layout(g, seed=seed, k=1.5 / max(len(nodes), 1) ** 0.5)
    fig = Figure(figsize=(7.5, 6.0))
    ax = fig.add_subplot()
    ax.add_collection(
        LineCollection(
            [(pos[u], pos[v]) for u, v in g.edges], colors="#bbbbbb", linewidths=0.5, zorder=1
        )
    )
    largest = max(n.size for n in nodes) or 1.0
    ax.scatter(
        [pos[n.id][0] for n in nodes],
        [pos[n.id][1] for n in nodes],
        s=[20 + 180 * max(n.size, 0.0) / largest for n in nodes],
        c=[layer_colour(n.layer) for n in nodes],
        edgecolors="white",
        linewidths=0.5,
        zorder=2,
    )
    for n in nodes[:25]:
        ax.annotate(_label(n.label), pos[n.id], fontsize=7, ha="center", va="bottom", zorder=3)
    layers = sorted({n.layer for n in nodes})
    # Handles and labels passed explicitly: legend() alone drops labels starting with "_".
    handles = [ax.scatter([], [], c=layer_colour(layer), s=30) for layer in layers]
    ax.legend(handles, [_label(x) for x in layers], loc="upper right", fontsize=7, frameon=False)
    ax.set_axis_off()
    title = f"Twin module: {len(nodes)} nodes, {g.number_of_edges()} edges"
    if len(nodes) < len(nodes_in):
        title += f" (largest {len(nodes)} of {len(nodes_in)} drawn)"
    ax.set_title(title, fontsize=9)
    return _svg(fig, "module")


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

    fig = Figure(figsize=(6.5, 0.28 * len(labels) + 1.0))
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=list(colours))
    ax.set_yticks(ys, labels=[_label(x) for x in labels], fontsize=7)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig, name)


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
