"""Upstream-regulator ranking per twin: GDS (shared projection) vs in process, same run.

``make bench-twin BENCH_TWIN_ARGS=--regulators-gds`` (or ``python -m benchmarks.bench_twin
--regulators-gds``): loads the gene, interactome, DoRothEA and PROGENy layers into the target
server (skipped when loaded), then for every demo patient times the TF/pathway activity and the
UR centrality + Louvain groups with both engines, and checks that they rank the URs alike.

The cold case (a twin whose upstream regulators no earlier twin had), measured in one run, for
N = 1 ... 60: N TFs whose PageRank columns are not in the projection yet, every column computed
(the code of a239ea8: :data:`~medtwin.store.regulator_network.SESSIONS` sessions), then N others
with this code (columns up to :data:`~medtwin.platform.regulator_centrality.COLUMN_BUDGET`, else
one in-process pass on the projection's edges, read once per process and timed apart); then the
prefill of every remaining TF's column (what ``cohort run`` pays once per projection before a
batch of >= 100 twins); then
twins with N TFs that no earlier twin had, after the prefill, and the same TFs again with new
weights (warm).
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
    COLUMN_BUDGET,
    RESTART,
    centrality,
    in_process_centrality,
    projection_network,
    rank_rows,
    reference_key,
    regulatory_network,
    upstream_seeds,
)
from medtwin.platform.regulators import patient_activity
from medtwin.settings import Settings
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.regulator_network import SESSIONS

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
    rng = random.Random(18)
    tfs = sorted(str(r["id"]) for r in store.read("gds/regulator_tf_ids"))
    fresh = list(tfs)
    rng.shuffle(fresh)
    damping = 1 - RESTART
    print(f"TFs of the regulon layer in the projection: {len(tfs)}")
    t0 = time.perf_counter()
    projection_network(store, key)
    print(f"projection's edges read into this process (once per process, for twins over the "
          f"column budget of {COLUMN_BUDGET}): {time.perf_counter() - t0:.2f} s")  # fmt: skip
    for k in (1, 5, 10, 20, 30, 60):  # twins whose k TFs no earlier twin had, before any prefill
        one, batch = fresh[:k], fresh[k : 2 * k]
        del fresh[: 2 * k]
        t0 = time.perf_counter()  # before (a239ea8): every missing column computed, 2 sessions
        store.regulator_network.centrality(key, _weights(rng, one), damping=damping)
        before = time.perf_counter() - t0
        t0 = time.perf_counter()  # now: columns up to the budget, else one in-process pass
        now = centrality(store, ctx, _weights(rng, batch), ref, engine="gds")
        after = time.perf_counter() - t0
        how = "in process" if "pagerank_in_process" in now.seconds else "columns"
        print(f"{k:>3} new TFs: before (all columns, {SESSIONS} sessions) {before:.3f} s, "
              f"now ({how}) {after:.3f} s (target <= 1 s)")  # fmt: skip
    done, seconds = store.regulator_network.prefill_columns(key, damping=damping)
    print(f"prefill of the other {done} TF columns (once per projection, by cohort run "
          f"before >= 100 twins): {seconds:.2f} s")  # fmt: skip
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
    # Demo twins have few URs: time twins of k TFs that no earlier twin had (drawn at random, seed
    # 18; weights |N(0, 3)| + 0.1), after the prefill; "warm": the same TFs again, new weights.
    unused = [t for t in fresh if t in net.index]
    for k in (1, 5, 10, 20, 50):
        cold, warm, local = [], [], []
        for _ in range(3):
            chosen, unused = unused[:k], unused[k:]
            if len(chosen) < k:
                break
            for out in (cold, warm):
                t0 = time.perf_counter()
                store.regulator_network.centrality(key, _weights(rng, chosen), damping=damping)
                out.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            in_process_centrality(net, _weights(rng, chosen))
            local.append(time.perf_counter() - t0)
        if not cold:
            break
        print(f"{k:>3} TFs no earlier twin had: GDS cold median {statistics.median(cold):.3f} s "
              f"(max {max(cold):.3f}, {len(cold)} twins), warm median "
              f"{statistics.median(warm):.3f} s (max {max(warm):.3f}); in process median "
              f"{statistics.median(local):.3f} s (max {max(local):.3f})")  # fmt: skip


def _weights(rng: random.Random, tfs: Sequence[str]) -> dict[str, float]:
    return {t: abs(rng.gauss(0, 3)) + 0.1 for t in tfs}
