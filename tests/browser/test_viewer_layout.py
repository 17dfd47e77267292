"""The viewer's layout: the same twin is drawn the same way at every load, and a twin's hubs
(cell types, tissues, pathways) do not pile up on each other.

The graph is made here in the shape of the demo's ``multitissue_demo`` (6 pathways, each with an
ACTIVITY edge from every one of 11 cell types, the cell types' changed genes) and answered in
place of ``GET …/twins/latest/graph``, as in ``test_viewer_large.py``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.twin_layout import laid_out
from medtwin.store.memory import MemoryStore
from tests.browser.conftest import serve_store
from tests.browser.test_viewer_large import _open

pytestmark = pytest.mark.browser

HUBS = ("CellType", "Tissue", "Pathway")


@pytest.fixture(scope="module")
def empty_api() -> Iterator[tuple[str, Any]]:
    yield from serve_store(MemoryStore())


def multi_tissue_like() -> TwinGraph:
    genes = [
        GraphNode(id=str(i), label=f"GENE{i}", layer="module" if i % 3 else "seed",
                  kind="Protein", size=1.0 + (i % 5))
        for i in range(120)
    ]  # fmt: skip
    cells = [
        GraphNode(id=f"T/blood/C{c}", label=f"CD{c}+ cells", layer="cell_type", kind="CellType",
                  size=2.0 + c % 3, value=50.0)
        for c in range(11)
    ]  # fmt: skip
    tissue = GraphNode(id="T/tissue:blood", label="blood", layer="tissue", kind="Tissue", size=5.0)
    paths = [
        GraphNode(id=f"T/pathway:P{p}", label=f"P{p} (activity +{p}.50)", layer="pathway",
                  kind="Pathway", size=1.0 + p * 0.8, value=p + 0.5)
        for p in range(6)
    ]  # fmt: skip
    edges = [
        GraphEdge(source=str(i), target=str((i * 7 + 1) % 120), kind="INTERACTS_WITH")
        for i in range(120)
    ]
    edges += [
        GraphEdge(source=c.id, target=str(i), kind="EXPRESSES_CHANGE")
        for n, c in enumerate(cells)
        for i in range(n * 10, min(n * 10 + 15, 120))
    ]
    edges += [GraphEdge(source=tissue.id, target=c.id, kind="HAS_CELL_TYPE") for c in cells]
    edges += [GraphEdge(source=c.id, target=p.id, kind="ACTIVITY", weight=1.0)
              for c in cells for p in paths]  # fmt: skip
    return TwinGraph(
        twin_id="T", nodes=(*genes, *cells, tissue, *paths), edges=tuple(edges),
        pathway_legend="pathway (all 6)",
    )  # fmt: skip


DEMO_CELL_TYPES = (
    "CD19+ B", "CD14+ Monocyte", "CD4+/CD25 T Reg", "Dendritic", "CD56+ NK", "CD34+",
    "CD8+ Cytotoxic T", "CD8+/CD45RA+ Naive Cytotoxic", "CD4+/CD45RO+ Memory",
    "CD4+/CD45RA+/CD25- Naive T",
)  # fmt: skip
"""multitissue_demo's blood cell types (PBMC 68k), captioned '<name> (blood)' as in the demo."""


def multi_tissue_named() -> TwinGraph:
    """:func:`multi_tissue_like` with multitissue_demo's captions: its 10 blood cell types, the
    synovium's bulk sample, pathways captioned with their activity, cell types signalling."""
    base = multi_tissue_like()
    names = [f"{c} (blood)" for c in DEMO_CELL_TYPES] + ["bulk (synovium)"]
    cells = {f"T/blood/C{c}": names[c] for c in range(11)}
    nodes = tuple(
        n.model_copy(update={"label": cells[n.id], "size": 5.0 - 0.3 * int(n.id[9:])})
        if n.id in cells
        else n
        for n in base.nodes
    )
    signals = tuple(
        GraphEdge(source=f"T/blood/C{c}", target=f"T/blood/C{(c + 3) % 11}", kind="SIGNALS_TO")
        for c in range(0, 11, 2)
    )
    return base.model_copy(update={"nodes": nodes, "edges": base.edges + signals})


def bulk_like() -> TwinGraph:
    """A bulk twin's shape: a module of 60 linked proteins and 150 seeds without an edge."""
    rnd = random.Random(55)
    letters = "ABCDEFGHIKLMNPRSTVZ"
    linked = [
        GraphNode(id=str(i), label=f"MOD{i}", layer="module", kind="Protein", size=1.0 + i % 5)
        for i in range(60)
    ]  # fmt: skip
    lone = [
        GraphNode(id=str(1000 + i), kind="Protein", layer="seed", size=1.0,
                  label="".join(rnd.choice(letters) for _ in range(rnd.randint(3, 8))) + str(i))
        for i in range(150)
    ]  # fmt: skip
    edges = [
        GraphEdge(source=str(i), target=str(j), kind="INTERACTS_WITH")
        for i in range(60)
        for j in (i + 1, i + 7)
        if j < 60
    ]
    return TwinGraph(twin_id="B", nodes=(*linked, *lone), edges=tuple(edges))


POSITIONS = """() => Object.fromEntries(window.medtwinCy.nodes().not(".leader-end").map(n =>
    [n.id(), [Math.round(n.position('x') * 100), Math.round(n.position('y') * 100)]]))"""
HUB_BOXES = """(hubs) => window.medtwinCy.nodes()
    .filter(n => hubs.includes(n.data('kind')))
    .map(n => { const b = n.boundingBox({includeLabels: false});
                return [n.id(), b.x1, b.y1, b.x2, b.y2]; })"""


def test_the_same_twin_is_laid_out_the_same_way(browser, empty_api):
    """Before, cose started from Math.random positions: another picture at every load."""
    base, _ = empty_api
    graph = multi_tissue_like()
    first, _ = _open(browser, base, graph)
    second, _ = _open(browser, base, graph)
    assert first.evaluate(POSITIONS) == second.evaluate(POSITIONS)
    first.close()
    second.close()


def test_hubs_are_not_drawn_over_each_other(browser, empty_api):
    """Before, the 6 pathways (each linked to every cell type) were pulled into one blob in the
    middle of the cell types, their nodes and captions over each other (the demo's
    multitissue_demo and pbmc68k_donorA, seen in screenshots)."""
    base, _ = empty_api
    page, _ = _open(browser, base, multi_tissue_like())
    boxes = page.evaluate(HUB_BOXES, list(HUBS))
    assert len(boxes) == 18
    overlapping = [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]
    assert overlapping == []
    page.close()


CAPTION_BOXES = """(kinds) => window.medtwinCy.nodes()
    .filter(n => kinds.includes(n.data('kind')) && !n.isParent())
    .map(n => { const b = n.boundingBox({includeNodes: false, includeEdges: false,
                                         includeLabels: true});
                return [n.data('label'), b.x1, b.y1, b.x2, b.y2]; })"""


def _touching(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def test_the_viewer_draws_the_places_the_server_gave(browser, empty_api):
    """The places of medtwin.platform.twin_layout, which the report's picture and the exports
    use too: one layout (before, cose in the browser and a spring layout in the report)."""
    base, _ = empty_api
    graph = laid_out(multi_tissue_like(), 3)
    page, _ = _open(browser, base, graph)
    drawn = page.evaluate(POSITIONS)
    assert drawn == {n.id: [round((n.x or 0) * 100), round((n.y or 0) * 100)] for n in graph.nodes}
    page.close()


def test_no_caption_of_a_cell_type_tissue_or_pathway_touches_another(browser, empty_api):
    """Caption boxes as Chromium measured them. Before (cose from seeded starts), 4 pairs of
    multitissue_demo's captions overlapped though no nodes did (3 in the demo's own twin)."""
    base, _ = empty_api
    page, _ = _open(browser, base, laid_out(multi_tissue_named(), 0))
    boxes = page.evaluate(CAPTION_BOXES, list(HUBS))
    assert len(boxes) == 18
    assert _touching(boxes) == []
    page.close()


READABLE_PX = 6.0
"""Smallest caption height (7 units times the zoom) at the first fit that counts as readable."""


def test_seeds_without_an_edge_are_a_box_readable_at_the_first_zoom(browser, empty_api):
    """A bulk twin's 150 unconnected seeds. Before: tiled by cose as 150 components, the first
    fit drew every caption 4.3 px high (3.1 px for the demo's GSM389717); 7.1 px now."""
    base, _ = empty_api
    page, _ = _open(browser, base, laid_out(bulk_like(), 0))
    assert page.evaluate("window.medtwinLoneNodes") == 150
    assert page.evaluate("window.medtwinDrawnNodes") == 210  # the box is not counted
    zoom = page.evaluate("window.medtwinCy.zoom()")
    assert 7 * zoom >= READABLE_PX
    lone = page.evaluate(
        """() => window.medtwinCy.nodes('.lone').map(n => {
            const b = n.boundingBox({includeNodes: false, includeEdges: false,
                                     includeLabels: true});
            return [n.data('label'), b.x1, b.y1, b.x2, b.y2, n.parent().id()]; })"""
    )
    assert len(lone) == 150
    assert {x[5] for x in lone} == {"medtwin:lone"}
    assert _touching([x[:5] for x in lone]) == []
    box = page.evaluate("window.medtwinCy.getElementById('medtwin:lone').data('label')")
    assert box.startswith("150 without an edge")
    page.close()
