"""Personalisation controls of ``make validate-twins``: own vs swapped patient, priors beside.

For every case (a disease, a signature, a tumour) the harness adds each ranker's scores over one
item list (drugs or treatments) and the case's labels; :meth:`CaseScores.table` then reports per
ranker the mean AUROC, the mean AUROC within approved drugs, the swapped-patient AUROC (the
case's labels scored on the other cases' rankings, mean over them) and the gain own − swapped
with a seeded bootstrap 95 % CI over cases (the maths: :mod:`medtwin.platform.algorithms.controls`),
the bootstrap p-value of that gain and its Holm-adjusted value over the part's family of rankers
(:func:`correct_family`); beside it the exact sign-flip permutation p of the same gain and its
Holm-adjusted value (:func:`add_sign_flip`, stop 50: no floor of 1/(B + 1)); each row keeps its
per-case gains (``per_case_gain``, by case name) so both can be recomputed from a saved result.
Stop 51: each row also gets the reassignment (permutation) p of the same gain from the whole
cross-AUROC matrix (:func:`add_reassignment`: rankings permuted among cases, one-sided
``gain_p_perm_greater`` and two-sided ``gain_p_perm``, both Holm-adjusted like the sign-flip p),
and the matrices themselves are kept (:meth:`CaseScores.save_cross`, a ``.npz`` beside the
result) so every test can be recomputed.
The popularity prior (the share of the *other* cases in which the item is positive) is added
here, so every part gets it the same way; it has no swapped value (another case's popularity
counts this case's own labels), and like every prior it is the same for every patient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.declared_family import holm_declared, later_row
from medtwin.platform.algorithms.controls import (
    REASSIGN_EXACT_MAX,
    REASSIGN_RANDOM,
    SIGN_FLIP_EXACT_MAX,
    SIGN_FLIP_RANDOM,
    bootstrap_mean_test,
    cross_auroc,
    reassignment_test,
    sign_flip_test,
    swap_gain,
)
from medtwin.platform.models import DrugScore
from medtwin.platform.ranking import REGISTRY

MISSING = -1e12
"""Score of an item a ranker did not score: tied last."""

HARNESS_SKIP = {"centrality": "needs GDS PageRank over the stored twin (no database here)"}
"""Registered methods the pure harness cannot run, and why."""

POPULARITY = "prior: popularity"

FAMILY_KINDS = ("default", "method", "combination")
"""Kinds of row in the multiplicity family of a part (:func:`correct_family`)."""


def harness_methods() -> tuple[str, ...]:
    """Every registered ranking method the harness can run (new methods appear by themselves)."""
    return tuple(m for m in REGISTRY if m not in HARNESS_SKIP)


def method_scores(
    scores: Sequence[DrugScore], degree: Mapping[str, float] | None = None
) -> dict[str, dict[str, float]]:
    """Each registered method's own score per drug from a ranking, oriented higher = better.

    A method's score is the ``DrugScore`` field its ``columns`` map from ``value``. The degree
    baseline has no column: with ``degree`` (drug -> mean target degree, as the method computes
    it) its drugs score that value, so drugs of equal degree tie and share their mid-rank in every
    AUROC; without it, ``-degree_baseline_rank``, whose ties the ranking broke by drug id (an
    alphabetical order among the many drugs of one degree, not a prediction). Methods that scored
    no drug are left out.
    """
    out: dict[str, dict[str, float]] = {}
    for name, method in REGISTRY.items():
        fields = [f for f, attr in method.columns.items() if attr == "value"]
        sign = 1.0 if method.higher_is_better else -1.0
        vals: dict[str, float] = {}
        for s in scores:
            if fields:
                v = getattr(s, fields[0])
                if v is not None:
                    vals[s.drug_id] = sign * float(v)
            elif name == "degree" and s.degree_baseline_rank is not None:
                # the drugs the ranking's degree method scored, by their value when given
                vals[s.drug_id] = (
                    degree[s.drug_id] if degree is not None else -float(s.degree_baseline_rank)
                )
        if vals:
            out[name] = vals
    return out


@dataclass
class CaseScores:
    """Scores of several rankers over one item list, case by case, with the cases' labels."""

    ids: list[str]
    approved: npt.NDArray[np.bool_]
    labels: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    masks: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    scores: dict[str, dict[int, npt.NDArray[np.float64]]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    cross: dict[str, tuple[list[int], dict[str, npt.NDArray[np.float64]]]] = field(
        default_factory=dict
    )
    """Per ranker, after :meth:`table`: its cases (indices into ``names``) and its cross-AUROC
    matrix per gain suffix (``M[k, i]``: ranking of its ``k``-th case, labels of its ``i``-th)."""

    def add_case(
        self, name: str, positives: Mapping[str, bool] | set[str], tested: set[str] | None = None
    ) -> None:
        """Start a case: its positives (or item -> label) and the items it has labels for."""
        if isinstance(positives, Mapping):
            y = np.array([bool(positives.get(d, False)) for d in self.ids])
            tested = set(positives) if tested is None else tested
        else:
            y = np.array([d in positives for d in self.ids])
        m = (
            np.ones(len(self.ids), bool)
            if tested is None
            else np.array([d in tested for d in self.ids])
        )
        self.names.append(name)
        self.labels.append(y)
        self.masks.append(m)

    def add(self, ranker: str, score: Mapping[str, float], kind: str = "method") -> None:
        """Add a ranker's scores (higher = better) for the current case."""
        v = np.array([score.get(d, MISSING) for d in self.ids], dtype=np.float64)
        self.scores.setdefault(ranker, {})[len(self.names) - 1] = v
        self.kinds.setdefault(ranker, kind)

    def add_matrix(self, ranker: str, scores: npt.NDArray[np.float64], kind: str) -> None:
        """Add a ranker's scores for every case at once (row ``i``: case ``i``, higher = better),
        for a ranker that reads the other cases (:mod:`benchmarks.neighbours`)."""
        self.scores[ranker] = {i: np.asarray(row, dtype=np.float64) for i, row in enumerate(scores)}
        self.kinds.setdefault(ranker, kind)

    def popularity(self) -> npt.NDArray[np.float64]:
        """Case x item: the share of the *other* cases in which the item is positive (0 if none
        tested it), the scores of the popularity prior row."""
        return np.array(list(self._popularity().values()))

    def _popularity(self) -> dict[int, npt.NDArray[np.float64]]:
        y = np.array(self.labels, dtype=np.float64)
        m = np.array(self.masks, dtype=np.float64)
        pos, tested = (y * m).sum(axis=0), m.sum(axis=0)
        out = {}
        for i in range(len(self.names)):
            others = tested - m[i]
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = (pos - y[i] * m[i]) / others
            out[i] = np.where(others > 0, rate, 0.0)
        return out

    def table(self, *, seed: int, n_boot: int = 2000) -> list[dict[str, object]]:
        """One row per ranker: AUROC, within approved, swapped, gain [95 % CI] (see module)."""
        if len(self.names) >= 2:
            self.scores[POPULARITY] = self._popularity()
            self.kinds[POPULARITY] = "prior"
        y = np.array(self.labels)
        m = np.array(self.masks)
        rows = []
        for name, per_case in self.scores.items():
            cases = sorted(per_case)
            if len(cases) < 2:
                continue
            s = np.array([per_case[i] for i in cases])
            row: dict[str, object] = {"ranker": name, "kind": self.kinds[name]}
            matrices: dict[str, npt.NDArray[np.float64]] = {}
            for suffix, keep in (("", m[cases]), ("_approved", m[cases] & self.approved)):
                matrices[suffix] = cross_auroc(s, y[cases], keep)
                own, swapped, gain = swap_gain(matrices[suffix])
                test = bootstrap_mean_test(gain, n_boot=n_boot, seed=seed)
                g, lo, hi, p = test.value, test.low, test.high, test.p
                row[f"cases{suffix}"] = int(np.isfinite(own).sum())
                row[f"auroc{suffix}"] = _r(np.nanmean(own) if np.isfinite(own).any() else math.nan)
                row[f"swapped{suffix}"] = _r(
                    np.nanmean(swapped) if np.isfinite(swapped).any() else math.nan
                )
                row[f"gain{suffix}"] = _r(g)
                row[f"gain{suffix}_ci"] = f"[{_r(lo)}, {_r(hi)}]"
                row[f"gain{suffix}_p"] = _p(p)
                row[f"per_case_gain{suffix}"] = {
                    self.names[i]: (float(v) if np.isfinite(v) else None)
                    for i, v in zip(cases, gain, strict=True)
                }
                if name == POPULARITY:  # the other cases' rankings contain this case's labels
                    row[f"swapped{suffix}"] = row[f"gain{suffix}"] = None
                    row[f"gain{suffix}_ci"] = "n/a"
                    row[f"gain{suffix}_p"] = None
                    row[f"per_case_gain{suffix}"] = None
            self.cross[name] = (cases, matrices)
            rows.append(row)
        add_sign_flip(rows, seed=seed)
        add_reassignment(rows, self.cross, seed=seed)
        correct_family(rows)
        return rows

    def save_cross(self, path: Path) -> None:
        """Write every ranker's cross-AUROC matrices (all drugs, within approved) to ``path``.

        A compressed ``.npz``: ``cases`` (every case's name), ``rankers``, and per ranker ``r<k>``
        in that order ``r<k>_cases`` (indices into ``cases``), ``r<k>_all`` and
        ``r<k>_approved`` (``M[k, i]`` as :func:`cross_auroc`); :func:`load_cross` reads it back.
        """
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "cases": np.array(self.names),
            "rankers": np.array(list(self.cross)),
        }
        for k, (cases, matrices) in enumerate(self.cross.values()):
            arrays[f"r{k}_cases"] = np.array(cases, dtype=np.int64)
            for suffix, matrix in matrices.items():
                arrays[f"r{k}_{suffix.lstrip('_') or 'all'}"] = matrix
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


CrossMatrices = dict[str, tuple[list[int], dict[str, npt.NDArray[np.float64]]]]
"""Ranker -> (its cases, gain suffix -> cross-AUROC matrix), as :attr:`CaseScores.cross`."""


def load_cross(path: Path) -> tuple[list[str], CrossMatrices]:
    """The case names and matrices :meth:`CaseScores.save_cross` wrote."""
    with np.load(path) as data:
        names = [str(c) for c in data["cases"]]
        out: CrossMatrices = {}
        for k, ranker in enumerate(data["rankers"]):
            cases = [int(i) for i in data[f"r{k}_cases"]]
            out[str(ranker)] = (
                cases,
                {suffix: data[f"r{k}_{suffix.lstrip('_') or 'all'}"] for suffix in SUFFIXES},
            )
    return names, out


EVIDENCE_PARTS = (
    ("a_personal", "a: indications_dev, known drugs"),
    ("b_personal", "b: STARGEO signatures, disease-modifying drugs"),
    ("c_pdxe", "c: PDXE tumours, responders among tested treatments"),
)
"""Harness result key -> the part's name in ``personal_evidence.json``."""

SUFFIXES = ("", "_approved")
"""All drugs, within approved drugs: the two gains of every row."""


def sign_flip_settings(seed: int) -> dict[str, int]:
    """How :func:`add_sign_flip` counted the patterns, recorded beside its p-values."""
    return {"exact_up_to": SIGN_FLIP_EXACT_MAX, "random_patterns": SIGN_FLIP_RANDOM, "seed": seed}


def reassignment_settings(seed: int) -> dict[str, int]:
    """How :func:`add_reassignment` counted the assignments, recorded beside its p-values."""
    return {"exact_up_to": REASSIGN_EXACT_MAX, "random_assignments": REASSIGN_RANDOM, "seed": seed}


def add_reassignment(rows: Sequence[dict[str, object]], cross: CrossMatrices, *, seed: int) -> None:
    """Add each row's reassignment p of its gain from its matrix (``gain{suffix}_p_perm``).

    :func:`medtwin.platform.algorithms.controls.reassignment_test`: the rankings permuted among
    the row's cases (all n! up to 8 cases, else 100,000 seeded random assignments);
    ``gain{suffix}_p_perm`` two-sided (as the sign-flip p), ``gain{suffix}_p_perm_greater``
    one-sided (own better). ``None`` for a row without a gain (the popularity prior) or without
    a matrix in ``cross``; :func:`correct_family` then adjusts both over the family.
    """
    for row in rows:
        matrices = cross.get(str(row["ranker"]), ([], {}))[1]
        for suffix in SUFFIXES:
            two = greater = None
            matrix = matrices.get(suffix)
            if matrix is not None and row.get(f"per_case_gain{suffix}") is not None:
                test = reassignment_test(matrix, seed=seed)
                if math.isfinite(test.p_two_sided):
                    two, greater = _p(test.p_two_sided), _p(test.p_greater)
            row[f"gain{suffix}_p_perm"] = two
            row[f"gain{suffix}_p_perm_greater"] = greater


def add_sign_flip(rows: Sequence[dict[str, object]], *, seed: int) -> None:
    """Add each row's sign-flip permutation p of its gain (``gain{suffix}_p_signflip``).

    From the row's per-case gains (:func:`medtwin.platform.algorithms.controls.sign_flip_test`:
    exact up to 20 cases, else 100,000 random patterns from ``seed``); ``None`` for a row
    without them (the popularity prior). :func:`correct_family` then adjusts it over the family.
    """
    for row in rows:
        for suffix in SUFFIXES:
            gains = row.get(f"per_case_gain{suffix}")
            p = None
            if isinstance(gains, Mapping) and gains:
                values = [math.nan if v is None else float(v) for v in gains.values()]
                test = sign_flip_test(values, seed=seed)
                p = _p(test.p) if math.isfinite(test.p) else None
            row[f"gain{suffix}_p_signflip"] = p


def correct_family(rows: Sequence[dict[str, object]]) -> None:
    """Add each row's Holm-adjusted gain p-values over its part's family, for all and approved.

    The family of a part is its rows of a kind in :data:`FAMILY_KINDS` (the default, each
    method alone, each combination, the measured filter variants) with a p-value whose ranker
    was declared (:mod:`benchmarks.declared_family`: the rankers of stop 52's tables): each is an
    order a user can pick, and the label a ranking prints quotes its row, so the default is not
    pre-specified above the others. A row of a method added later (``activity_reversal``) is
    adjusted as the declared family's (m + 1)-th test, so adding it moves no declared row's
    adjusted p (regulators_dev §18). Priors (approval tier, popularity) and controls are out:
    they are the same for every patient by construction (gain 0 or undefined), not hypotheses
    about a patient. Rows with identical per-case gains (e.g. the default and the combination of
    the same order, or every ``tier + proximity + <regulator method>`` where no case has an
    activity) are one test, counted once: two identical tests reject together, so Holm over the
    distinct ones keeps the family-wise error rate. Adds ``gain{suffix}_p_adj`` and
    ``gain{suffix}_family`` (Holm's m of the row's test: the declared family's distinct tests,
    + 1 for a later row's own test) to those rows, ``None`` to the rest; and
    ``gain{suffix}_p_signflip_adj``, the same correction of the sign-flip p
    (:func:`add_sign_flip`; ``None`` throughout when the rows have none), and of the
    reassignment p, two- and one-sided (:func:`add_reassignment`, ``gain{suffix}_p_perm_adj``,
    ``gain{suffix}_p_perm_greater_adj``; ``None`` for rows without it, e.g. of an older result).
    """
    for suffix in SUFFIXES:
        sizes = _holm_over_family(rows, f"gain{suffix}_p", suffix)
        for row, size in zip(rows, sizes, strict=True):
            row[f"gain{suffix}_family"] = size
        _holm_over_family(rows, f"gain{suffix}_p_signflip", suffix)
        _holm_over_family(rows, f"gain{suffix}_p_perm", suffix)
        _holm_over_family(rows, f"gain{suffix}_p_perm_greater", suffix)


def _holm_over_family(
    rows: Sequence[dict[str, object]], field: str, suffix: str
) -> list[int | None]:
    """Set ``<field>_adj`` (Holm over the declared family's distinct tests); each row's m."""
    key_of: dict[int, str] = {}
    tests: list[tuple[str, float, bool]] = []
    for i, row in enumerate(rows):
        p = row.get(field)
        if row.get("kind") in FAMILY_KINDS and isinstance(p, float) and math.isfinite(p):
            key_of[i] = repr(sorted((row.get(f"per_case_gain{suffix}") or {}).items()))
            tests.append((key_of[i], p, later_row(row)))
    adjusted = holm_declared(tests)
    for i, row in enumerate(rows):
        key = key_of.get(i)
        row[f"{field}_adj"] = _p(adjusted.p[key]) if key is not None else None
    return [adjusted.family(key_of[i]) if i in key_of else None for i in range(len(rows))]


def _r(x: object) -> float:
    return round(float(x), 3)  # type: ignore[arg-type]


def _p(x: float) -> float:
    """A p-value in 6 decimals: Holm multiplies it by up to m (~25), so 3 would move verdicts."""
    return round(float(x), 6)


def shows_gain(row: Mapping[str, object]) -> bool:
    """A ranker shows a personal gain when the lower end of its gain CI is above 0."""
    text = str(row.get("gain_ci", "[nan, nan]")).strip("[]").split(",")[0]
    try:
        return float(text) > 0
    except ValueError:
        return False
