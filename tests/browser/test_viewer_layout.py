"""The viewer's layout: the same twin is drawn the same way at every load, and a twin's hubs
(cell types, tissues, pathways) do not pile up on each other.

The graph is made here in the shape of the demo's ``multitissue_demo`` (6 pathways, each with an
ACTIVITY edge from every one of 11 cell types, the cell types' changed genes) and answered in
place of ``GET …/twins/latest/graph``, as in ``test_viewer_large.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
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


POSITIONS = """() => Object.fromEntries(window.medtwinCy.nodes().map(n =>
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
