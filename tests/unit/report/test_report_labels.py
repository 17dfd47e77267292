"""Every user-supplied label renders: math text is never parsed (issue 19, finding 3)."""

from __future__ import annotations

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtwin.platform.models import TwinGraph
from medtwin.platform.report import render_report
from medtwin.platform.twin_models import TwinDetail

BAD_MATH = "$\\badmath{$"


def _with_labels(
    detail: TwinDetail, graph: TwinGraph, cell: str, gene: str, layer: str
) -> tuple[TwinDetail, TwinGraph]:
    cells = tuple(
        c.model_copy(update={"name": f"{cell}{i}"}) for i, c in enumerate(detail.cell_types)
    )
    genes = tuple(g.model_copy(update={"symbol": gene}) for g in detail.top_genes)
    nodes = tuple(n.model_copy(update={"label": gene, "layer": layer}) for n in graph.nodes)
    return (
        detail.model_copy(update={"cell_types": cells, "top_genes": genes}),
        graph.model_copy(update={"nodes": nodes}),
    )


@pytest.mark.parametrize(
    "label", [BAD_MATH, "$x$", "\\", "$$", "a$b$c\\d", "$\\frac{1}{$", "_x", "_"]
)
def test_math_text_labels_render_literally(
    twin_detail: TwinDetail, twin_graph: TwinGraph, ranking, explanations, label: str
) -> None:
    detail, graph = _with_labels(twin_detail, twin_graph, label, label, label)
    page = render_report(detail, ranking, explanations, graph)
    # The label is drawn as text (SVG text, html-escaped), not parsed as a formula.
    assert html.escape(label + "0", quote=False) in page


_LABEL = st.text(
    alphabet=st.one_of(st.sampled_from("$\\{}^_ "), st.characters(codec="utf-8")),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cell=_LABEL, gene=_LABEL, layer=_LABEL)
def test_report_renders_any_label(
    twin_detail: TwinDetail,
    twin_graph: TwinGraph,
    ranking,
    explanations,
    cell: str,
    gene: str,
    layer: str,
) -> None:
    detail, graph = _with_labels(twin_detail, twin_graph, cell, gene, layer)
    page = render_report(detail, ranking, explanations, graph)
    assert page.count("<svg") >= 2
