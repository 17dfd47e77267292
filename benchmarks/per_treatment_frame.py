r"""(c) per treatment in the frame of the evidence rule (stop 52): finer p, Holm, growth partialled.

The per-treatment table of :func:`benchmarks.validate_twins.validate_pdxe` gives, per ranker, the
mean over treatments of the Spearman between its score and the growth-adjusted shrinkage of the
tumours tested with the treatment, and a permutation p over
:data:`~benchmarks.validate_twins.PER_TREATMENT_PERMUTATIONS` (200) permutations: each permutation
reassigns the tumours' *whole rankings* among the ranked tumours of the same type (one
permutation for every treatment), so tumour ``i`` is scored by tumour ``π(i)``'s ranking while
``i``'s responses stay. That already is the reassignment of stop 51 (which tumour's ranking meets
which tumour's responses), within tumour type; what it lacks against the rule is resolution
(p ≥ 1/201 = 0.005), a two-sided p, and a multiplicity correction. This module adds them, on the
same statistic and the same kind of permutations:

- ``n`` permutations (:data:`FRAME_PERMUTATIONS`, from the harness's ``--seed`` by the same
  generator, so the table's 200 are the first 200 of them), the null statistic of each computed
  for all permutations at once (:func:`row_spearman`);
- one-sided :math:`p_> = (1 + \#\{T_\pi \ge T\}) / (n + 1)` as the table's, and two-sided
  :math:`p_\pm = (1 + \#\{|T_\pi - \bar T_\pi| \ge |T - \bar T_\pi|\}) / (n + 1)` about the
  permutations' mean :math:`\bar T_\pi` (not 0: permuting within type keeps type effects, the
  table's ``gain_vs_shuffled`` is measured from the same mean) — :func:`permutation_p`;
  differences below 1e-12 are ties;
- Holm over the table's distinct rankers (default, methods, combinations; controls out; rankers
  with identical per-treatment statistics one test), as parts (a)–(c) are corrected;
- the **growth-partialled** Spearman: per treatment the partial rank correlation of the ranker's
  score with the raw shrinkage given the tumour-growth control's score (first-order partial
  correlation of the ranks, :func:`row_partial_spearman`), mean over treatments, with the same
  permutations (the ranking moves, the tumour's growth and shrinkage stay). Growth is a property
  of the tumour, so it is held fixed as the outcome is: what is left is what the ranking says
  about shrinkage beyond how fast the tumour grows.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

from benchmarks.declared_family import holm_declared, later_row
from medtwin.platform.algorithms.controls import bootstrap_mean_ci

FRAME_PERMUTATIONS = 10_000
"""Permutations of the frame's p (floor 1/10,001; the table's 200 are its first 200)."""
TOLERANCE = 1e-12
MIN_TUMOURS = 15
"""A treatment enters a ranker's per-treatment mean with at least this many tumours."""
FAMILY_KINDS = ("default", "method", "combination")

Floats = npt.NDArray[np.float64]


def _ranks(x: Floats) -> Floats:
    """Average ranks along the last axis, NaN kept in place (and left out of the ranking)."""
    if np.isfinite(x).all():
        return np.asarray(rankdata(x, axis=-1), dtype=np.float64)
    return np.asarray(rankdata(x, axis=-1, nan_policy="omit"), dtype=np.float64)


def _pearson_rows(a: Floats, b: Floats) -> Floats:
    """Row-wise Pearson correlation over the finite entries (NaN: fewer than 3, or constant)."""
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = np.where(ok, a, 0.0), np.where(ok, b, 0.0)
    n = ok.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(ok, a - a.sum(axis=-1, keepdims=True) / n[..., None], 0.0)
        b = np.where(ok, b - b.sum(axis=-1, keepdims=True) / n[..., None], 0.0)
        saa, sbb = (a * a).sum(axis=-1), (b * b).sum(axis=-1)
        r = (a * b).sum(axis=-1) / np.sqrt(saa * sbb)
    flat = (saa <= TOLERANCE) | (sbb <= TOLERANCE)
    return np.asarray(np.where((n >= 3) & ~flat, r, np.nan), dtype=np.float64)


def row_spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> Floats:
    """Spearman of each row of ``x`` with ``y`` (one row or one per row of ``x``), over the
    entries finite in both; NaN below 3 such entries or where either side is constant.

    Per row what ``_permuted_spearman`` of the harness computes for one permutation: the
    entries left out (a score or an outcome unknown), the rest re-ranked.

    >>> row_spearman([[1, 2, 3, 4], [4, 3, 2, 1], [1, 2, float("nan"), 3]], [1, 2, 3, 4]).tolist()
    [1.0, -1.0, 1.0]
    """
    xa = np.atleast_2d(np.asarray(x, dtype=np.float64))
    y1 = np.asarray(y, dtype=np.float64)
    ya = np.broadcast_to(y1, xa.shape)
    ok = np.isfinite(xa) & np.isfinite(ya)
    if ok.all():  # one outcome row ranked once (the permutations move the scores only)
        return _pearson_rows(_ranks(xa), np.broadcast_to(_ranks(y1), xa.shape))
    return _pearson_rows(_ranks(np.where(ok, xa, np.nan)), _ranks(np.where(ok, ya, np.nan)))


def row_partial_spearman(x: npt.ArrayLike, y: npt.ArrayLike, z: npt.ArrayLike) -> Floats:
    r"""Partial Spearman of each row of ``x`` with ``y`` given ``z``, over entries finite in all.

    :math:`(r_{xy} - r_{xz} r_{yz}) / \sqrt{(1 - r_{xz}^2)(1 - r_{yz}^2)}` on the ranks (the
    correlation of the rank residuals after a straight-line fit on the ranks of ``z``); NaN where
    ``x`` or ``y`` is a function of ``z``'s ranks (denominator 0).

    >>> round(float(row_partial_spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], [1, 2, 3, 4, 5])[0]), 3)
    nan

    By hand: r_xy = 6/10, r_xz = 6/10, r_yz = 8/10, so (0.6 − 0.48) / √(0.64 · 0.36) = 0.25.

    >>> round(float(row_partial_spearman([3, 1, 2, 5, 4], [1, 3, 2, 5, 4], [1, 2, 3, 4, 5])[0]), 3)
    0.25
    """
    xa = np.atleast_2d(np.asarray(x, dtype=np.float64))
    ya = np.broadcast_to(np.asarray(y, dtype=np.float64), xa.shape)
    za = np.broadcast_to(np.asarray(z, dtype=np.float64), xa.shape)
    ok = np.isfinite(xa) & np.isfinite(ya) & np.isfinite(za)
    if ok.all():  # outcome and growth ranked once
        rx = _ranks(xa)
        ry = np.broadcast_to(_ranks(np.asarray(y, dtype=np.float64)), xa.shape)
        rz = np.broadcast_to(_ranks(np.asarray(z, dtype=np.float64)), xa.shape)
    else:
        rx, ry, rz = (_ranks(np.where(ok, v, np.nan)) for v in (xa, ya, za))
    rxy, rxz, ryz = _pearson_rows(rx, ry), _pearson_rows(rx, rz), _pearson_rows(ry, rz)
    with np.errstate(invalid="ignore", divide="ignore"):
        den = np.sqrt((1.0 - rxz**2) * (1.0 - ryz**2))
        out = (rxy - rxz * ryz) / den
    return np.asarray(np.where(den > 1e-9, out, np.nan), dtype=np.float64)


def null_means(per_treatment: Sequence[Floats]) -> Floats:
    """Mean over treatments of each permutation's statistic (NaN treatments left out), finite only.

    As ``_permutation_test`` of the harness reduces its null rows.
    """
    if not per_treatment:
        return np.array([], dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a treatment NaN under every permutation
        means = np.nanmean(np.vstack(per_treatment), axis=0)
    return np.asarray(means[np.isfinite(means)], dtype=np.float64)


def permutation_p(observed: float, means: Floats) -> tuple[float, float, float]:
    """One-sided (greater) and two-sided p of ``observed`` among the permuted ``means``, and
    their mean (the two-sided p's centre); NaN without a finite observed value or null.

    Centre 0.175; 0.4 alone is ≥ 0.3, and 0.0, 0.4 are at least |0.3 − 0.175| from the centre:

    >>> permutation_p(0.3, np.array([0.0, 0.1, 0.4, 0.2]))
    (0.4, 0.6, 0.175)
    """
    if not math.isfinite(observed) or means.size == 0:
        return math.nan, math.nan, math.nan
    centre = float(means.mean())
    greater = int((means >= observed - TOLERANCE).sum())
    both = int((np.abs(means - centre) >= abs(observed - centre) - TOLERANCE).sum())
    return (1 + greater) / (1 + means.size), (1 + both) / (1 + means.size), centre


def holm_rows(
    rows: Sequence[dict[str, object]], field: str, keys: Sequence[str]
) -> list[int | None]:
    """``<field>_adj`` = Holm over the declared family's rows (kinds :data:`FAMILY_KINDS`, a
    finite ``field``; :mod:`benchmarks.declared_family`: a row of a method added after §15.1's
    declaration, e.g. ``activity_reversal``, is adjusted as the family's (m + 1)-th test and moves
    no declared row), rows with the same ``keys`` entry one test; ``None`` elsewhere. Returns
    each row's Holm m (``None``: not tested).

    >>> rows = [{"ranker": "method: proximity", "kind": "method", "p": 0.01},
    ...         {"ranker": "method: degree", "kind": "method", "p": 0.04},
    ...         {"ranker": "combo: x + activity_reversal", "kind": "combination", "p": 0.02}]
    >>> holm_rows(rows, "p", ["a", "b", "c"]), [r["p_adj"] for r in rows]
    ([2, 2, 3], [0.02, 0.04, 0.04])
    """

    def tested(row: Mapping[str, object]) -> bool:
        p = row.get(field)
        return row.get("kind") in FAMILY_KINDS and isinstance(p, float) and math.isfinite(p)

    adjusted = holm_declared(
        (key, float(row[field]), later_row(row))  # type: ignore[arg-type]
        for row, key in zip(rows, keys, strict=True)
        if tested(row)
    )
    sizes: list[int | None] = []
    for row, key in zip(rows, keys, strict=True):
        row[f"{field}_adj"] = round(adjusted.p[key], 6) if tested(row) else None
        sizes.append(adjusted.family(key) if tested(row) else None)
    return sizes


FrameCase = tuple[int, npt.NDArray[np.int64], Floats, Floats]
"""One treatment of a ranker's row: its column, the tumours tested, their growth-adjusted and
raw shrinkage."""


def frame_fields(
    scores: Floats,
    growth: Floats,
    cases: Sequence[FrameCase],
    perms: npt.NDArray[np.int64],
    *,
    observed: float,
    n_boot: int,
    seed: int,
) -> dict[str, object]:
    """The frame's columns of one ranker's per-treatment row (module docstring).

    ``scores[i, c]``: the ranker's score of treatment column ``c`` in tumour ``i`` (NaN: none);
    ``growth[i]``: the growth control's score; ``perms[b, i]``: the tumour whose ranking tumour
    ``i`` gets in permutation ``b``; ``observed``: the row's growth-adjusted Spearman.
    """
    adjusted_null, partial_obs, partial_null = [], [], []
    for c, ps, adj, shrink in cases:
        moved = scores[perms[:, ps], c]
        partial_obs.append(float(row_partial_spearman(scores[ps, c], shrink, growth[ps])[0]))
        fast = _moved_spearman(moved, adj, shrink, growth[ps])
        if fast is not None:
            adjusted_null.append(fast[0])
            partial_null.append(fast[1])
            continue
        adjusted_null.append(row_spearman(moved, adj))
        partial_null.append(row_partial_spearman(moved, shrink, growth[ps]))
    greater, two, _ = permutation_p(observed, null_means(adjusted_null))
    ci = bootstrap_mean_ci(np.array(partial_obs), n_boot=n_boot, seed=seed)
    mean, lo, hi = ci.value, ci.low, ci.high
    p_greater, p_two, centre = permutation_p(mean, null_means(partial_null))
    return {
        "growth_adjusted_p_greater": _p(greater),
        "growth_adjusted_p_two_sided": _p(two),
        "growth_partial_spearman": _r(mean),
        "growth_partial_ci": f"[{_r(lo)}, {_r(hi)}]",
        "growth_partial_gain": _r(mean - centre),
        "growth_partial_p_greater": _p(p_greater),
        "growth_partial_p_two_sided": _p(p_two),
    }


def _moved_spearman(
    moved: Floats, adj: Floats, shrink: Floats, growth: Floats
) -> tuple[Floats, Floats] | None:
    """:func:`row_spearman` of ``moved`` with ``adj`` and :func:`row_partial_spearman` with
    ``shrink`` given ``growth``, ranking ``moved`` once; ``None`` when something is unknown (the
    general functions then re-rank each row's known entries).

    With every entry known, the average ranks of a row sum to m(m + 1)/2 whatever the ties, so
    centring is a constant and each correlation with a fixed vector one matrix-vector product.
    """
    if not (np.isfinite(moved).all() and np.isfinite(adj).all()):
        return None
    if not (np.isfinite(shrink).all() and np.isfinite(growth).all()):
        return None
    return ranked_spearman(_ranks(moved), adj, shrink, growth)


def ranked_spearman(
    ranks: Floats, adj: Floats, shrink: Floats, growth: Floats
) -> tuple[Floats, Floats]:
    """:func:`_moved_spearman` from the moved scores' average ranks (every entry known)."""
    m = ranks.shape[1]
    rx = ranks - (m + 1) / 2.0
    norm_x = np.sqrt((rx * rx).sum(axis=1))

    def centred(v: Floats) -> Floats:
        r = _ranks(v) - (m + 1) / 2.0
        with np.errstate(invalid="ignore", divide="ignore"):  # a constant vector: NaN
            return np.asarray(r / np.sqrt((r * r).sum()), dtype=np.float64)

    a, y, z = centred(adj), centred(shrink), centred(growth)
    with np.errstate(invalid="ignore", divide="ignore"):
        r_adj = (rx @ a) / norm_x
        rxy, rxz, ryz = (rx @ y) / norm_x, (rx @ z) / norm_x, float(y @ z)
        den = np.sqrt((1.0 - rxz**2) * (1.0 - ryz**2))
        partial = (rxy - rxz * ryz) / den
    flat = norm_x <= TOLERANCE
    return (
        np.asarray(np.where(flat, np.nan, r_adj), dtype=np.float64),
        np.asarray(np.where(flat | (den <= 1e-9), np.nan, partial), dtype=np.float64),
    )


FRAME_INPUTS = "per_treatment"
"""Folder beside a result holding each (c) table's inputs (:func:`save_frame_inputs`)."""


def save_frame_inputs(
    path: Path,
    *,
    tumours: Sequence[str],
    types: Sequence[str],
    treatments: Sequence[str],
    rankers: Sequence[tuple[str, str, Floats]],
    shrinkage: Floats,
    adjusted: Floats,
    tested: npt.NDArray[np.bool_],
) -> None:
    """Write what the per-treatment table reads, so its figures can be recomputed offline.

    ``rankers``: (name, kind, scores) with ``scores[i, c]`` the ranker's score of treatment ``c``
    in tumour ``i`` (NaN: the tumour has no score); ``shrinkage`` / ``adjusted``: raw and
    growth-adjusted shrinkage (NaN: not measured); ``tested``: the tumour has a shrinkage and a
    response for the treatment. A compressed ``.npz`` that :func:`load_frame_inputs` reads.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        tumours=np.array(tumours),
        types=np.array(types),
        treatments=np.array(treatments),
        rankers=np.array([name for name, _, _ in rankers]),
        kinds=np.array([kind for _, kind, _ in rankers]),
        scores=np.stack([s for _, _, s in rankers]),
        shrinkage=shrinkage,
        adjusted=adjusted,
        tested=tested,
    )


@dataclass(frozen=True)
class FrameInputs:
    """The per-treatment table's inputs as :func:`save_frame_inputs` wrote them."""

    tumours: list[str]
    types: list[str]
    treatments: list[str]
    rankers: list[str]
    kinds: list[str]
    scores: Floats
    """``scores[r, i, c]``: ranker ``r``'s score of treatment ``c`` in tumour ``i``."""
    shrinkage: Floats
    adjusted: Floats
    tested: npt.NDArray[np.bool_]


def load_frame_inputs(path: Path) -> FrameInputs:
    """Read back what :func:`save_frame_inputs` wrote."""
    with np.load(path) as data:
        return FrameInputs(
            tumours=[str(x) for x in data["tumours"]],
            types=[str(x) for x in data["types"]],
            treatments=[str(x) for x in data["treatments"]],
            rankers=[str(x) for x in data["rankers"]],
            kinds=[str(x) for x in data["kinds"]],
            scores=np.asarray(data["scores"], dtype=np.float64),
            shrinkage=np.asarray(data["shrinkage"], dtype=np.float64),
            adjusted=np.asarray(data["adjusted"], dtype=np.float64),
            tested=np.asarray(data["tested"], dtype=np.bool_),
        )


def _r(x: float) -> float | None:
    return round(float(x), 3) if math.isfinite(x) else None


def _p(x: float) -> float | None:
    return round(float(x), 6) if math.isfinite(x) else None
