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
from medtwin.platform import demo_cohorts, patients, reference, twins
from medtwin.platform.context import reference_context
from medtwin.platform.demo import RA_PHENOTYPE
from medtwin.settings import Settings
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.twins import TwinStore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", type=Path, help="Write figures here.")
    ap.add_argument("--limit", type=int, default=0, help="Build at most this many (0 = all).")
    args = ap.parse_args()
    s = Settings()
    fetch_all(s.data_dir, s.data_mirror)
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
    store.close()
    if args.json:
        args.json.write_text(json.dumps({"per_twin_s": times, "baseline_s": baseline}, indent=2))


if __name__ == "__main__":
    main()
