"""Benchmark cohort runs (``make bench-cohort``): a synthetic cohort on 1 and 2 Dask workers.

The cohort is deterministic: patient ``i`` resamples (with replacement, seeded) the gene changes
of one real demo profile (RA PBMC, PEAC synovium, PBMC 68k) drawn at random. The same N profiles
are stored twice, as cohorts ``bench-w1`` and ``bench-w2``, and each is built and ranked end to end
(twin + GDS analysis + screen of every DrugBank drug, default parameters) by ``run_cohort`` with 1
and 2 worker processes. Figures: patients/min, speed-up, peak resident memory per worker (it
includes the memory-mapped distance matrix, whose pages the workers share), and the database
growth per patient (records per patient and their Neo4j record sizes; store file growth). Needs
the reference graph loaded on the target server; previous bench patients are deleted first.

Scale figures (``--scale N``, default 10,000; 0 skips them), measured first: 10 real patients
are built and ranked (2 workers), then the latency of one patient's ``rank`` and of a ranking page
(top page from the SCORES relationships, and a page beyond the top from the ranking's table,
in-process caches cleared before each call) is measured with those 10 patients stored and again
after N synthetic twins + rankings were copied from them in bulk (``store/bench.py``, same shape
as real ones); the ratio is the target (<= 1.2). The copy's time is printed with its transactions'
median and longest seconds, and the first top page read just after the copies beside one read
just before them (the first pays for Neo4j planning its statements again: the label counts moved).
Cohort summary time at 1,000 and N patients,
and database bytes per patient (store file growth, record estimate, mean ranking table bytes).
``--workers 2`` runs the end-to-end part with 2 workers only.

``--before REF`` (``make bench-cohort BEFORE=REF``) runs only the end-to-end part, first with the
code of git ``REF`` and then with this checkout's, on the same N patients and ``--workers`` (the
last count given; 0: in process), and prints both patients/hour, their ratio, each side's mean
step seconds and whether the two stored the same outputs (:func:`fingerprint`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from benchmarks.bench_cli import _export
from medtwin.cypher.catalog import query
from medtwin.loaders.fetch import fetch_all
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform import cohort, demo_cohorts, patients, rankings, reference
from medtwin.platform.context import reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.bench import BenchStore
from medtwin.store.neo4j import Neo4jStore


def synthetic(profiles: tuple[PatientProfile, ...], n: int, seed: int) -> list[PatientProfile]:
    """``n`` profiles, each a seeded bootstrap of the changes of a random demo profile.

    Profiles without gene changes (all genes unmapped) are not drawn: a resample of them would
    be refused by ``add_patient`` (contributes nothing).
    """
    rng = np.random.default_rng(seed)
    profiles = tuple(p for p in profiles if p.changes)
    out = []
    for i in range(n):
        base = profiles[int(rng.integers(len(profiles)))]
        picks = rng.integers(len(base.changes), size=len(base.changes))
        changes = tuple({base.changes[j].entrez: base.changes[j] for j in sorted(picks)}.values())
        out.append(
            base.model_copy(
                update={
                    "patient_id": f"BENCH{i:05d}",
                    "changes": changes,
                    "metadata": {"resampled_from": base.patient_id},
                    "input_checksums": {},
                }
            )
        )
    return out


def _db_bytes(settings: Settings, store: Neo4jStore) -> int:
    """Bytes of the database's store files (transaction logs excluded).

    Community edition has no ``db.checkpoint()``: pages not yet flushed are missing and files
    grow in chunks, so this is a lower bound; :func:`_estimate` gives the record-size figure.
    """
    root = settings.home / "neo4j"
    folders = [p for p in root.rglob(f"databases/{store.database}") if p.is_dir()]
    return sum(f.stat().st_size for d in folders for f in d.rglob("*") if f.is_file())


def _counts(store: Neo4jStore, prefix: str) -> tuple[int, int, int]:
    """Patient-specific nodes, their outgoing relationships and all their properties."""
    rec = store.driver.execute_query(
        "MATCH (n) WHERE n.patient_id STARTS WITH $p "
        "OPTIONAL MATCH (n)-[r]->() "
        "WITH n, count(r) AS nr, sum(size(keys(r))) AS rp "
        "RETURN count(n) AS nodes, sum(nr) AS rels, sum(rp) + sum(size(keys(n))) AS props",
        p=prefix,
        database_=store.database,
    ).records[0]
    return int(rec["nodes"]), int(rec["rels"]), int(rec["props"])


def _estimate(nodes: int, rels: int, props: int) -> int:
    """Store bytes from Neo4j 5 record sizes: node 15 B, relationship 34 B, property record 41 B
    holding ~3 values (short strings and numbers inline; long strings and arrays cost more)."""
    return 15 * nodes + 34 * rels + 41 * (props + 2) // 3


def _median_s(fn: object, n: int) -> float:
    """Median seconds of ``n`` calls of ``fn`` with the in-process ranking caches cleared."""
    times = []
    for _ in range(n):
        reference_context().clear_pages()
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def _db_hits(store: Neo4jStore, name: str, **params: object) -> int:
    """Database hits of one ``PROFILE`` of catalog statement ``name`` (all operators).

    Unlike the latency, the count does not move with the machine's load or the page cache: equal
    counts at 10 and 10,010 stored rankings mean the read's work does not grow with the store.
    """
    got = store.driver.execute_query(
        "PROFILE " + query(name), params, database_=store.database
    ).summary.profile

    def total(plan: dict[str, Any]) -> int:
        return int(plan.get("dbHits", 0)) + sum(total(c) for c in plan.get("children", []))

    return total(got or {})


def _latencies(store: Neo4jStore, s: Settings, pid: str, rank: RankParams) -> dict[str, float]:
    latest = store.driver.execute_query(
        query("ranking/latest_ranking"),
        patient_id=pid,
        version=None,
        targets=None,
        database_=store.database,
    ).records[0]["ranking"]["id"]
    return {
        "page_top_db_hits": _db_hits(
            store, "ranking/latest_ranking", patient_id=pid, version=None, targets=None
        )
        + _db_hits(
            store, "ranking/scores_page", ranking_id=latest, offset=0, limit=50, drug_id=None
        ),
        "rank_s": _median_s(
            lambda: rankings.rank_drugs(store, pid, rank, cache_dir=s.cache_dir), 3
        ),
        "page_top_ms": 1000
        * _median_s(lambda: rankings.get_ranking(store, pid, offset=0, limit=50), 30),
        "page_table_ms": 1000
        * _median_s(lambda: rankings.get_ranking(store, pid, offset=500, limit=50), 30),
    }


def scale(
    store: Neo4jStore,
    s: Settings,
    base: tuple[PatientProfile, ...],
    n: int,
    seed: int,
    *,
    keep: bool = False,
) -> dict[str, object]:
    """Latency with 10 vs ``n`` stored twins+rankings, summary times, bytes per patient.

    ``keep``: leave the ``n`` copies in the database (to PROFILE reads at scale); the next run,
    or ``--drop``, deletes them.
    """
    bench = BenchStore(store)
    bench.delete_clones("SCALE")
    # The 10 real patients (S0BENCH*) are kept between runs: run_cohort skips them when done.
    real = synthetic(base, 10, seed + 1)
    for p in real:
        meta = {**p.metadata, "cohort": "bench-s0"}
        patients.add_patient(
            store, p.model_copy(update={"patient_id": "S0" + p.patient_id, "metadata": meta})
        )
    ids = cohort.cohort_patients(store, cohort="bench-s0")
    rank = RankParams()
    run = cohort.run_cohort(
        store,
        s,
        ids,
        open_store=Neo4jStore.open,
        twin_params=TwinParams(),
        rank_params=rank,
        workers=2,
    )
    ranked = [o.patient_id for o in run.patients if o.status in {"done", "skipped"}]
    pid = ranked[0]
    small = _latencies(store, s, pid, rank)
    before = _db_bytes(s, store)
    first_before_ms = 1000 * _median_s(lambda: rankings.get_ranking(store, pid, limit=50), 1)
    clones = [f"SCALE{i:06d}" for i in range(n)]
    t0 = time.perf_counter()
    made = bench.clone_patients(ranked, clones, "bench-scale")
    insert_s = time.perf_counter() - t0
    # the first read after the copies: Neo4j plans its statements again (the label counts moved)
    first_after_ms = 1000 * _median_s(lambda: rankings.get_ranking(store, pid, limit=50), 1)
    after = _db_bytes(s, store)
    large = _latencies(store, s, pid, rank)
    summary: dict[str, float] = {}
    for k in sorted({min(1000, n), n}):
        t0 = time.perf_counter()
        got = cohort.cohort_summary(store, clones[:k], top_drugs=20)
        summary[f"summary_top20_{k}_s"] = time.perf_counter() - t0
        assert got.ranked == k, (got.ranked, k)
    t0 = time.perf_counter()
    cohort.cohort_summary(store, clones[: min(1000, n)], top_drugs=200)
    summary[f"summary_top200_{min(1000, n)}_s"] = time.perf_counter() - t0
    sizes = bench.ranking_sizes("SCALE")
    nodes, rels, props = _counts(store, "SCALE")
    table_b = float(sizes["table_bytes"] or 0.0)
    lines_b = float(sizes["lines_bytes"] or 0.0)
    # the two byte[] properties are counted once each by _estimate: add their bytes
    record_b = _estimate(nodes, rels, props) / max(n, 1) + table_b + lines_b
    out: dict[str, object] = {
        "stored_small": len(ranked),
        "stored_large": len(ranked) + made.patients,
        "insert_s": round(insert_s, 1),
        "insert_batches": len(made.batch_seconds),
        "insert_batch_p50_s": float(np.median(made.batch_seconds)) if made.batch_seconds else 0.0,
        "insert_batch_max_s": max(made.batch_seconds, default=0.0),
        "page_top_first_before_ms": first_before_ms,
        "page_top_first_after_ms": first_after_ms,
        "small": small,
        "large": large,
        "ratio_rank": large["rank_s"] / small["rank_s"],
        "ratio_page_top": large["page_top_ms"] / small["page_top_ms"],
        "ratio_page_table": large["page_table_ms"] / small["page_table_ms"],
        "ratio_page_top_db_hits": large["page_top_db_hits"] / small["page_top_db_hits"],
        **summary,
        "table_bytes_per_ranking": round(table_b),
        "lines_bytes_per_ranking": round(lines_b),
        "table_rows_per_ranking": sizes["table_rows"],
        "scores_rels_per_ranking": sizes["scores"],
        "store_growth_bytes_per_patient": round((after - before) / max(n, 1)),
        "record_estimate_bytes_per_patient": round(record_b),
        "nodes_per_patient": nodes / max(n, 1),
        "relationships_per_patient": rels / max(n, 1),
    }
    print(
        f"scale: {out['stored_small']} vs {out['stored_large']:,} stored twins+rankings "
        f"({made.patients:,} copied in {insert_s:.0f} s: {out['insert_batches']} transactions, "
        f"p50 {out['insert_batch_p50_s']:.2f} s, max {out['insert_batch_max_s']:.2f} s)"
    )
    units = (
        ("rank_s", "s"),
        ("page_top_ms", "ms"),
        ("page_table_ms", "ms"),
        ("page_top_db_hits", ""),
    )
    for key, unit in units:
        print(
            f"   {key:<14} {small[key]:8.2f} {unit} -> {large[key]:8.2f} {unit}  "
            f"ratio {large[key] / small[key]:.2f} (target <= 1.2)"
        )
    print(
        f"   first top page after the copies {first_after_ms:.1f} ms (just before them "
        f"{first_before_ms:.1f} ms; ratio {first_after_ms / first_before_ms:.2f})"
    )
    for name, v in summary.items():
        print(f"   {name:<24} {v:6.2f} s")
    print(
        f"   per patient: ranking table {table_b / 1e3:.1f} kB ({sizes['table_rows']:.0f} drugs), "
        f"score lines {lines_b / 1e3:.1f} kB, "
        f"{sizes['scores']:.0f} SCORES, {rels / max(n, 1):.0f} relationships; record estimate "
        f"{record_b / 1e3:.0f} kB; store files grew {(after - before) / max(n, 1) / 1e3:.0f} kB "
        "(unflushed pages missing)"
    )
    if keep:
        print(f"   the {n:,} copies (SCALE*) are kept: `--drop` deletes them")
    else:
        t0 = time.perf_counter()
        deleted = bench.delete_clones("SCALE")  # 100 whole patients per transaction
        out["delete_s"] = round(time.perf_counter() - t0, 1)
        print(f"   {deleted:,} copies deleted in {out['delete_s']:.0f} s")
    return out


class _Sampler:
    """Samples, every ``every`` s in a thread, the RSS of this process's descendants (the Dask
    workers and nannies) and the machine's 1-minute load average."""

    def __init__(self, every: float = 1.0) -> None:
        self.every = every
        self.rss_mb: dict[int, float] = {}
        self.load: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            self.load.append(os.getloadavg()[0])
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                self.rss_mb[child.pid] = max(self.rss_mb.get(child.pid, 0.0), rss)
            self._stop.wait(self.every)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _progress(t0: float, every: int) -> cohort.Progress:
    def report(done: int, total: int) -> None:
        if done and (done % every == 0 or done == total):
            el = time.perf_counter() - t0
            print(
                f"   {done}/{total} patients in {el:.0f} s ({3600 * done / el:.0f}/h), "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )

    return report


def _log_outcome(path: Path | None, t0: float) -> Callable[[cohort.PatientOutcome], None] | None:
    """Append each finished patient (outcome, seconds since the start) to ``path`` at once."""
    if path is None:
        return None

    def write(o: cohort.PatientOutcome) -> None:
        line = json.loads(o.model_dump_json())
        line["at_s"] = round(time.perf_counter() - t0, 1)
        line["load"] = os.getloadavg()[0]
        with path.open("a") as f:
            f.write(json.dumps(line) + "\n")

    return write


def _why_slow(store: Neo4jStore, o: cohort.PatientOutcome, source: PatientProfile | None) -> str:
    """The slowest patient's inputs, twin size and its three slowest steps."""
    parts = []
    if source is not None:
        parts.append(
            f"resampled from {source.metadata.get('resampled_from')}, "
            f"{len(source.changes)} gene changes"
        )
    try:
        t = store.twins.twin(o.patient_id)
        parts.append(f"twin {t.get('n_genes')} genes, module {t.get('module_size')} genes")
        ranked = rankings.full_ranking(store, o.patient_id)
        base = ranked.params.n_samples
        more = [d.n_samples for d in ranked.drugs if d.n_samples and d.n_samples > base]
        if more:
            parts.append(
                f"{len(more)} drugs at the proximity p floor resampled up to {max(more):,} samples"
            )
    except Exception as e:  # the patient failed before its twin was stored
        parts.append(f"no twin ({type(e).__name__})")
    top = sorted(o.steps.items(), key=lambda kv: -kv[1])[:3]
    parts.append("slowest steps " + ", ".join(f"{k} {v:.1f} s" for k, v in top))
    return "; ".join(parts)


def end_to_end(
    store: Neo4jStore,
    s: Settings,
    profiles: list[PatientProfile],
    workers: int,
    twin: TwinParams,
    rank: RankParams,
    log_path: Path | None,
) -> dict[str, object]:
    """Store ``profiles`` as cohort ``bench-w<workers>`` and run it end to end (module doc)."""
    tag = f"W{workers}"
    before = _db_bytes(s, store)
    for p in profiles:
        meta = {**p.metadata, "cohort": f"bench-w{workers}"}
        patients.add_patient(
            store, p.model_copy(update={"patient_id": tag + p.patient_id, "metadata": meta})
        )
    ids = cohort.cohort_patients(store, cohort=f"bench-w{workers}")
    print(f"{workers} worker(s): {len(ids)} patients stored, running", flush=True)
    t0 = time.perf_counter()
    with _Sampler() as sampler:
        run = cohort.run_cohort(
            store,
            s,
            ids,
            open_store=Neo4jStore.open,
            twin_params=twin,
            rank_params=rank,
            workers=workers,
            progress=_progress(t0, max(10, len(ids) // 20)),
            on_outcome=_log_outcome(log_path, t0),
        )
    seconds = time.perf_counter() - t0
    after = _db_bytes(s, store)
    nodes, rels, props = _counts(store, tag + "BENCH")
    done = run.count("done")
    sizes = BenchStore(store).ranking_sizes(tag + "BENCH")
    blobs = float(sizes["table_bytes"] or 0.0) + float(sizes["lines_bytes"] or 0.0)
    estimate = _estimate(nodes, rels, props) / max(done, 1) + blobs
    worker_pids = {o.worker_pid for o in run.patients if o.worker_pid is not None}
    sampled = {pid: sampler.rss_mb[pid] for pid in worker_pids if pid in sampler.rss_mb}
    maxrss: dict[int, float] = {}
    for o in run.patients:
        if o.worker_pid is not None and o.worker_peak_rss_mb is not None:
            maxrss[o.worker_pid] = max(maxrss.get(o.worker_pid, 0.0), o.worker_peak_rss_mb)
    per_min = 60 * done / seconds
    times = np.array([o.seconds for o in run.patients if o.status == "done"] or [0.0])
    slowest = max(run.patients, key=lambda o: o.seconds)
    source = {tag + p.patient_id: p for p in profiles}.get(slowest.patient_id)
    why = _why_slow(store, slowest, source)
    steps: dict[str, list[float]] = {}
    for o in run.patients:
        for k, v in o.steps.items():
            steps.setdefault(k, []).append(v)
    load = sampler.load or [float("nan")]
    out: dict[str, object] = {
        "seconds": round(seconds, 1),
        "done": done,
        "failed": [f"{f.patient_id}: {f.error}" for f in run.failed],
        "patients_per_min": round(per_min, 2),
        "patients_per_hour": round(60 * per_min),
        "patient_s": {
            "p50": round(float(np.percentile(times, 50)), 2),
            "p95": round(float(np.percentile(times, 95)), 2),
            "max": round(float(times.max()), 2),
        },
        "mean_step_s": {k: round(float(np.mean(v)), 3) for k, v in steps.items()},
        "slowest_patient": {
            "id": slowest.patient_id,
            "seconds": slowest.seconds,
            "why": why,
            "steps": slowest.steps,
        },
        "peak_rss_mb_per_worker_sampled": sorted(round(v) for v in sampled.values()),
        "peak_rss_mb_per_worker_maxrss": sorted(maxrss.values()),
        "load_average_1min": {
            "mean": round(float(np.mean(load)), 1),
            "max": round(float(np.max(load)), 1),
        },
        "store_file_growth_bytes_per_patient": round((after - before) / max(done, 1)),
        "record_estimate_bytes_per_patient": round(estimate),
        "table_bytes_per_ranking": round(float(sizes["table_bytes"] or 0.0)),
        "lines_bytes_per_ranking": round(float(sizes["lines_bytes"] or 0.0)),
        "nodes_per_patient": round(nodes / max(done, 1), 1),
        "relationships_per_patient": round(rels / max(done, 1), 1),
    }
    print(
        f"{workers} worker(s): {done}/{len(ids)} patients in {seconds:.1f} s = "
        f"{per_min:.2f} patients/min ({60 * per_min:.0f}/h, measured); {len(run.failed)} failed; "
        f"load average {out['load_average_1min']} during the run (2 cores shared with other jobs)"
    )
    pt = out["patient_s"]
    assert isinstance(pt, dict)
    print(f"   per patient: p50 {pt['p50']} s, p95 {pt['p95']} s, max {pt['max']} s")
    print(
        "   peak RSS per worker (sampled every 1 s, includes the shared memory-mapped distance "
        f"matrix): {', '.join(f'{m:.0f}' for m in sorted(sampled.values()))} MB"
    )
    print(f"   slowest patient {slowest.patient_id}: {slowest.seconds:.1f} s ({why})")
    mean_steps = out["mean_step_s"]
    assert isinstance(mean_steps, dict)
    print(
        "   mean seconds per step: "
        + ", ".join(f"{k} {v:.2f}" for k, v in sorted(mean_steps.items(), key=lambda kv: -kv[1]))
    )
    print(
        f"   per patient: {nodes / max(done, 1):.0f} nodes, {rels / max(done, 1):.0f} "
        f"relationships, {props / max(done, 1):.0f} properties ≈ {estimate / 1e6:.2f} MB "
        f"(record sizes, with the ranking's table {out['table_bytes_per_ranking']:,} B and "
        f"score lines {out['lines_bytes_per_ranking']:,} B); store files grew "
        f"{(after - before) / max(done, 1) / 1e6:.2f} MB per patient (unflushed pages missing)"
    )
    return out


def report_log(path: Path) -> dict[str, object]:
    """Figures of a run from its ``--log`` lines (also of a run stopped before the end)."""
    lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    done = [x for x in lines if x["status"] == "done"]
    if not done:
        raise SystemExit(f"{path}: no finished patient")
    seconds = max(x["at_s"] for x in lines)
    times = np.array([x["seconds"] for x in done])
    slowest = max(done, key=lambda x: x["seconds"])
    peak: dict[int, float] = {}
    for x in lines:
        if x.get("worker_pid") and x.get("worker_peak_rss_mb"):
            peak[x["worker_pid"]] = max(peak.get(x["worker_pid"], 0.0), x["worker_peak_rss_mb"])
    steps: dict[str, list[float]] = {}
    for x in done:
        for k, v in x["steps"].items():
            steps.setdefault(k, []).append(v)
    out: dict[str, object] = {
        "finished": len(lines),
        "done": len(done),
        "failed": [f"{x['patient_id']}: {x['error']}" for x in lines if x["status"] == "failed"],
        "seconds": seconds,
        "patients_per_hour": round(3600 * len(done) / seconds),
        "patient_s": {
            "p50": round(float(np.percentile(times, 50)), 2),
            "p95": round(float(np.percentile(times, 95)), 2),
            "max": round(float(times.max()), 2),
        },
        "slowest": {k: slowest[k] for k in ("patient_id", "seconds", "steps")},
        "worker_peak_rss_mb": sorted(peak.values()),
        "load_average": {
            "mean": round(float(np.mean([x["load"] for x in lines])), 1),
            "max": round(float(np.max([x["load"] for x in lines])), 1),
        },
        "mean_step_s": {k: round(float(np.mean(v)), 3) for k, v in steps.items()},
    }
    print(json.dumps(out, indent=1))
    return out


def _volatile(key: str) -> bool:
    """A property that records when or how long (``*_at``, ``*seconds``), not what."""
    return key.endswith(("_at", "seconds"))


def fingerprint(store: Neo4jStore, prefix: str) -> dict[str, list[str]]:
    """Per patient of ``prefix``, everything stored for it but the times (JSON texts).

    Every patient-specific node (patient, twin, ranking: score table and lines included) with its
    labels and properties, and each of its outgoing relationships with its type, properties and
    the far node's id: two runs that stored the same twins, activities and rankings give equal
    texts, whatever code made them.
    """
    rows = store.driver.execute_query(
        "MATCH (n) WHERE n.patient_id STARTS WITH $p "
        "OPTIONAL MATCH (n)-[r]->(m) "
        "WITH n, r, m ORDER BY type(r), coalesce(m.id, m.entrez, elementId(m)), r.rank "
        "RETURN n.patient_id AS pid, labels(n) AS labels, properties(n) AS props, "
        "collect([type(r), coalesce(m.id, m.entrez, m.patient_id), properties(r)]) AS rels",
        p=prefix,
        database_=store.database,
    ).records
    digests: dict[str, list[str]] = {}

    def plain(v: object) -> object:
        return v.hex() if isinstance(v, bytes | bytearray) else str(v)

    for r in rows:
        props = {k: v for k, v in r["props"].items() if not _volatile(k)}
        rels = [[t, far, {k: v for k, v in (p or {}).items() if not _volatile(k)}]
                for t, far, p in r["rels"] if t is not None]  # fmt: skip
        digests.setdefault(r["pid"], []).append(
            json.dumps([sorted(r["labels"]), props, rels], sort_keys=True, default=plain)
        )
    return {pid: sorted(d) for pid, d in digests.items()}


def _first_difference(a: list[str], b: list[str]) -> str:
    """Where two patients' stored outputs (:func:`fingerprint` texts) differ."""
    where = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            xs, ys = json.loads(x), json.loads(y)
            props = sorted(k for k in set(xs[1]) | set(ys[1]) if xs[1].get(k) != ys[1].get(k))
            where.append(f"node {xs[0]} properties {props or '(relationships)'}")
    return "; ".join(where) or f"{len(a)} vs {len(b)} nodes"


def before_after(ref: str, n: int, seed: int, workers: int, out_json: Path | None) -> None:
    """The end-to-end part with ``ref``'s code, then this checkout's, on the same N patients.

    Each side runs in its own interpreter (``ref``'s ``src/`` exported to a temporary folder and
    put first on ``PYTHONPATH``; its Dask workers inherit it) and stores the same patient ids
    (the previous side's are deleted first); the stored outputs of the two sides are compared
    per patient (:func:`fingerprint`) and patients/hour compared as a ratio.
    """
    got: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
        srcs = {ref: _export(ref, Path(tmp)), "now": None}
        # the exported package finds its pins at the folder above src/ (loaders/fetch.py)
        pins = subprocess.run(
            ["git", "show", f"{ref}:sources.toml"], capture_output=True, check=True
        ).stdout
        (Path(tmp) / "sources.toml").write_bytes(pins)
        for side, src in srcs.items():
            figs, prints = Path(tmp) / f"{side}.json", Path(tmp) / f"{side}.prints.json"
            env = dict(os.environ)
            if src is not None:
                env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
            print(f"== {side} ==", flush=True)
            cmd = [sys.executable, "-m", "benchmarks.bench_cohort", "--patients", str(n),
                   "--seed", str(seed), "--workers", str(workers), "--scale", "0",
                   "--json", str(figs), "--fingerprint", str(prints)]  # fmt: skip
            subprocess.run(cmd, env=env, check=True)
            got[side] = {
                "figures": json.loads(figs.read_text())[f"W{workers}"],
                "prints": json.loads(prints.read_text()),
            }
    b, a = got[ref], got["now"]
    same = sum(1 for pid, d in a["prints"].items() if b["prints"].get(pid) == d)
    differ = sorted(set(a["prints"]) ^ set(b["prints"]) | {
        pid for pid, d in a["prints"].items() if b["prints"].get(pid, d) != d
    })  # fmt: skip
    for pid in differ[:3]:
        print(f"   {pid}: {_first_difference(a['prints'].get(pid, []), b['prints'].get(pid, []))}")
    bh, ah = b["figures"]["patients_per_hour"], a["figures"]["patients_per_hour"]
    print(
        f"before ({ref}) {bh:,} patients/h (load {b['figures']['load_average_1min']}), "
        f"now {ah:,} patients/h (load {a['figures']['load_average_1min']}): ratio {ah / bh:.2f}x"
    )
    for side, x in ((ref, b), ("now", a)):
        steps = x["figures"]["mean_step_s"]
        print(f"   {side}: mean s per step " + ", ".join(
            f"{k} {v:.3f}" for k, v in sorted(steps.items(), key=lambda kv: -kv[1])))  # fmt: skip
    print(
        f"stored outputs (twins, activities, rankings) identical for {same} of "
        f"{len(a['prints'])} patients"
        + (f"; DIFFERENT: {', '.join(differ[:10])}" if differ else "")
    )
    if out_json:
        out_json.write_text(json.dumps({"before": ref, **got, "identical": same}, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--patients", type=int, default=40, help="Patients per run (N).")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, help="Write figures here.")
    ap.add_argument("--workers", default="1,2", help="Worker counts (1,2 or 1:2).")
    ap.add_argument("--scale", type=int, default=10_000, help="Synthetic twins (0: skip).")
    ap.add_argument(
        "--log", type=Path, help="Append one JSON line per finished patient (seconds, steps)."
    )
    ap.add_argument("--report", type=Path, help="Only print the figures of a --log file.")
    ap.add_argument(
        "--keep", action="store_true", help="Keep the scale part's copies (to PROFILE at scale)."
    )
    ap.add_argument("--drop", action="store_true", help="Only delete copies kept by --keep.")
    ap.add_argument(
        "--before", help="Git ref: run the end-to-end part with its code, then this checkout's."
    )
    ap.add_argument(
        "--fingerprint", type=Path, help="Write each patient's stored-output digest here."
    )
    args = ap.parse_args()
    if args.before:
        worker_count = int(args.workers.replace(":", ",").split(",")[-1] or 2)
        before_after(args.before, args.patients, args.seed, worker_count, args.json)
        return
    if args.report:
        report_log(args.report)
        return
    if args.drop:
        store = Neo4jStore.open(Settings())
        t0 = time.perf_counter()
        deleted = BenchStore(store).delete_clones("SCALE")
        store.close()
        print(f"{deleted:,} kept copies (SCALE*) deleted in {time.perf_counter() - t0:.0f} s")
        return
    worker_counts = [int(w) for w in args.workers.replace(":", ",").split(",") if w]
    s = Settings()
    fetch_all(s.data_dir, s.data_mirror)
    store = Neo4jStore.open(s)
    reference.load_reference(store, s.data_dir)
    genes = reference_context().gene_index(store)
    base = demo_cohorts.demo_patients(s.data_dir, genes)
    cohort_profiles = synthetic(base, args.patients, args.seed)
    for prefix in (
        "W0BENCH",
        "W1BENCH",
        "W2BENCH",
    ):  # a previous run's patients, in batched transactions
        BenchStore(store).delete_clones(prefix)
    twin, rank = TwinParams(), RankParams()
    figures: dict[str, object] = {"patients": args.patients, "seed": args.seed}
    if args.scale > 0:
        figures["scale"] = scale(store, s, base, args.scale, args.seed, keep=args.keep)
    for workers in worker_counts:
        figures[f"W{workers}"] = end_to_end(
            store, s, cohort_profiles, workers, twin, rank, args.log
        )
        if args.fingerprint:
            args.fingerprint.write_text(json.dumps(fingerprint(store, f"W{workers}BENCH")))
    if "W1" in figures and "W2" in figures:
        w1, w2 = figures["W1"], figures["W2"]
        assert isinstance(w1, dict)
        assert isinstance(w2, dict)
        speedup = w1["seconds"] / w2["seconds"] * (w2["done"] / max(w1["done"], 1))
        figures["speedup_2_vs_1"] = round(speedup, 2)
        print(f"speed-up 1 → 2 workers: {speedup:.2f}x (target ≥ 1.7x; 2 cores shared with others)")
    store.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
