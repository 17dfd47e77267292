"""``caption_spacing.part_hubs``: many hubs parted at the cost of array comparisons, same places.

Round 4 of the resilience sweeps: the hubs of a twin drawing (cell types, tissues, pathways,
terms) were parted pair by pair, building two boxes per pair in Python on every round, so a
phenotype module of 200 terms took 6.2 s of CPU per drawing (the viewer, the report and each
export draw it), growing with the square of the hubs. The demo's drawings have at most 20 hubs;
a patient with many symptoms can have hundreds. :func:`_pairwise` is the loop as it was: the
places must stay the same to the last bit (the viewer's pictures do not move).
"""

from __future__ import annotations

import math
import random

import pytest

from medtwin.platform import caption_spacing
from medtwin.platform.caption_spacing import hub_box, part_hubs


def _pairwise(places, hubs):  # type: ignore[no-untyped-def]
    """part_hubs before round 4 (stop 55), the reference."""
    out = dict(places)
    for _ in range(500):
        moved = False
        for i, (a, cap_a, r_a) in enumerate(hubs):
            for b, cap_b, r_b in hubs[i + 1 :]:
                ba, bb = hub_box(*out[a], cap_a, r_a), hub_box(*out[b], cap_b, r_b)
                dx = min(ba.x2, bb.x2) - max(ba.x1, bb.x1)
                dy = min(ba.y2, bb.y2) - max(ba.y1, bb.y1)
                if dx <= 0 or dy <= 0:
                    continue
                moved = True
                (ax, ay), (bx, by) = out[a], out[b]
                ux, uy = ax - bx, ay - by
                if ux == 0 and uy == 0:
                    ux, uy = math.cos(i), math.sin(i)
                norm = math.hypot(ux, uy)
                ux, uy = ux / norm, uy / norm
                t = min(dx / abs(ux) if ux else math.inf, dy / abs(uy) if uy else math.inf)
                step = t / 2 + 0.5
                out[a], out[b] = (ax + step * ux, ay + step * uy), (bx - step * ux, by - step * uy)
        if not moved:
            break
    return out


@pytest.mark.parametrize("seed", range(40))
def test_the_places_are_those_of_the_pairwise_loop(seed: int) -> None:
    rnd = random.Random(seed)
    n = rnd.choice([0, 1, 2, 3, 8, 20, 40])
    scale = rnd.choice([1, 30, 200])
    hubs = [(f"h{i}", "x" * rnd.randint(0, 40), rnd.uniform(5, 22)) for i in range(n)]
    places = {h: (rnd.uniform(-scale, scale), rnd.uniform(-scale, scale)) for h, _, _ in hubs}
    if n > 3:  # two pairs in one place each
        places["h1"], places["h3"] = places["h0"], places["h2"]
    places["a protein"] = (0.5, 0.5)  # not a hub: never moved
    assert part_hubs(places, hubs) == _pairwise(places, hubs)


def test_a_phenotype_module_of_200_terms_builds_few_boxes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """One box per hub and push a round, not two per pair: 55,287 boxes, 5,949,600 before."""
    hubs = [("module", "phenotype module (200 terms)", 22.0)]
    hubs += [(f"t{i}", f"HP:{i:07d} a phenotype term", 11.0) for i in range(200)]
    rnd = random.Random(3)
    places = {h: (rnd.uniform(-300, 300), rnd.uniform(-300, 300)) for h, _, _ in hubs}
    built = []
    real = caption_spacing.hub_box
    monkeypatch.setattr(caption_spacing, "hub_box", lambda *a: built.append(a) or real(*a))
    got = part_hubs(places, hubs)
    assert len(built) < 100_000, len(built)
    monkeypatch.setattr(caption_spacing, "hub_box", real)
    assert got == _pairwise(places, hubs)
