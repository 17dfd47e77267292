"""Every layer and edge kind the viewer draws has its colour and a legend entry (no database).

The twin is :func:`tests.browser.test_viewer_labels.hostile_store`'s (genes, a cell type with its
changed genes, PPI), built and ranked on the memory store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.platform import twins
from medtwin.platform.layer_colours import edge_colour, layer_colour
from tests.api.conftest import READ_SECRET
from tests.browser.conftest import serve_store
from tests.browser.test_viewer_labels import hostile_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def api() -> Iterator[tuple[str, Any]]:
    yield from serve_store(hostile_store())


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r},{g},{b})"


def _same(css: str) -> str:
    return css.replace(" ", "")  # Cytoscape writes rgb(1,2,3), the browser's CSS rgb(1, 2, 3)


def test_every_drawn_layer_and_edge_kind_has_its_colour_and_legend_entry(browser, api):
    """Before, every edge was drawn in one grey and the legend named no edge kind."""
    base, store = api
    graph = twins.twin_graph(store, "P1")
    kinds = {e.kind for e in graph.edges}
    assert {"INTERACTS_WITH", "EXPRESSES_CHANGE"} <= kinds
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/v1/patients/P1/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=30_000)
    drawn_edges = page.evaluate(
        "window.medtwinCy.edges().map(e => [e.data('kind'), e.style('line-color')])"
    )
    assert {k for k, _ in drawn_edges} == kinds
    for kind, colour in drawn_edges:
        assert _same(colour) == _rgb(edge_colour(kind)), kind
    legend = page.evaluate(
        """[...document.querySelectorAll('#edge-legend li')].map(li =>
             [li.dataset.kind, li.textContent,
              getComputedStyle(li.querySelector('i')).backgroundColor])"""
    )
    assert [k for k, _, _ in legend] == sorted(kinds)
    for kind, text, swatch in legend:
        assert text == kind
        assert _same(swatch) == _rgb(edge_colour(kind)), kind
    assert page.locator("#edges-section").is_visible()
    drawn_nodes = page.evaluate(
        "window.medtwinCy.nodes().map(n => [n.data('layer'), n.style('background-color')])"
    )
    layers = page.evaluate(
        """Object.fromEntries([...document.querySelectorAll('#legend li[data-layer]')].map(li =>
             [li.dataset.layer, getComputedStyle(li.querySelector('i')).backgroundColor]))"""
    )
    assert set(layers) == {n.layer for n in graph.nodes}
    for layer, colour in drawn_nodes:
        assert _same(colour) == _same(layers[layer]) == _rgb(layer_colour(layer)), layer
    body = page.inner_text("body")
    for word in ("undefined", "NaN", "[object"):
        assert word not in body
    assert errors == []
    page.close()


def test_an_overlaid_drug_is_named_in_the_legend(browser, api):
    """Before, overlaying a drug drew an orange diamond, ringed targets and dashed edges that
    no legend entry named; choosing "(none)" takes the entries away again."""
    base, _ = api
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(f"{base}/v1/patients/P1/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=30_000)
    page.wait_for_selector("#drugs:not([hidden])", timeout=10_000)
    assert page.locator("#legend-drug").count() == 0
    page.select_option("#drug", "DB1")
    page.wait_for_selector("#drug-targets li", timeout=10_000)
    entries = {
        "#legend-drug": "drug overlaid (diamond)",
        "#legend-targets": "its targets in the twin (orange ring)",
        "#legend-drug-edges": "TARGETS (drug to target; its action)",
    }
    for selector, words in entries.items():
        assert page.inner_text(selector) == words
        swatch = page.evaluate(
            "(s) => getComputedStyle(document.querySelector(s + ' i')).borderTopColor", selector
        )
        assert _same(swatch) == _rgb("#F58518"), selector
    page.select_option("#drug", "")
    for selector in entries:
        assert page.locator(selector).count() == 0
    page.close()
