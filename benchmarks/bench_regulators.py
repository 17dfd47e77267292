"""Upstream-regulator ranking per twin: GDS (shared projection) vs in process, same run.

``make bench-twin BENCH_TWIN_ARGS=--regulators-gds`` (or ``python -m benchmarks.bench_twin
--regulators-gds``): loads the gene, interactome, DoRothEA and PROGENy layers into the target
server (skipped when loaded), then for every demo patient times the TF/pathway activity and the
UR centrality + Louvain groups with both engines, and checks that they rank the URs alike.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Sequence

from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform import reference
from medtwin.platform.context import reference_context
from medtwin.platform.gene_evidence import driver_evidence, gene_statistics
from medtwin.platform.regulator_centrality import (
    RESTART,
    in_process_centrality,
    rank_rows,
    reference_key,
    regulatory_network,
    upstream_seeds,
)
from medtwin.platform.regulators import patient_activity
from medtwin.settings import Settings
from medtwin.store.neo4j import Neo4jStore

LAYERS = ("ncbi_gene_info", "menche2015_interactome", "dorothea_hs", "progeny_2018")


def _line(name: str, xs: Sequence[float]) -> str:
    return f"{name}: median {statistics.median(xs):.3f} s, max {max(xs):.3f} s"


def regulators_gds(store: Neo4jStore, s: Settings, profiles: Sequence[PatientProfile]) -> None:
    """Print per-twin times of activity, GDS and in-process centrality, and their agreement."""
    reference.load_reference(store, s.data_dir, only=list(LAYERS))
    ctx = reference_context()
    ref = ctx.regulators(store)
    assert ref is not None, "regulator layers not loaded"
    key = reference_key(store)
    store.regulator_network.drop_projections()
    t0 = time.perf_counter()
    name, _ = store.regulator_network.ensure_projection(key)
    print(f"GDS projection {name} + Louvain (once per loaded reference): "
          f"{time.perf_counter() - t0:.2f} s")  # fmt: skip
    t0 = time.perf_counter()
    net = regulatory_network(ctx.interactome(store), ref)
    in_process_centrality(net, {net.nodes[0]: 1.0})  # networkx Louvain, once per process
    print(f"in-process network + networkx Louvain (once per process): "
          f"{time.perf_counter() - t0:.2f} s")  # fmt: skip
    act_t, gds_t, loc_t, n_seeds = [], [], [], []
    same_order = same_groups = 0
    max_rel = 0.0
    for p in profiles:
        t0 = time.perf_counter()
        stats = gene_statistics(p.changes)
        drivers = driver_evidence(p.changes)
        act = patient_activity(stats, ref)
        urs = act.upstream_regulators()
        seeds = upstream_seeds(urs, drivers)
        act_t.append(time.perf_counter() - t0)
        n_seeds.append(len(seeds))
        t0 = time.perf_counter()
        g = store.regulator_network.centrality(key, seeds, damping=1 - RESTART) if seeds else None
        gds_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        loc = in_process_centrality(net, seeds) if seeds else None
        loc_t.append(time.perf_counter() - t0)
        if g is None or loc is None:
            same_order += 1
            same_groups += 1
            continue
        a, b = rank_rows(urs, drivers, g, q_max=0.05), rank_rows(urs, drivers, loc, q_max=0.05)
        same_order += [r["id"] for r in a] == [r["id"] for r in b]
        same_groups += [r["community"] for r in a] == [r["community"] for r in b]
        for k, v in loc.scores.items():
            if k in g.scores and v > 0:
                max_rel = max(max_rel, abs(g.scores[k] - v) / v)
    both = [a + x for a, x in zip(act_t, gds_t, strict=True)]
    print(f"{len(profiles)} demo twins; seeds (URs + drivers) per twin: median "
          f"{statistics.median(n_seeds)}, max {max(n_seeds)}")  # fmt: skip
    print(_line("activity (ULM + MLM) + seeds", act_t))
    print(_line("GDS PageRank per seed + Louvain look-up", gds_t))
    print(_line("in-process RWR + Louvain look-up", loc_t))
    print(_line("activity + GDS regulators (target <= 1 s)", both))
    print(f"same UR order GDS vs in process: {same_order}/{len(profiles)}; same groups "
          f"(numbered by the top UR): {same_groups}/{len(profiles)}; max relative score "
          f"difference {max_rel:.2e}")  # fmt: skip
    # Demo twins have few URs (~17 genes each): time the engines on k TFs drawn at random
    # (seed 18), weights |N(0, 3)| + 0.1. "cold": the TFs' PageRank columns are not in the
    # projection yet (computed now, GDS mutate); "warm": the same TFs again with new weights.
    rng = random.Random(18)
    tfs = sorted(t for t in ref.regulons if t in net.index)
    print(f"TFs in the network: {len(tfs)}")
    for k in (1, 5, 10, 20, 50):
        cold, warm, local = [], [], []
        for _ in range(3):
            chosen = rng.sample(tfs, k)
            for out in (cold, warm):
                seeds = {t: abs(rng.gauss(0, 3)) + 0.1 for t in chosen}
                t0 = time.perf_counter()
                store.regulator_network.centrality(key, seeds, damping=1 - RESTART)
                out.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            in_process_centrality(net, seeds)
            local.append(time.perf_counter() - t0)
        print(f"{k:>3} seeds: GDS cold median {statistics.median(cold):.3f} s "
              f"(max {max(cold):.3f}), warm median {statistics.median(warm):.3f} s "
              f"(max {max(warm):.3f}); in process median {statistics.median(local):.3f} s "
              f"(max {max(local):.3f})")  # fmt: skip
