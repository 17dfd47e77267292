"""The viewer draws the twin, its TF and pathway activities and its time points as kinds.

Before stop 60 the drawing had none of them: no twin, no ACTIVITY edge from it, no TF
activity, no time point, and a pathway was a dot like a protein's. The twin of
``tests/unit/report/test_activity_drawing.py`` (a MemoryStore, scores chosen by hand) is served
without a database: what the page draws does not depend on the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from medtwin.platform import twins
from medtwin.platform.layer_colours import ACTIVITY_SIGN_COLOURS
from tests.api.conftest import READ_SECRET
from tests.browser.conftest import serve_store, settled
from tests.browser.test_viewer_first_view import FIRST_VIEW, _over_dots
from tests.unit.report.test_activity_drawing import activity_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def activity_api() -> Iterator[tuple[str, Any]]:
    yield from serve_store(activity_store())


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r},{g},{b})"


def test_twin_activities_and_time_points_are_drawn_kinds_with_legend_and_tooltip(
    browser, activity_api
):
    base, store = activity_api
    graph = twins.twin_graph(store, "PA")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/v1/patients/PA/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=30_000)
    settled(page)
    shapes = page.evaluate(
        """() => Object.fromEntries(window.medtwinCy.nodes().not('.box, .leader-end')
             .map(n => [n.data('kind'), n.style('shape')]))"""
    )
    assert shapes["Pathway"] == "hexagon"  # before: an ellipse, as a protein's
    assert shapes["TF"] == "triangle"
    assert shapes["TimePoint"] == "round-rectangle"
    assert shapes["Twin"] == "star"
    assert shapes["Protein"] == "ellipse"
    # each ACTIVITY edge in its score's sign's colour
    colours = page.evaluate(
        """() => window.medtwinCy.edges('[kind = "ACTIVITY"]').map(e =>
             [e.data('weight'), e.style('line-color')])"""
    )
    assert len(colours) == len([e for e in graph.edges if e.kind == "ACTIVITY"]) == 10  # 8 + 2
    for weight, colour in colours:
        assert colour == _rgb(ACTIVITY_SIGN_COLOURS["-" if weight < 0 else "+"]), weight
    # the score in the tooltip
    tid = graph.twin_id
    tooltip = page.evaluate(
        """(id) => { const e = window.medtwinCy.edges('[kind = "ACTIVITY"]')
                       .filter(e => e.target().id() === id)[0];
                     e.emit('mouseover'); return document.getElementById('cy').title; }""",
        "2",
    )
    assert tooltip == f"twin {tid} \u2192 G2 (ACTIVITY -4.00)"
    # legend entries: the layers (with their shapes) and the ACTIVITY edges' colours and count
    assert graph.time_point_legend == "time point (all 3, in order; AT: the twin's)"
    expect(page.locator('#legend li[data-layer="time_point"]')).to_have_text(
        graph.time_point_legend
    )
    expect(page.locator('#legend li[data-layer="twin"]')).to_have_text("twin")
    expect(page.locator('#legend li[data-layer="tf"]')).to_contain_text("TF outside the twin")
    assert page.locator('#legend li[data-layer="pathway"] i.hexagon').count() == 1
    assert graph.activity_legend == "ACTIVITY (red +, blue -; all 8 TFs)"
    expect(page.locator('#edge-legend li[data-kind="ACTIVITY"]')).to_have_text(
        graph.activity_legend
    )
    expect(page.locator('#edge-legend li[data-kind="THEN"]')).to_have_text("THEN")
    # no drawn caption over another node's dot
    captions = [c for c in page.evaluate(FIRST_VIEW) if c["drawn"]]
    assert captions
    assert _over_dots(captions, page.evaluate("window.medtwinDots")) == []
    assert page.evaluate("window.medtwinDrawnNodes") == len(graph.nodes)
    assert errors == []
    page.close()
