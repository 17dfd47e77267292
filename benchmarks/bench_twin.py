"""Benchmark twin building (``make bench-twin``): one twin, then every demo twin.

Each build = module + z-score (1,000 degree-matched samples) + RWR expansion + storage +
GDS PageRank, personalised PageRank, betweenness and Louvain + storing the results. The baseline
measured in the same run is the same analysis in networkx on the same twin subgraph (PageRank,
betweenness, Louvain), without storage. Needs the reference graph loaded on the target server.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import networkx as nx

from medtwin.loaders.fetch import fetch_all
from medtwin.loaders.genes_ncbi import GeneIndex, read_genes
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform import demo_cohorts, patients, reference, twins
from medtwin.platform.algorithms.network import Network
from medtwin.platform.context import reference_context
from medtwin.platform.demo import RA_PHENOTYPE
from medtwin.settings import Settings
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.twins import TwinStore


def regulator_times(
    profiles: tuple[PatientProfile, ...] | list[PatientProfile],
    net: Network,
    root: Path,
    genes: GeneIndex,
) -> list[float]:
    """Seconds per twin of the regulator layer: gene statistics, TF (ULM) and pathway (MLM)
    activity, upstream regulators and their network reach (RWR), pure (no database)."""
    from benchmarks.regulator_eval import regulator_reference
    from medtwin.platform.gene_evidence import driver_evidence, gene_statistics
    from medtwin.platform.ranking.regulator_network_rank import RegulatorNetworkRank
    from medtwin.platform.regulators import patient_activity

    t0 = time.perf_counter()
    reg = regulator_reference(root, genes)
    print(f"regulator reference read (once per process): {time.perf_counter() - t0:.2f} s")
    out = []
    n_urs, n_genes, n_tfs = [], [], []
    for p in profiles:
        t0 = time.perf_counter()
        stats = gene_statistics(p.changes)
        act = patient_activity(stats, reg)
        urs = act.upstream_regulators()
        RegulatorNetworkRank().score(net, {}, act, driver_evidence(p.changes))
        out.append(time.perf_counter() - t0)
        n_urs.append(len(urs))
        n_genes.append(len(stats))
        n_tfs.append(len(act.tf))
    print(
        f"regulator layer, {len(out)} twins: median {statistics.median(out):.3f} s, "
        f"max {max(out):.3f} s per twin (target <= 1 s); per twin (median, max): genes with "
        f"a statistic {statistics.median(n_genes)}, {max(n_genes)}; TFs scored "
        f"{statistics.median(n_tfs)}, {max(n_tfs)}; upstream regulators "
        f"{statistics.median(n_urs)}, {max(n_urs)}"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", type=Path, help="Write figures here.")
    ap.add_argument("--limit", type=int, default=0, help="Build at most this many (0 = all).")
    ap.add_argument(
        "--regulators-only",
        action="store_true",
        help="only the regulator layer, from the data folder (no database)",
    )
    ap.add_argument(
        "--regulators-gds",
        action="store_true",
        help="upstream-regulator ranking per twin, GDS vs in process (benchmarks/bench_regulators)",
    )
    args = ap.parse_args()
    s = Settings()
    fetch_all(s.data_dir, s.data_mirror)
    if args.regulators_gds:
        from benchmarks.bench_regulators import regulators_gds

        with Neo4jStore.open(s) as store_:
            reference.load_reference(store_, s.data_dir, only=["ncbi_gene_info"])
            genes_ = reference_context().gene_index(store_)
            profiles_ = demo_cohorts.demo_patients(s.data_dir, genes_)[: args.limit or None]
            regulators_gds(store_, s, profiles_)
        return
    if args.regulators_only:
        from benchmarks.bench_screen import read_interactome

        genes_ = GeneIndex.from_rows(
            read_genes(s.data_dir / "ncbi_gene_info" / "Homo_sapiens.gene_info.gz")
        )
        profiles_ = demo_cohorts.demo_patients(s.data_dir, genes_)[: args.limit or None]
        net_ = read_interactome(s.data_dir).largest_component()
        regulator_times(profiles_, net_, s.data_dir, genes_)
        return
    store = Neo4jStore.open(s)
    reference.load_reference(store, s.data_dir)
    genes = reference_context().gene_index(store)
    t0 = time.perf_counter()
    net = reference_context().interactome(store)
    print(f"interactome read + LCC (once per process): {time.perf_counter() - t0:.2f} s")
    profiles = demo_cohorts.demo_patients(s.data_dir, genes)
    if args.limit:
        profiles = profiles[: args.limit]
    for p in profiles:
        if p.patient_id != demo_cohorts.PBMC68K_PATIENT_ID:
            p = p.model_copy(update={"symptoms": (RA_PHENOTYPE,)})
        patients.add_patient(store, p, kind="demo")
    times, baseline, skipped = [], [], 0
    g = net.to_networkx()
    for p in profiles:
        t0 = time.perf_counter()
        try:
            twin = twins.build_twin(store, p.patient_id)
        except Exception as e:  # noqa: BLE001 - report and go on
            skipped += 1
            print(f"  no twin for {p.patient_id}: {e}")
            continue
        times.append(time.perf_counter() - t0)
        members = [r["entrez"] for r in TwinStore(store).genes(twin.id)]
        sub = g.subgraph(members)
        t0 = time.perf_counter()
        nx.pagerank(sub)
        nx.betweenness_centrality(sub)
        nx.community.louvain_communities(sub, seed=0)
        baseline.append(time.perf_counter() - t0)
    print(f"first twin: {times[0]:.2f} s (target ≤ 2 s)")
    print(
        f"{len(times)} twins: total {sum(times):.1f} s, median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s per twin; {skipped} patients without a twin"
    )
    print(
        f"networkx baseline (PageRank + betweenness + Louvain only, no storage): median "
        f"{statistics.median(baseline):.2f} s; ratio full build / baseline "
        f"{statistics.median(times) / statistics.median(baseline):.1f}"
    )
    reg_times = regulator_times(profiles, net, s.data_dir, genes)
    store.close()
    if args.json:
        args.json.write_text(
            json.dumps(
                {"per_twin_s": times, "baseline_s": baseline, "regulators_s": reg_times}, indent=2
            )
        )


if __name__ == "__main__":
    main()
