"""``caption_spacing.spread``: the proteins parted comparing the pairs that meet, same places.

Stop 57: a twin drawing near its 1,500-node limit (1,400 proteins) took 8.7 s of CPU in
:func:`spread` alone (40 rounds of about twenty 1,400 x 1,400 arrays). It now compares only the
pairs whose boxes meet across. :func:`_square` is the function as it was: the places must stay
the same to the last bit (the demo's drawings do not move).
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from medtwin.platform import caption_spacing
from medtwin.platform.caption_spacing import CAPTION_FONT, GAP, caption_width, spread


def _square(places, proteins):  # type: ignore[no-untyped-def]
    """spread before stop 57, the reference."""
    if len(proteins) < 2:
        return places
    xy = np.array([places[p[0]] for p in proteins])
    radius = np.array([p[2] for p in proteins])
    half = np.maximum(np.array([caption_width(p[1]) / 2 for p in proteins]), radius) + GAP / 2
    up, down = radius + 1.25 * CAPTION_FONT + GAP / 2, radius + GAP / 2
    rnd = np.random.default_rng(0)
    for _ in range(40):
        x, y = xy[:, 0], xy[:, 1]
        dx = np.minimum(x + half, (x + half)[:, None]) - np.maximum(x - half, (x - half)[:, None])
        dy = np.minimum(y + down, (y + down)[:, None]) - np.maximum(y - up, (y - up)[:, None])
        hit = (dx > 0) & (dy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        ux, uy = x[:, None] - x, y[:, None] - y
        same = hit & (ux == 0) & (uy == 0)
        ux = np.where(same, rnd.standard_normal(ux.shape), ux)
        norm = np.hypot(ux, uy)
        norm[norm == 0] = 1.0
        ux, uy = ux / norm, uy / norm
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.minimum(
                np.where(ux != 0, dx / np.abs(ux), np.inf),
                np.where(uy != 0, dy / np.abs(uy), np.inf),
            )
        t = np.where(hit, np.minimum(t, dx + dy) / 2 + 0.25, 0.0)
        n_hits = np.maximum(hit.sum(axis=1), 1)[:, None]
        xy[:, 0] += (t * ux / np.sqrt(n_hits)).sum(axis=1)
        xy[:, 1] += (t * uy / np.sqrt(n_hits)).sum(axis=1)
    out = dict(places)
    out.update({p[0]: (float(a), float(b)) for p, (a, b) in zip(proteins, xy, strict=True)})
    return out


def _proteins(seed: int, n: int, scale: float):  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    proteins = [(f"p{i}", "G" * rnd.randint(0, 34), rnd.uniform(5, 22)) for i in range(n)]
    places = {p: (rnd.uniform(-scale, scale), rnd.uniform(-scale, scale)) for p, _, _ in proteins}
    return places, proteins


@pytest.mark.parametrize("seed", range(30))
def test_the_places_are_those_of_the_square_arrays(seed: int) -> None:
    rnd = random.Random(seed)
    n = rnd.choice([0, 1, 2, 3, 9, 40, 150])
    places, proteins = _proteins(seed, n, rnd.choice([1, 30, 200, 600]))
    if n > 5:  # nodes in one place: parted along random draws, in a later round too
        places["p1"] = places["p3"] = places["p0"]
        places["p4"] = (places["p5"][0], places["p5"][1] + 40)
    places["a hub"] = (0.5, 0.5)  # not a protein: never moved
    assert spread(places, proteins) == _square(places, proteins)


def test_1400_proteins_compare_the_pairs_that_meet_not_all(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A twin near the node limit: pairs compared a round are few against 1,400² (the square
    arrays compared 1,958,600 a round), and the places are the same."""
    places, proteins = _proteins(5, 1400, 700)
    compared = []
    real = caption_spacing._across
    monkeypatch.setattr(
        caption_spacing, "_across", lambda *a: compared.append(len((got := real(*a))[0])) or got
    )
    out = spread(places, proteins)
    assert 0 < len(compared) <= 40
    assert max(compared) < 1400**2 / 10, compared
    monkeypatch.undo()
    assert out == _square(places, proteins)


class _CountedDraws:
    """``np.random.default_rng(0)`` that counts its ``standard_normal`` draws."""

    def __init__(self, rng, counts):  # type: ignore[no-untyped-def]
        self.rng, self.counts = rng, counts

    def standard_normal(self, shape):  # type: ignore[no-untyped-def]
        self.counts.append(shape)
        return self.rng.standard_normal(shape)


def test_nodes_first_in_one_place_in_a_later_round_take_that_round_s_draws(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The catch-up: the square arrays drew an n x n normal array every round, spread draws only
    in a round with nodes in one place, first discarding the rounds it skipped. Here P and Q
    (x 0, y -+12.625, no caption) do not touch, and each is pushed by its large neighbour
    (L1 above P, L2 below Q) by exactly 12.625 in round 1: both land on (0, 0), and round 2
    parts them along its draws, the second array. Without the catch-up they took the first
    array's numbers (the 30 random cases above never meet nodes in one place after round 1)."""
    proteins = [("L1", "", 25.0), ("P", "", 5.0), ("Q", "", 5.0), ("L2", "", 25.0)]
    places = {"L1": (0.0, -32.625), "P": (0.0, -12.625), "Q": (0.0, 12.625), "L2": (0.0, 32.625)}
    counts: list[tuple[int, int]] = []
    real = np.random.default_rng
    monkeypatch.setattr(np.random, "default_rng", lambda seed: _CountedDraws(real(seed), counts))
    out = spread(places, proteins)
    assert counts == [(4, 4), (4, 4)]  # round 2's array, after round 1's discarded
    assert out["P"] != out["Q"]
    monkeypatch.undo()
    assert out == _square(places, proteins)
