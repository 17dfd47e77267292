"""(d) of ``make validate-twins``: checkpoint-blockade cohorts (``icb_ctla4_dev``).

Each tumour is a patient against the rest of its cohort, through the reader of
``medtwin patient add-cohort --control-label none`` (:func:`medtwin.platform.cohort_profiles.
read_cohort`, leave-one-out Crawford–Howell t, BH per patient); its twin ranks every DrugBank
drug (plus the drugs of ``--icb-targets FILE``, read as ``rank --targets FILE`` reads it). The
checkpoint drug's position in each patient's ranking (percentile, 1 = top) is then scored
against the response: AUROC responders (R) vs non-responders (NR), per cohort and pooled, beside
the field's anchor, the 6-gene IFN-γ signature (IDO1, CXCL10, CXCL9, HLA-DRA, STAT1, IFNG: mean
of the genes' z-scores across the cohort's patients; Ayers M. et al. IFN-γ–related mRNA profile
predicts clinical response to PD-1 blockade. J Clin Invest 127, 2930–2940 (2017).
doi:10.1172/JCI91190).
"""

from __future__ import annotations

import csv
import gzip
import logging
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from benchmarks.icb_outcomes import continuous_table, read_outcomes
from benchmarks.neighbours import GROUP_ICB, KNN_ICB, cohort_shares, knn_null
from benchmarks.personal import method_scores
from benchmarks.regulator_eval import combination_scores
from medtwin.platform.algorithms.controls import REASSIGN_RANDOM
from medtwin.platform.algorithms.stats import auroc
from medtwin.platform.cohort_profiles import read_cohort
from medtwin.platform.gene_evidence import gene_statistics
from medtwin.platform.models import DrugScore
from medtwin.platform.ranking import DrugTargets
from medtwin.platform.ranking.base import MethodScore
from medtwin.platform.ranking.combine import percentiles

if TYPE_CHECKING:
    from benchmarks.validate_twins import Reference, Variant

IFNG_GENES = ("IDO1", "CXCL10", "CXCL9", "HLA-DRA", "STAT1", "IFNG")
IPILIMUMAB = "DB06186"
COHORTS = ("Van_Allen", "Nathanson")
ICB_COMBINATIONS = (
    "combo: tier + proximity + pathway_proximity",
    "combo: tier + proximity + target_expression",
    "combo: tier + degree + proximity",
    "combo: tier + degree + proximity + pathway_proximity",
    "combo: tier + degree + proximity + target_expression",
    "combo: tier + degree + proximity + pathway_proximity + target_expression",
)
"""Combinations whose ipilimumab position (d) reports (the candidates for the default, stop 24)."""


def custom_drugs(path: Path, ref: Reference) -> dict[str, DrugTargets]:
    """The drugs of a ``rank --targets FILE`` table (same reader), keyed ``custom:<id>``."""
    from medtwin.loaders import drug_targets_custom

    rows = drug_targets_custom.read_custom_targets(path)
    table = drug_targets_custom.resolve_custom_targets(rows, ref.genes, source=path.name)
    return {
        f"custom:{d.drug_id}": DrugTargets(d.name or d.drug_id, d.targets, d.directions)
        for d in table.drugs
        if d.targets
    }


def ifng_score(values: np.ndarray, symbols: Sequence[str]) -> np.ndarray:
    """Mean z-score (across the cohort's patients) of the IFN-γ genes present."""
    rows = [i for i, s in enumerate(symbols) if s in IFNG_GENES]
    x = values[rows]
    z = (x - np.nanmean(x, axis=1, keepdims=True)) / np.nanstd(x, axis=1, ddof=1, keepdims=True)
    out: np.ndarray = np.nanmean(z, axis=0)
    return out


CHECKPOINT_ANTIBODIES = Path(__file__).parent / "data" / "checkpoint_antibodies.tsv"
# the clinical `treatment` of a PredictioR cohort -> the target genes of the drugs it names
TREATMENT_TARGETS = {
    "CTLA4": ("CTLA4",),
    "PD-1": ("PDCD1",),
    "PD-L1": ("CD274",),
    "PD-1/PD-L1": ("PDCD1", "CD274"),
}


def treatment_of(folder: Path, name: str) -> str:
    """The cohort's checkpoint treatment: the most frequent ``treatment`` of its clinical table."""
    with open(folder / f"ICB_{name}_clinical.tsv") as fh:
        values = [r.get("treatment") or "" for r in csv.DictReader(fh, delimiter="\t")]
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else ""


def received_drugs(
    treatment: str, antibodies: Mapping[str, DrugTargets], ref: Reference
) -> list[str]:
    """The drugs of a cohort's treatment: ipilimumab for CTLA4 (as before); for PD-1/PD-L1
    the checkpoint antibodies of :data:`CHECKPOINT_ANTIBODIES` on those targets; [] if unknown."""
    if treatment == "CTLA4":
        return [IPILIMUMAB] if IPILIMUMAB in ref.candidates else []
    genes = {ref.genes.resolve(g) for g in TREATMENT_TARGETS.get(treatment, ())} - {None}
    return sorted(d for d, dt in antibodies.items() if genes & set(dt.targets))


def cohorts_in(folder: Path) -> list[str]:
    """The cohorts of a folder in the PredictioR layout: every ``ICB_<name>_clinical.tsv`` with its
    ``ICB_<name>_expr_log2tpm.tsv.gz``; the development ones first, in their order (so (d) reads
    them as before), then any other by name (a held-out folder brings its own)."""
    found = {
        p.name[len("ICB_") : -len("_clinical.tsv")]
        for p in folder.glob("ICB_*_clinical.tsv")
        if (folder / p.name.replace("_clinical.tsv", "_expr_log2tpm.tsv.gz")).exists()
    }
    if not found:
        raise SystemExit(f"{folder}: no ICB_<name>_clinical.tsv + _expr_log2tpm.tsv.gz pair")
    return [c for c in COHORTS if c in found] + sorted(found - set(COHORTS))


def _cohort(folder: Path, name: str, cache: Path) -> tuple[Path, Path, dict[str, str]]:
    """Expression file and a sample sheet (sample, group = R / NR / NA) for ``add-cohort``."""
    expr = folder / f"ICB_{name}_expr_log2tpm.tsv.gz"
    with open(folder / f"ICB_{name}_clinical.tsv") as fh:
        clinical = {r["patientid"]: r["response"] for r in csv.DictReader(fh, delimiter="\t")}
    with gzip.open(expr, "rt") as fh:
        columns = next(fh).rstrip("\n").split("\t")[1:]
    sheet = cache / f"icb_{name}_samples.tsv"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text(
        "sample\tgroup\n" + "".join(f"{c}\t{clinical.get(c) or 'NA'}\n" for c in columns)
    )
    return expr, sheet, {c: clinical.get(c) or "NA" for c in columns}


def validate_icb(
    ref: Reference,
    root: Path,
    cache: Path,
    run: Callable[..., tuple[list[DrugScore], float, int]],  # validate_twins.run_twin
    n_samples: int,
    seed: int,
    n_boot: int,
    log: Callable[[str], None],
    targets: Path | None = None,
    variant: Variant | None = None,
    folder: Path | None = None,
) -> dict[str, object]:
    # the caller's DEFAULT: under `python -m benchmarks.validate_twins` the harness is
    # `__main__`, and importing benchmarks.validate_twins here gave a second DEFAULT object,
    # so run_twin's `variant is DEFAULT` failed and only the product's default methods ran
    if variant is None:
        from benchmarks.validate_twins import DEFAULT as variant
    folder = folder if folder is not None else root / "icb_ctla4_dev"
    cohorts = cohorts_in(folder)
    drugs = dict(ref.candidates)
    # the drugs each cohort received, scored on its patients only; --icb-targets: those, everywhere
    received: dict[str, list[str]] = {}
    antibodies: dict[str, DrugTargets] = {}
    if targets is not None:
        extra = custom_drugs(targets, ref)
        drugs.update(extra)
        received = {name: list(extra) for name in cohorts}
    else:
        antibodies = custom_drugs(CHECKPOINT_ANTIBODIES, ref)
        for name in cohorts:
            treatment = treatment_of(folder, name)
            received[name] = received_drugs(treatment, antibodies, ref)
            if not received[name]:
                log(f"  (d) {name}: treatment {treatment!r} names no drug here; cohort left out")
        cohorts = [c for c in cohorts if received[c]]
    # a cohort's rankings hold its own received antibodies only: CTLA4 cohorts rank as before
    cohort_drugs = {
        name: {**drugs, **{d: antibodies[d] for d in received[name] if d in antibodies}}
        for name in cohorts
    }
    scored = list(dict.fromkeys(d for c in cohorts for d in received[c]))
    logging.getLogger("medtwin.platform.cohort_profiles").setLevel(logging.ERROR)
    logging.getLogger("medtwin.loaders").setLevel(logging.ERROR)
    # ranker -> drug -> cohort -> (scores, labels)
    points: dict[str, dict[str, list[tuple[str, float, bool]]]] = {}
    deg = ref.net.degrees
    degree = {
        d: float(np.mean([deg[ref.net.index[t]] for t in dt.targets if t in ref.net.index]))
        for d, dt in {**drugs, **antibodies}.items()
        if any(t in ref.net.index for t in dt.targets)
    }
    anchor: list[tuple[str, float, bool]] = []
    null_inputs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # per cohort, stop 60
    patients: list[dict[str, object]] = []  # every twin's outcomes and positions (continuous)
    n_twins = 0
    for name in cohorts:
        expr, sheet, groups = _cohort(folder, name, cache)
        profiles = list(read_cohort(expr, sheet, ref.genes, control_label=None))
        # every gene's statistic for the footprints (same reader, no p filter)
        every = {
            p.patient_id: gene_statistics(p.changes)
            for p in read_cohort(expr, sheet, ref.genes, control_label=None, p_max=1.0)
        }
        with gzip.open(expr, "rt") as fh:
            reader = csv.reader(fh, delimiter="\t")
            header = next(reader)[1:]
            symbols: list[str] = []
            matrix: list[list[float]] = []
            for r in reader:
                symbols.append(r[0])
                matrix.append([float(x) if x not in ("", "NA") else np.nan for x in r[1:]])
        ifng = dict(zip(header, ifng_score(np.array(matrix), symbols), strict=True))
        outcomes = read_outcomes(folder / f"ICB_{name}_clinical.tsv")
        # stop 60 (§21): the response share of each patient's most similar labelled patients
        labels = {p: groups.get(p) == "R" for p in every if groups.get(p) in ("R", "NR")}
        knn_share, group_share, sim, order = cohort_shares(every, labels)
        is_r = np.array([labels.get(p, False) for p in order])
        null_inputs.append((sim, is_r, np.array([p in labels for p in order])))
        for prof in profiles:
            group = groups.get(prof.patient_id, "NA")
            outcome = outcomes.get(prof.patient_id, {})
            # a patient without R / NR still has survival or RECIST for the continuous table
            if group not in ("R", "NR") and not any(math.isfinite(v) for v in outcome.values()):
                continue
            try:
                ranking, _, _ = run(
                    ref, list(prof.changes), variant, cohort_drugs[name], n_samples=n_samples,
                    activity_stats=every.get(prof.patient_id),
                )  # fmt: skip
            except Exception as e:  # noqa: BLE001 -- reported, the harness goes on
                log(f"  (d) {name} {prof.patient_id}: no twin ({e})")
                continue
            n_twins += 1
            responder = group == "R"
            labelled = group in ("R", "NR")
            if labelled:
                anchor.append((name, float(ifng[prof.patient_id]), responder))
            n = len(ranking)
            position = {s.drug_id: 1.0 - (s.rank - 0.5) / n for s in ranking}
            per_method = {"default (position)": position}
            for m, vals in method_scores(ranking, degree).items():
                per_method[f"method: {m} (position)"] = positions(vals)
            for m, vals in combination_scores(ranking, degree).items():
                if m not in ICB_COMBINATIONS:
                    continue
                per_method[f"{m} (position)"] = positions(vals)
            for ranker, share in ((KNN_ICB, knn_share), (GROUP_ICB, group_share)):
                if prof.patient_id in share:
                    per_method[ranker] = dict.fromkeys(received[name], share[prof.patient_id])
            for ranker, pos in per_method.items():
                for d in received[name]:
                    if labelled:
                        points.setdefault(ranker, {}).setdefault(d, []).append(
                            (name, pos.get(d, 0.0), responder)
                        )
            patients.append(
                {
                    "cohort": name, "patient": prof.patient_id, "response": group,
                    **{k: _finite(v) for k, v in outcome.items()},
                    "ifng": _finite(float(ifng[prof.patient_id])),
                    "positions": {
                        r: {d: pos.get(d, 0.0) for d in received[name]}
                        for r, pos in per_method.items()
                    },
                }
            )  # fmt: skip
        log(f"  (d) {name}: {sum(1 for g in groups.values() if g in ('R', 'NR'))} patients")
    rows: list[dict[str, object]] = []

    def row(ranker: str, drug: str, pts: Sequence[tuple[str, float, bool]]) -> dict[str, object]:
        out: dict[str, object] = {"ranker": ranker, "drug": drug}
        for cohort in (*cohorts, "pooled"):
            sel = [(s, y) for c, s, y in pts if cohort in (c, "pooled")]
            s = np.array([x for x, _ in sel], dtype=float)
            y = np.array([b for _, b in sel], dtype=bool)  # empty where the drug was not received
            ok = y.any() and not y.all()
            out[f"{cohort}_n"] = f"{int(y.sum())}R/{int((~y).sum())}NR"
            out[f"{cohort}_auroc"] = round(auroc(s, y), 3) if ok else None
        out["pooled_ci"] = _auroc_ci(pts, seed, n_boot)
        return out

    rows.append(row("anchor: IFN-γ 6-gene signature (Ayers 2017)", "-", anchor))
    for ranker, by_drug in points.items():
        for d, pts in by_drug.items():
            rows.append(row(ranker, d, pts))
    log(f"  (d) continuous responses: {len(patients)} twins")
    return {
        "table": rows,
        "n_twins": n_twins,
        "n_twins_labelled": sum(1 for p in patients if p["response"] in ("R", "NR")),
        "drugs_scored": scored,
        "continuous": continuous_table(patients, seed=seed, n_boot=n_boot),
        "continuous_bootstrap": {
            "resamples": n_boot, "seed": seed, "level": 0.95, "within": "cohort"
        },
        "continuous_reassignment": {
            "random_assignments": REASSIGN_RANDOM, "seed": seed, "within": "cohort"
        },
        "patients": patients,
        "neighbours_null": knn_null(null_inputs, seed=seed),
    }  # fmt: skip


def positions(vals: Mapping[str, float]) -> dict[str, float]:
    """Drug -> position among the scored drugs, 1 - (i + 1/2) / n from the best (higher = better).

    Drugs with equal scores share their mid-rank (``percentiles``, as ``combine`` ranks), so a
    received drug tied with many others (the same mean target degree) is placed in the middle of
    them, not by the order the ranking listed them in.

    >>> positions({"a": 3.0, "b": 1.0, "c": 1.0, "d": 0.0})
    {'a': 0.875, 'b': 0.5, 'c': 0.5, 'd': 0.125}
    """
    return percentiles({d: MethodScore(v) for d, v in vals.items()}, higher_is_better=True)


def _auroc_ci(pts: Sequence[tuple[str, float, bool]], seed: int, n_boot: int) -> str:
    """Percentile bootstrap CI of the pooled AUROC, resampling patients (seeded)."""
    s = np.array([x for _, x, _ in pts])
    y = np.array([b for _, _, b in pts])
    if not y.any() or y.all():
        return "[nan, nan]"
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        i = rng.integers(0, len(s), len(s))
        if y[i].any() and not y[i].all():
            vals.append(auroc(s[i], y[i]))
    if not vals:
        return "[nan, nan]"
    lo, hi = np.quantile(vals, [0.025, 0.975])
    return f"[{round(float(lo), 3)}, {round(float(hi), 3)}]"


def _finite(x: float) -> float | None:
    """NaN as None, so the result JSON stays JSON (json.dumps writes NaN, which JSON lacks)."""
    return x if math.isfinite(x) else None
