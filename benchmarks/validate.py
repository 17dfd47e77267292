"""Do known treatments score closer than other drugs? Proximity z vs a degree-only baseline.

Run from the repository root::

    uv run python -m benchmarks.validate --out /tmp/validate [--universe all|indicated]

Diseases: Guney et al. (2016) gene sets with >= 20 genes in the interactome LCC and >= 1 drug in
``indications_dev`` (any source) that has a target in the LCC. Candidates per disease: every
Guney drug with >= 1 target in the LCC (``--universe all``), or only those with >= 1 indication in
``indications_dev`` (``--universe indicated``). Positives: the disease's known drugs.
Scores: ``-z`` of :func:`medtwin.platform.algorithms.proximity.screen` (lower z = closer = better;
1,000 samples, bin size 100, one seed for all diseases, no per-disease tuning); drugs with an
undefined z (sigma = 0) get the worst score. Baseline: the mean degree of the drug's LCC targets
(higher = ranked first). Reports AUROC and AUPRC per disease and pooled over all pairs, a TSV
table and a pooled ROC plot.
"""

from __future__ import annotations

import argparse
import time
import warnings
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
from medtwin.platform.algorithms.distances import all_pairs_distances  # noqa: E402
from medtwin.platform.algorithms.network import MissingNodesWarning  # noqa: E402
from medtwin.platform.algorithms.proximity import screen  # noqa: E402
from medtwin.platform.algorithms.stats import (  # noqa: E402
    auroc,
    average_precision,
    roc_curve,
)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--universe", choices=["all", "indicated"], default="all")
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-genes", type=int, default=20)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", MissingNodesWarning)
    start = time.perf_counter()
    root = data_root()
    net = read_interactome(root).largest_component()
    dist = all_pairs_distances(net)
    drugs = read_drug_targets(root)
    modules = read_disease_genes(root)
    indications = pd.read_csv(root / "indications_dev" / "disease_to_drugs_dev.tsv", sep="\t",
                              dtype=str)  # fmt: skip
    known = indications.groupby("disease_mesh_name")["drugbank_id"].apply(set).to_dict()

    in_lcc = {d: [t for t in ts if t in net.index] for d, ts in drugs.items()}
    candidates = {d: ts for d, ts in in_lcc.items() if ts}
    if args.universe == "indicated":
        indicated = set(indications["drugbank_id"])
        candidates = {d: ts for d, ts in candidates.items() if d in indicated}
    mean_degree = {d: float(np.mean([net.degrees[net.index[t]] for t in ts]))
                   for d, ts in candidates.items()}  # fmt: skip

    rows = []
    pooled: list[tuple[float, float, bool]] = []
    n_invalid = 0
    for disease in sorted(modules):
        genes = [g for g in modules[disease] if g in net.index]
        positives = known.get(disease, set()) & set(candidates)
        if len(genes) < args.min_genes or not positives:
            continue
        results = screen(dist, net, genes, candidates, n_samples=args.n_samples, seed=args.seed)
        worst = min(-r.z for r in results if r.z_valid) - 1
        score = np.array([-r.z if r.z_valid else worst for r in results])
        n_invalid += sum(not r.z_valid for r in results)
        labels = np.array([r.drug in positives for r in results])
        base = np.array([mean_degree[r.drug] for r in results if r.drug is not None])
        rows.append({
            "disease": disease, "n_genes_lcc": len(genes), "n_candidates": len(results),
            "n_known": int(labels.sum()),
            "auroc_z": auroc(score, labels), "auprc_z": average_precision(score, labels),
            "auroc_degree": auroc(base, labels), "auprc_degree": average_precision(base, labels),
            "prevalence": float(labels.mean()),
        })  # fmt: skip
        pooled.extend(zip(score.tolist(), base.tolist(), labels.tolist(), strict=True))
        last = rows[-1]
        print(
            f"{disease:45s} genes={len(genes):4d} known={labels.sum():3d} "
            f"AUROC z={last['auroc_z']:.3f} degree={last['auroc_degree']:.3f}"
        )
    table = pd.DataFrame(rows)
    z_all = np.array([p[0] for p in pooled])
    deg_all = np.array([p[1] for p in pooled])
    y_all = np.array([p[2] for p in pooled])
    summary = {
        "disease": "POOLED", "n_genes_lcc": np.nan, "n_candidates": len(y_all),
        "n_known": int(y_all.sum()),
        "auroc_z": auroc(z_all, y_all), "auprc_z": average_precision(z_all, y_all),
        "auroc_degree": auroc(deg_all, y_all),
        "auprc_degree": average_precision(deg_all, y_all), "prevalence": float(y_all.mean()),
    }  # fmt: skip
    medians = {"disease": "MEDIAN_PER_DISEASE", **{
        k: float(table[k].median()) for k in
        ("n_genes_lcc", "n_candidates", "n_known", "auroc_z", "auprc_z", "auroc_degree",
         "auprc_degree", "prevalence")}}  # fmt: skip
    table = pd.concat([table, pd.DataFrame([summary, medians])], ignore_index=True)
    args.out.mkdir(parents=True, exist_ok=True)
    tsv = args.out / f"validation_{args.universe}.tsv"
    table.to_csv(tsv, sep="\t", index=False, float_format="%.4f")

    fig, ax = plt.subplots(figsize=(5, 5))
    for name, values in (("proximity -z", z_all), ("mean target degree", deg_all)):
        fpr, tpr = roc_curve(values, y_all)
        ax.plot(fpr, tpr, label=f"{name} (AUROC {auroc(values, y_all):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("false-positive rate")
    ax.set_ylabel("true-positive rate")
    ax.set_title(f"Known indications, pooled over {len(rows)} diseases ({args.universe})")
    ax.legend(loc="lower right")
    fig.tight_layout()
    png = args.out / f"roc_{args.universe}.png"
    fig.savefig(png, dpi=120)
    plt.close(fig)

    elapsed = time.perf_counter() - start
    with pd.option_context("display.width", 160, "display.max_rows", 20):
        print(table.tail(2).to_string(index=False))
    print(f"{len(rows)} diseases; {n_invalid} pairs with sigma = 0 ranked last; "
          f"wrote {tsv} and {png}; {elapsed:.0f} s")  # fmt: skip
    return table


if __name__ == "__main__":
    main()
