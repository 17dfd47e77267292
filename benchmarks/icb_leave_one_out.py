"""(d) leave-one-patient-out: does one patient carry a ranker's reassignment p?

``python -m benchmarks.icb_leave_one_out --result DIR/validate_twins_d.json`` reads the patients a
``--parts d`` run keeps (``d_icb.patients``: cohort, outcomes, each ranker's position of the
received drug) and, per outcome of :mod:`benchmarks.icb_outcomes` (C vs OS, C vs PFS, τ-b vs
RECIST), leaves each patient out in turn and recomputes every ranker's two-sided reassignment p
of own − swapped (within cohorts) and its Holm adjustment over the table's distinct rankers, as
:func:`benchmarks.icb_outcomes.correct_outcomes` forms the family (anchors out, identical
positions one test). Per ranker: the largest adjusted p over the leave-outs and the patients whose
removal alone lifts an adjusted p below 0.05 to 0.05 or more.

Why a loop, not :func:`medtwin.platform.algorithms.controls.reassignment_without_each`'s trick:
there a case's removal changes the statistic by three matrix entries, so one set of assignments
serves every leave-out. Here own − swapped is a sum over *pairs* of patients and the swapped term
of every pair in the patient's cohort is a mean over that cohort's others, so a removal changes
O(patients) terms of every assignment — recomputing the reduced statistic costs the same. Each
leave-out draws its own ``n_random`` seeded assignments (the same seed each time, as
:func:`benchmarks.icb_outcomes._reassignment`); fewer than the table's 100,000: 149 leave-outs
× 10 non-constant rankers at 10,000 each are a few CPU-minutes (Monte-Carlo standard error of a
p near 0.003: ``sqrt(p / n_random)``, 0.0005 at 10,000). Measurement only: nothing here feeds a
rule.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.declared_family import Adjusted, holm_declared, later_ranker
from benchmarks.icb_outcomes import MIN_PATIENTS, OUTCOMES, _float, _mapping
from medtwin.errors import InputError
from medtwin.platform.algorithms.concordance import (
    harrell_c_gain_form,
    kendall_tau_b_gain_form,
    reassignment_gain_test,
)

LOO_ASSIGNMENTS = 10_000
Floats = npt.NDArray[np.float64]
ALPHA = 0.05


def ranker_positions(
    patients: Sequence[Mapping[str, object]],
) -> dict[str, npt.NDArray[np.float64]]:
    """Ranker -> each patient's position of the received drug (NaN: none), in the table's order."""
    names: dict[tuple[str, str], None] = {}
    for p in patients:
        for ranker, by_drug in _mapping(p.get("positions")).items():
            for drug in _mapping(by_drug):
                names[(ranker, drug)] = None
    return {
        ranker: np.array(
            [_float(_mapping(_mapping(p.get("positions")).get(ranker)).get(drug)) for p in patients]
        )
        for ranker, drug in names
    }


def reassignment_p(
    kind: str,
    score: npt.NDArray[np.float64],
    outcome: Sequence[npt.NDArray[np.float64]],
    cohort: npt.NDArray[np.str_],
    keep: npt.NDArray[np.bool_],
    *,
    seed: int,
    n_random: int,
) -> float:
    """Two-sided reassignment p of own − swapped on the patients ``keep`` and known (NaN: none).

    As :func:`benchmarks.icb_outcomes._reassignment` (rounded to 6 places as the table is), on
    the patients with a position and the outcome among ``keep``.
    """
    known = keep & np.isfinite(score) & np.all([np.isfinite(o) for o in outcome], axis=0)
    if known.sum() < MIN_PATIENTS:
        return math.nan
    s, y, g = score[known], [o[known] for o in outcome], cohort[known]
    try:
        form = (
            kendall_tau_b_gain_form(s, y[0], g)
            if kind == "recist"
            else harrell_c_gain_form(s, y[0], y[1], g)
        )
    except InputError:  # τ-b of a constant position, or a cohort too small for "others"
        return math.nan
    return round(reassignment_gain_test(form, g, seed=seed, n_random=n_random).p_two_sided, 6)


def holm_by_key(pvalues: Mapping[bytes, float], later: Collection[bytes] = ()) -> Adjusted[bytes]:
    """Holm over the distinct tests (finite p only), as ``correct_outcomes`` forms the family:
    a key in ``later`` (only rows of methods added after the declaration have it) is adjusted as
    the declared family's (m + 1)-th test (:mod:`benchmarks.declared_family`)."""
    return holm_declared((k, p, k in later) for k, p in pvalues.items() if math.isfinite(p))


def _outcome(kind: str, columns: Mapping[str, npt.NDArray[np.float64]]) -> list[Floats]:
    if kind == "recist":
        return [columns["recist"]]
    return [columns[f"{kind}_time"], columns[f"{kind}_event"]]


def _columns(patients: Sequence[Mapping[str, object]]) -> dict[str, Floats]:
    fields = ("os_time", "os_event", "pfs_time", "pfs_event", "recist")
    return {f: np.array([_float(p.get(f)) for p in patients]) for f in fields}


def patient_ids(patients: Sequence[Mapping[str, object]]) -> list[str]:
    """``cohort:patient`` of each patient, as the rows name them."""
    return [f"{p['cohort']}:{p.get('patient')}" for p in patients]


def raw_p_without_each(
    patients: Sequence[Mapping[str, object]],
    ranker: str,
    kind: str,
    *,
    seed: int = 0,
    n_random: int = LOO_ASSIGNMENTS,
) -> dict[str, float]:
    """One ranker's unadjusted two-sided reassignment p with each patient (with the outcome)
    left out: a screen for the leave-outs worth a larger count (``--screen``)."""
    cohort = np.array([str(p["cohort"]) for p in patients])
    outcome = _outcome(kind, _columns(patients))
    score = ranker_positions(patients)[ranker]
    has_outcome = np.all([np.isfinite(o) for o in outcome], axis=0)
    out: dict[str, float] = {}
    names = patient_ids(patients)
    for i in np.flatnonzero(has_outcome):
        keep = np.ones(len(patients), dtype=bool)
        keep[i] = False
        out[names[i]] = reassignment_p(
            kind, score, outcome, cohort, keep, seed=seed, n_random=n_random
        )
    return out


def leave_one_out(
    patients: Sequence[Mapping[str, object]],
    *,
    seed: int = 0,
    n_random: int = LOO_ASSIGNMENTS,
    log: Callable[[str], None] | None = None,
    outcomes: Sequence[str] = OUTCOMES,
    leave_outs: Collection[str] | None = None,
) -> list[dict[str, object]]:
    """Per outcome and ranker (anchors out): adjusted p on everyone, its largest over the
    leave-outs and the patients whose removal alone undoes an adjusted p < :data:`ALPHA`.

    Both on everyone and per leave-out the p comes from ``n_random`` assignments with ``seed``,
    so "undone" compares like with like (the table's own p used 100,000). ``leave_outs``: only
    these patients (``cohort:patient``) are left out, each row keeping every leave-out's
    adjusted p (``loo_p_perm_adj``) — for a larger count on the few leave-outs a screen picked.
    """
    cohort = np.array([str(p["cohort"]) for p in patients])
    ids = patient_ids(patients)
    columns = _columns(patients)
    positions = ranker_positions(patients)
    keys = {r: s.tobytes() for r, s in positions.items()}
    distinct = {k: r for r, k in reversed(keys.items())}  # first ranker of each key names it
    later = set(keys.values()) - {k for r, k in keys.items() if not later_ranker(r)}
    out: list[dict[str, object]] = []
    everyone = np.ones(len(patients), dtype=bool)
    for kind in outcomes:
        outcome = _outcome(kind, columns)

        def family(
            keep: npt.NDArray[np.bool_],
            kind: str = kind,
            outcome: list[npt.NDArray[np.float64]] = outcome,
        ) -> Adjusted[bytes]:
            p = {
                k: reassignment_p(
                    kind, positions[r], outcome, cohort, keep, seed=seed, n_random=n_random
                )
                for k, r in distinct.items()
            }
            return holm_by_key(p, later)

        started = time.time()
        tests = family(everyone)
        full = tests.p
        has_outcome = np.all([np.isfinite(o) for o in outcome], axis=0)
        if leave_outs is not None:
            has_outcome &= np.isin(np.array(ids), list(leave_outs))
        worst = dict(full)
        undone: dict[bytes, list[str]] = {k: [] for k in full}
        each: dict[bytes, dict[str, float]] = {k: {} for k in full}
        for i in np.flatnonzero(has_outcome):
            keep = everyone.copy()
            keep[i] = False
            adjusted = family(keep).p
            for k, p in adjusted.items():
                worst[k] = max(worst.get(k, p), p)
                each.setdefault(k, {})[ids[i]] = round(p, 6)
                if full.get(k, 1.0) < ALPHA <= p:
                    undone.setdefault(k, []).append(ids[i])
        if log is not None:
            log(f"(d) {kind}: {int(has_outcome.sum())} leave-outs, {time.time() - started:.0f} s")
        for ranker, key in keys.items():
            if key not in full:
                continue
            out.append(
                {
                    "outcome": kind,
                    "ranker": ranker,
                    "family": tests.family(key),
                    "p_perm_adj": round(full[key], 6),
                    "loo_p_perm_adj_max": round(worst[key], 6),
                    "undone_by": undone.get(key, []),
                    "leave_outs": int(has_outcome.sum()),
                    **({"loo_p_perm_adj": each.get(key, {})} if leave_outs is not None else {}),
                }
            )
    return out


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--result", type=Path, required=True, help="validate_twins_d.json of a run")
    ap.add_argument("--out", type=Path, help="write the rows as JSON here")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--assignments", type=int, default=LOO_ASSIGNMENTS)
    ap.add_argument("--outcomes", nargs="+", choices=OUTCOMES, default=list(OUTCOMES))
    ap.add_argument(
        "--leave-out", nargs="+", metavar="COHORT:PATIENT", help="only these leave-outs"
    )
    ap.add_argument(
        "--screen",
        metavar="RANKER",
        help="print this ranker's unadjusted p with each patient out (per outcome), largest first",
    )
    args = ap.parse_args(argv)
    try:
        doc = json.loads(args.result.read_text())
        patients = doc["d_icb"]["patients"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit(
            f"{args.result}: no d_icb.patients ({e}); give the validate_twins_d.json of a "
            "`python -m benchmarks.validate_twins --parts d` run"
        ) from None
    if args.screen:
        return _screen(patients, args.screen, args.outcomes, args.seed, args.assignments, args.out)
    unknown = set(args.leave_out or ()) - set(patient_ids(patients))
    if unknown:
        raise SystemExit(
            f"{args.result}: no patient {', '.join(sorted(unknown))}; name them as "
            "COHORT:PATIENT, e.g. Van_Allen:Pat03"
        )
    rows = leave_one_out(
        patients,
        seed=args.seed,
        n_random=args.assignments,
        log=lambda m: print(m, file=sys.stderr, flush=True),
        outcomes=args.outcomes,
        leave_outs=args.leave_out,
    )
    print("| outcome | ranker | Holm m | adjusted p (all) | largest adjusted p, LOO | undone by |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        undone = ", ".join(r["undone_by"]) or "—"  # type: ignore[arg-type]
        print(
            f"| {r['outcome']} | {r['ranker']} | {r['family']} | {r['p_perm_adj']:.4g} | "
            f"{r['loo_p_perm_adj_max']:.4g} | {undone} |"
        )
    if args.out:
        args.out.write_text(
            json.dumps({"seed": args.seed, "assignments": args.assignments, "rows": rows}, indent=1)
        )
    return rows


def _screen(
    patients: Sequence[Mapping[str, object]],
    ranker: str,
    outcomes: Sequence[str],
    seed: int,
    n_random: int,
    out: Path | None,
) -> list[dict[str, object]]:
    if ranker not in ranker_positions(patients):
        raise SystemExit(f"no ranker {ranker!r} in the result; name one of its positions' keys")
    rows: list[dict[str, object]] = []
    for kind in outcomes:
        raw = raw_p_without_each(patients, ranker, kind, seed=seed, n_random=n_random)
        for name, p in sorted(raw.items(), key=lambda kv: -kv[1]):
            rows.append({"outcome": kind, "ranker": ranker, "left_out": name, "p_perm": p})
            print(f"{kind}\t{name}\t{p:.6g}")
    if out:
        out.write_text(json.dumps({"seed": seed, "assignments": n_random, "screen": rows}))
    return rows


if __name__ == "__main__":
    main()
