"""Rank-time cost of ``activity_reversal``: the drugs' activities once, then each patient.

``python -m benchmarks.bench_activity_reversal`` (no database): reads the gene, DoRothEA,
PROGENy and LINCS files of the data mirror, makes each GSE15573 RA sample a patient (every
gene's z against the healthy donors' mean and sd, the cohort's way of a per-sample statistic),
then times (1) the TF/pathway activity of every LINCS drug, computed once per reference
(``RegulatorReference.perturbation_activity``: the work on the landmark genes shared by all
drugs), beside the same computed drug by drug (``patient_activity`` per drug, as it was until
stop 54), checking that both give the very same floats, (2) per patient the twin's own activity
(what a ranking reads, ``RankContext.activity``) and (3) the method over every LINCS drug.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from benchmarks.bench_screen import data_root
from benchmarks.regulator_eval import regulator_reference
from medtwin.loaders.fetch import locate
from medtwin.loaders.genes_ncbi import GeneIndex, read_genes
from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import Network
from medtwin.platform.ranking import DrugTargets, RankContext
from medtwin.platform.ranking.activity_reversal_rank import ActivityReversalRank
from medtwin.platform.regulators import patient_activity

FOLDER = "omics_ra_pbmc_gse15573"


def patient_vectors(genes: GeneIndex) -> dict[str, dict[str, float]]:
    """Sample -> Entrez id -> z of the sample against the healthy donors (RA samples only)."""
    root = data_root()
    expr = pd.read_csv(locate(root, FOLDER, "expression_matrix.tsv"), sep="\t", index_col=0)
    groups = pd.read_csv(locate(root, FOLDER, "sample_groups.tsv"), sep="\t", index_col=0)
    healthy = [s for s in expr.columns if groups.loc[s, "group"] != "RA"]
    mu, sd = expr[healthy].mean(axis=1), expr[healthy].std(axis=1).replace(0.0, np.nan)
    entrez = {s: genes.resolve(s) for s in expr.index}
    out: dict[str, dict[str, float]] = {}
    for sample in (s for s in expr.columns if s not in healthy):
        z = ((expr[sample] - mu) / sd).dropna()
        out[sample] = {entrez[g]: float(v) for g, v in z.items() if entrez.get(g)}  # type: ignore[misc]
    return out


def main() -> None:
    genes = GeneIndex.from_rows(
        read_genes(locate(data_root(), "ncbi_gene_info", "Homo_sapiens.gene_info.gz"))
    )
    ref = regulator_reference(data_root(), genes)
    patients = patient_vectors(genes)
    drugs = {d: DrugTargets(d, ("1",)) for d in ref.perturbations}
    net = Network.from_edges([("1", "2")])
    dist = all_pairs_distances(net)
    t0, c0 = time.perf_counter(), time.process_time()
    n_drugs = len(ref.perturbation_activity)
    once, once_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    one_by_one = {d: patient_activity(z, ref) for d, z in ref.perturbations.items()}
    alone, alone_cpu = time.perf_counter() - t0, time.process_time() - c0
    differ = [d for d, a in one_by_one.items() if a != ref.perturbation_activity[d]]
    method = ActivityReversalRank()
    act_s, rank_s, rank_cpu, scored = [], [], [], []
    for stats in patients.values():
        ctx = RankContext(net, dist, ("1",), {}, {}, drugs, gene_stats=stats, regulators=ref)
        t = time.perf_counter()
        assert ctx.activity is not None
        act_s.append(time.perf_counter() - t)
        t, c = time.perf_counter(), time.process_time()
        scored.append(len(method.rank(ctx, seed=0)))
        rank_s.append(time.perf_counter() - t)
        rank_cpu.append(time.process_time() - c)
    # CPU time beside wall time: on a loaded machine the wall time is mostly waiting
    print(
        f"drug activities, once per reference: {n_drugs} drugs in {once:.2f} s "
        f"(CPU {once_cpu:.2f} s); drug by drug {alone:.2f} s (CPU {alone_cpu:.2f} s); "
        f"drugs whose activities differ between the two: {len(differ)}"
    )
    print(
        f"{len(patients)} patients: patient activity median {statistics.median(act_s):.3f} s "
        f"(max {max(act_s):.3f}); activity_reversal median {statistics.median(rank_s):.3f} s "
        f"(max {max(rank_s):.3f}; CPU median {statistics.median(rank_cpu):.3f} s) for "
        f"{min(scored)}-{max(scored)} drugs scored"
    )


if __name__ == "__main__":
    main()
