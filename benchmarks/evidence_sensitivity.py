"""How fragile is each personal gain? ``python -m benchmarks.evidence_sensitivity`` (stop 50).

Stop 49's rule called a ranker of a part a *personal gain* when the bootstrap 95 % CI of its own
− swapped-patient AUROC gain is above 0 over at least 15 cases and its bootstrap p, Holm-adjusted
over the part's family, is below 0.05; "rule" below means that rule. This script's first run
showed the bootstrap p too small at 19 cases, and since stop 50 the product
(:mod:`medtwin.platform.evidence`) reads the sign-flip p instead ("rule with sign-flip p"), and
since stop 51 a gain must pass the reassignment p too ("sign-flip and reassignment both"). From
the per-case gains that the evidence file (or a harness result) keeps, this script asks what a
sceptical reviewer would, without re-running the harness:

- **Another test.** The exact sign-flip permutation p of the same mean gain
  (:func:`medtwin.platform.algorithms.controls.sign_flip_test`), Holm-adjusted over the same
  distinct tests (:func:`benchmarks.personal.correct_family`), and the rule's verdict with it in
  place of the bootstrap p. The bootstrap p has a floor of 2/(B + 1); the sign-flip p has none,
  and is exact in small samples when each case's gain is symmetric about 0 under H0.
- **One case fewer.** Leave-one-case-out: each case of the part left out in turn, every row's
  gain, bootstrap CI and p recomputed (same resamples and seed as the harness) and Holm applied
  again over the part; per row the smallest gain and CI lower end and which case it was, and the
  cases whose removal alone undoes the (bootstrap) rule's verdict (it *hangs on one case*).

Stop 51 adds, where the part's cross-AUROC matrices are at hand (``cross/<part>.npz`` beside a
harness result, or ``--cross DIR``), the **reassignment p** (rankings permuted among the cases,
:func:`medtwin.platform.algorithms.controls.reassignment_test`; from the row when the result
holds it) with its Holm-adjusted value and the rule's verdict with it, and for both permutation
tests a **leave-one-case-out** of the product's kind (each case out, the test and Holm redone:
the sign-flip p vectorised from one seeded sign matrix, the reassignment p from one set of
assignments closed around the left-out case), naming the cases whose removal undoes a verdict.

The bootstrap figures are recomputed from the per-case gains first and compared with the ones
the file holds (a mismatch is printed: then the file and its gains disagree). Per part it prints
one table per gain (all drugs, within approved drugs) and, with ``--out``, writes a forest plot
``evidence_forest_<part>.png`` and ``evidence_sensitivity.json``. Measurement only: nothing of
the product is changed here.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from benchmarks.personal import (
    EVIDENCE_PARTS,
    CrossMatrices,
    add_reassignment,
    add_sign_flip,
    correct_family,
    load_cross,
)
from medtwin.platform.algorithms.controls import (
    BootstrapResult,
    bootstrap_mean_test,
    reassignment_without_each,
    sign_flip_without_each,
)
from medtwin.platform.evidence import _verdict as rule_verdict

DEFAULT_EVIDENCE = Path(__file__).resolve().parents[1] / (
    "src/medtwin/platform/personal_evidence.json"
)
FAMILY_KINDS = ("default", "method", "combination")
SEEDS = 20
"""Bootstrap seeds (0 … 19) the rule is re-applied with: a verdict that changes with the seed
sits on the line by the resamples' chance, whichever case is left out."""
GAINS = (("", "all drugs"), ("_approved", "within approved drugs"))


@dataclass(frozen=True)
class LeaveOneOut:
    """A row's figures with each case left out in turn (module docstring)."""

    min_gain: float
    min_gain_case: str
    min_low: float
    min_low_case: str
    max_p_adj: float | None
    """The largest Holm-adjusted bootstrap p over the leave-outs."""
    max_p_adj_case: str
    """Its case; empty when every leave-out gives the same adjusted p."""
    lost_without: tuple[str, ...]
    """Cases whose removal alone undoes the rule's verdict (empty when it holds, or was no)."""


@dataclass(frozen=True)
class LeaveOneOutTest:
    """A permutation test's verdict with each case left out in turn (Holm redone each time)."""

    max_p_adj: float | None
    max_p_adj_case: str
    lost_without: tuple[str, ...]
    """Cases whose removal alone undoes this test's gain verdict."""


@dataclass(frozen=True)
class RowSensitivity:
    """One ranker's gain under the rule, the sign-flip test and leave-one-case-out."""

    ranker: str
    cases: int
    auroc: float | None
    gain: float
    low: float
    high: float
    p_bootstrap: float | None
    p_bootstrap_adj: float | None
    p_signflip: float | None
    p_signflip_adj: float | None
    family: int | None
    verdict_rule: str
    verdict_signflip: str
    seeds_gain: int
    """Of :data:`SEEDS` bootstrap seeds, how many give the rule's verdict ``gain``."""
    loo: LeaveOneOut | None
    p_perm: float | None = None
    """Reassignment p, two-sided (as the sign-flip p); ``None`` without the matrices."""
    p_perm_adj: float | None = None
    p_perm_greater: float | None = None
    p_perm_greater_adj: float | None = None
    verdict_perm: str = "n/a"
    verdict_perm_greater: str = "n/a"
    """The rule with the one-sided reassignment p (H1 "own better", the design's claim)."""
    loo_signflip: LeaveOneOutTest | None = None
    loo_perm: LeaveOneOutTest | None = None
    loo_perm_greater: LeaveOneOutTest | None = None


def read_parts(path: Path) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Each part's rows (``ranker`` and ``kind`` set) and the provenance, from either file kind.

    An evidence file (``{"provenance", "parts"}``) or a harness result (``a_personal`` …); a row
    without per-case gains (a file written before stop 50) is refused with the fix.
    """
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise SystemExit(f"{path}: not readable as JSON ({e})") from e
    parts: dict[str, list[dict[str, Any]]] = {}
    if isinstance(data, dict) and isinstance(data.get("parts"), dict):
        provenance = data.get("provenance") or {}
        for label, table in data["parts"].items():
            parts[label] = [{"ranker": name, **row} for name, row in table.items()]
    elif isinstance(data, dict) and any(key in data for key, _ in EVIDENCE_PARTS):
        provenance = {"params": data.get("params") or {}, "sign_flip": data.get("sign_flip")}
        for key, label in EVIDENCE_PARTS:
            rows = data.get(key)
            rows = rows.get("per_patient") if isinstance(rows, dict) else rows
            if isinstance(rows, list):
                parts[label] = copy.deepcopy(rows)
    else:
        raise SystemExit(
            f"{path}: neither an evidence file (no 'parts') nor a validate_twins result (no "
            "a_personal, b_personal or c_pdxe); pass src/medtwin/platform/personal_evidence.json "
            "or out/validation/validate_twins_abc.json"
        )
    for label, rows in parts.items():
        for row in rows:
            row.setdefault("kind", _kind(str(row["ranker"])))
        if not any("per_case_gain" in r for r in rows if r["kind"] in FAMILY_KINDS):
            raise SystemExit(
                f"{path}: part {label!r} has no per-case gains (written before stop 50); pass "
                "the run's validate_twins_abc.json, or rewrite the file with python -m "
                "benchmarks.validate_twins --evidence-from RESULT.json --evidence-out FILE"
            )
    return parts, provenance


def read_cross(path: Path, cross_dir: Path | None = None) -> dict[str, CrossMatrices]:
    """Each part's cross-AUROC matrices (by the part's label) kept beside ``path`` or in
    ``cross_dir`` (``<part key>.npz``, :meth:`benchmarks.personal.CaseScores.save_cross`)."""
    folder = cross_dir if cross_dir is not None else path.parent / "cross"
    out = {}
    for key, label in EVIDENCE_PARTS:
        npz = folder / f"{key}.npz"
        if npz.exists():
            out[label] = load_cross(npz)[1]
    return out


def _kind(ranker: str) -> str:
    """A row's kind from its name (evidence files before stop 50 hold no ``kind``)."""
    for prefix, kind in (("method: ", "method"), ("combo: ", "combination"), ("prior: ", "prior")):
        if ranker.startswith(prefix):
            return kind
    return "default" if ranker.startswith("default") else "other"


def _values(gains: Mapping[str, float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in gains.values()]


def _ci_text(low: float, high: float) -> str:
    """The CI as the harness stores it (3 decimals), which is what the rule reads."""
    return f"[{round(low, 3)}, {round(high, 3)}]"


@lru_cache(maxsize=4096)
def _bootstrap(values: tuple[float, ...], n_boot: int, seed: int) -> BootstrapResult:
    """:func:`bootstrap_mean_test`, once per distinct set of gains (rows often share theirs)."""
    return bootstrap_mean_test(values, n_boot=n_boot, seed=seed)


def _tested_rows(
    rows: Sequence[Mapping[str, Any]], suffix: str, drop: str | None, n_boot: int, seed: int
) -> list[dict[str, Any]]:
    """The family rows of one gain with their bootstrap test recomputed (``drop``: a case out)."""
    out = []
    for row in rows:
        gains = row.get(f"per_case_gain{suffix}")
        if row["kind"] not in FAMILY_KINDS or not isinstance(gains, Mapping):
            continue
        kept = {c: v for c, v in gains.items() if c != drop}
        test = _bootstrap(tuple(_values(kept)), n_boot, seed)
        mean, low, high, p = test.value, test.low, test.high, test.p
        n = sum(1 for v in kept.values() if v is not None)
        out.append(
            {
                "ranker": row["ranker"],
                "kind": row["kind"],
                f"per_case_gain{suffix}": kept,
                f"gain{suffix}_p": round(p, 6) if math.isfinite(p) else None,
                "_figures": (n, mean, low, high),
            }
        )
    return out


def _verdict(row: Mapping[str, Any], suffix: str, p_field: str) -> str:
    n, _, low, high = row["_figures"]
    return rule_verdict(
        {"gain_ci": _ci_text(low, high), "cases": n, "p_adj": row.get(f"gain{suffix}_{p_field}")}
    )


def analyse_gain(
    rows: Sequence[Mapping[str, Any]],
    suffix: str,
    *,
    n_boot: int,
    seed: int,
    cross: CrossMatrices | None = None,
) -> tuple[list[RowSensitivity], list[str]]:
    """One part's family under both tests and leave-one-case-out, and any figure that differs.

    ``suffix``: ``""`` (all drugs) or ``"_approved"``. The second value lists the rows whose
    recomputed bootstrap gain, CI or p differ from the ones the file holds.
    """
    tested = _tested_rows(rows, suffix, None, n_boot, seed)
    add_sign_flip(tested, seed=seed)
    stored = {r["ranker"]: r for r in rows}
    if cross is not None:
        add_reassignment(tested, cross, seed=seed)
    else:  # the harness's own, when the result holds it
        for row in tested:
            for field in ("p_perm", "p_perm_greater"):
                row[f"gain{suffix}_{field}"] = stored[row["ranker"]].get(f"gain{suffix}_{field}")
    correct_family(tested)
    mismatches = []
    for row in tested:
        n, mean, low, high = row["_figures"]
        held = stored[row["ranker"]]
        if (held.get(f"gain{suffix}_ci"), held.get(f"gain{suffix}_p")) != (
            _ci_text(low, high),
            row[f"gain{suffix}_p"],
        ):
            mismatches.append(
                f"{row['ranker']} ({suffix or 'all'}): file {held.get(f'gain{suffix}_ci')} p "
                f"{held.get(f'gain{suffix}_p')}, recomputed {_ci_text(low, high)} p "
                f"{row[f'gain{suffix}_p']}"
            )
    loo, loo_tests = _leave_one_out(rows, tested, suffix, n_boot=n_boot, seed=seed, cross=cross)
    seeds_gain = dict.fromkeys((r["ranker"] for r in tested), 0)
    for other in range(SEEDS):
        reseeded = _tested_rows(rows, suffix, None, n_boot, other)
        correct_family(reseeded)
        for row in reseeded:
            seeds_gain[row["ranker"]] += _verdict(row, suffix, "p_adj") == "gain"
    out = []
    for row in tested:
        n, mean, low, high = row["_figures"]
        out.append(
            RowSensitivity(
                ranker=row["ranker"],
                cases=n,
                auroc=stored[row["ranker"]].get(f"auroc{suffix}"),
                gain=mean,
                low=low,
                high=high,
                p_bootstrap=row[f"gain{suffix}_p"],
                p_bootstrap_adj=row[f"gain{suffix}_p_adj"],
                p_signflip=row[f"gain{suffix}_p_signflip"],
                p_signflip_adj=row[f"gain{suffix}_p_signflip_adj"],
                family=row[f"gain{suffix}_family"],
                verdict_rule=_verdict(row, suffix, "p_adj"),
                verdict_signflip=_verdict(row, suffix, "p_signflip_adj"),
                seeds_gain=seeds_gain[row["ranker"]],
                loo=loo.get(row["ranker"]),
                p_perm=row.get(f"gain{suffix}_p_perm"),
                p_perm_adj=row.get(f"gain{suffix}_p_perm_adj"),
                p_perm_greater=row.get(f"gain{suffix}_p_perm_greater"),
                p_perm_greater_adj=row.get(f"gain{suffix}_p_perm_greater_adj"),
                verdict_perm=(
                    _verdict(row, suffix, "p_perm_adj")
                    if row.get(f"gain{suffix}_p_perm_adj") is not None
                    else "n/a"
                ),
                verdict_perm_greater=(
                    _verdict(row, suffix, "p_perm_greater_adj")
                    if row.get(f"gain{suffix}_p_perm_greater_adj") is not None
                    else "n/a"
                ),
                loo_signflip=loo_tests["p_signflip"].get(row["ranker"]),
                loo_perm=loo_tests["p_perm"].get(row["ranker"]),
                loo_perm_greater=loo_tests["p_perm_greater"].get(row["ranker"]),
            )
        )
    return out, mismatches


@lru_cache(maxsize=512)
def _sign_flip_loo(values: tuple[float, ...], seed: int) -> tuple[float, ...]:
    """:func:`sign_flip_without_each`, once per distinct set of gains."""
    return tuple(sign_flip_without_each(values, seed=seed).p.tolist())


def _permutation_loo(
    tested: Sequence[Mapping[str, Any]], suffix: str, seed: int, cross: CrossMatrices | None
) -> dict[str, dict[str, dict[str, float]]]:
    """Per test field, ranker and left-out case: the test's p without that case.

    A case a row has no gain for leaves its p as it was (not in the dict).
    """
    out: dict[str, dict[str, dict[str, float]]] = {
        "p_signflip": {},
        "p_perm": {},
        "p_perm_greater": {},
    }
    for row in tested:
        gains = row[f"per_case_gain{suffix}"]
        names = list(gains)
        p = _sign_flip_loo(tuple(_values(gains)), seed)
        out["p_signflip"][row["ranker"]] = {
            c: round(v, 6) for c, v in zip(names, p, strict=True) if math.isfinite(v)
        }
        matrix = (cross or {}).get(row["ranker"], ([], {}))[1].get(suffix)
        if matrix is not None and matrix.shape[0] >= 3 and matrix.shape[0] == len(names):
            loo = reassignment_without_each(matrix, seed=seed)
            for field, values in (("p_perm", loo.p_two_sided), ("p_perm_greater", loo.p_greater)):
                out[field][row["ranker"]] = {
                    c: round(float(v), 6) for c, v in zip(names, values, strict=True)
                }
    return out


def _leave_one_out(
    rows: Sequence[Mapping[str, Any]],
    tested: Sequence[Mapping[str, Any]],
    suffix: str,
    *,
    n_boot: int,
    seed: int,
    cross: CrossMatrices | None = None,
) -> tuple[dict[str, LeaveOneOut], dict[str, dict[str, LeaveOneOutTest]]]:
    """Every family row's figures with each case out in turn, Holm over the part each time.

    Second value: per permutation test (``p_signflip``, ``p_perm``) and ranker, its largest
    adjusted p over the leave-outs and the cases whose removal undoes its gain verdict.
    """
    called = {r["ranker"] for r in tested if _verdict(r, suffix, "p_adj") == "gain"}
    cases = sorted({c for r in tested for c in r[f"per_case_gain{suffix}"]})
    runs: dict[str, list[tuple[str, float, float, str, float]]] = {r["ranker"]: [] for r in tested}
    loo_p = _permutation_loo(tested, suffix, seed, cross)
    full = {r["ranker"]: r for r in tested}
    test_runs: dict[str, dict[str, list[tuple[str, str, float]]]] = {
        field: {r["ranker"]: [] for r in tested} for field in loo_p
    }
    for case in cases:
        without = _tested_rows(rows, suffix, case, n_boot, seed)
        for row in without:
            for field, by_ranker in loo_p.items():
                held = full[row["ranker"]].get(f"gain{suffix}_{field}")
                if field.startswith("p_perm") and row["ranker"] not in by_ranker:
                    held = None  # no matrix: no reassignment p without this case either
                row[f"gain{suffix}_{field}"] = by_ranker.get(row["ranker"], {}).get(case, held)
        correct_family(without)
        for row in without:
            for field in loo_p:
                p_adj = row.get(f"gain{suffix}_{field}_adj")
                if p_adj is not None:
                    verdict = _verdict(row, suffix, f"{field}_adj")
                    test_runs[field][row["ranker"]].append((case, verdict, p_adj))
        for row in without:  # a row without this case (no AUROC there) keeps its figures
            _, mean, low, _ = row["_figures"]
            verdict = _verdict(row, suffix, "p_adj")
            p_adj = row[f"gain{suffix}_p_adj"]
            runs[row["ranker"]].append(
                (case, mean, low, verdict, math.nan if p_adj is None else p_adj)
            )
    out = {}
    for ranker, seen in runs.items():
        finite = [s for s in seen if math.isfinite(s[1])]
        if not finite:
            continue
        by_gain = min(finite, key=lambda s: s[1])
        by_low = min(finite, key=lambda s: s[2])
        by_p = max(finite, key=lambda s: -1.0 if math.isnan(s[4]) else s[4])
        lost = tuple(c for c, _, _, v, _ in finite if ranker in called and v != "gain")
        worst = None if math.isnan(by_p[4]) else by_p[4]
        # no case to name when every leave-out gives the same adjusted p (often 1)
        worst_case = by_p[0] if len({s[4] for s in finite}) > 1 else ""
        out[ranker] = LeaveOneOut(
            by_gain[1], by_gain[0], by_low[2], by_low[0], worst, worst_case, lost
        )
    tests: dict[str, dict[str, LeaveOneOutTest]] = {field: {} for field in test_runs}
    for field, by_ranker in test_runs.items():
        for ranker, seen_test in by_ranker.items():
            if not seen_test:
                continue
            was_gain = _verdict(full[ranker], suffix, f"{field}_adj") == "gain"
            top = max(seen_test, key=lambda s: s[2])
            tests[field][ranker] = LeaveOneOutTest(
                top[2],
                top[0] if len({s[2] for s in seen_test}) > 1 else "",
                tuple(c for c, v, _ in seen_test if was_gain and v != "gain"),
            )
    return out, tests


def _p_text(p: float | None) -> str:
    if p is None:
        return "n/a"
    return f"{p:.1e}" if 0 < p < 0.001 else f"{p:.3g}"


def _verdict_text(verdict: str) -> str:
    return "**gain**" if verdict == "gain" else verdict


def _loo_text(row: RowSensitivity, n_cases: int) -> tuple[str, str, str, str]:
    loo = row.loo
    if loo is None:
        return ("n/a", "n/a", "n/a", "—")
    held = "—"
    if row.verdict_rule == "gain":
        lost = loo.lost_without
        named = "; ".join(lost[:3]) + ("; …" if len(lost) > 3 else "")  # names hold commas
        held = (
            f"lost without {len(lost)} of {n_cases} ({named})"
            if lost
            else f"holds ({n_cases} of {n_cases})"
        )
    return (
        f"{loo.min_gain:+.3f} ({loo.min_gain_case})",
        f"{loo.min_low:+.3f} ({loo.min_low_case})",
        _p_text(loo.max_p_adj) + (f" ({loo.max_p_adj_case})" if loo.max_p_adj_case else ""),
        held,
    )


def _loo_test_text(loo: LeaveOneOutTest | None, verdict: str, n_cases: int) -> tuple[str, str]:
    """A permutation test's leave-one-out columns: largest adjusted p (case), held or lost."""
    if loo is None:
        return ("n/a", "—")
    worst = _p_text(loo.max_p_adj) + (f" ({loo.max_p_adj_case})" if loo.max_p_adj_case else "")
    if verdict != "gain":
        return (worst, "—")
    lost = loo.lost_without
    named = "; ".join(lost[:3]) + ("; …" if len(lost) > 3 else "")
    held = f"lost without {len(lost)} of {n_cases} ({named})" if lost else "holds"
    return (worst, held)


def table(rows: Sequence[RowSensitivity], n_cases: int) -> str:
    """One gain of one part as a markdown table (the columns of the module docstring)."""
    lines = [
        "| ranker | cases | gain [95 % CI] | bootstrap p | adjusted | sign-flip p | adjusted "
        "| reassignment p | adjusted | one-sided p | adjusted "
        "| LOO min gain (case left out) | LOO min CI low (case) | LOO max adjusted p (case) "
        "| rule (bootstrap p) | rule with sign-flip p (product in stop 50) "
        "| rule with reassignment p "
        "| rule without one case | LOO max adjusted sign-flip p (case) | sign-flip rule without "
        "one case | LOO max adjusted reassignment p (case) | reassignment rule without one case "
        "| rule with one-sided reassignment p | LOO max adjusted one-sided p (case) "
        f"| one-sided rule without one case | rule gain over {SEEDS} seeds |",
        "|" + "---|" * 26,
    ]
    for r in rows:
        gain, low, p_adj, held = _loo_text(r, n_cases)
        sf_worst, sf_held = _loo_test_text(r.loo_signflip, r.verdict_signflip, n_cases)
        pm_worst, pm_held = _loo_test_text(r.loo_perm, r.verdict_perm, n_cases)
        pg_worst, pg_held = _loo_test_text(r.loo_perm_greater, r.verdict_perm_greater, n_cases)
        lines.append(
            f"| {r.ranker} | {r.cases} | {r.gain:+.3f} [{r.low:.3f}, {r.high:.3f}] "
            f"| {_p_text(r.p_bootstrap)} | {_p_text(r.p_bootstrap_adj)} "
            f"| {_p_text(r.p_signflip)} | {_p_text(r.p_signflip_adj)} "
            f"| {_p_text(r.p_perm)} | {_p_text(r.p_perm_adj)} | {_p_text(r.p_perm_greater)} "
            f"| {_p_text(r.p_perm_greater_adj)} "
            f"| {gain} | {low} | {p_adj} "
            f"| {_verdict_text(r.verdict_rule)} | {_verdict_text(r.verdict_signflip)} "
            f"| {_verdict_text(r.verdict_perm)} | {held} | {sf_worst} | {sf_held} "
            f"| {pm_worst} | {pm_held} | {_verdict_text(r.verdict_perm_greater)} | {pg_worst} "
            f"| {pg_held} | {r.seeds_gain} |"
        )
    return "\n".join(lines).replace("-0.000", "0.000")


def summary(rows: Sequence[RowSensitivity]) -> str:
    """Which verdicts the two tests share, and which hang on one case."""
    rule = {r.ranker for r in rows if r.verdict_rule == "gain"}
    flip = {r.ranker for r in rows if r.verdict_signflip == "gain"}
    perm = {r.ranker for r in rows if r.verdict_perm == "gain"}
    has_perm = any(r.p_perm is not None for r in rows)
    fragile_flip = [r.ranker for r in rows if r.loo_signflip and r.loo_signflip.lost_without]
    fragile_perm = [r.ranker for r in rows if r.loo_perm and r.loo_perm.lost_without]
    fragile = [r.ranker for r in rows if r.loo is not None and r.loo.lost_without]
    family = next((r.family for r in rows if r.family is not None), None)
    return (
        f"Holm over {family} distinct tests; gains by the rule: {len(rule)}, with the sign-flip "
        f"p: {len(flip)}, both: {len(rule & flip)}; rule only: {sorted(rule - flip) or 'none'}; "
        f"sign-flip only: {sorted(flip - rule) or 'none'}; rule gains that one case undoes: "
        f"{fragile or 'none'}; with the reassignment p: "
        + (
            f"{len(perm)} (sign-flip and reassignment both, the product since stop 51: "
            f"{len(flip & perm)}; sign-flip only: "
            f"{sorted(flip - perm) or 'none'}; reassignment only: {sorted(perm - flip) or 'none'})"
            if has_perm
            else "n/a (no matrices)"
        )
        + f"; sign-flip gains that one case undoes: {fragile_flip or 'none'}; reassignment gains "
        f"that one case undoes: {fragile_perm or 'none'}"
    )


def forest_plot(
    label: str,
    by_gain: Mapping[str, Sequence[RowSensitivity]],
    priors: Mapping[str, float],
    path: Path,
) -> None:
    """A part's rankers: own-patient AUROC beside the priors', and each gain with its CI.

    First panel: each ranker's mean AUROC (all drugs), the priors' AUROCs as dashed reference
    lines (they are the same for every patient, so their own − swapped gain is 0 by
    construction: the dotted line of the gain panels). Then one panel per gain (all drugs,
    within approved drugs). Filled: called a gain by the rule (green: the sign-flip p agrees,
    orange: it does not); open: not a gain; a red cross: a rule gain that leaving one case out
    undoes.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = next(iter(by_gain.values()))
    names = [r.ranker for r in first]
    height = 0.3 * len(names) + 2.4
    fig, axes = plt.subplots(
        1, 1 + len(by_gain), figsize=(5 + 6 * len(by_gain), height), sharey=True,
        gridspec_kw={"width_ratios": [0.7] + [1.0] * len(by_gain)},
    )  # fmt: skip
    ax = axes[0]
    ax.plot([r.auroc for r in first], range(len(first)), "s", color="#1f4e79", ms=5)
    for (prior, value), style in zip(priors.items(), ("--", "-.", ":", "--"), strict=False):
        ax.axvline(value, color="#8a2be2", lw=1.0, ls=style, label=f"prior: {prior} {value:.3f}")
    ax.axvline(0.5, color="k", lw=0.6)
    ax.set_title("mean AUROC, own patient (all drugs)", fontsize=10)
    ax.set_xlabel("AUROC")
    ax.legend(fontsize=7, loc="lower left", frameon=True)
    for ax, (title, rows) in zip(axes[1:], by_gain.items(), strict=True):
        for y, r in enumerate(rows):
            called = r.verdict_rule == "gain"
            colour = (
                ("#2a9d3a" if r.verdict_signflip == "gain" else "#e07b00") if called else "#777"
            )
            ax.plot([r.low, r.high], [y, y], color=colour, lw=1.6)
            face = colour if called else "white"
            ax.plot(r.gain, y, "o", ms=6, color=colour, markerfacecolor=face)
            if r.verdict_perm == "gain":  # the reassignment p (stop 51) agrees on a gain
                ax.plot(r.low, y, "D", ms=5, color="#1f4e79")
            if r.loo is not None and r.loo.lost_without:
                ax.plot(r.high, y, "x", ms=7, color="#c00000")
        ax.axvline(0.0, color="k", lw=0.9, ls=":")
        ax.set_title(f"gain, {title}", fontsize=10)
        ax.set_xlabel("own − swapped-patient AUROC, 95 % bootstrap CI")
    axes[0].set_yticks(range(len(names)), names, fontsize=8)
    axes[0].invert_yaxis()
    keys = (
        ("o", "#2a9d3a", "#2a9d3a", "gain by the rule and with the sign-flip p"),
        ("o", "#e07b00", "#e07b00", "gain by the rule, not with the sign-flip p"),
        ("o", "#777", "white", "no gain by the rule"),
        ("x", "#c00000", "#c00000", "rule gain undone by leaving one case out"),
        ("D", "#1f4e79", "#1f4e79", "gain with the reassignment p (at the CI's low end)"),
    )
    handles = [
        plt.Line2D([], [], marker=m, color=c, markerfacecolor=f, ls="", label=text)
        for m, c, f, text in keys
    ]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=8, frameon=False)
    fig.suptitle(f"{label}: priors' gain is 0 by construction (dotted)", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _case_count(rows: Sequence[Mapping[str, Any]], suffix: str) -> int:
    """Cases with a gain in any family row of the part (a row may cover fewer)."""
    return len(
        {
            case
            for r in rows
            if r["kind"] in FAMILY_KINDS
            for case, v in (r.get(f"per_case_gain{suffix}") or {}).items()
            if v is not None
        }
    )


def analyse(
    parts: Mapping[str, Sequence[Mapping[str, Any]]],
    provenance: Mapping[str, Any],
    cross: Mapping[str, CrossMatrices] | None = None,
) -> dict[str, Any]:
    """Every part, both gains: rows, mismatches, the priors' AUROCs (what main prints)."""
    boot = (provenance.get("params") or {}).get("bootstrap") or {}
    n_boot, seed = int(boot.get("resamples", 2000)), int(boot.get("seed", 0))
    out: dict[str, Any] = {"bootstrap": {"resamples": n_boot, "seed": seed}, "parts": {}}
    for label, rows in parts.items():
        part: dict[str, Any] = {"gains": {}, "mismatches": [], "priors": {}}
        for suffix, name in GAINS:
            analysed, mismatches = analyse_gain(
                rows, suffix, n_boot=n_boot, seed=seed, cross=(cross or {}).get(label)
            )
            part["gains"][name] = {"cases": _case_count(rows, suffix), "rows": analysed}
            part["mismatches"] += mismatches
        part["priors"] = {
            str(r["ranker"]).removeprefix("prior: "): float(r["auroc"])
            for r in rows
            if r["kind"] == "prior" and isinstance(r.get("auroc"), int | float)
        }
        out["parts"][label] = part
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the tables (or ``--json``); with ``--out``, the forest plots and the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--evidence",
        type=Path,
        default=DEFAULT_EVIDENCE,
        help="an evidence file with per-case gains (default: the shipped one) or a "
        "validate_twins result JSON",
    )
    ap.add_argument(
        "--cross",
        type=Path,
        help="the parts' cross-AUROC matrices (<part key>.npz, the harness's cross/ folder) for "
        "the reassignment p and its leave-one-out; default: cross/ beside --evidence",
    )
    ap.add_argument("--out", type=Path, help="write evidence_forest_<part>.png and the JSON here")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the tables")
    args = ap.parse_args(argv)
    parts, provenance = read_parts(args.evidence)
    result = analyse(parts, provenance, read_cross(args.evidence, args.cross))
    doc = json.loads(json.dumps(result, default=asdict))
    doc["source"] = {"file": str(args.evidence), "provenance_date": provenance.get("date")}
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "evidence_sensitivity.json").write_text(json.dumps(doc, indent=1) + "\n")
        for label, part in result["parts"].items():
            by_gain = {name: g["rows"] for name, g in part["gains"].items()}
            path = args.out / f"evidence_forest_{label.split(':')[0]}.png"
            forest_plot(label, by_gain, part["priors"], path)
    if args.json:
        print(json.dumps(doc, indent=1))
        return 0
    for label, part in result["parts"].items():
        for name, g in part["gains"].items():
            print(f"\n### {label} — {name}, {g['cases']} cases\n")
            print(table(g["rows"], g["cases"]))
            print(f"\n{summary(g['rows'])}")
        for line in part["mismatches"]:
            print(f"warning: recomputed figure differs from the file: {line}", file=sys.stderr)
    if args.out is not None:
        print(f"\nwrote {args.out}/evidence_forest_*.png and evidence_sensitivity.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
