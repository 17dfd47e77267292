"""The viewer after its window is resized: fitted again, unless the user zoomed or panned.

Before (stop 58), Cytoscape resized its canvas to the new window but kept the zoom and pan of the
first view: shrunk from 1,200 × 800 to 700 × 450, the drawing ran off the canvas on the right
and at the bottom; grown, it sat small in a corner.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.platform.models import GraphNode, TwinGraph
from medtwin.platform.twin_layout import laid_out
from medtwin.store.memory import MemoryStore
from tests.browser.conftest import serve_store, settled
from tests.browser.test_viewer_large import _open
from tests.browser.test_viewer_layout import multi_tissue_like

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def empty_api() -> Iterator[tuple[str, Any]]:
    yield from serve_store(MemoryStore())


def _with_lone_nodes() -> TwinGraph:
    """:func:`multi_tissue_like` laid out, with 30 seeds without an edge (the box the first
    view leaves out of its fit)."""
    base = multi_tissue_like()
    lone = tuple(
        GraphNode(id=f"L{i}", label=f"LONE{i}", layer="seed", kind="Protein", size=1.0)
        for i in range(30)
    )
    return laid_out(TwinGraph(twin_id="T", nodes=base.nodes + lone, edges=base.edges), 0)


VIEW = """() => {
  const cy = window.medtwinCy, w = cy.width(), h = cy.height();
  const fitted = cy.nodes().not('.lone, .box, .leader-end');
  const b = fitted.renderedBoundingBox({includeLabels: false});
  const frame = cy.container().getBoundingClientRect();
  return {w: w, h: h, zoom: cy.zoom(), box: [b.x1, b.y1, b.x2, b.y2],
          frame: [frame.right, frame.bottom], window: [innerWidth, innerHeight],
          refits: window.medtwinRefits, centre: [(w / 2 - cy.pan().x) / cy.zoom(),
                                                 (h / 2 - cy.pan().y) / cy.zoom()]};
}"""


def _resized(page: Any, width: int, height: int) -> dict[str, Any]:
    """The view once the viewer has answered the window's new size."""
    from playwright.sync_api import TimeoutError as Timeout

    before = page.evaluate("window.medtwinRefits || 0")
    page.set_viewport_size({"width": width, "height": height})
    try:  # a viewer that does not answer is measured as it is (before: not fitted again)
        page.wait_for_function("(n) => (window.medtwinRefits || 0) > n", arg=before, timeout=5_000)
    except Timeout:
        page.wait_for_timeout(500)  # Cytoscape's own resize of its canvas (100 ms debounce)
    settled(page)  # the relabel after the refit's zoom (80 ms debounce): captions read after
    view: dict[str, Any] = page.evaluate(VIEW)
    return view


def _inside(view: dict[str, Any]) -> bool:
    """The fitted nodes are on the canvas, and the canvas in the window."""
    x1, y1, x2, y2 = view["box"]
    return (
        x1 >= 0
        and y1 >= 0
        and x2 <= view["w"] + 0.5
        and y2 <= view["h"] + 0.5
        and view["frame"][0] <= view["window"][0] + 0.5
        and view["frame"][1] <= view["window"][1] + 0.5
    )


@pytest.mark.parametrize("graph", [multi_tissue_like, _with_lone_nodes])
def test_the_view_is_fitted_again_when_the_window_is_resized(browser, empty_api, graph):
    """Shrunk, the drawing is back inside the canvas; grown, it fills the larger one."""
    base, _ = empty_api
    page, _ = _open(browser, base, graph())
    page.wait_for_timeout(400)  # past the resize debounces: loading alone fits once, in draw()
    settled(page)
    first = page.evaluate(VIEW)
    assert _inside(first), first
    assert first["refits"] is None  # so each refit counted below answers the window's resize
    small = _resized(page, 700, 450)
    assert _inside(small), (first, small)
    assert small["zoom"] < first["zoom"]
    # the drawing fills the canvas in one direction (20 px of padding and the captions aside)
    x1, y1, x2, y2 = small["box"]
    assert max((x2 - x1) / small["w"], (y2 - y1) / small["h"]) > 0.75, small
    large = _resized(page, 1600, 1000)
    assert _inside(large), large
    assert large["zoom"] > first["zoom"]
    # the captions follow the new zoom (at least 10 px on screen, as at the first view)
    assert page.evaluate("window.medtwinCaptionPx") >= 9.99
    page.close()


def test_a_user_s_zoom_is_kept_and_the_centre_of_the_view_stays(browser, empty_api):
    """Zoomed in with the wheel, then resized: the same zoom, the same point in the centre."""
    base, _ = empty_api
    page, _ = _open(browser, base, multi_tissue_like())
    first = page.evaluate(VIEW)
    frame = page.evaluate("(() => { const r = medtwinCy.container().getBoundingClientRect();"
                          " return [r.left + r.width / 2, r.top + r.height / 2]; })()")  # fmt: skip
    page.mouse.move(*frame)
    for _ in range(10):  # zoom in at the centre (wheelSensitivity 0.3: a notch is a small step)
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # the wheel's last notch handled
    settled(page)  # and its relabel (80 ms after the zoom rests)
    zoomed = page.evaluate(VIEW)
    assert zoomed["zoom"] > first["zoom"] * 1.1
    resized = _resized(page, 800, 600)
    assert resized["zoom"] == pytest.approx(zoomed["zoom"])
    assert resized["centre"] == pytest.approx(zoomed["centre"], abs=1.0)
    page.close()
