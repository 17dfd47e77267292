"""Do TF or pathway activities recover the PEAC pathotypes better than genes? (issue 18 item 6).

``make validate-stratify`` — in process, no database. The 81 PEAC early-RA synovium patients
(``omics_ra_synovium_peac``: 500 genes, DESeq2 rld; labels Lymphoid 45 / Myeloid 20 / Fibroid 16)
are each compared with the other 80 (leave-one-out Crawford–Howell t, as ``medtwin`` reads the
cohort: :func:`medtwin.platform.cohort_profiles.read_cohort`, ``control_label=None``). Each
patient's gene statistic (:func:`medtwin.platform.gene_evidence.gene_statistics`) gives three
feature vectors:

* ``genes``: the statistic of every mapped gene;
* ``activities``: TF activity, ULM on DoRothEA A–C
  (:func:`medtwin.platform.regulators.patient_activity`);
* ``pathways``: PROGENy pathway activity, MLM.

Two gene selections: ``all genes`` (``p_max=1``: every gene with a defined t, what a footprint
needs) and ``twin's genes`` (what the demo's PEAC twins store: ``|log2fc| >= 0.5`` and nominal
``p <= 0.05``; a gene not kept counts 0).

Every feature set is clustered the same way, seeded:

* ``knn-louvain``: the product's ``cohort stratify --features``: Pearson correlation of the
  column-standardised vectors (:func:`medtwin.platform.stratify_features.correlation_similarity`),
  each patient joined to its ``k`` most similar (:func:`medtwin.platform.stratify.knn_pairs`),
  Louvain on that graph (networkx ``louvain_communities``, ``seed``; the product runs GDS Louvain
  on the same graph);
* ``kmeans-3``: k-means with 3 clusters (the number of pathotypes) on the standardised vectors
  (scikit-learn, ``random_state=seed``, ``n_init=10``).

The ARI of the clusters vs the pathotypes (:func:`medtwin.platform.algorithms.agreement.
adjusted_rand_index`, equal to scikit-learn's ``adjusted_rand_score`` by a unit test) with a
permutation p (labels shuffled, 1000 times, seeded), and the spread of the ARI over seeds 0–9.
Also the time of one patient's activities (TF + pathway), median and max over the 81.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import networkx as nx
import numpy as np
from sklearn.cluster import KMeans

from medtwin.loaders import pathways_progeny, regulons_dorothea
from medtwin.loaders.fetch import locate
from medtwin.loaders.genes_ncbi import GeneIndex, read_genes
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform.algorithms.agreement import adjusted_rand_index, permutation_p
from medtwin.platform.cohort_profiles import read_cohort
from medtwin.platform.gene_evidence import gene_statistics
from medtwin.platform.regulators import RegulatorReference, patient_activity
from medtwin.platform.stratify import knn_pairs
from medtwin.platform.stratify_features import correlation_similarity, standardise

PEAC = "omics_ra_synovium_peac"
FEATURES = ("genes", "activities", "pathways")
SELECTIONS = {"all genes": {"p_max": 1.0}, "twin's genes": {"p_max": 0.05, "min_abs_log2fc": 0.5}}
TMINS = (5, 3)
"""Minimum measured footprint genes: 5 (medtwin's and decoupler's default) and 3 (sensitivity:
PEAC ships 500 genes, so PROGENy's top-100 footprints overlap it by 0-5 genes each)."""


def _matrix(rows: Sequence[dict[str, float]], fill: float) -> tuple[list[str], np.ndarray]:
    cols = sorted({c for r in rows for c in r})
    return cols, np.array([[r.get(c, fill) for c in cols] for r in rows], dtype=np.float64)


def knn_louvain(x: np.ndarray, k: int, seed: int) -> list[int]:
    """Louvain communities of the kNN graph of the correlation similarity (module docstring)."""
    ids = [f"{i:03d}" for i in range(x.shape[0])]
    g = nx.Graph()
    g.add_nodes_from(ids)
    for p in knn_pairs(ids, correlation_similarity(x), k):
        g.add_edge(p["a"], p["b"], score=p["score"])
    comms = nx.community.louvain_communities(g, weight="score", seed=seed)
    label = {n: c for c, members in enumerate(comms) for n in members}
    return [label[i] for i in ids]


def kmeans3(x: np.ndarray, seed: int) -> list[int]:
    """k-means, 3 clusters, on the standardised features."""
    km = KMeans(n_clusters=3, n_init=10, random_state=seed).fit(standardise(x))
    return [int(v) for v in km.labels_]


def evaluate(
    profiles: Sequence[PatientProfile],
    ref: RegulatorReference,
    k: int,
    seed: int,
    perms: int,
    features: Sequence[str] = FEATURES,
) -> tuple[list[dict[str, object]], list[float]]:
    """ARI rows for one gene selection, and the per-patient activity seconds."""
    truth = [str(p.metadata["pathotype"]) for p in profiles]
    stats = [gene_statistics(p.changes) for p in profiles]
    tf_rows, pw_rows, seconds = [], [], []
    for s in stats:
        t0 = time.perf_counter()
        act = patient_activity(s, ref)
        seconds.append(time.perf_counter() - t0)
        tf_rows.append({t: a.score for t, a in act.tf.items()})
        pw_rows.append({w: a.score for w, a in act.pathway.items()})
    mats = {
        "genes": _matrix(stats, 0.0),
        "activities": _matrix(tf_rows, np.nan),
        "pathways": _matrix(pw_rows, np.nan),
    }
    out: list[dict[str, object]] = []
    for feat in features:
        cols, x = mats[feat]
        for method in ("knn-louvain", "kmeans-3"):

            def run(s: int, x: np.ndarray = x, method: str = method) -> list[int]:
                return knn_louvain(x, k, s) if method == "knn-louvain" else kmeans3(x, s)

            if len(cols) < (2 if method == "knn-louvain" else 1):  # a correlation needs 2
                out.append({"features": feat, "n_features": len(cols), "method": method,
                            "clusters": None, "ari": None, "p": None,
                            "ari_seeds_mean": None, "ari_seeds_sd": None})  # fmt: skip
                continue
            labels = run(seed)
            test = permutation_p(labels, truth, n=perms, seed=seed)
            ari, p = test.ari, test.p
            spread = [adjusted_rand_index(run(s), truth) for s in range(10)]
            out.append(
                {
                    "features": feat, "n_features": len(cols), "method": method,
                    "clusters": len(set(labels)), "ari": round(ari, 4), "p": p,
                    "ari_seeds_mean": round(statistics.mean(spread), 4),
                    "ari_seeds_sd": round(statistics.stdev(spread), 4),
                }
            )  # fmt: skip
    return out, seconds


def reference(data: Path) -> tuple[GeneIndex, RegulatorReference]:
    """The gene index and the DoRothEA A–C + PROGENy layers from the data folder."""
    genes = GeneIndex.from_rows(
        read_genes(locate(data, "ncbi_gene_info", "Homo_sapiens.gene_info.gz"))
    )
    return genes, RegulatorReference.from_files(
        locate(data, regulons_dorothea.SOURCE.name, regulons_dorothea.FILE),
        locate(data, pathways_progeny.SOURCE.name, pathways_progeny.FILE),
        None,
        genes,
    )


def data_argument(ap: argparse.ArgumentParser) -> None:
    """``--data``, defaulting to ``$MEDTWIN_DATA_MIRROR``."""
    mirror = os.environ.get("MEDTWIN_DATA_MIRROR")
    ap.add_argument(
        "--data", type=Path, default=Path(mirror) if mirror else None, required=mirror is None,
        help="data folder (<source>/<file>; default $MEDTWIN_DATA_MIRROR)",
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Print the ARI table (and write it as JSON)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(ap)
    ap.add_argument("-k", type=int, default=10, help="neighbours per patient (kNN graph)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--permutations", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=Path("out/validation/stratify.json"))
    a = ap.parse_args(argv)
    genes, ref = reference(a.data)
    expr = locate(a.data, PEAC, "expression_rld.tsv")
    sheet = locate(a.data, PEAC, "sample_pathotype.tsv")
    report: dict[str, object] = {"k": a.k, "seed": a.seed, "permutations": a.permutations}
    print(f"PEAC pathotypes (Lymphoid 45, Myeloid 20, Fibroid 16); k = {a.k}, seed = {a.seed}")  # noqa: T201
    print(f"{'selection':<22} {'features':<11} {'n':>4} {'method':<12} {'clusters':>8} "  # noqa: T201
          f"{'ARI':>7} {'perm p':>7} {'ARI seeds 0-9':>16}")  # fmt: skip
    for name, kw in SELECTIONS.items():
        profiles = list(
            read_cohort(expr, sheet, genes, group_column="Pathotype", control_label=None,
                        cohort=PEAC, **kw)  # type: ignore[arg-type]
        )  # fmt: skip
        genes_per = [len(p.changes) for p in profiles]
        for tmin in TMINS:
            label = f"{name}, tmin {tmin}"
            feats = FEATURES if tmin == TMINS[0] else FEATURES[1:]
            rows, seconds = evaluate(
                profiles, replace(ref, tmin=tmin), a.k, a.seed, a.permutations, feats
            )
            for r in rows:
                head = f"{label:<22} {r['features']:<11} {r['n_features']:>4} {r['method']:<12} "
                if r["ari"] is None:
                    print(head + "  (fewer features scored than the method needs)")  # noqa: T201
                    continue
                print(  # noqa: T201
                    head + f"{r['clusters']:>8} {r['ari']:>7.3f} {r['p']:>7.3f} "
                    f"{r['ari_seeds_mean']:>8.3f} ± {r['ari_seeds_sd']:.3f}"
                )
            report[label] = {
                "rows": rows,
                "genes_per_patient_median": statistics.median(genes_per),
                "activity_seconds_median": statistics.median(seconds),
                "activity_seconds_max": max(seconds),
            }
            print(  # noqa: T201
                f"  {label}: {statistics.median(genes_per):.0f} genes per patient (median); "
                f"activities {statistics.median(seconds) * 1000:.1f} ms median, "
                f"{max(seconds) * 1000:.1f} ms max per patient"
            )
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"-> {a.out}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
