r"""(c) per treatment, leave one out: is a row's frame carried by one tumour or one treatment?

``python -m benchmarks.per_treatment_loo --inputs DIR/per_treatment/c_pdxe.npz`` reads the inputs a
``python -m benchmarks.validate_twins --parts c --out DIR`` run keeps beside its result
(:func:`benchmarks.per_treatment_frame.save_frame_inputs`) and recomputes the per-treatment
table's frame figures (stop 52: growth-adjusted and growth-partialled Spearman, bootstrap CI over
treatments, two-sided permutation p on the table's 10,000 within-type permutations, seed 0, Holm
over the table's distinct rankers) three ways:

- on every tumour (with ``--result``, checked against the fields the run wrote);
- with each tumour of the table left out in turn (it leaves every treatment it was tested with; a
  treatment left with fewer than :data:`~benchmarks.per_treatment_frame.MIN_TUMOURS` tumours
  leaves the ranker's mean) and out of the pool of rankings the permutations draw from;
- with each treatment left out in turn (from every ranker's mean, observed and permuted).

Each leave-out re-forms the Holm family (identical per-treatment statistics one test, controls out)
and re-adjusts, as the table does. Per reported row: the largest adjusted p over the leave-outs,
the leave-outs whose removal alone lifts an adjusted p below :data:`ALPHA` to ``ALPHA`` or more,
and how many leave-outs keep the row in the frame (CI above 0 over ≥ 15 treatments and adjusted
p < ``ALPHA``).

**One set of permutations for every leave-out.** Removing tumour ``j`` from a permutation ``π``
within its type — the tumour that had ``j``'s ranking takes the one ``j`` had (``π'(k) = π(j)``
where ``π(k) = j``) — gives a uniform permutation of the other tumours of the type (each ``π'``
comes from exactly as many ``π``), so the table's 10,000 draws serve every leave-out
(:func:`without_tumour`): the leave-outs differ by the removal, not by Monte-Carlo noise, and the
everyone figures are the table's own. **Ranks by counting.** The moved scores of a treatment are
codes of one column's values, so each permutation's average ranks are counts (values below plus
half the ties, :func:`row_ranks`) instead of a sort per row — the step that made a leave-out cost
as much as the table. Measurement only: nothing here feeds a rule.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.per_treatment_frame import (
    FRAME_PERMUTATIONS,
    MIN_TUMOURS,
    FrameInputs,
    holm_rows,
    load_frame_inputs,
    null_means,
    permutation_p,
    ranked_spearman,
    row_partial_spearman,
    row_spearman,
)
from benchmarks.validate_twins import _type_permutations
from medtwin.platform.algorithms.controls import bootstrap_mean_ci, spearman

ALPHA = 0.05
MIN_TREATMENTS = 15
"""The frame's CI counts only over at least this many treatments (stop 52)."""
GROWTH_CONTROL = "control: tumour growth (no drug information)"
CANDIDATES = (
    "method: regulator_network",
    "combo: tier + regulator methods (no proximity)",
    "combo: tier + proximity + all regulator methods",
)
"""The rows stop 52 named candidates for the next PDXE set (§15.1 of regulators_dev.md)."""
REPORTED = ("default", *CANDIDATES, GROWTH_CONTROL)
TESTS = ("growth_adjusted", "growth_partial")
"""The two figures of the frame; ``<test>_p_two_sided`` is Holm-adjusted over the family."""
FAMILY_OR_GROWTH = ("default", "method", "combination")

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def without_tumour(perms: Ints, j: int) -> Ints:
    """The permutations with tumour ``j`` left out: whoever had ``j``'s ranking takes ``j``'s.

    ``perms[b, k]``: the tumour whose ranking tumour ``k`` gets in permutation ``b``; column
    ``j`` of the result is meaningless (``j`` is in no case any more).

    >>> without_tumour(np.array([[1, 0, 2], [0, 1, 2], [2, 1, 0]]), 0).tolist()
    [[1, 1, 2], [0, 1, 2], [2, 1, 2]]
    """
    out = perms.copy()
    rows, cols = np.nonzero(perms == j)
    out[rows, cols] = perms[rows, j]
    return out


def row_ranks(codes: Ints, levels: int) -> Floats:
    """Average ranks along each row of integer ``codes`` in ``[0, levels)``, equal codes tied.

    Values below plus half of the ties, counted per row (``scipy.stats.rankdata`` of each row).

    >>> row_ranks(np.array([[2, 0, 2, 1], [0, 0, 0, 1]]), 3).tolist()
    [[3.5, 1.0, 3.5, 2.0], [2.0, 2.0, 2.0, 4.0]]
    """
    b = codes.shape[0]
    flat = codes + levels * np.arange(b, dtype=np.int64)[:, None]
    counts = np.bincount(flat.ravel(), minlength=b * levels).reshape(b, levels)
    below = (np.cumsum(counts, axis=1) - counts).ravel().astype(np.float64)
    counts = counts.ravel().astype(np.float64)
    return np.asarray(below[flat] + (counts[flat] + 1.0) / 2.0, dtype=np.float64)


@dataclass(frozen=True)
class RankerRow:
    """One ranker's per-treatment statistics: observed and under each permutation."""

    columns: list[int]
    """The treatments (columns of the inputs) in the ranker's mean."""
    adjusted: Floats
    """Per treatment: Spearman of the score with the growth-adjusted shrinkage."""
    partial: Floats
    """Per treatment: partial Spearman with the raw shrinkage given the growth control's score."""
    adjusted_null: Floats
    """``(treatments, permutations)``: the same under each permutation."""
    partial_null: Floats


def growth_scores(inputs: FrameInputs) -> Floats:
    """The growth control's score of each tumour (NaN: none), as the table partials on."""
    return np.asarray(inputs.scores[inputs.rankers.index(GROWTH_CONTROL)][:, 0], dtype=np.float64)


def ranker_row(
    inputs: FrameInputs,
    r: int,
    perms: Ints,
    *,
    drop: int | None = None,
    min_tumours: int = MIN_TUMOURS,
) -> RankerRow:
    """Ranker ``r``'s per-treatment statistics without tumour ``drop`` (``perms`` already
    without it, :func:`without_tumour`), as ``validate_pdxe`` and ``frame_fields`` compute them."""
    scores = inputs.scores[r]
    growth = growth_scores(inputs)
    _, type_of = np.unique(np.array(inputs.types), return_inverse=True)
    keep = inputs.tested & np.isfinite(scores)
    if drop is not None:
        keep[drop] = False
    cols: list[int] = []
    obs: list[tuple[float, float]] = []
    nulls: list[tuple[Floats, Floats]] = []
    for c in range(scores.shape[1]):
        ps = np.flatnonzero(keep[:, c])
        if ps.size < min_tumours:
            continue
        x, adj = scores[ps, c], inputs.adjusted[ps, c]
        shrink, z = inputs.shrinkage[ps, c], growth[ps]
        cols.append(c)
        obs.append((spearman(x, adj), float(row_partial_spearman(x, shrink, z)[0])))
        pool = np.isin(type_of, type_of[ps])  # the tumours a permutation draws from
        nulls.append(_null(scores[:, c], pool, perms[:, ps], adj, shrink, z))
    b = perms.shape[0]
    return RankerRow(
        columns=cols,
        adjusted=np.array([o[0] for o in obs], dtype=np.float64),
        partial=np.array([o[1] for o in obs], dtype=np.float64),
        adjusted_null=np.array([n[0] for n in nulls], dtype=np.float64).reshape(len(cols), b),
        partial_null=np.array([n[1] for n in nulls], dtype=np.float64).reshape(len(cols), b),
    )


def _null(
    column: Floats,
    pool: npt.NDArray[np.bool_],
    sources: Ints,
    adj: Floats,
    shrink: Floats,
    growth: Floats,
) -> tuple[Floats, Floats]:
    """Both statistics under each permutation (``sources[b]``: whose scores the cases get,
    all from ``pool``)."""
    known = np.isfinite(column[pool]).all()
    if known and np.isfinite(np.concatenate([adj, shrink, growth])).all():
        values, codes = np.unique(column[pool], return_inverse=True)
        code_of = np.zeros(column.size, dtype=np.int64)
        code_of[pool] = codes
        return ranked_spearman(row_ranks(code_of[sources], values.size), adj, shrink, growth)
    # something unknown: the table's general functions re-rank each row's known entries
    moved = column[sources]
    return row_spearman(moved, adj), row_partial_spearman(moved, shrink, growth)


def figures(
    row: RankerRow, *, n_boot: int, seed: int, skip_column: int | None = None
) -> dict[str, object]:
    """The frame's figures of a ranker's row, optionally without one treatment column."""
    sel = [k for k, c in enumerate(row.columns) if c != skip_column]
    out: dict[str, object] = {"treatments": int(np.isfinite(row.adjusted[sel]).sum())}
    for test, observed, null in (
        ("growth_adjusted", row.adjusted[sel], row.adjusted_null[sel]),
        ("growth_partial", row.partial[sel], row.partial_null[sel]),
    ):
        ci = bootstrap_mean_ci(observed, n_boot=n_boot, seed=seed)
        mean, lo, hi = ci.value, ci.low, ci.high
        _, two, _ = permutation_p(mean, null_means(list(null)))
        out[f"{test}_spearman"] = mean
        out[f"{test}_ci"] = (lo, hi)
        # rounded as the table writes it, before Holm adjusts it (so the adjusted p are the table's)
        out[f"{test}_p_two_sided"] = round(two, 6) if math.isfinite(two) else two
    out["key"] = repr([float(v) for v in row.adjusted[sel]])
    return out


def family_figures(
    inputs: FrameInputs,
    rows: Mapping[int, RankerRow],
    *,
    n_boot: int,
    seed: int,
    skip_column: int | None = None,
) -> dict[str, dict[str, object]]:
    """Every computed ranker's figures with ``<test>_p_two_sided_adj`` (Holm over the family)
    and ``frame_family`` (Holm's m of the growth-adjusted p), as the table adjusts them."""
    out: dict[str, dict[str, object]] = {}
    for r, row in rows.items():
        f = figures(row, n_boot=n_boot, seed=seed, skip_column=skip_column)
        f.update(ranker=inputs.rankers[r], kind=inputs.kinds[r])
        out[inputs.rankers[r]] = f
    listed = list(out.values())
    keys = [str(f["key"]) for f in listed]
    sizes = holm_rows(listed, "growth_adjusted_p_two_sided", keys)
    holm_rows(listed, "growth_partial_p_two_sided", keys)
    for f, size in zip(listed, sizes, strict=True):
        f["frame_family"] = size  # as the table counts it
    return out


def in_frame(f: Mapping[str, object], test: str) -> bool:
    """CI above 0 over ≥ 15 treatments and Holm-adjusted two-sided p below :data:`ALPHA`."""
    lo = f[f"{test}_ci"][0]  # type: ignore[index]
    p = f.get(f"{test}_p_two_sided_adj")
    n = f["treatments"]
    return (
        isinstance(p, float)
        and p < ALPHA
        and isinstance(n, int)
        and n >= MIN_TREATMENTS
        and math.isfinite(lo)
        and lo > 0
    )


def computed_rankers(inputs: FrameInputs) -> dict[int, int]:
    """Ranker index -> the index whose identical scores stand for it (family and growth only).

    Rankers with identical scores give identical rows: each is computed once.
    """
    out: dict[int, int] = {}
    firsts: list[int] = []
    for r, (name, kind) in enumerate(zip(inputs.rankers, inputs.kinds, strict=True)):
        if kind not in FAMILY_OR_GROWTH and name != GROWTH_CONTROL:
            continue
        same = next(
            (f for f in firsts if np.array_equal(inputs.scores[f], inputs.scores[r], True)), None
        )
        if same is None:
            firsts.append(r)
        out[r] = r if same is None else same
    return out


def all_rows(
    inputs: FrameInputs,
    perms: Ints,
    *,
    drop: int | None = None,
    min_tumours: int = MIN_TUMOURS,
    held: Mapping[int, RankerRow] | None = None,
) -> dict[int, RankerRow]:
    """:func:`ranker_row` of every family ranker and the growth control; those in ``held``
    are not recomputed but take the row given there."""
    held = held or {}
    stands = computed_rankers(inputs)
    done = {
        r: ranker_row(inputs, r, perms, drop=drop, min_tumours=min_tumours)
        for r in sorted(set(stands.values()))
        if r not in held
    }
    return {r: held[s] if s in held else done[s] for r, s in stands.items()}


def table_tumours(inputs: FrameInputs, min_tumours: int = MIN_TUMOURS) -> list[int]:
    """Tumours in at least one reported ranker's per-treatment mean (the leave-outs)."""
    out: set[int] = set()
    for r, name in enumerate(inputs.rankers):
        if name not in REPORTED:
            continue
        keep = inputs.tested & np.isfinite(inputs.scores[r])
        full = keep[:, keep.sum(axis=0) >= min_tumours]
        out.update(np.flatnonzero(full.any(axis=1)).tolist())
    return sorted(out)


LOO_PERMUTATIONS = 2_000
"""Permutations of each tumour leave-out: the table's first 2,000 (CPU: a leave-out of every
ranker at 10,000 costs ~20 s, ×60 tumours too long on a loaded machine); the leave-outs that
decide are confirmed on all 10,000 (:data:`CONFIRM`)."""
CONFIRM = 2
MAX_CONFIRM = 6
"""At most this many deciding leave-outs are confirmed (the largest adjusted p first)."""
HOLD_ABOVE = 0.2
"""A row outside the reported ones whose two-sided p on everyone is above this on both figures is
not recomputed per tumour leave-out (its everyone figures stay in the Holm family): it only moves
a candidate's adjusted p by falling below it, from above 0.2 by removing one of 113 tumours. The
confirmed leave-outs recompute every row on all permutations."""
"""Per candidate and figure, this many leave-outs with the largest adjusted p (and every one
that undoes p < ALPHA) are recomputed on all the table's permutations."""


def first_permutations(row: RankerRow, k: int) -> RankerRow:
    """The row as the first ``k`` permutations give it (the same draws, fewer of them)."""
    return RankerRow(
        row.columns, row.adjusted, row.partial, row.adjusted_null[:, :k], row.partial_null[:, :k]
    )


def leave_one_out(
    inputs: FrameInputs,
    *,
    seed: int = 0,
    n_perm: int = FRAME_PERMUTATIONS,
    loo_perm: int = LOO_PERMUTATIONS,
    confirm: int = CONFIRM,
    max_confirm: int = MAX_CONFIRM,
    hold_above: float = HOLD_ABOVE,
    workers: int = 1,
    n_boot: int = 2000,
    min_tumours: int = MIN_TUMOURS,
    log: Callable[[str], None] | None = None,
    checkpoint: Callable[[dict[str, object]], None] | None = None,
    tumours: bool = True,
    only: Collection[str] | None = None,
) -> dict[str, object]:
    """Everyone, each tumour out, each treatment out: the reported rows' figures (module).

    Keys: ``everyone`` (all ``n_perm`` permutations), ``everyone_loo`` (their first
    ``loo_perm``), ``tumour_out`` (each tumour out, first ``loo_perm``), ``tumour_out_confirmed``
    (the deciding tumours out, all ``n_perm``; held rows at their everyone figures on all
    ``n_perm``), ``treatment_out`` (each treatment out, all). ``checkpoint`` gets the result after
    each stage (everyone and treatments, tumours, confirmed). ``only``: leave out these tumours
    alone (by name; e.g. the ones a coarse run left unconfirmed, on all permutations).
    """
    types = dict(zip(inputs.tumours, inputs.types, strict=True))
    perms = np.array(_type_permutations(inputs.tumours, types, n_perm, seed))
    started = time.time()

    def say(msg: str) -> None:
        if log is not None:
            log(f"{msg} ({time.time() - started:.0f} s)")

    def figures_of(rows: Mapping[int, RankerRow], **kw: int) -> dict[str, dict[str, object]]:
        return family_figures(inputs, rows, n_boot=n_boot, seed=seed, **kw)

    with ProcessPoolExecutor(max_workers=workers) if workers > 1 else nullcontext() as pool:

        def run(job: Callable[[int], object], items: list[int]) -> Iterator[object]:
            return pool.map(job, items) if pool is not None else map(job, items)

        stands = computed_rankers(inputs)
        firsts = sorted(set(stands.values()))
        job = partial(_ranker_row, inputs, perms, min_tumours=min_tumours)
        done = dict(zip(firsts, run(job, firsts), strict=True))
        rows: dict[int, RankerRow] = {r: done[s] for r, s in stands.items()}  # type: ignore[misc]
        everyone = figures_of(rows)
        coarse = {r: first_permutations(row, loo_perm) for r, row in rows.items()}
        held = [
            r
            for r, name in enumerate(inputs.rankers)
            if r in rows and name not in REPORTED and _far(everyone[name], hold_above)
        ]
        say(f"(c) everyone; {len(held)} rows held at their everyone figures per tumour leave-out")
        columns = sorted({c for row in rows.values() for c in row.columns})
        result: dict[str, object] = {
            "permutations": n_perm,
            "loo_permutations": loo_perm,
            "held": [inputs.rankers[r] for r in held],
            "hold_above": hold_above,
            "everyone": _reported(everyone),
            "everyone_all": {k: _plain(v) for k, v in everyone.items()},
            "everyone_loo": _reported(figures_of(coarse)),
            "treatment_out": {
                inputs.treatments[c]: _reported(figures_of(rows, skip_column=c)) for c in columns
            },
            "per_treatment_adjusted": {
                name: {
                    inputs.treatments[c]: float(rows[r].adjusted[k])
                    for k, c in enumerate(rows[r].columns)
                }
                for r, name in enumerate(inputs.rankers)
                if name in REPORTED and r in rows
            },
            "types": types,
            "tumour_out": {},
            "tumour_out_confirmed": {},
        }
        if checkpoint is not None:
            checkpoint(result)
        leave_outs = table_tumours(inputs, min_tumours) if tumours else []
        if only is not None:
            leave_outs = [j for j in leave_outs if inputs.tumours[j] in only]
        job = partial(
            _tumour_out, inputs, perms[:loo_perm], {r: coarse[r] for r in held},
            min_tumours=min_tumours, n_boot=n_boot, seed=seed,
        )  # fmt: skip
        tumour_out: dict[str, object] = {}
        for step, (j, figs) in enumerate(zip(leave_outs, run(job, leave_outs), strict=True)):
            tumour_out[inputs.tumours[j]] = figs
            if step % 10 == 9:
                say(f"(c) {step + 1} of {len(leave_outs)} tumours left out")
        result["tumour_out"] = tumour_out
        if checkpoint is not None:
            checkpoint(result)
        chosen = [inputs.tumours.index(name) for name in deciding(result, confirm)[:max_confirm]]
        job = partial(
            _tumour_out, inputs, perms, {r: rows[r] for r in held},
            min_tumours=min_tumours, n_boot=n_boot, seed=seed,
        )  # fmt: skip
        result["tumour_out_confirmed"] = {
            inputs.tumours[j]: figs for j, figs in zip(chosen, run(job, chosen), strict=True)
        }
    say(f"(c) {len(tumour_out)} tumours, {len(columns)} treatments left out")
    return result


def _ranker_row(inputs: FrameInputs, perms: Ints, r: int, *, min_tumours: int) -> RankerRow:
    return ranker_row(inputs, r, perms, min_tumours=min_tumours)


def _far(figs: Mapping[str, object], above: float) -> bool:
    """Both two-sided p (unadjusted, all permutations) above ``above``."""
    ps = [figs.get(f"{test}_p_two_sided") for test in TESTS]
    return all(isinstance(p, float) and p > above for p in ps)


def _tumour_out(
    inputs: FrameInputs,
    perms: Ints,
    held: Mapping[int, RankerRow],
    j: int,
    *,
    min_tumours: int,
    n_boot: int,
    seed: int,
) -> dict[str, dict[str, object]]:
    """The reported rows' figures with tumour ``j`` left out (one worker's task)."""
    rows = all_rows(inputs, without_tumour(perms, j), drop=j, min_tumours=min_tumours, held=held)
    return _reported(family_figures(inputs, rows, n_boot=n_boot, seed=seed))


def deciding(result: Mapping[str, object], confirm: int) -> list[str]:
    """The tumour leave-outs worth all the permutations, most deciding first: per figure (the
    growth-adjusted first: the candidates pass there) and candidate, the ``confirm`` largest
    adjusted p, then every leave-out that undoes p < ALPHA, largest adjusted p first."""
    out: dict[str, None] = {}
    for test in TESTS:
        undoing: list[tuple[float, str]] = []
        for name in CANDIDATES:
            if name not in result["everyone_loo"]:  # type: ignore[operator]
                continue
            t = summarise(result, name, "tumour_out", "everyone_loo")[test]  # type: ignore[index]
            ranked = sorted(((p, k) for k, p in t["loo_p_adj"].items()), reverse=True)
            out.update(dict.fromkeys(k for _, k in ranked[:confirm]))
            undoing += [(t["loo_p_adj"][k], k) for k in t["undone_by"]]
        out.update(dict.fromkeys(k for _, k in sorted(undoing, reverse=True)))
    return list(out)


def _reported(fig: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, object]]:
    return {name: _plain(fig[name]) for name in REPORTED if name in fig}


def _plain(f: Mapping[str, object]) -> dict[str, object]:
    out = {k: v for k, v in f.items() if k != "key"}
    for test in TESTS:
        out[f"in_frame_{test}"] = in_frame(f, test)
    return out


def summarise(
    result: Mapping[str, object], ranker: str, by: str, base: str = "everyone"
) -> dict[str, object]:
    """Per test: the ``base`` adjusted p, the largest over the leave-outs ``by`` (a key of
    :func:`leave_one_out`) and which leave-out gives it, the leave-outs that alone undo an
    adjusted p < ALPHA, and how many keep the row in the frame."""
    everyone = result[base][ranker]  # type: ignore[index]
    outs: Mapping[str, Mapping[str, Mapping[str, object]]] = result[by]  # type: ignore[assignment]
    out: dict[str, object] = {"leave_outs": len(outs)}
    for test in TESTS:
        field = f"{test}_p_two_sided_adj"
        if everyone.get(field) is None:  # a control: outside the family, its own p
            field = f"{test}_p_two_sided"
        p_base = everyone.get(field)
        values = {k: v[ranker].get(field) for k, v in outs.items() if ranker in v}
        finite = {k: p for k, p in values.items() if isinstance(p, float)}
        worst = max(finite, key=lambda k: finite[k]) if finite else None
        means = [float(v[ranker][f"{test}_spearman"]) for v in outs.values() if ranker in v]
        out[test] = {
            "spearman": everyone.get(f"{test}_spearman"),
            "p_adj": p_base,
            "adjusted": field.endswith("_adj"),
            "in_frame": everyone.get(f"in_frame_{test}"),
            "spearman_range": (min(means), max(means)) if means else None,
            "loo_p_adj": finite,
            "loo_p_adj_max": finite[worst] if worst else None,
            "loo_p_adj_max_at": worst,
            "loo_p_adj_min": min(finite.values()) if finite else None,
            "undone_by": sorted(
                k for k, p in finite.items() if isinstance(p_base, float) and p_base < ALPHA <= p
            ),
            "in_frame_kept": sum(bool(v[ranker].get(f"in_frame_{test}")) for v in outs.values()),
        }
    return out


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=Path, help="DIR/per_treatment/<key>.npz")
    ap.add_argument("--result", type=Path, help="the run's validate_twins_c.json: check against it")
    ap.add_argument("--key", default="c_pdxe", help="the result's (c) key the inputs belong to")
    ap.add_argument("--out", type=Path, help="write the figures as JSON here")
    ap.add_argument(
        "--tables", type=Path, help="print the tables of a saved --out JSON (no recomputing)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--permutations", type=int, default=FRAME_PERMUTATIONS)
    ap.add_argument("--loo-permutations", type=int, default=LOO_PERMUTATIONS)
    ap.add_argument("--confirm", type=int, default=CONFIRM)
    ap.add_argument("--max-confirm", type=int, default=MAX_CONFIRM)
    ap.add_argument(
        "--everyone-only", action="store_true", help="everyone and the treatment leave-outs only"
    )
    ap.add_argument("--hold-above", type=float, default=HOLD_ABOVE)
    ap.add_argument("--workers", type=int, default=1, help="processes for the tumour leave-outs")
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument(
        "--tumours", nargs="+", metavar="TUMOUR", help="leave out only these tumours (e.g. X-1600)"
    )
    args = ap.parse_args(argv)
    if args.tables is not None:
        saved = json.loads(args.tables.read_text())
        if args.result is not None:
            print(f"check: {check_against(saved, args.result, args.key)}", file=sys.stderr)
        print_tables(saved)
        print_carriers(saved)
        return dict(saved)
    if args.inputs is None:
        raise SystemExit("give --inputs DIR/per_treatment/c_pdxe.npz (or --tables LOO.json)")
    try:
        inputs = load_frame_inputs(args.inputs)
    except (OSError, KeyError, ValueError) as e:
        raise SystemExit(
            f"{args.inputs}: not the per-treatment inputs of a (c) run ({e}); give "
            "DIR/per_treatment/c_pdxe.npz of "
            "`python -m benchmarks.validate_twins --parts c --out DIR`"
        ) from None
    if args.tumours is not None:
        listed = {inputs.tumours[j] for j in table_tumours(inputs)}
        unknown = sorted(set(args.tumours) - listed)
        if unknown:
            raise SystemExit(
                f"{args.inputs}: {', '.join(unknown)} not in the per-treatment table's tumours; "
                f"name them as the inputs do, e.g. {min(listed)}"
            )
    result = leave_one_out(
        inputs,
        seed=args.seed,
        n_perm=args.permutations,
        loo_perm=args.loo_permutations,
        confirm=args.confirm,
        max_confirm=args.max_confirm,
        hold_above=args.hold_above,
        workers=args.workers,
        n_boot=args.boot,
        log=lambda m: print(m, file=sys.stderr, flush=True),
        checkpoint=None if args.out is None else partial(_write, args.out),
        tumours=not args.everyone_only,
        only=args.tumours,
    )
    if args.result is not None:
        result["check"] = check_against(result, args.result, args.key)
        print(f"check against {args.result}: {result['check']}", file=sys.stderr)
    print_tables(result)
    print_carriers(result)
    if args.out is not None:
        args.out.write_text(json.dumps(result, indent=1, default=_json))
    return result


def check_against(result: Mapping[str, object], path: Path, key: str) -> str:
    """The everyone figures against the run's per-treatment rows (rounded as it writes them)."""
    rows = {r["ranker"]: r for r in json.loads(path.read_text())[key]["per_treatment"]}
    differences = []
    for name, f in result["everyone_all"].items():  # type: ignore[attr-defined]
        row = rows.get(name)
        if row is None:
            differences.append(f"{name}: not in the result")
            continue
        for test in TESTS:
            pairs = [
                (f"{test}_spearman", _r3(f[f"{test}_spearman"])),
                (f"{test}_p_two_sided", _r6(f[f"{test}_p_two_sided"])),
                (f"{test}_p_two_sided_adj", f.get(f"{test}_p_two_sided_adj")),
            ]
            for field, mine in pairs:
                theirs = row.get(field)
                if isinstance(theirs, float) and not math.isfinite(theirs):
                    theirs = None  # the table writes an undefined mean as NaN, this as None
                if theirs != mine:
                    differences.append(f"{name} {field}: {theirs} vs {mine}")
    return "identical" if not differences else "; ".join(differences)


def print_tables(result: Mapping[str, object]) -> None:
    for by, base, what in (
        ("tumour_out", "everyone_loo", f"tumour ({result['loo_permutations']} permutations)"),
        ("tumour_out_confirmed", "everyone", f"tumour, confirmed ({result['permutations']})"),
        ("treatment_out", "everyone", f"treatment ({result['permutations']} permutations)"),
    ):
        print(f"\n#### leave one {what} out\n")
        print(
            "| ranker | figure | Spearman (all) | adjusted p (all) | in the frame (all) | "
            "Spearman range, one out | largest adjusted p (which) | smallest adjusted p | "
            "whose removal alone undoes p < 0.05 | leave-outs in the frame |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name in REPORTED:
            if name not in result[base]:  # type: ignore[operator]
                continue
            s = summarise(result, name, by, base)
            for test in TESTS:
                t = s[test]  # type: ignore[index]
                if t["spearman_range"] is None or not math.isfinite(t["spearman"]):
                    continue
                lo, hi = t["spearman_range"]
                undone = t["undone_by"]
                print(
                    f"| {name} | {test.replace('_', '-')} | {t['spearman']:.3f} | "
                    f"{_fmt(t['p_adj'])}{'' if t['adjusted'] else ' (raw)'} | "
                    f"{'yes' if t['in_frame'] else 'no'} | "
                    f"{lo:.3f} – {hi:.3f} | {_fmt(t['loo_p_adj_max'])} ({t['loo_p_adj_max_at']}) | "
                    f"{_fmt(t['loo_p_adj_min'])} | "
                    f"{(f'{len(undone)}: ' + ', '.join(undone)) if undone else '—'} | "
                    f"{t['in_frame_kept']} of {s['leave_outs']} |"
                )


def print_carriers(result: Mapping[str, object], top: int = 3) -> None:
    """Per reported row, the treatments whose removal lowers its growth-adjusted mean most."""
    print("\n#### which treatments carry the growth-adjusted mean (all 10,000 permutations)\n")
    print(
        "| ranker | mean (all) | treatment: its Spearman → mean without it, adjusted p without it |"
    )
    print("|---|---|---|")
    outs: Mapping[str, Mapping[str, Mapping[str, object]]] = result["treatment_out"]  # type: ignore[assignment]
    own: Mapping[str, Mapping[str, float]] = result["per_treatment_adjusted"]  # type: ignore[assignment]
    for name in REPORTED:
        if name not in own:
            continue
        everyone = result["everyone"][name]  # type: ignore[index]
        field = "growth_adjusted_p_two_sided_adj"
        if everyone.get(field) is None:
            field = "growth_adjusted_p_two_sided"
        without = sorted(
            (float(v[name]["growth_adjusted_spearman"]), t) for t, v in outs.items() if name in v
        )[:top]
        cells = "; ".join(
            f"{t}: {own[name][t]:.3f} → {m:.3f}, {_fmt(outs[t][name].get(field))}"
            for m, t in without
        )
        print(f"| {name} | {float(everyone['growth_adjusted_spearman']):.3f} | {cells} |")


def _write(path: Path, result: Mapping[str, object]) -> None:
    path.write_text(json.dumps(result, indent=1, default=_json))


def _fmt(p: object) -> str:
    return f"{p:.3g}" if isinstance(p, float) else "—"


def _r3(x: object) -> float | None:
    return round(float(x), 3) if isinstance(x, float) and math.isfinite(x) else None


def _r6(x: object) -> float | None:
    return round(float(x), 6) if isinstance(x, float) and math.isfinite(x) else None


def _json(x: object) -> object:
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(type(x))


if __name__ == "__main__":
    main()
