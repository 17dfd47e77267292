"""Do known treatments rank first? Every patient-free method vs a degree-only baseline.

Run from the repository root::

    uv run python -m benchmarks.validate --out /tmp/validate [--universe all|indicated]
                                         [--no-disruption]

Diseases: Guney et al. (2016) gene sets with >= 20 genes in the interactome LCC and >= 1 drug in
``indications_dev`` (any source) that has a target in the LCC. Candidates per disease: every
Guney drug with >= 1 target in the LCC (``--universe all``), or only those with >= 1 indication in
``indications_dev`` (``--universe indicated``). Positives: the disease's known drugs.

Each disease is ranked by :func:`medtwin.platform.ranking.rank_all` with the disease genes as
the module, exactly as a twin is ranked, with the methods that need no patient:

- ``proximity``: score ``-z`` (lower z = closer = better);
- ``disruption``: module LCC-loss z (higher = better);
- ``combined``: the documented combined rank of proximity and disruption (``ranking.combine``);
- ``degree``: the degree-only baseline, mean degree of the drug's LCC targets.

1,000 samples, bin size 100, one seed for all diseases, no per-disease tuning. Drugs with an
undefined z (sigma = 0) get the worst score of their method. Reports AUROC and AUPRC per disease
and pooled over all pairs, a TSV table and a pooled ROC plot.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks.bench_screen import (  # noqa: E402
    data_root,
    read_disease_genes,
    read_drug_targets,
    read_interactome,
)
from medtwin.loaders import indications_dev  # noqa: E402
from medtwin.loaders.fetch import locate  # noqa: E402
from medtwin.platform.algorithms.distances import all_pairs_distances  # noqa: E402
from medtwin.platform.algorithms.network import MissingNodesWarning  # noqa: E402
from medtwin.platform.algorithms.stats import (  # noqa: E402
    auroc,
    average_precision,
    roc_curve,
)
from medtwin.platform.models import DrugScore  # noqa: E402
from medtwin.platform.ranking import DrugTargets, RankContext, rank_all  # noqa: E402

LABELS = {
    "z": "proximity -z",
    "disruption": "disruption z",
    "combined": "combined (proximity + disruption)",
    "degree": "mean target degree",
}


def scores_of(ranked: list[DrugScore], mean_degree: dict[str, float]) -> dict[str, np.ndarray]:
    """Per method, one score per drug (higher = predicted treatment), NaN -> worst."""

    def worst_filled(values: list[float | None]) -> np.ndarray:
        defined = [v for v in values if v is not None]
        worst = (min(defined) if defined else 0.0) - 1.0
        return np.array([worst if v is None else v for v in values], dtype=np.float64)

    return {
        "z": worst_filled([None if s.z is None else -s.z for s in ranked]),
        "disruption": worst_filled([s.disruption_z for s in ranked]),
        "combined": np.array([s.combined for s in ranked]),
        "degree": np.array([mean_degree[s.drug_id] for s in ranked]),
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--universe", choices=["all", "indicated"], default="all")
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-genes", type=int, default=20)
    parser.add_argument(
        "--no-disruption",
        action="store_true",
        help="skip disruption and the combined rank (proximity and degree only)",
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", MissingNodesWarning)
    start = time.perf_counter()
    root = data_root()
    net = read_interactome(root).largest_component()
    dist = all_pairs_distances(net)
    drugs = read_drug_targets(root)
    modules = read_disease_genes(root)
    path = locate(root, indications_dev.SOURCE.name, "disease_to_drugs_dev.tsv")
    known_by_id: dict[str, set[str]] = defaultdict(set)
    indicated: set[str] = set()
    for row in indications_dev.read_indications(path):
        known_by_id[row.disease_id].add(row.drug_id)
        indicated.add(row.drug_id)

    in_lcc = {d: tuple(t for t in ts if t in net.index) for d, ts in drugs.items()}
    candidates = {d: ts for d, ts in in_lcc.items() if ts}
    if args.universe == "indicated":
        candidates = {d: ts for d, ts in candidates.items() if d in indicated}
    mean_degree = {d: float(np.mean([net.degrees[net.index[t]] for t in ts]))
                   for d, ts in candidates.items()}  # fmt: skip
    ctx_drugs = {d: DrugTargets(None, ts) for d, ts in candidates.items()}
    methods = ["proximity"] if args.no_disruption else ["proximity", "disruption"]
    keys = ["z", "degree"] if args.no_disruption else ["z", "disruption", "combined", "degree"]

    rows = []
    pooled: dict[str, list[np.ndarray]] = {k: [] for k in keys}
    pooled_y: list[np.ndarray] = []
    n_invalid = 0
    for disease in sorted(modules):
        genes = tuple(dict.fromkeys(g for g in modules[disease] if g in net.index))
        positives = known_by_id.get("mesh:" + " ".join(disease.split()).lower(), set())
        positives &= set(candidates)
        if len(genes) < args.min_genes or not positives:
            continue
        ctx = RankContext(net, dist, genes, {}, {}, ctx_drugs, n_samples=args.n_samples)
        ranked = rank_all(ctx, methods, seed=args.seed, order=methods)
        n_invalid += sum(s.z is None for s in ranked)
        labels = np.array([s.drug_id in positives for s in ranked])
        scores = scores_of(ranked, mean_degree)
        row: dict[str, object] = {
            "disease": disease, "n_genes_lcc": len(genes), "n_candidates": len(ranked),
            "n_known": int(labels.sum()),
        }  # fmt: skip
        for k in keys:
            row[f"auroc_{k}"] = auroc(scores[k], labels)
            row[f"auprc_{k}"] = average_precision(scores[k], labels)
            pooled[k].append(scores[k])
        row["prevalence"] = float(labels.mean())
        rows.append(row)
        pooled_y.append(labels)
        print(f"{disease:45s} genes={len(genes):4d} known={labels.sum():3d} AUROC "
              + " ".join(f"{k}={row[f'auroc_{k}']:.3f}" for k in keys))  # fmt: skip
    table = pd.DataFrame(rows)
    y_all = np.concatenate(pooled_y)
    all_scores = {k: np.concatenate(v) for k, v in pooled.items()}
    summary: dict[str, object] = {
        "disease": "POOLED", "n_genes_lcc": np.nan, "n_candidates": len(y_all),
        "n_known": int(y_all.sum()),
    }  # fmt: skip
    for k in keys:
        summary[f"auroc_{k}"] = auroc(all_scores[k], y_all)
        summary[f"auprc_{k}"] = average_precision(all_scores[k], y_all)
    summary["prevalence"] = float(y_all.mean())
    numeric = [c for c in table.columns if c != "disease"]
    medians = {"disease": "MEDIAN_PER_DISEASE", **{c: float(table[c].median()) for c in numeric}}
    wins = {"disease": "DISEASES_BEATING_DEGREE", **{
        f"auroc_{k}": float((table[f"auroc_{k}"] > table["auroc_degree"]).sum())
        for k in keys if k != "degree"}}  # fmt: skip
    table = pd.concat([table, pd.DataFrame([summary, medians, wins])], ignore_index=True)
    args.out.mkdir(parents=True, exist_ok=True)
    tsv = args.out / f"validation_{args.universe}.tsv"
    table.to_csv(tsv, sep="\t", index=False, float_format="%.4f")

    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    for k in keys:
        fpr, tpr = roc_curve(all_scores[k], y_all)
        ax.plot(fpr, tpr, label=f"{LABELS[k]} (AUROC {auroc(all_scores[k], y_all):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("false-positive rate")
    ax.set_ylabel("true-positive rate")
    ax.set_title(f"Known indications, pooled over {len(rows)} diseases ({args.universe})")
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    png = args.out / f"roc_{args.universe}.png"
    fig.savefig(png, dpi=120)
    plt.close(fig)

    elapsed = time.perf_counter() - start
    print()
    print("method                               AUROC pooled  AUPRC pooled  AUROC median  "
          "diseases > degree")  # fmt: skip
    for k in keys:
        beat = "" if k == "degree" else f"{int(wins[f'auroc_{k}'])}/{len(rows)}"
        print(f"{LABELS[k]:36s} {summary[f'auroc_{k}']:12.3f}  {summary[f'auprc_{k}']:12.4f}  "
              f"{medians[f'auroc_{k}']:12.3f}  {beat:>17s}")  # fmt: skip
    print(f"prevalence {summary['prevalence']:.4f}; {len(rows)} diseases; {n_invalid} pairs with "
          f"sigma = 0 ranked last; wrote {tsv} and {png}; {elapsed:.0f} s")  # fmt: skip
    return table


if __name__ == "__main__":
    main()
