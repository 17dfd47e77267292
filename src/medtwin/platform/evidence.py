r"""``personal_evidence``: how much the method that ordered a list depends on the patient.

``make validate-twins`` measures, for the default order and every registered method, the
*personal gain* on the development data: the AUROC of a case's known drugs in the case's own
ranking minus their mean AUROC in the other cases' rankings (same pipeline, wrong patient), with
a bootstrap 95 % CI over cases (:mod:`medtwin.platform.algorithms.controls`). It writes them,
with their provenance (date, command, commit), to ``personal_evidence.json`` beside this module;
that committed file is what rankings, reports and the API quote.

Rule: a method *shows a personal gain* on a part of the harness when the lower end of the CI is
above 0 over at least :data:`MIN_CASES` cases **and** its gain's exact sign-flip p-value, adjusted
by Holm's step-down method over the part's family of rankers, is below :data:`ALPHA` (Holm since
stop 49; the sign-flip p in place of the bootstrap p since stop 50) — and, where the file has it
(since stop 51), so is the gain's Holm-adjusted **reassignment p** (below).

*Why a correction.* Each part tests ~25 rankers (the default, every method alone, the
combinations), and a user may order by any of them; with each CI read alone at 95 %, about one of
25 rankers without any personal gain shows a CI above 0 by chance (e.g. (b) tier + proximity +
``regulator_network``, CI [0.001, 0.027] in stop 48's file). Holm (1979) keeps the chance of
calling *any* such ranker of a part a gain at :data:`ALPHA`, whatever the dependence between the
rows (they share cases and methods), and rejects at least what Bonferroni rejects. With
:math:`p_{(1)} \le \dots \le p_{(m)}` the raw p-values of the part's :math:`m` tests,
:math:`\tilde p_{(i)} = \max_{k \le i} \min(1, (m - k + 1) p_{(k)})`, a gain when
:math:`\tilde p < \alpha` (Holm S., *A simple sequentially rejective multiple test procedure*,
Scand. J. Statist. 6:65–70, 1979, JSTOR 4615733). Each raw p is the two-sided **exact paired
sign-flip (randomisation) p** of the mean per-case gain: under H0 each case's gain is symmetric
about 0, so :math:`p = \#\{s \in \{\pm1\}^n : |\bar{(s g)}| \ge |\bar g|\} / 2^n`, over all
:math:`2^n` sign patterns up to 20 cases, else 100,000 seeded random ones (Good P.,
*Permutation, Parametric and Bootstrap Tests of Hypotheses*, 2005, doi:10.1007/b138696;
:func:`medtwin.platform.algorithms.sign_flip.sign_flip_test`). The CI printed beside it is still the
seeded bootstrap percentile CI.

*Why the sign-flip p, not the bootstrap p* (stop 50, ``make evidence-sensitivity``,
``benchmarks/results/regulators_dev.md`` §13): with 19 cases the bootstrap p that inverts the
percentile CI is too small — 0.001 for (b)'s default where the exact test gives 0.0036, a t-test
0.0038 and Wilcoxon 0.0039 — and more resamples make it smaller still (0.00016 at 100,000), so
the verdicts rested on the bootstrap's optimism and on its seed. The change makes the rule
stricter and was not chosen for a result: (b)'s four gains and most of (a)'s over all drugs are
no longer called; the family and :data:`ALPHA` are unchanged.

*Why the reassignment p as well* (stop 51, ``regulators_dev.md`` §14): "personal" means that a
patient's ranking fits that patient better than the other patients' rankings would. The design's
own test of it permutes which case's ranking meets which case's labels (Fisher's randomisation
test of the matched against the mismatched pairs; Lamb 2006, doi:10.1126/science.1132939;
:func:`medtwin.platform.algorithms.reassignment.reassignment_test`, two-sided, 100,000 seeded
assignments): its null is built from the whole cross-AUROC matrix, so how good a ranking is for
every case cancels and similar cases count as chance, where the sign-flip test sees only the
per-case gains and assumes them symmetric. The two disagree in both directions on the
development data ((a) over all drugs the reassignment p calls 12 rows where the sign-flip calls
1; within approved drugs 12 where it calls 18, the default among the 6 it drops). A gain must pass
both (the option §14 recommended before (a) was measured); this only removes gains. A file
without reassignment p-values (written before stop 51) is read with the sign-flip p alone.

*The family* (``benchmarks/personal.correct_family``): every default, method and combination
row of the part, for all drugs and within approved drugs apart; the default counts like any
other row, since a user picking another order is quoted that order's row, so no row is
pre-specified. The family is the rows declared when the rule was fixed (stop 52's rankers,
``benchmarks/declared_family.py``); a row of a method added since (``activity_reversal``) is
adjusted as the family's (m + 1)-th test, so adding a method moves no declared row's p.
Priors (approval tier, popularity) are not tested: they are the same for every patient (gain 0
or undefined). Rows with identical per-case gains are one test (the default and
the combination of its own order; in (a) every ``tier + proximity + <regulator method>``, whose
regulator part scores no gene set). The file records each row's ``gain_p_signflip``,
``gain_p_signflip_adj`` and ``gain_family`` (Holm's m; the bootstrap ``gain_p``/``gain_p_adj``
stay beside them for comparison); a file written before stop 50 has no sign-flip p, and then no
part is called a gain (the label says to re-run ``make validate-twins``).

The case count is a documented filter (stop 48):
within approved drugs, part (c) has 10 tumours (one method 1), and among its ~25 rows three
(reversal alone, two combinations) had a CI above 0 there; with so few cases a bootstrap CI
over cases is too narrow to call, and the label named them as gains. Each part's figure names
its case count
(files written before stop 48 hold no count within approved drugs: then the CI alone decides).
The label is then ``"gain over another patient's ranking: +0.061 AUROC [0.005, 0.113]
on b: …"``; when no part shows one it reads ``"none beyond population priors"`` followed by the
measured gains, so a user sees that the order is carried by what is the same for every patient
(approval, target degree). An order that holds no such prior (no approval tier, no ``degree``:
e.g. ``--order regulator --tier none``) cannot be carried by one, so there it reads ``"no gain
over another patient's ranking"`` (before stop 46 it too read "none beyond population priors").
An order the harness did not measure (several ``order`` methods, a method added after the file
was written) says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard

__all__ = [
    "ALPHA",
    "MIN_CASES",
    "NONE_BEYOND_PRIORS",
    "NO_PERSONAL_GAIN",
    "ci_text",
    "evidence_key",
    "has_prior",
    "load_evidence",
    "personal_evidence",
]

NONE_BEYOND_PRIORS = "none beyond population priors"
NO_PERSONAL_GAIN = "no gain over another patient's ranking"
"""The label of an order without a population prior whose gain no part shows (module docstring)."""
_FILE = "personal_evidence.json"
MIN_CASES = 15
"""Fewest cases of a part whose CI above 0 counts as a personal gain (module docstring)."""
ALPHA = 0.05
"""Family-wise error rate of a part's gains: the Holm-adjusted sign-flip p must be below it."""
P_FIELD = "p_signflip_adj"
"""The row field (after ``gain`` / ``gain_approved``) whose value the rule compares with ALPHA."""
PERM_FIELD = "p_perm_adj"
"""The row field of the Holm-adjusted two-sided reassignment p, which must be below ALPHA too."""
UNCORRECTED_NOTE = (
    "these figures predate the exact sign-flip test (no adjusted sign-flip p): no gain is "
    "called until make validate-twins is re-run"
)
"""Said once in a label from a file without adjusted sign-flip p-values (written before stop 50)."""


def evidence_key(
    order: Sequence[str], tier: str, default_order: Sequence[str] = ("proximity",)
) -> str | None:
    """The harness row that measured this order: ``default``, ``method: <name>`` or a combination.

    ``default_order`` is the order of the harness's default when the figures were measured (the
    evidence file's provenance): that order after the approval tier is its ``default`` row. Other
    orders after the tier are the combination row ``combo: tier + <m1> + <m2> …`` (the mean
    percentile, :mod:`benchmarks.regulator_eval`); :func:`personal_evidence` says "not measured"
    when the file has no such row.

    Examples
    --------
    >>> evidence_key(("proximity",), "approved"), evidence_key(("direction",), "none")
    ('default', 'method: direction')
    >>> evidence_key(("degree", "proximity"), "approved")
    'combo: tier + degree + proximity'
    >>> evidence_key(("proximity", "target_expression"), "approved", ("proximity",))
    'combo: tier + proximity + target_expression'
    >>> evidence_key(("proximity",), "approved", ("proximity", "target_expression"))
    'combo: tier + proximity'
    >>> evidence_key(("proximity", "direction"), "none") is None
    True
    """
    if tier == "approved" and tuple(order) == tuple(default_order):
        return "default"
    if tier == "approved":
        return "combo: tier + " + " + ".join(order)
    if len(order) == 1:
        return f"method: {order[0]}"
    return None


def has_prior(order: Sequence[str], tier: str) -> bool:
    """Whether the order holds a population prior: the approval tier or the ``degree`` method.

    >>> has_prior(("proximity",), "approved"), has_prior(("degree", "proximity"), "none")
    (True, True)
    >>> has_prior(("regulator",), "none")
    False
    """
    return tier == "approved" or "degree" in order


@lru_cache(maxsize=4)
def load_evidence(path: Path | None = None) -> Mapping[str, Any]:
    """The committed harness figures (``{}`` when the file is missing or unreadable)."""
    try:
        if path is None:
            text = resources.files("medtwin.platform").joinpath(_FILE).read_text()
        else:
            text = path.read_text()
        data = json.loads(text)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _lower(ci: object) -> float | None:
    try:
        return float(str(ci).strip("[]").split(",")[0])
    except (ValueError, IndexError):
        return None


def ci_text(ci: object) -> str:
    """A CI of the evidence file in 3 decimals, as the gain beside it and the guide print it.

    The file keeps the harness's rounded floats as text (``[0.01, 0.034]``), so a ranking
    printed ``+0.021 AUROC [0.01, 0.034]``; anything else is shown as it is.

    >>> ci_text("[0.01, 0.034]"), ci_text("[-0.073, 0.018]"), ci_text(None)
    ('[0.010, 0.034]', '[-0.073, 0.018]', 'None')
    """
    try:
        lo, hi = (float(v) for v in str(ci).strip("[]").split(","))
    except ValueError:
        return str(ci)
    return f"[{lo:.3f}, {hi:.3f}]"


def _enough_cases(cases: object) -> bool:
    """Whether a part's case count lets its CI count (an unrecorded count: the CI alone)."""
    return not isinstance(cases, int) or cases >= MIN_CASES


def _cases_text(cases: object) -> str:
    """``", 10 cases (too few to count)"`` beside a part's figure; nothing when not recorded.

    >>> _cases_text(19), _cases_text(10), _cases_text(None)
    (', 19 cases', ', 10 cases (fewer than 15: not counted as a gain)', '')
    """
    if not isinstance(cases, int):
        return ""
    few = f" (fewer than {MIN_CASES}: not counted as a gain)" if cases < MIN_CASES else ""
    return f", {cases} cases{few}"


def _is_p(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _p_text(row: Mapping[str, Any]) -> str:
    """``"sign-flip p 0.024, reassignment p 0.031"`` (the second when the file has it).

    >>> _p_text({"p_adj": 0.0239, "p_perm_adj": 0.0311}), _p_text({"p_adj": 1.0})
    ('sign-flip p 0.024, reassignment p 0.031', 'sign-flip p 1')
    """
    perm = row.get("p_perm_adj")
    return f"sign-flip p {row['p_adj']:.2g}" + (
        f", reassignment p {perm:.2g}" if _is_p(perm) else ""
    )


def _holm_text(row: Mapping[str, Any]) -> str:
    """``", sign-flip p 0.024 (Holm over 19 rankers)"``; nothing when the file has none.

    >>> _holm_text({"p_adj": 0.0239, "family": 19}), _holm_text({"p_adj": None, "family": None})
    (', sign-flip p 0.024 (Holm over 19 rankers)', '')
    """
    if not _is_p(row.get("p_adj")):
        return ""
    return f", {_p_text(row)} (Holm over {row.get('family')} rankers)"


def _verdict(row: Mapping[str, Any]) -> str:
    """``gain``, or why a part's figure is not one (CI, case count, adjusted p, no adjusted p).

    >>> _verdict({"gain_ci": "[0.01, 0.03]", "cases": 19, "p_adj": 0.01, "family": 19})
    'gain'
    >>> _verdict({"gain_ci": "[0.001, 0.027]", "cases": 19, "p_adj": 0.21, "family": 19})
    'not after Holm'
    >>> _verdict({"gain_ci": "[0.01, 0.03]", "cases": 19})
    'uncorrected'
    >>> _verdict({"gain_ci": "[0.01, 0.2]", "cases": 10, "p_adj": 0.001})
    'few cases'
    >>> _verdict({"gain_ci": "[0.0, 0.1]", "cases": 19, "p_adj": 0.001})
    'no'
    >>> _verdict({"gain_ci": "[0.01, 0.03]", "cases": 19, "p_adj": 0.01, "p_perm_adj": 0.06})
    'not after Holm'

    """
    lo = _lower(row.get("gain_ci"))
    if lo is None or lo <= 0:
        return "no"
    if not _enough_cases(row.get("cases")):
        return "few cases"
    ps = [p for p in (row.get("p_adj"), row.get("p_perm_adj")) if _is_p(p)]
    if not _is_p(row.get("p_adj")):
        return "uncorrected"
    return "gain" if max(ps) < ALPHA else "not after Holm"


def _figure(part: str, row: Mapping[str, Any]) -> str:
    """One part's measured figure: gain [CI], cases, adjusted p; why a CI above 0 is no gain."""
    # a file without adjusted p says so once, after the figures (UNCORRECTED_NOTE)
    why = ": CI above 0 but not after Holm, not a gain" if _verdict(row) == "not after Holm" else ""
    return (
        f"{part}: {row['gain']:+.3f} {ci_text(row['gain_ci'])}{_cases_text(row.get('cases'))}"
        f"{_holm_text(row)}{why}"
    )


def personal_evidence(
    order: Sequence[str], tier: str, *, approved_only: bool = False, path: Path | None = None
) -> str:
    """The ``personal_evidence`` label of a ranking ordered by ``order`` with ``tier``.

    ``approved_only`` (a ranking of approved drugs alone) quotes the gains measured within
    approved drugs.

    Examples
    --------
    >>> personal_evidence(("a", "b"), "none", path=Path("/nonexistent"))
    'not measured: no personalisation figures (run make validate-twins)'
    """
    data = load_evidence(path)
    parts: Mapping[str, Mapping[str, Mapping[str, Any]]] = data.get("parts") or {}
    if not parts:
        return "not measured: no personalisation figures (run make validate-twins)"
    measured_default = ((data.get("provenance") or {}).get("params") or {}).get("rank") or {}
    key = evidence_key(order, tier, tuple(measured_default.get("order") or ("proximity",)))
    suffix = "_approved" if approved_only else ""
    rows = {
        part: {
            "gain": r.get(f"gain{suffix}"),
            "gain_ci": r.get(f"gain{suffix}_ci"),
            "cases": r.get(f"cases{suffix}"),
            "p_adj": r.get(f"gain{suffix}_{P_FIELD}"),
            "p_perm_adj": r.get(f"gain{suffix}_{PERM_FIELD}"),
            "family": r.get(f"gain{suffix}_family"),
        }
        for part, table in parts.items()
        if key is not None and (r := table.get(key)) is not None
    }
    if not rows:
        return (
            f"not measured: order {'+'.join(order)} (tier {tier}) has no row in the "
            "development figures"
        )
    prov = data.get("provenance") or {}
    source = (
        f"make validate-twins {str(prov.get('date', '?'))[:10]}, "
        f"commit {str(prov.get('commit', '?'))[:10]}"
    )
    within = " within approved drugs" if approved_only else ""
    measured = "; ".join(
        _figure(part, row) for part, row in rows.items() if row.get("gain") is not None
    )
    if not any(_is_p(row.get("p_adj")) for row in rows.values()):
        source += f"; {UNCORRECTED_NOTE}"
    gains = [(part, row) for part, row in rows.items() if _verdict(row) == "gain"]
    if not gains:
        lead = NONE_BEYOND_PRIORS if has_prior(order, tier) else NO_PERSONAL_GAIN
        return f"{lead} (own - swapped patient AUROC, 95 % CI: {measured}; {source})"
    shown = "; ".join(
        f"{row['gain']:+.3f} AUROC {ci_text(row['gain_ci'])} on {part}"
        + _cases_text(row.get("cases"))
        + f", CI above 0 after Holm over {row.get('family')} rankers"
        + f" ({_p_text(row)})"
        for part, row in gains
    )
    return (
        f"gain over another patient's ranking: {shown} (own - swapped patient AUROC{within}, "
        f"95 % CI; "
        f"all parts: {measured}; {source})"
    )
