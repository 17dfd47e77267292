"""Similar patients' responses: a k-nearest-neighbour response baseline for (c) and (d) (stop 60).

Issue 18 asks for rankings that are better for this patient than for another. The popularity prior
(an item's response rate in the other cases) beats every network method on PDXE (c) but is the
same for every patient; this baseline restricts it to the patient's most similar neighbours:

    s(p, d) = (1 / k) * sum over q in N_k(p, d) of y(q, d),    k = ceil(sqrt(n(p, d)))

``N_k(p, d)``: the ``k`` cases ``q != p`` of ``p``'s group (tumour type in (c), cohort in (d))
with an outcome for item ``d`` and the highest similarity ``rho(p, q)``, the Spearman correlation
of the two cases' gene statistics over the genes both measure (at least :data:`MIN_SHARED`; ties
in case order); ``n(p, d)`` is the number of those candidates and ``y(q, d)`` is 1 for a
responder. ``p``'s own outcome is never read (leave-``p``-out). The vote share of the k nearest
neighbours is Cover T. & Hart P. Nearest neighbor pattern classification. IEEE Trans Inf Theory
13, 21–27 (1967), doi:10.1109/TIT.1967.1053964; k = ceil(sqrt(n)) is the rule of Lall U. &
Sharma A. A nearest neighbor bootstrap for resampling hydrologic time series. Water Resour Res
32, 679–693 (1996), doi:10.1029/95WR02966. Both, the unweighted vote and the combination with
the popularity prior ((kNN + popularity) / 2), were written down before any figure was computed
(regulators_dev §21); nothing is tuned per tumour type or cohort.

The control :data:`GROUP_CONTROL` takes every candidate (k = n): what knowing the group alone
gives. Being leave-``p``-out, it is lower for an item ``p`` responded to ((R - 1) / (n - 1)
against R / (n - 1)), so across the patients of one group it orders responders *last*; the k-NN
share carries a weaker share of that bias, which is why its nulls are permutations, never 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.declared_family import LATER_BASELINES
from benchmarks.personal import MISSING, POPULARITY, CaseScores, CrossMatrices, load_cross
from medtwin.platform.algorithms.controls import bootstrap_mean_test, sign_flip_test, spearman
from medtwin.platform.algorithms.stats import auroc

MIN_SHARED = 10
"""Fewer genes measured in both cases give no similarity (NaN): the pair are no neighbours."""

PREFIX = LATER_BASELINES[0]
"""Every row of this baseline starts with it (:func:`benchmarks.declared_family.later_ranker`:
its tests are added after the declaration and move no declared row's adjusted p)."""
KNN = f"{PREFIX}: k nearest of the type, response share"
COMBINED = f"{PREFIX}: (k nearest + popularity) / 2"
GROUP_CONTROL = f"{PREFIX} control: all of the type, response share (leave-one-out)"
KNN_ICB = f"{PREFIX}: k nearest of the cohort, response share"
GROUP_ICB = f"{PREFIX} control: all of the cohort, response share (leave-one-out)"
NULL_PERMUTATIONS = 1000
"""(d): seeded reassignments of the gene statistics among a cohort's patients (labels kept)."""

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def similarity(vectors: Sequence[Mapping[str, float]], groups: Sequence[str]) -> Floats:
    """Case x case Spearman correlation of the gene statistics, within groups; NaN elsewhere.

    NaN on the diagonal, across groups and for pairs sharing fewer than :data:`MIN_SHARED`
    finite genes.

    >>> genes = [str(g) for g in range(12)]
    >>> a = {g: float(i) for i, g in enumerate(genes)}
    >>> b = {g: float(i * i) for i, g in enumerate(genes)}       # same order as a
    >>> c = {g: float(-i) for i, g in enumerate(genes)}          # the reverse
    >>> similarity([a, b, c, a], ["x", "x", "x", "y"]).round(2).tolist()[0]
    [nan, 1.0, -1.0, nan]
    """
    n = len(vectors)
    if len(groups) != n:
        raise ValueError(f"{n} vectors but {len(groups)} groups")
    out = np.full((n, n), math.nan)
    for i in range(n):
        for j in range(i + 1, n):
            if groups[i] != groups[j]:
                continue
            shared = [
                g
                for g, v in vectors[i].items()
                if math.isfinite(v) and math.isfinite(vectors[j].get(g, math.nan))
            ]
            if len(shared) >= MIN_SHARED:
                x = np.array([vectors[i][g] for g in shared])
                y = np.array([vectors[j][g] for g in shared])
                out[i, j] = out[j, i] = spearman(x, y)
    return out


def neighbour_share(labels: Bools, tested: Bools, sim: Floats, *, every: bool = False) -> Floats:
    """Each case's k-NN response share per item (module formula), NaN where no candidate.

    ``labels``/``tested``: case x item responder / has-an-outcome; ``sim``: :func:`similarity`
    (a finite entry makes two cases candidates for each other). ``every``: k = n, the group's
    leave-one-out response share (:data:`GROUP_CONTROL`).

    Case 0's nearest are 1 (0.9) then 2 (0.5); item 0 has 3 candidates, so k = 2: (1 + 0) / 2.

    >>> y = np.array([[1, 1], [1, 0], [0, 1], [0, 0]], dtype=bool)
    >>> t = np.ones((4, 2), dtype=bool)
    >>> s = np.array([[np.nan, .9, .5, .1], [.9, np.nan, .2, .3],
    ...               [.5, .2, np.nan, .4], [.1, .3, .4, np.nan]])
    >>> neighbour_share(y, t, s)[0].tolist()
    [0.5, 0.5]
    >>> neighbour_share(y, t, s, every=True)[0].round(3).tolist()
    [0.333, 0.333]
    """
    n_cases, n_items = labels.shape
    out = np.full((n_cases, n_items), math.nan)
    for i in range(n_cases):
        row = sim[i]
        order = [int(j) for j in np.argsort(-np.nan_to_num(row, nan=-np.inf), kind="stable")]
        near = [j for j in order if j != i and math.isfinite(row[j])]
        for d in range(n_items):
            cand = [j for j in near if tested[j, d]]
            if not cand:
                continue
            k = len(cand) if every else math.ceil(math.sqrt(len(cand)))
            out[i, d] = float(np.mean(labels[cand[:k], d]))
    return out


def add_neighbours(
    cs: CaseScores, vectors: Sequence[Mapping[str, float]], groups: Sequence[str]
) -> Floats:
    """Add the k-NN, its combination with popularity and the group control to ``cs`` ((c)).

    ``vectors``/``groups``: each case's gene statistics and group, in ``cs``'s case order. Rows:
    :data:`KNN` (kind ``method``), :data:`COMBINED` (``combination``), :data:`GROUP_CONTROL`
    (``control``); an item without a candidate scores :data:`~benchmarks.personal.MISSING`.
    Returns the similarity matrix.
    """
    y, m = np.array(cs.labels), np.array(cs.masks)
    sim = similarity(vectors, groups)
    knn = neighbour_share(y, m, sim)
    rows = (
        (KNN, knn, "method"),
        (COMBINED, (knn + cs.popularity()) / 2, "combination"),
        (GROUP_CONTROL, neighbour_share(y, m, sim, every=True), "control"),
    )
    for name, values, kind in rows:
        cs.add_matrix(name, np.where(np.isfinite(values), values, MISSING), kind=kind)
    return sim


PAIRS = ((KNN, POPULARITY), (KNN, GROUP_CONTROL), (COMBINED, POPULARITY), (COMBINED, GROUP_CONTROL))
"""(c): the personal part of the baseline, own AUROC minus that of what every patient of the
population (popularity) or of the tumour type (the group control) gets."""


def own_differences(
    cross: CrossMatrices, *, seed: int, n_boot: int, suffix: str = ""
) -> list[dict[str, object]]:
    """Per pair of :data:`PAIRS`: mean per-case own AUROC of the first minus the second.

    ``cross``: :attr:`CaseScores.cross` after :meth:`CaseScores.table` (or :func:`load_cross`);
    own AUROC = the matrix's diagonal, paired by case. The seeded bootstrap 95 % CI over cases and
    the exact / seeded sign-flip p (two-sided) of the mean difference, as the gain's.
    """
    out: list[dict[str, object]] = []
    for a, b in PAIRS:
        if a not in cross or b not in cross:
            continue
        own = [
            {c: float(m[suffix][k, k]) for k, c in enumerate(cases)}
            for cases, m in (cross[a], cross[b])
        ]
        both = [c for c in own[0] if c in own[1]]
        d = np.array([own[0][c] - own[1][c] for c in both])
        d = d[np.isfinite(d)]
        test = bootstrap_mean_test(d, n_boot=n_boot, seed=seed)
        flip = sign_flip_test(d.tolist(), seed=seed)
        out.append(
            {
                "ranker": a,
                "minus": b,
                "cases": int(d.size),
                "difference": round(test.value, 3),
                "ci": f"[{round(test.low, 3)}, {round(test.high, 3)}]",
                "p_signflip": round(flip.p, 6) if math.isfinite(flip.p) else None,
            }
        )
    return out


def cohort_shares(
    vectors: Mapping[str, Mapping[str, float]], responders: Mapping[str, bool]
) -> tuple[dict[str, float], dict[str, float], Floats, list[str]]:
    """(d), one cohort: each patient's k-NN and leave-one-out response share among the labelled.

    ``vectors``: every patient's gene statistics; ``responders``: the labelled ones (R = True).
    A patient without a label gets a share too (from the labelled others), for the survival
    table. Returns k-NN share, group share (patient -> value), the similarity matrix and its
    patient order.
    """
    pids = sorted(vectors)
    sim = similarity([vectors[p] for p in pids], ["cohort"] * len(pids))
    y = np.array([[responders.get(p, False)] for p in pids])
    m = np.array([[p in responders] for p in pids])
    knn, group = neighbour_share(y, m, sim), neighbour_share(y, m, sim, every=True)
    return (
        {p: float(v) for p, v in zip(pids, knn[:, 0], strict=True) if math.isfinite(v)},
        {p: float(v) for p, v in zip(pids, group[:, 0], strict=True) if math.isfinite(v)},
        sim,
        pids,
    )


def knn_null(
    cohorts: Sequence[tuple[Floats, Bools, Bools]], *, seed: int, n: int = NULL_PERMUTATIONS
) -> dict[str, object]:
    """Pooled R/NR AUROC of the k-NN share when the gene statistics are reassigned at random.

    ``cohorts``: per cohort its similarity matrix, responder and labelled flags (patient order
    of the matrix). Each permutation moves every cohort's similarity rows and columns together
    (which patient's statistics sit with which label), keeping the labels and the
    leave-one-out rule, so the null carries the leave-one-out bias the module describes.
    Returns the observed pooled AUROC, the permutations' mean and 95th percentile and the
    one-sided p = (1 + #{null >= observed}) / (1 + n).
    """

    def pooled(perms: Sequence[npt.NDArray[np.int64] | None]) -> float:
        scores, labels = [], []
        for (sim, y, m), perm in zip(cohorts, perms, strict=True):
            s = sim if perm is None else sim[np.ix_(perm, perm)]
            share = neighbour_share(y[:, None], m[:, None], s)[:, 0]
            keep = m & np.isfinite(share)
            scores.append(share[keep])
            labels.append(y[keep])
        x, lab = np.concatenate(scores), np.concatenate(labels)
        return auroc(x, lab) if lab.any() and not lab.all() else math.nan

    rng = np.random.default_rng(seed)
    observed = pooled([None] * len(cohorts))
    null = np.array([pooled([rng.permutation(len(c[1])) for c in cohorts]) for _ in range(n)])
    null = null[np.isfinite(null)]
    if not math.isfinite(observed) or null.size == 0:
        return {"observed": None, "null_mean": None, "null_95th": None, "p": None}
    return {
        "observed": round(observed, 3),
        "null_mean": round(float(null.mean()), 3),
        "null_95th": round(float(np.percentile(null, 95)), 3),
        "p": round((1 + int((null >= observed).sum())) / (1 + null.size), 6),
        "permutations": int(null.size),
        "seed": seed,
    }


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m benchmarks.neighbours DIR/cross/c_pdxe.npz``: :func:`own_differences` of a
    saved (c) run (:meth:`CaseScores.save_cross`), all drugs and within approved."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("cross", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--boot", type=int, default=2000)
    args = ap.parse_args(argv)
    _, cross = load_cross(args.cross)
    for suffix in ("", "_approved"):
        for row in own_differences(cross, seed=args.seed, n_boot=args.boot, suffix=suffix):
            print(suffix or "all", *row.values(), sep="\t")


if __name__ == "__main__":
    main()
