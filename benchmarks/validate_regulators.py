"""Do the regulator methods personalise? ``make validate-regulators`` (issue 18).

The product's pure pipeline — patient changes → :func:`~medtwin.platform.twin.build_twin_spec`
→ :class:`~medtwin.platform.ranking.RankContext` (with the twin's gene statistics, its driver
evidence and the regulator reference: DoRothEA A–C, PROGENy, LINCS) →
:func:`~medtwin.platform.ranking.rank_all` — on the development data, default parameters, one
parameter set for every case; labels are never seen by the pipeline.

(b) STARGEO disease signatures (read as ``medtwin patient add --de`` reads them), DrugBank drugs:
    AUROC of the disease-modifying drugs against all drugs and within approved drugs, for the
    patient's own ranking and for the other diseases' rankings (*swapped*: the case's labels
    scored on each other case's ranking, mean); *gain* = own − swapped, mean over cases with a
    bootstrap 95 % CI (2,000 resamples of cases). Patient-independent priors have gain 0 by
    construction and are printed beside.
(c) PDXE tumours (Crawford–Howell t against the other tumours of the type, as
    :mod:`benchmarks.validate_twins`), mutation/copy-number calls as driver evidence: per treatment
    across tumours, Spearman of the drug's score with tumour shrinkage
    (−``best.avg.response_published``; treatments with ≥ 15 tumours) and AUROC of responders
    (CR/PR; ≥ 3 responders); per tumour, own vs swapped (another tumour of the same type) AUROC
    of responders among its treatments, gain with CI.

Gene statistics: "stored" = the genes the product stores by default (padj ≤ 0.05); "all" = every
gene of the signature / every gene's t (what ``--padj-max 1`` would store). Both are reported
for the activity-based methods.

Combinations: approval tier first (the product's default filter), then the mean mid-rank
percentile of the listed methods over the methods that scored the drug
(:func:`medtwin.platform.ranking.combine.percentiles`), as
:func:`~medtwin.platform.ranking.combine` does.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
from scipy import stats as sps

from benchmarks.bench_screen import data_root
from benchmarks.validate_twins import (
    DEFAULT,
    Reference,
    crawford_howell,
    load_reference,
    pdxe_patients,
    stargeo_patients,
)
from medtwin.loaders import pathways_progeny, perturbations_lincs, regulons_dorothea
from medtwin.loaders.fetch import locate
from medtwin.loaders.patient_rows import GeneChange
from medtwin.loaders.patient_tables import read_de_table
from medtwin.platform.algorithms.network import MissingNodesWarning
from medtwin.platform.algorithms.stats import auroc
from medtwin.platform.ranking import DrugTargets, MethodScore, RankContext, get_method
from medtwin.platform.ranking.combine import percentiles
from medtwin.platform.regulators import RegulatorReference
from medtwin.platform.twin import build_twin_spec, driver_evidence

warnings.simplefilter("ignore", MissingNodesWarning)

PERSONAL = ("regulator", "regulator_network", "pathway", "driver", "reversal")
ORIENT = {"proximity": False, "direction": True, **dict.fromkeys(PERSONAL, True)}
COMBOS: dict[str, tuple[str, ...]] = {
    "tier + proximity (= default)": ("proximity",),
    "tier + proximity + regulator": ("proximity", "regulator"),
    "tier + proximity + regulator_network": ("proximity", "regulator_network"),
    "tier + proximity + pathway": ("proximity", "pathway"),
    "tier + proximity + driver": ("proximity", "driver"),
    "tier + proximity + reversal": ("proximity", "reversal"),
    "tier + proximity + regulator + pathway + driver": ("proximity", "regulator", "pathway",
                                                        "driver"),
    "tier + regulator + pathway + driver + reversal": PERSONAL,
}  # fmt: skip

Scores = dict[str, dict[str, MethodScore]]  # method -> drug -> score


def regulator_reference(root: Path, ref: Reference) -> RegulatorReference:
    return RegulatorReference.from_files(
        locate(root, regulons_dorothea.SOURCE.name, regulons_dorothea.FILE),
        locate(root, pathways_progeny.SOURCE.name, pathways_progeny.FILE),
        locate(root, perturbations_lincs.SOURCE.name, perturbations_lincs.FILE),
        ref.genes,
    )


def score_case(
    ref: Reference,
    reg: RegulatorReference,
    changes: Sequence[GeneChange],
    drugs: Mapping[str, DrugTargets],
    *,
    n_samples: int,
    all_stats: Mapping[str, float] | None = None,
    drivers: Mapping[str, float] | None = None,
) -> dict[str, Scores]:
    """Method scores of one case: {"stored": ..., "all": ...} (``all`` only with ``all_stats``)."""
    spec = build_twin_spec("p", changes, (), {}, ref.net, (), DEFAULT.twin)
    module = tuple(g.entrez for g in spec.genes if g.in_module)
    seeds = {g.entrez: g.log2fc for g in spec.genes if g.log2fc is not None}
    drv = dict(drivers) if drivers is not None else spec.drivers

    def ctx(stats: Mapping[str, float]) -> RankContext:
        return RankContext(
            ref.net, ref.dist, module, seeds, {}, drugs, n_samples=n_samples,
            gene_stats=stats, drivers=drv, regulators=reg,
        )  # fmt: skip

    base = ctx(spec.gene_stats)
    out: dict[str, Scores] = {"stored": {}}
    for name in ("proximity", "direction", *PERSONAL):
        out["stored"][name] = get_method(name).rank(base, seed=DEFAULT.rank.seed)
    if all_stats is not None:
        full = ctx(all_stats)
        out["all"] = {m: out["stored"][m] for m in ("proximity", "direction", "driver")}
        for name in ("regulator", "regulator_network", "pathway", "reversal"):
            out["all"][name] = get_method(name).rank(full, seed=DEFAULT.rank.seed)
    return out


def rankers(
    ref: Reference, drugs: Mapping[str, DrugTargets]
) -> dict[str, Callable[[Scores], dict[str, float]]]:
    """Ranker name -> (method scores of a case -> drug -> score, higher = better)."""
    ids = list(drugs)
    tier = {d: 0.0 if drugs[d].approved is False else 1.0 for d in ids}

    def column(name: str) -> Callable[[Scores], dict[str, float]]:
        sign = 1.0 if ORIENT[name] else -1.0

        def f(s: Scores) -> dict[str, float]:
            v = s[name]
            neutral = 0.0 if name != "proximity" else -1e9
            return {
                d: sign * v[d].value if d in v and v[d].value is not None else neutral  # type: ignore[operator]
                for d in ids
            }

        return f

    def combo(methods: tuple[str, ...]) -> Callable[[Scores], dict[str, float]]:
        def f(s: Scores) -> dict[str, float]:
            pct = [percentiles(s[m], higher_is_better=ORIENT[m]) for m in methods]
            out = {}
            for d in ids:
                parts = [p[d] for p in pct if d in p]
                out[d] = tier[d] * 10.0 + (sum(parts) / len(parts) if parts else -1.0)
            return out

        return f

    out: dict[str, Callable[[Scores], dict[str, float]]] = {
        name: column(name) for name in ("proximity", "direction", *PERSONAL)
    }
    out.update({name: combo(ms) for name, ms in COMBOS.items()})
    deg = {d: ref.mean_degree.get(d, 0.0) for d in ids}
    out["prior: approval + degree"] = lambda s: {d: tier[d] * 1e6 + deg[d] for d in ids}
    out["prior: degree"] = lambda s: dict(deg)
    return out


def bootstrap_ci(x: Sequence[float], seed: int, n: int = 2000) -> tuple[float, float, float]:
    a = np.asarray([v for v in x if np.isfinite(v)], dtype=np.float64)
    if a.size == 0:
        return (float("nan"),) * 3  # type: ignore[return-value]
    rng = np.random.default_rng(seed)
    means = a[rng.integers(0, a.size, (n, a.size))].mean(axis=1)
    return float(a.mean()), float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def _auroc(score: Mapping[str, float], ids: Sequence[str], y: np.ndarray) -> float:
    if y.all() or not y.any():
        return float("nan")
    return auroc(np.array([score[d] for d in ids]), y)


def personal_table(
    cases: Sequence[tuple[str, Scores, dict[str, bool]]],
    fns: Mapping[str, Callable[[Scores], dict[str, float]]],
    universes: Mapping[str, Sequence[str]],
    seed: int,
) -> list[dict[str, object]]:
    """Own / swapped AUROC and gain [CI] per ranker and drug universe."""
    rows = []
    for name, fn in fns.items():
        scored = [fn(s) for _, s, _ in cases]
        row: dict[str, object] = {"ranker": name}
        for uname, ids in universes.items():
            own, gains = [], []
            for i, (_, _, lab) in enumerate(cases):
                y = np.array([lab.get(d, False) for d in ids])
                a_own = _auroc(scored[i], ids, y)
                sw = [_auroc(scored[j], ids, y) for j in range(len(cases)) if j != i]
                own.append(a_own)
                gains.append(a_own - float(np.nanmean(sw)))
            m, lo, hi = bootstrap_ci(gains, seed)
            row[f"{uname} AUROC"] = round(float(np.nanmean(own)), 3)
            row[f"{uname} gain [95% CI]"] = f"{m:+.3f} [{lo:+.3f}, {hi:+.3f}]"
        rows.append(row)
    return rows


# ------------------------------------------------------------------ (b)


def all_gene_stats(path: Path, ref: Reference) -> dict[str, float]:
    """Every gene of a STARGEO signature: its z (what ``--padj-max 1`` would store)."""
    return {c.entrez: float(c.zscore if c.zscore is not None else c.log2fc)
            for c in read_de_table(path, "p", ref.genes, padj_max=None).changes}  # fmt: skip


def run_stargeo(
    ref: Reference,
    reg: RegulatorReference,
    root: Path,
    n_samples: int,
    seed: int,
    log: Callable[[str], None],
) -> dict[str, object]:
    cases = stargeo_patients(ref, root)
    folder = root / "stargeo_2017_dev" / "signatures"
    by_variant: dict[str, list[tuple[str, Scores, dict[str, bool]]]] = defaultdict(list)
    for doid, changes, lab in cases:
        t = time.perf_counter()
        stats = all_gene_stats(folder / f"{doid}.tsv.gz", ref)
        res = score_case(ref, reg, changes, ref.drugs, n_samples=n_samples, all_stats=stats)
        y = {d: c == "DM" for d, c in lab.items()}
        for variant, scores in res.items():
            by_variant[variant].append((doid, scores, y))
        urs = sum(1 for _ in res["stored"]["regulator"])
        log(f"  (b) {doid}: {len(changes)} stored genes, {len(stats)} all; "
            f"{urs} drugs on URs; {time.perf_counter() - t:.1f} s")  # fmt: skip
    ids = sorted(ref.drugs)
    approved = [d for d in ids if ref.drugs[d].approved]
    fns = rankers(ref, ref.drugs)
    out: dict[str, object] = {}
    for variant, cs in by_variant.items():
        names = fns if variant == "stored" else {
            k: v for k, v in fns.items() if k in ("regulator", "regulator_network", "pathway", "reversal")
            or k.startswith("tier")
        }  # fmt: skip
        out[variant] = personal_table(cs, names, {"all drugs": ids, "approved": approved}, seed)
    return out


# ------------------------------------------------------------------ (c)


def pdxe_all_stats(ref: Reference, root: Path, pids: set[str]) -> dict[str, dict[str, float]]:
    """Crawford–Howell t of every gene of every tumour (not only q <= 0.05)."""
    folder = root / "pdxe_gao2015_dev"
    out: dict[str, dict[str, float]] = {}
    for kind in ("brca", "crc", "cm"):
        with gzip.open(folder / f"{kind}_rnaseq_genes_x_models.csv.gz", "rt") as fh:
            reader = csv.reader(fh)
            header = next(reader)[1:]
            names, rows = [], []
            for r in reader:
                names.append(r[0])
                rows.append([float(x) if x not in ("", "NA") else np.nan for x in r[1:]])
        values = np.log2(np.asarray(rows, dtype=np.float64) + 1.0)
        entrez = [ref.genes.resolve(n) for n in names]
        for c, pid in enumerate(header):
            if pid not in pids:
                continue
            others = np.delete(values, c, axis=1)
            t, _ = crawford_howell(values[:, c], others)
            mean_ref = others.mean(axis=1)
            best: dict[str, int] = {}
            for g in np.flatnonzero(np.isfinite(t)):
                e = entrez[g]
                if e is not None and (e not in best or mean_ref[g] > mean_ref[best[e]]):
                    best[e] = int(g)
            out[pid] = {e: float(t[g]) for e, g in best.items()}
    return out


def pdxe_mutations(root: Path, ref: Reference) -> dict[str, list[GeneChange]]:
    """Each tumour's calls as ``patient add --mutations`` reads them (variant layer)."""
    out: dict[str, list[GeneChange]] = defaultdict(list)
    with gzip.open(root / "pdxe_gao2015_dev" / "mutations_cn.tsv.gz", "rt") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            e = ref.genes.resolve(r["gene"])
            if e is not None:
                out[r["model"]].append(
                    GeneChange(entrez=e, log2fc=0.0, layer="variant", consequence=r["category"])
                )
    return out


def pdxe_shrinkage(root: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(dict)
    with open(root / "pdxe_gao2015_dev" / "responses.csv") as fh:
        for r in csv.DictReader(fh):
            v = r["best.avg.response_published"]
            if r["drug"] != "untreated" and v not in ("", "NA"):
                out[r["patient.id"]][r["drug"]] = -float(v)
    return out


def run_pdxe(
    ref: Reference,
    reg: RegulatorReference,
    root: Path,
    n_samples: int,
    seed: int,
    log: Callable[[str], None],
) -> dict[str, object]:
    data = pdxe_patients(ref, root)
    drugs: dict[str, DrugTargets] = data["drugs"]  # type: ignore[assignment]
    responses: dict[str, dict[str, bool]] = data["responses"]  # type: ignore[assignment]
    types: dict[str, str] = data["types"]  # type: ignore[assignment]
    patients: dict[str, list[GeneChange]] = data["patients"]  # type: ignore[assignment]
    with open(root / "pdxe_gao2015_dev" / "treatment_targets.tsv") as fh:
        dbid = {r["compound"]: r["drugbank_id"] for r in csv.DictReader(fh, delimiter="\t")}
    # the LINCS signature is found by DrugBank id; a combination keeps its parts' ids unknown
    drugs = {
        k: DrugTargets(v.name, v.targets, v.directions, v.approved, dbid.get(k) or None)
        for k, v in drugs.items()
    }
    shrink = pdxe_shrinkage(root)
    muts = pdxe_mutations(root, ref)
    stats_all = pdxe_all_stats(ref, root, set(patients))
    scored: dict[str, dict[str, Scores]] = {}
    for pid, changes in sorted(patients.items()):
        cand = {t: drugs[t] for t in responses[pid] if t in drugs}
        if not changes or not cand:
            continue
        try:
            scored[pid] = score_case(
                ref, reg, changes, cand, n_samples=n_samples, all_stats=stats_all.get(pid),
                drivers=driver_evidence(muts.get(pid, [])),
            )  # fmt: skip
        except Exception as e:  # noqa: BLE001 -- reported, the harness goes on
            log(f"  (c) {pid}: no twin ({e})")
    log(f"  (c) {len(scored)} tumours scored")
    result: dict[str, object] = {}
    rng = np.random.default_rng(seed)
    for variant in ("stored", "all"):
        fns = rankers(ref, drugs)
        fns = {k: v for k, v in fns.items() if not k.startswith("prior") and "approval" not in k}
        per_t: dict[str, list[dict[str, object]]] = {}
        values: dict[str, dict[str, dict[str, float]]] = {
            name: {p: fn(s[variant]) for p, s in scored.items() if variant in s}
            for name, fn in fns.items()
        }
        # popularity prior: response rate of the treatment in the other tumours
        values["prior: popularity"] = {
            p: {
                t: float(
                    np.mean(
                        [responses[o][t] for o in responses if o != p and t in responses[o]]
                        or [0.0]
                    )
                )
                for t in responses[p]
            }
            for p in scored  # fmt: skip
        }
        rows = []
        for name, v in values.items():
            rhos, aucs = [], []
            detail = []
            for t in sorted({t for p in v for t in v[p]}):
                ps = [p for p in v if t in v[p] and t in shrink.get(p, {})]
                if len(ps) < 15:
                    continue
                x = np.array([v[p][t] for p in ps])
                s = np.array([shrink[p][t] for p in ps])
                rho = float(sps.spearmanr(x, s).statistic) if np.ptp(x) > 0 else float("nan")
                y = np.array([responses[p].get(t, False) for p in ps])
                a = auroc(x, y) if 3 <= y.sum() < len(y) and np.ptp(x) > 0 else float("nan")
                rhos.append(rho)
                aucs.append(a)
                detail.append({"treatment": t, "tumours": len(ps), "spearman": round(rho, 3),
                               "auroc": round(a, 3), "responders": int(y.sum())})  # fmt: skip
            per_t[name] = detail
            # per tumour own vs swapped (a random other tumour of the same type, 20 draws)
            gains, owns = [], []
            ids_by_type: dict[str, list[str]] = defaultdict(list)
            for p in v:
                ids_by_type[types[p]].append(p)
            for p in v:
                ts = [t for t in responses[p] if t in v[p]]
                y = np.array([responses[p][t] for t in ts])
                if y.all() or not y.any():
                    continue
                own = auroc(np.array([v[p][t] for t in ts]), y)
                others = [o for o in ids_by_type[types[p]] if o != p]
                sw = []
                for o in rng.choice(others, min(20, len(others)), replace=False):
                    sw.append(auroc(np.array([v[o].get(t, 0.0) for t in ts]), y))
                owns.append(own)
                gains.append(own - float(np.mean(sw)))
            m, lo, hi = bootstrap_ci(gains, seed)
            finite = [r for r in rhos if np.isfinite(r)]
            fa = [a for a in aucs if np.isfinite(a)]
            rows.append({
                "ranker": name,
                "treatments (>=15 tumours)": len(finite),
                "mean Spearman w/ shrinkage": round(float(np.mean(finite)), 3) if finite else None,
                "treatments (>=3 resp.)": len(fa),
                "mean per-treatment AUROC": round(float(np.mean(fa)), 3) if fa else None,
                "per-tumour AUROC": round(float(np.mean(owns)), 3) if owns else None,
                "per-tumour gain [95% CI]": f"{m:+.3f} [{lo:+.3f}, {hi:+.3f}]",
            })  # fmt: skip
        result[variant] = {"table": rows, "per_treatment": per_t}
    return result


def _print(title: str, rows: Sequence[Mapping[str, object]]) -> None:
    print(f"\n## {title}")
    if not rows:
        print("(none)")
        return
    keys = list(rows[0])
    print("\t".join(keys))
    for r in rows:
        print("\t".join(str(r.get(k, "")) for k in keys))


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("out/validation"))
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parts", default="bc")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t0:6.0f} s] {msg}", flush=True)

    root = data_root()
    ref = load_reference(root, args.out / "cache")
    reg = regulator_reference(root, ref)
    log(f"reference: {len(reg.regulons)} TFs (A-C), {len(reg.footprints)} pathways, "
        f"{len(reg.perturbations)} LINCS drugs")  # fmt: skip
    result: dict[str, object] = {"samples": args.samples, "seed": args.seed}
    if "b" in args.parts:
        b = run_stargeo(ref, reg, root, args.samples, args.seed, log)
        result["b"] = b
        for variant, rows in b.items():
            _print(f"(b) STARGEO DM drugs, gene statistics: {variant}", rows)  # type: ignore[arg-type]
    if "c" in args.parts:
        c = run_pdxe(ref, reg, root, args.samples, args.seed, log)
        result["c"] = c
        for variant, part in c.items():
            _print(f"(c) PDXE, gene statistics: {variant}", part["table"])  # type: ignore[index]
    result["seconds"] = round(time.perf_counter() - t0, 1)
    path = args.out / f"validate_regulators_{args.parts}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    log(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
