"""(d) on continuous responses: survival and RECIST of the checkpoint cohorts, own vs swapped.

The R / NR AUROC of :mod:`benchmarks.validate_icb` reads one bit per patient. The clinical tables
also give overall survival (``survival_time_os``, ``event_occurred_os``), progression-free
survival (``survival_time_pfs``, ``event_occurred_pfs``), the best RECIST response (``recist``,
PD < SD < PR < CR) and the tumour mutational burden (``nsTMB_perMb``, nonsynonymous mutations per
Mb; Samstein R.M. et al. Tumor mutational load predicts survival after immunotherapy across
multiple cancer types. Nat Genet 51, 202–206 (2019), doi:10.1038/s41588-018-0312-8), also for
patients without an R / NR label. Per ranker (and per anchor: the IFN-γ signature, TMB) the
received drug's position in each patient's ranking (higher = ranked better) is scored by

- Harrell's C against OS and PFS, pooled as a stratified C (pairs within a cohort only),
- Kendall's τ-b against RECIST, pooled the same way,

each with its swapped-patient value (the patient's outcome on the other patients' positions,
mean over them), own − swapped, and seeded bootstrap 95 % CIs resampling patients within each
cohort; survival rows also give C − the anchor's C on the same resamples (paired). Stop 51, in
the frame of parts (a)–(c): each own − swapped also gets its reassignment p (which patient's
ranking meets which patient's outcome permuted within cohorts, 100,000 seeded assignments, one-
and two-sided), and the bootstrap and reassignment p are Holm-adjusted per outcome over the
table's rankers (anchors out, identical positions counted once; :func:`correct_outcomes`). The
maths: :mod:`medtwin.platform.algorithms.concordance`. Measurement only: nothing here is tuned.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.declared_family import holm_declared, later_row
from medtwin.errors import InputError
from medtwin.platform.algorithms.concordance import (
    bootstrap_own_swapped,
    bootstrap_stratified,
    harrell_c,
    harrell_c_gain_form,
    kendall_tau_b,
    kendall_tau_b_gain_form,
    reassignment_gain_test,
    swapped_harrell_c,
    swapped_kendall_tau_b,
)
from medtwin.platform.algorithms.controls import REASSIGN_RANDOM

RECIST_ORDER = {"PD": 0.0, "SD": 1.0, "PR": 2.0, "CR": 3.0}
"""Best overall response, worst to best; any other value (empty, NE) is unknown."""

NUMBER_COLUMNS = {
    "os_time": "survival_time_os",
    "os_event": "event_occurred_os",
    "pfs_time": "survival_time_pfs",
    "pfs_event": "event_occurred_pfs",
    "tmb": "nsTMB_perMb",
}
"""Outcome field -> clinical column (PredictioR layout); an absent column is unknown for all."""

IFNG_ANCHOR = "anchor: IFN-γ 6-gene signature (Ayers 2017)"
TMB_ANCHOR = "anchor: TMB, nonsynonymous mutations per Mb (Samstein 2019)"
SURVIVAL = (("os", "overall survival"), ("pfs", "progression-free survival"))
MIN_PATIENTS = 3
"""Fewer patients with an outcome and a score give no row value (None): no swapped patient."""

Score = dict[str, float]
OUTCOMES = ("os", "pfs", "recist")
PERM_FIELDS = ("gain_p", "gain_p_perm", "gain_p_perm_greater")
"""The p-values of an outcome's own − swapped that :func:`correct_outcomes` adjusts."""


def read_outcomes(path: Path) -> dict[str, dict[str, float]]:
    """Patient id -> os_time, os_event, pfs_time, pfs_event, recist (0–3), tmb; NaN = unknown.

    Empty cells and ``NA`` are unknown; a value that is not a number stops the harness with its
    file, line and column (the tables are the study's, so a typo is fixed there, not guessed).
    An event must be 0 or 1.
    """
    out: dict[str, dict[str, float]] = {}
    with open(path, newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            values = {"recist": RECIST_ORDER.get((row.get("recist") or "").strip(), math.nan)}
            for field, column in NUMBER_COLUMNS.items():
                text = (row.get(column) or "").strip()
                values[field] = _number(path, line, column, text)
                event = values[field] if field.endswith("_event") else 0.0
                if event not in (0.0, 1.0) and not math.isnan(event):
                    raise SystemExit(
                        f"{path}:{line}: {column} {text!r} is not 0 or 1; write 1 for an "
                        "observed event, 0 for censored, or leave it empty"
                    )
            out[row["patientid"]] = values
    return out


def _number(path: Path, line: int, column: str, text: str) -> float:
    if text in ("", "NA", "NaN", "nan"):
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise SystemExit(
            f"{path}:{line}: {column} {text!r} is not a number; fix it or leave it empty"
        ) from None


def _r(x: float) -> float | None:
    return round(float(x), 3) if math.isfinite(x) else None


def _ci(lo: float, hi: float) -> str:
    return f"[{_r(lo)}, {_r(hi)}]"


def _statistics(
    kind: str, columns: Mapping[str, npt.NDArray[np.float64]]
) -> tuple[Callable[..., float], Callable[..., float], list[npt.NDArray[np.float64]]]:
    """Own and swapped statistic of an outcome, and the outcome's arrays (after the score)."""
    if kind == "recist":
        return kendall_tau_b, swapped_kendall_tau_b, [columns["recist"]]
    return harrell_c, swapped_harrell_c, [columns[f"{kind}_time"], columns[f"{kind}_event"]]


def _outcome_cells(
    kind: str,
    score: npt.NDArray[np.float64],
    columns: Mapping[str, npt.NDArray[np.float64]],
    cohort: npt.NDArray[np.str_],
    anchors: Mapping[str, npt.NDArray[np.float64]],
    *,
    seed: int,
    n_boot: int,
) -> dict[str, object]:
    """One outcome's columns of a row (see :func:`continuous_table`)."""
    own, swapped, outcome = _statistics(kind, columns)
    name = "tau_b" if kind == "recist" else "c"
    known = np.isfinite(score) & np.all([np.isfinite(o) for o in outcome], axis=0)
    cohorts = [c for c in dict.fromkeys(cohort.tolist()) if (known & (cohort == c)).any()]
    cells: dict[str, object] = {f"{kind}_patients": int(known.sum())}
    if kind != "recist":
        cells[f"{kind}_events"] = int((known & (outcome[1] > 0)).sum())
    for c in dict.fromkeys(cohort.tolist()):
        sel = known & (cohort == c)
        value = own(score[sel], *(o[sel] for o in outcome)) if sel.sum() >= 2 else math.nan
        cells[f"{kind}_{c}_{name}"] = _r(value)
    keys = (name, f"{name}_ci", "swapped", "gain", "gain_ci", "gain_p", "gain_p_perm",
            "gain_p_perm_greater")  # fmt: skip
    cells.update({f"{kind}_{k}": None for k in keys})
    cells.update({f"{kind}_minus_{label}": None for label in anchors})
    if known.sum() < MIN_PATIENTS or not cohorts:
        return cells
    s, y, g = score[known], [o[known] for o in outcome], cohort[known]
    res = bootstrap_own_swapped(
        lambda i: own(s[i], *(o[i] for o in y), g[i]),
        lambda i: swapped(s[i], *(o[i] for o in y), g[i], ids=i),
        g, n_boot=n_boot, seed=seed,
    )  # fmt: skip
    cells[f"{kind}_{name}"] = _r(res.own)
    cells[f"{kind}_{name}_ci"] = _ci(res.own_low, res.own_high)
    cells[f"{kind}_swapped"] = _r(res.swapped)
    cells[f"{kind}_gain"] = _r(res.gain)
    cells[f"{kind}_gain_ci"] = _ci(res.gain_low, res.gain_high)
    cells[f"{kind}_gain_p"] = round(res.gain_p, 6) if math.isfinite(res.gain_p) else None
    perm = _reassignment(kind, s.tobytes(), tuple(o.tobytes() for o in y), tuple(g), seed)
    if perm is not None:
        cells[f"{kind}_gain_p_perm"], cells[f"{kind}_gain_p_perm_greater"] = perm
    for label, anchor in anchors.items():
        cells[f"{kind}_minus_{label}"] = _minus_anchor(
            own, score, anchor, outcome, cohort, seed=seed, n_boot=n_boot
        )
    return cells


@lru_cache(maxsize=256)
def _reassignment(
    kind: str, score: bytes, outcome: tuple[bytes, ...], cohort: tuple[str, ...], seed: int
) -> tuple[float, float] | None:
    """Two-sided and one-sided reassignment p of an outcome's own − swapped (``None``: no
    τ-b of a constant position); once per distinct positions (the default and the
    combination of its order share theirs: 100,000 assignments each are the cost of (d))."""
    s = np.frombuffer(score, dtype=np.float64)
    y = [np.frombuffer(o, dtype=np.float64) for o in outcome]
    g = np.array(cohort)
    try:
        form = (
            kendall_tau_b_gain_form(s, y[0], g)
            if kind == "recist"
            else harrell_c_gain_form(s, y[0], y[1], g)
        )
    except InputError:  # τ-b of a constant position: no statistic to permute
        return None
    test = reassignment_gain_test(form, g, seed=seed, n_random=REASSIGN_RANDOM)
    return round(test.p_two_sided, 6), round(test.p_greater, 6)


def _minus_anchor(
    own: Callable[..., float],
    score: npt.NDArray[np.float64],
    anchor: npt.NDArray[np.float64],
    outcome: Sequence[npt.NDArray[np.float64]],
    cohort: npt.NDArray[np.str_],
    *,
    seed: int,
    n_boot: int,
) -> str | None:
    """Statistic of the score − that of the anchor, on the patients with both, paired resamples."""
    both = np.isfinite(score) & np.isfinite(anchor)
    both &= np.all([np.isfinite(o) for o in outcome], axis=0)
    if both.sum() < MIN_PATIENTS or np.array_equal(score[both], anchor[both]):
        return None
    s, a, y, g = score[both], anchor[both], [o[both] for o in outcome], cohort[both]
    diff = bootstrap_stratified(
        lambda i: own(s[i], *(o[i] for o in y), g[i]) - own(a[i], *(o[i] for o in y), g[i]),
        g, n_boot=n_boot, seed=seed,
    )  # fmt: skip
    value, lo, hi = diff.value, diff.low, diff.high
    if not math.isfinite(value):
        return None
    return f"{value:+.3f} {_ci(lo, hi)} ({int(both.sum())})"


def continuous_table(
    patients: Sequence[Mapping[str, object]], *, seed: int, n_boot: int
) -> list[dict[str, object]]:
    """One row per anchor and per (ranker, received drug): OS, PFS and RECIST statistics.

    ``patients``: one record per twin, as :func:`benchmarks.validate_icb.validate_icb` keeps
    them (``cohort``, the fields of :func:`read_outcomes`, ``ifng``, and ``positions``:
    ranker -> drug -> position). A patient whose ranking has no position for the drug (the
    method scored no drug for it) or without the outcome is left out of that cell. Columns per
    outcome ``os`` / ``pfs`` (Harrell's C) and ``recist`` (τ-b): patients (and events), the
    statistic per cohort, pooled stratified [CI], swapped, gain = own − swapped [CI], its
    bootstrap p, and for survival the difference with each anchor on the patients both score
    (``+d [CI] (n)``, paired resamples).
    """
    if not patients:
        return []
    cohort = np.array([str(p["cohort"]) for p in patients])
    fields = ("os_time", "os_event", "pfs_time", "pfs_event", "recist", "tmb", "ifng")
    columns = {f: np.array([_float(p.get(f)) for p in patients]) for f in fields}
    anchors = {IFNG_ANCHOR: columns["ifng"], TMB_ANCHOR: columns["tmb"]}
    short = {IFNG_ANCHOR: "ifng", TMB_ANCHOR: "tmb"}
    rows: list[tuple[str, str, npt.NDArray[np.float64]]] = [
        (name, "-", values) for name, values in anchors.items()
    ]
    rankers: dict[tuple[str, str], None] = {}
    for p in patients:
        for ranker, by_drug in _mapping(p.get("positions")).items():
            for drug in _mapping(by_drug):
                rankers[(ranker, drug)] = None
    for ranker, drug in rankers:
        values = [
            _float(_mapping(_mapping(p.get("positions")).get(ranker)).get(drug)) for p in patients
        ]
        rows.append((ranker, drug, np.array(values)))
    out = []
    for ranker, drug, score in rows:
        row: dict[str, object] = {"ranker": ranker, "drug": drug}
        for kind in OUTCOMES:
            compare = {} if kind == "recist" else {short[k]: v for k, v in anchors.items()}
            cells = partial(_outcome_cells, seed=seed, n_boot=n_boot)
            row.update(cells(kind, score, columns, cohort, compare))
        out.append(row)
    correct_outcomes(out, [score.tobytes() for _, _, score in rows])
    return out


def correct_outcomes(rows: Sequence[dict[str, object]], keys: Sequence[bytes]) -> None:
    """Holm per outcome over the table's rankers: ``<kind>_<p>_adj`` and ``<kind>_family``.

    As :func:`benchmarks.personal.correct_family` for parts (a)–(c): the family of an outcome is
    every declared ranker row with that p (anchors out: they are references, not orders a user
    picks; a row of a method added later is adjusted as the family's (m + 1)-th test,
    :mod:`benchmarks.declared_family`); rows whose positions are identical (``keys``, e.g. the
    default and the combination of its order) are one test. ``None`` for the rest.
    """
    for kind in OUTCOMES:
        for field in PERM_FIELDS:
            tested = [
                not str(row["ranker"]).startswith("anchor: ")
                and isinstance(row.get(f"{kind}_{field}"), float)
                for row in rows
            ]
            adjusted = holm_declared(
                (key, float(row[f"{kind}_{field}"]), later_row(row))  # type: ignore[arg-type]
                for row, key, t in zip(rows, keys, tested, strict=True)
                if t
            )
            for row, key, t in zip(rows, keys, tested, strict=True):
                row[f"{kind}_{field}_adj"] = round(adjusted.p[key], 6) if t else None
                if field == "gain_p":
                    row[f"{kind}_family"] = adjusted.family(key) if t else None


def _float(x: object) -> float:
    return float(x) if isinstance(x, int | float) else math.nan


def _mapping(x: object) -> Mapping[str, object]:
    return x if isinstance(x, Mapping) else {}
