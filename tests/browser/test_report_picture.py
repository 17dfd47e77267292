"""The report's twin picture as Chromium draws it: no text over another, every hub named.

The demo twins' drawings (``tests/data/twin_graphs/demo_drawings.tsv.gz``, laid out as the server
lays them out) drawn by :func:`~medtwin.platform.report_module_chart.module_figure`, the SVG put
in a page and each ``<text>`` boxed by the browser. Before, ``multitissue_demo``'s dense centre
had two pairs of labels touching ("Trail (activity +3.98)" and "blood", "CD14+ Monocyte (blood)"
and "HLA-DQA1": matplotlib's line height is shorter than the browser's), and only the largest 25
nodes were labelled, so 4 of its 6 pathways had no name.
"""

from __future__ import annotations

import pytest

from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.report_charts import _label
from medtwin.platform.report_module_chart import module_figure
from tests.browser.test_viewer_first_view import demo_drawings
from tests.unit.report.test_chart_layout import crowded

pytestmark = pytest.mark.browser

TEXTS = """() => [...document.querySelectorAll('svg text')].map(e => {
  const b = e.getBoundingClientRect(); return [e.textContent, b.left, b.top, b.right, b.bottom];
})"""


@pytest.fixture(scope="module")
def drawings():
    return demo_drawings()


@pytest.mark.parametrize(
    "patient", ["multitissue_demo", "pbmc68k_donorA", "GSM389717", "GSM389706", "SYN001"]
)
def test_no_label_of_the_twin_picture_touches_another_and_hubs_are_named(
    browser, drawings, patient
):
    graph = drawings[patient]
    texts = _texts(browser, graph)
    touching = _touching(texts)
    assert touching == [], patient
    named = {t[0] for t in texts}
    # a hub with no room for its name has a number, named in the picture's note (stop 59)
    note = " ".join(t[0] for t in texts)
    hubs = [_label(n.label) for n in graph.nodes if n.kind != "Protein"]
    assert [h for h in hubs if h not in named and f" = {h}" not in note] == [], patient
    assert len(texts) >= min(len(graph.nodes), 20)  # still a labelled picture


def _touching(texts):  # type: ignore[no-untyped-def]
    """Pairs of label boxes (text, x0, y0, x1, y1) that overlap."""
    return [
        (a[0], b[0])
        for i, a in enumerate(texts)
        for b in texts[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def _texts(browser, graph):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.set_content(f"<html><body style='margin:0'>{module_figure(graph, 0)}</body></html>")
    texts = page.evaluate(TEXTS)
    page.close()
    return texts


def test_hubs_without_room_are_named_in_the_pictures_note_clear_of_the_labels(browser):
    """120 cell types with long names in one small square (:func:`crowded`): the labels that fit
    nowhere are numbered, and the numbers named below the picture, touching no label. Before
    stop 58, left out without a word; until stop 59, named as not labelled."""
    nodes, edges = crowded()
    graph = TwinGraph(
        twin_id="crowded@v1",
        nodes=tuple(
            GraphNode(
                id=n.id,
                label=n.label,
                layer=n.layer,
                size=n.size,
                x=n.x,
                y=n.y,
                kind="CellType" if n.hub else "Protein",
            )
            for n in nodes
        ),  # fmt: skip
        edges=tuple(GraphEdge(source=e.source, target=e.target, kind="x") for e in edges),
    )
    texts = _texts(browser, graph)
    touching = _touching(texts)
    assert touching == []
    # the note (a <text> a line), under every label
    first = [t for t in texts if t[0].startswith("Numbered for lack of room:")]
    assert len(first) == 1, [t[0] for t in texts]
    note = [t for t in texts if t[2] >= first[0][2]]
    labels = [t for t in texts if t not in note]
    assert max(t[4] for t in labels) <= first[0][2]
    named = " ".join(t[0] for t in note)
    drawn = {t[0] for t in labels}
    left_out = [_label(n.label) for n in graph.nodes if n.kind != "Protein"]
    left_out = [h for h in left_out if h not in drawn]
    assert left_out
    assert [h for h in left_out if h not in named] == [], named
