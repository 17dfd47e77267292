"""The viewer draws and names every part of a twin: terms, phenotype module, pathways, edges."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.conftest import READ_SECRET
from tests.integration.test_twin_graph_layers import built_single_cell_twin

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


def test_viewer_legend_names_terms_module_and_pathways(browser, live_api):
    base, store = live_api
    _, graph = built_single_cell_twin(store, "GV")
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/v1/patients/GV/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=20_000)
    assert page.evaluate("window.medtwinDrawnNodes") == len(graph.nodes)
    assert page.evaluate("window.medtwinDrawnEdges") == len(graph.edges)  # EXPRESSES_CHANGE too
    expect(page.locator('#legend li[data-layer="phenotype"]')).to_have_text("phenotype")
    expect(page.locator('#legend li[data-layer="phenotype_module"]')).to_have_text(
        "phenotype_module"
    )
    assert graph.pathway_legend == "pathway (all 1)"
    expect(page.locator('#legend li[data-layer="pathway"]')).to_have_text(graph.pathway_legend)
    # a tapped term names its HPO id and name
    info = page.evaluate(
        """(id) => { window.medtwinCy.getElementById(id).emit('tap');
                     return JSON.parse(document.getElementById('info').textContent); }""",
        "HP:0001370",
    )
    assert (info["label"], info["kind"]) == ("HP:0001370 Rheumatoid arthritis", "Phenotype")
    assert errors == []
    page.close()
