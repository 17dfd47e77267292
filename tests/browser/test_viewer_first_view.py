"""The viewer's first view of every demo twin: each caption drawn is legible, none covers another.

The drawings are the demo's own (``tests/data/twin_graphs/demo_drawings.tsv.gz``, 99 twins), laid
out as the server lays them out (:func:`~medtwin.platform.twin_layout.laid_out`, the twins' seed
0) and answered in place of ``GET …/twins/latest/graph``. Before, the first view fitted the whole
drawing, the box of nodes without an edge included, and drew every caption 7 units high: 4.4 px
on screen for GSM389726, 4.7 px for GSM389717 (13 of the 99 twins under 9 px).

Stop 57: a caption went above its node or nowhere, and over other nodes' dots too. At the first
view, captions grow past the size the server's layout kept apart, so 4 of ``multitissue_demo``'s
19 cell types waited for zoom behind larger hubs' captions, and in the 99 twins a caption
covered another node's dot 482 times (433 of them a protein's caption). Now each caption takes
the first free place of eight around its node; a hub's that has none may cover proteins' dots,
never a caption or a hub's dot; and the status line counts the captions that wait for zoom.

Stop 58: hubs' captions still covered proteins' dots 42 times. Now a hub's caption with no free
place whole is tried cut to 20, 12, then 6 characters, at a word's end where one is (its name
the tooltip), before it covers any dot: 2 dots covered, 25 captions cut, every hub in view
captioned (464 of 466 before).
"""

from __future__ import annotations

import gzip
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest

from medtwin.platform.models import GraphEdge, GraphNode, TwinGraph
from medtwin.platform.twin_layout import laid_out
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ_SECRET
from tests.browser.conftest import serve_store, settled
from tests.captions import caption_fault

pytestmark = pytest.mark.browser

DRAWINGS = Path(__file__).resolve().parents[1] / "data" / "twin_graphs" / "demo_drawings.tsv.gz"
LEGIBLE_PX = 9.0
"""The smallest caption (its font size on screen) that counts as legible."""


def demo_drawings(only: Collection[str] | None = None) -> dict[str, TwinGraph]:
    """Each demo twin's drawing, by patient id (``only`` those patients' if given)."""
    nodes: dict[str, list[GraphNode]] = {}
    edges: dict[str, list[GraphEdge]] = {}
    with gzip.open(DRAWINGS, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            row, patient, *f = line.rstrip("\n").split("\t")
            if only is not None and patient not in only:
                continue
            if row == "node":
                nodes.setdefault(patient, []).append(
                    GraphNode(id=f[0], label=f[1], kind=f[2], layer=f[3], size=float(f[4]),
                              regulator_rank=int(f[5]) if f[5] else None)
                )  # fmt: skip
            else:
                edges.setdefault(patient, []).append(GraphEdge(source=f[0], target=f[1], kind=f[2]))
    return {
        p: laid_out(TwinGraph(twin_id=f"{p}@v1", nodes=tuple(n), edges=tuple(edges.get(p, ()))), 0)
        for p, n in nodes.items()
    }


@pytest.fixture(scope="module")
def empty_api() -> Iterator[tuple[str, Any]]:
    yield from serve_store(MemoryStore())


FIRST_VIEW = """() => {
  const cy = window.medtwinCy, zoom = cy.zoom(), view = cy.extent();
  const nodes = cy.nodes().not('.box, .leader-end');
  window.medtwinDots = nodes.map(n => [n.id(), n.position().x, n.position().y, n.width() / 2]);
  return nodes.filter(n => {
      const p = n.position();
      return p.x >= view.x1 && p.x <= view.x2 && p.y >= view.y1 && p.y <= view.y2;
    }).map(n => {
      const b = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
      return {id: n.id(), kind: n.data('kind'), drawn: n.style('label') !== '',
              text: n.style('label'), label: n.data('label'), name: n.data('name'),
              full: n.data('full_label'), callout: n.hasClass('callout'),
              px: n.pstyle('font-size').pfValue * zoom, box: [b.x1, b.y1, b.x2, b.y2]};
    });
}"""


ALL_CAPTIONS = """() => [window.medtwinCy.nodes().not('.box, .leader-end').map(n => [
  n.id(), n.data('label'), n.data('name'), n.data('full_label'), n.style('label'),
  n.hasClass('callout')]),
  [...document.querySelectorAll('#callouts li')].map(li => [String(li.value), li.textContent])]"""


def _caption_faults(page: Any, graph: TwinGraph) -> list[tuple[str, str, str]]:
    """(node id, caption, fault) of every node drawn: its caption on the canvas whole (the
    data label) and as drawn at this zoom (cut shorter, or a callout's number and its name in
    the panel's list), by :func:`tests.captions.caption_fault`."""
    named = {n.id: n.label for n in graph.nodes}
    nodes, callouts = page.evaluate(ALL_CAPTIONS)  # in one go: a relabel may come between two
    listed = dict(callouts)
    out = []
    for node_id, label, name, full, drawn, callout in nodes:
        rank = full[len(name) :]  # " #3": an upstream regulator's rank
        captions = [label[: len(label) - len(rank)], full[: len(full) - len(rank)]]
        if callout:
            captions.append(listed[drawn][: len(listed[drawn]) - len(rank)])
        elif drawn:
            captions.append(drawn[: len(drawn) - len(rank)] if drawn.endswith(rank) else drawn)
        for caption in captions:
            fault = caption_fault(caption, named[node_id] or node_id, node_id)
            if fault:
                out.append((node_id, caption, fault))
    return out


def _over_dots(captions: list[dict[str, Any]], dots: list[list[Any]]) -> list[tuple[str, str]]:
    """(caption, dot) pairs where a drawn caption's box meets another node's dot (a circle)."""
    out = []
    for c in captions:
        x1, y1, x2, y2 = c["box"]
        for node, x, y, r in dots:
            dx, dy = x - max(x1, min(x, x2)), y - max(y1, min(y, y2))
            if node != c["id"] and dx * dx + dy * dy < r * r:
                out.append((c["id"], node))
    return out


def _covering(captions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for i, a in enumerate(captions)
        for b in captions[i + 1 :]
        if a["box"][0] < b["box"][2]
        and b["box"][0] < a["box"][2]
        and a["box"][1] < b["box"][3]
        and b["box"][1] < a["box"][3]
    ]


def test_every_demo_twins_first_view_draws_legible_captions(browser, empty_api):
    base, _ = empty_api
    drawings = demo_drawings()
    assert len(drawings) == 99  # the demo's twins (SYN039 and SYN049 have none)
    bodies = {f"{p}@v1": g.model_dump_json() for p, g in drawings.items()}
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.route(
        "**/v1/patients/*/twins/latest/graph",
        lambda r: r.fulfill(
            status=200,
            content_type="application/json",
            body=bodies[r.request.url.split("/v1/patients/")[1].split("/")[0] + "@v1"],
        ),
    )
    smallest: dict[str, float] = {}
    totals = {
        "in view": 0, "captioned": 0, "hubs": 0, "hubs captioned": 0, "over dots": 0, "cut": 0,
    "numbered": 0, "leaders": 0,
    }  # fmt: skip
    for patient in sorted(drawings):
        page.goto(f"{base}/v1/patients/{patient}/viewer#key={READ_SECRET}")
        page.wait_for_selector('body[data-state="drawn"]', timeout=60_000)
        # past the relabels that follow the first fit's zoom and a refit when the status line
        # wraps (each 80 ms after its zoom; > 400 ms after "drawn" under load): the reads below
        # are of one placement of the captions
        settled(page)
        seen = page.evaluate(FIRST_VIEW)
        drawn = [c for c in seen if c["drawn"]]
        # every caption renders: not empty, no 'undefined'/'null', no id for a name, no cut
        # inside a word (stop 59; before, the canvas cut at 32 characters: '… Naive T (blo…')
        assert _caption_faults(page, drawings[patient]) == [], patient
        smallest[patient] = min(c["px"] for c in drawn)
        assert smallest[patient] >= LEGIBLE_PX, (patient, smallest[patient])
        assert _covering(drawn) == [], patient
        # no protein's caption covers another node's dot; a hub's only where no place is free
        # no caption covers another node's dot: a hub's with no free place is a number (stop 59)
        over = _over_dots(drawn, page.evaluate("window.medtwinDots"))
        assert over == [], patient
        # a caption is left out only where no place of it is free: at least 2 in 5 are drawn
        # (GSM389717: 98 of the 225 nodes in view)
        assert len(drawn) >= 0.4 * len(seen), (patient, len(drawn), len(seen))
        hubs = [c for c in seen if c["kind"] != "Protein"]
        waiting = page.evaluate(
            "[window.medtwinWaiting, window.medtwinWaitingHubs, window.medtwinShortened,"
            " window.medtwinCallouts, window.medtwinLeaders.length,"
            " document.getElementById('status').textContent]"
        )  # in one go: under load a relabel (a refit's zoom) may come between two reads
        status = waiting[5]
        note = {0: "", 1: "; 1 caption waits for zoom"}.get(
            waiting[0], f"; {waiting[0]:,} captions wait for zoom"
        )
        if waiting[2]:
            note += f"; {waiting[2]} cut shorter to fit (hover for the name)"
        if waiting[3]:
            note += f"; {waiting[3]} numbered for lack of room (names under Numbered captions)"
        assert status.endswith(note), status
        # each number stands for its hub's name in the panel's list, in order
        numbered = [c for c in drawn if c["callout"]]
        listed = page.evaluate(
            "[...document.querySelectorAll('#callouts li')].map(li => [li.value, li.textContent])"
        )
        # (a numbered hub may lie outside the first view: the list names it all the same)
        assert {(int(c["text"]), c["full"]) for c in numbered} <= {tuple(x) for x in listed}
        assert [x[0] for x in listed] == list(range(1, waiting[3] + 1))
        assert page.is_visible("#callouts-section") == bool(waiting[3])
        # only hubs' captions are cut shorter, and each is its name's start and "…" (stop 58)
        cut = [c for c in drawn if c["text"] != c["label"] and not c["callout"]]
        assert all(c["kind"] != "Protein" for c in cut), cut
        assert all(c["name"].startswith(c["text"][:-1]) and c["text"][-1] == "\u2026" for c in cut)
        assert status.count("wait") == (waiting[0] > 0), status
        # every hub captioned but where none of its places is free (multitissue_demo's
        # "CD4+/CD45RA+/CD25- Naive T (blood)" in its dense centre: 18 of 19; 15 before)
        assert sum(not c["drawn"] for c in hubs) <= waiting[1] <= 1, (patient, hubs)
        for key, value in zip(
            totals,
            (
                len(seen),
                len(drawn),
                len(hubs),
                len(hubs) - waiting[1],
                len(over),
                len(cut),
                waiting[3],
                waiting[4],
            ),
            strict=True,
        ):
            totals[key] += value
    print(f"first views of the 99 demo twins: {totals}")
    # captions over other nodes' dots: 0 (stop 58: 2, hubs' where no place was free whole or
    # cut shorter; 42 before stop 58, when captions were not cut; 482 before stop 57)
    assert totals["over dots"] == 0, totals
    worst = min(smallest, key=smallest.__getitem__)
    print(f"smallest caption at first view: {smallest[worst]:.1f} px ({worst})")
    page.close()
