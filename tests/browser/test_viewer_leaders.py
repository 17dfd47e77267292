"""A caption the viewer places away from its node is tied to it by a line, on zoom, pan, resize.

Stop 59: a hub's caption with no free place next to its node goes up to 12 caption lines above
or below it, or aside (``FAR_LINES``, ``ASIDE`` in ``viewer.js``), and a leader line (an edge
to an invisible node at the caption's nearest point) ties it to its node; where none of those
places is free either, the caption is a number named in the panel. Before, the viewer had no
leader lines and such a caption covered proteins' dots (2 at the 99 demo twins' first views).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.store.memory import MemoryStore
from tests.browser.conftest import serve_store, settled
from tests.browser.test_viewer_first_view import demo_drawings
from tests.browser.test_viewer_large import _open
from tests.browser.test_viewer_resize import _resized

pytestmark = pytest.mark.browser

LEADERS = """() => window.medtwinCy.edges('.leader').map(e => {
  const n = e.source(), end = e.target(), p = n.position(), q = end.position();
  const b = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
  const s = e.renderedSourceEndpoint(), t = e.renderedTargetEndpoint();
  const r = end.renderedPosition();
  return {id: n.id(), caption: n.style('label'), node: [p.x, p.y], r: n.width() / 2,
          end: [q.x, q.y], box: [b.x1, b.y1, b.x2, b.y2], rendered_end: [t.x, t.y],
          rendered_start: [s.x, s.y], rendered_anchor: [r.x, r.y], quiet: n.hasClass('quiet')};
})"""


@pytest.fixture(scope="module")
def empty_api() -> Iterator[tuple[str, Any]]:
    yield from serve_store(MemoryStore())


def _tied(leaders: list[dict[str, Any]]) -> None:
    """Each leader runs from its node to the nearest point of the node's caption, drawn, and
    more than a caption line (the box's height) off the node's dot."""
    for lead in leaders:
        (px, py), (x1, y1, x2, y2) = lead["node"], lead["box"]
        near = (max(x1, min(px, x2)), max(y1, min(py, y2)))
        assert lead["end"] == pytest.approx(near, abs=0.5), lead
        assert lead["caption"] != "", lead
        assert not lead["quiet"], lead
        gap = ((near[0] - px) ** 2 + (near[1] - py) ** 2) ** 0.5 - lead["r"]
        assert gap > (y2 - y1) * 0.99, lead
        # drawn on screen to the caption (the edge stops at its invisible end's border: 1 unit
        # across, a pixel or two at these zooms)
        assert lead["rendered_end"] == pytest.approx(lead["rendered_anchor"], abs=2.5), lead


@pytest.mark.parametrize("patient", ["multitissue_demo", "pbmc68k_donorA"])
def test_captions_moved_off_their_node_keep_a_leader_line_on_zoom_pan_and_resize(
    browser, empty_api, patient
):
    base, _ = empty_api
    page, _ = _open(browser, base, demo_drawings({patient})[patient])
    settled(page)  # the first view's relabels after its fits' zooms (80 ms debounce each)
    first = page.evaluate(LEADERS)
    assert first, "no caption placed away from its node: nothing is tested"
    # one leader line for each caption the last relabel placed off its node (read in one go:
    # a relabel may come between two reads on a loaded machine)
    lines, placed = page.evaluate(
        "[window.medtwinCy.edges('.leader').map(e => e.source().id()), window.medtwinLeaders]"
    )
    assert sorted(lines) == sorted(placed)
    _tied(first)
    # no leader or its end counts as a node or edge of the twin
    assert page.evaluate("window.medtwinDrawnNodes") == len(demo_drawings({patient})[patient].nodes)
    # zoomed in (relabel 80 ms after the zoom rests): the captions are re-placed, each caption
    # off its node still tied to it
    page.evaluate("window.medtwinCy.zoom({level: window.medtwinCy.zoom() * 1.6,"
                  " renderedPosition: {x: 400, y: 300}})")  # fmt: skip
    settled(page)
    _tied(page.evaluate(LEADERS))
    # panned: the lines are edges of the drawing, so they move with it (their ends' places in
    # layout units unchanged), each still from its node to its caption
    before = page.evaluate(LEADERS)
    page.evaluate("window.medtwinCy.panBy({x: 60, y: -40})")
    settled(page)
    after = page.evaluate(LEADERS)
    assert sorted(a["end"] for a in after) == sorted(b["end"] for b in before)
    _tied(after)
    # resized: fitted again, captions and lines placed again for the new zoom
    _resized(page, 800, 600)
    _tied(page.evaluate(LEADERS))
    page.close()


def test_a_hub_caption_with_no_free_place_is_a_number_named_in_the_panel(browser, empty_api):
    """120 cell types with long names and 40 proteins in one small square (the report's
    crowded picture): the captions that fit nowhere whole, cut shorter or further off are
    numbers, listed in the panel in order with their names, and none covers a dot."""
    from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
    from tests.browser.test_viewer_first_view import FIRST_VIEW, _over_dots
    from tests.unit.report.test_chart_layout import crowded

    nodes, edges = crowded()
    graph = TwinGraph(
        twin_id="crowded@v1",
        nodes=tuple(
            GraphNode(id=n.id, label=n.label, layer=n.layer, size=n.size, x=n.x * 12,
                      y=n.y * 12, kind="CellType" if n.hub else "Protein")
            for n in nodes
        ),
        edges=tuple(GraphEdge(source=e.source, target=e.target, kind="x") for e in edges),
    )  # fmt: skip
    base, _ = empty_api
    page, _ = _open(browser, base, graph)
    settled(page)  # the captions read are those of the last relabel, the panel's list too
    seen = page.evaluate(FIRST_VIEW)
    drawn = [c for c in seen if c["drawn"]]
    assert _over_dots(drawn, page.evaluate("window.medtwinDots")) == []
    numbered = sorted((int(c["text"]), c["full"]) for c in drawn if c["callout"])
    assert numbered, "no caption numbered: nothing is tested"
    listed = page.evaluate(
        "[...document.querySelectorAll('#callouts li')].map(li => [li.value, li.textContent])"
    )
    assert numbered == [tuple(x) for x in listed]
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
    assert page.is_visible("#callouts-section")
    status = page.inner_text("#status")
    assert f"; {len(numbered)} numbered for lack of room (names under Numbered captions)" in status
    page.close()
