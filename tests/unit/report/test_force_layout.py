"""The force layout of a twin drawing near its 1,500-node limit: work in proportion to the nodes.

Stop 57: a part of 500 nodes or more was laid out by networkx's energy minimisation, every
evaluation comparing all pairs: 1,400 proteins and 100 hubs took 8.5 s of CPU (14.5-16.3 s
with :func:`~medtwin.platform.caption_spacing.spread`). Such parts now get
:func:`~medtwin.platform.force_layout.near_force_layout`; the smaller ones (every demo drawing's)
keep networkx's layout and their places.
"""

from __future__ import annotations

import networkx as nx
from benchmarks.bench_layout import near_limit

from medtwin.platform import force_layout, twin_layout
from medtwin.platform.caption_spacing import caption_width
from medtwin.platform.force_layout import ITERATIONS, NEAR_FROM
from medtwin.platform.twin_layout import place
from tests.browser.test_viewer_first_view import demo_drawings


def test_1500_nodes_push_near_pairs_only_and_hubs_stand_apart(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Pairs pushed over all steps: 8.85 million, under 200 a node a step (networkx's energy
    minimisation compared all 1,124,250 pairs at each of its 52 evaluations)."""
    nodes, edges = near_limit()
    n = len(nodes)
    works = []
    real = force_layout.near_force_layout

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        placed, work = real(*args, **kwargs)
        works.append(work)
        return placed, work

    monkeypatch.setattr(twin_layout, "near_force_layout", counted)
    places = place(nodes, edges, 0)
    assert len(works) == 1  # one part of 1,500 nodes, laid out once
    assert 0 < works[0] < 200 * n * ITERATIONS, works
    sizes = [z for _, _, _, z in nodes]
    lo, hi = min(sizes), max(sizes)
    boxes = []  # as the viewer draws them (test_twin_layout's hubs): node at its largest, caption
    for i, c, hub, z in nodes:
        if hub:
            (x, y), r = places[i], 5.0 + 17.0 * (z - lo) / (hi - lo)
            half = max(caption_width(c) / 2, r)
            boxes.append((x - half, y - r - 7.0, x + half, y + r))
    touching = [
        (a, b)
        for k, a in enumerate(boxes)
        for b in boxes[k + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert touching == []


def test_the_same_seed_gives_the_same_places_for_a_large_part() -> None:
    nodes, edges = near_limit(560, 40)
    first = place(nodes, edges, 3)
    twin_layout._layout.cache_clear()
    assert place(list(reversed(nodes)), list(reversed(edges)), 3) == first
    assert place(nodes, edges, 4) != first


def test_every_demo_drawings_parts_keep_networkxs_layout() -> None:
    """Their places do not move: every connected part of the 99 demo drawings is under
    :data:`NEAR_FROM` nodes (multitissue_demo's 341 the largest)."""
    largest = 0
    for graph in demo_drawings().values():
        g = nx.Graph((e.source, e.target) for e in graph.edges if e.source != e.target)
        largest = max([largest, *(len(c) for c in nx.connected_components(g))])
    assert 300 < largest < NEAR_FROM
