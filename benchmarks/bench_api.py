"""Benchmark the API under concurrent reads with auditing on (``make bench-api``).

Seeds the *test* server (wiped first; it refuses any other) with a 60-protein interactome, a
DrugBank-sized drug set (4,710 drugs, 1-3 targets each) and one patient with a twin and a stored
ranking; starts ``uvicorn`` on loopback; then ``--clients`` threads (default 10, each with its own
keep-alive connection) send ``GET /health`` and then ``GET /v1/patients/{id}/rankings/latest
?limit=10`` (authenticated, so every read queues an ``AuditEvent``). Prints p50/p95/p99 and errors
per route; the target is p99 <= 100 ms for the ranking page. That first server runs with the
per-key limits lifted (it measures latency, not limits).

**Burst** (issue 19): the patient is cloned into a cohort of ``--cohort`` patients; a second server
with the *default* per-key limits gets ``--burst-clients`` (45) concurrent heavy reads with one read
key (``GET /v1/cohorts/burst/summary?top=100&limit=500``, each ``--burst-rounds`` times) while a
prober *in its own process* (so that the 45 client threads' GIL contention in this process is
not counted as server latency) sends ``GET /health`` every 20 ms. Prints the heavy reads'
statuses (200 / 429), the ``/health`` p50/p99 during the burst and the server's RSS at start,
peak and 10 s after; targets:
``/health`` p99 <= 100 ms and RSS back within 200 MB of its start. Loopback only, bounded in
requests (``--requests`` per route) and time (``--timeout`` seconds).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

import httpx
import networkx as nx

from medtwin.api.security import new_key
from medtwin.loaders.rows import DrugRow, DrugTargetRow, GeneRow
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.audit import list_events
from medtwin.store.bench import BenchStore
from medtwin.store.connection import open_driver
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.testing import wipe_test_database
from medtwin.store.tiny import seed_interactome

PATIENT = "BENCH1"
N_DRUGS = 4710


def _seed(settings: Settings, cache_dir: Path) -> int:
    driver = open_driver(settings)
    wipe_test_database(driver, settings)
    store = Neo4jStore(driver, settings)
    store.ensure_schema()
    g = nx.relabel_nodes(nx.connected_caveman_graph(3, 20), lambda n: n + 1)
    genes = [
        GeneRow(
            entrez=str(i),
            symbol=f"G{i}",
            name=f"gene {i}",
            synonyms=(),
            hgnc=None,
            ensembl=None,
            gene_type="protein-coding",
            source="ncbi_gene_info",
            source_version="bench",
        )
        for i in g.nodes
    ]
    seed_interactome(store, g, genes, version="bench")
    rng = random.Random(0)
    drugs = [f"DB{i:05d}" for i in range(1, N_DRUGS + 1)]
    store.merge_rows(
        DrugRow(
            id=d,
            name=f"drug {d}",
            drug_type="small molecule",
            groups=("approved",),
            atc_codes=(),
            inchikey=None,
            source="drugbank_dhimmel",
            source_version="bench",
        )
        for d in drugs
    )
    store.merge_rows(
        DrugTargetRow(
            drug_id=d,
            entrez=str(t),
            actions=("inhibitor",),
            direction="inhibit",
            category="target",
            known_action="yes",
            source="drugbank_dhimmel",
            source_version="bench",
        )
        for d in drugs
        for t in rng.sample(range(1, 61), rng.randint(1, 3))
    )
    from medtwin.loaders.patient_rows import GeneChange, PatientProfile

    profile = PatientProfile(
        patient_id=PATIENT,
        changes=tuple(
            GeneChange(entrez=str(i), log2fc=1.5 if i % 2 else -1.2, padj=0.001, layer="expression")
            for i in range(2, 14)
        ),
    )
    patients.add_patient(store, profile, kind="bench")
    twins.build_twin(store, PATIENT, TwinParams(module_samples=20, expand=3, max_seeds=50))
    t0 = time.perf_counter()
    got = rankings.rank_drugs(store, PATIENT, RankParams(n_samples=20), cache_dir=cache_dir)
    print(f"seeded: {got.total} drugs ranked in {time.perf_counter() - t0:.1f} s")
    driver.close()
    return got.total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the API did not start at {url}")


def _load(
    base: str, path: str, headers: dict[str, str], clients: int, total: int, deadline: float
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(1, total // clients)

    def worker() -> None:
        mine: list[float] = []
        bad: list[str] = []
        with httpx.Client(base_url=base, headers=headers, timeout=10.0) as c:
            for _ in range(per_client):
                if time.monotonic() > deadline:
                    bad.append("time budget exhausted")
                    break
                t0 = time.perf_counter()
                try:
                    r = c.get(path)
                    if r.status_code != 200:
                        bad.append(str(r.status_code))
                except httpx.HTTPError as e:
                    bad.append(type(e).__name__)
                mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))] if ms else float("nan")

    return {
        "route": path,
        "requests": len(ms),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "p50_ms": round(pct(50), 1),
        "p95_ms": round(pct(95), 1),
        "p99_ms": round(pct(99), 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "throughput_rps": round(len(ms) / wall, 1),
    }


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "medtwin.api:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    _wait_up(f"{base}/health", time.monotonic() + 60)
    return server, base


def probe_health(
    base: str,
    ready: EventType,
    stop: EventType,
    deadline: float,
    out: mp.SimpleQueue[list[float]],
) -> None:
    """``GET /health`` every 20 ms until ``stop``; the latencies (ms; inf: no answer) to ``out``.

    ``ready`` is set once connected (the burst starts then, not during this process's start-up).
    """
    ms: list[float] = []
    with httpx.Client(base_url=base, timeout=30.0) as c:
        c.get("/health")
        ready.set()
        while not stop.is_set() and time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                ok = c.get("/health").status_code == 200
            except httpx.HTTPError:  # e.g. no answer within 30 s: counted, not fatal
                ok = False
            ms.append((time.perf_counter() - t0) * 1000 if ok else float("inf"))
            time.sleep(0.02)
    out.put(ms)


def _burst(
    env: dict[str, str], auth: dict[str, str], clients: int, rounds: int, deadline: float
) -> dict[str, Any]:
    """``clients`` concurrent heavy reads with one key beside a /health prober (module doc)."""
    server, base = _start_server(env)
    heavy = "/v1/cohorts/burst/summary?top=100&limit=500"
    statuses: dict[str, int] = {}
    peak = [0.0]
    done = threading.Event()
    lock = threading.Lock()
    try:
        with httpx.Client(base_url=base, headers=auth, timeout=120.0) as c:
            c.get(heavy)  # warm-up: caches and imports are not part of the burst
        time.sleep(2.0)
        start = _rss_mb(server.pid)

        def reader() -> None:
            with httpx.Client(base_url=base, headers=auth, timeout=120.0) as c:
                for _ in range(rounds):
                    if time.monotonic() > deadline:
                        break
                    try:
                        code = str(c.get(heavy).status_code)
                    except httpx.HTTPError as e:
                        code = type(e).__name__
                    with lock:
                        statuses[code] = statuses.get(code, 0) + 1

        def rss_watch() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss_mb(server.pid))
                time.sleep(0.05)

        spawn = mp.get_context("spawn")
        stop, ready = spawn.Event(), spawn.Event()
        results: mp.SimpleQueue[list[float]] = spawn.SimpleQueue()
        probe = spawn.Process(target=probe_health, args=(base, ready, stop, deadline, results))
        probe.start()
        ready.wait(120)
        watch = threading.Thread(target=rss_watch)
        watch.start()
        readers = [threading.Thread(target=reader) for _ in range(clients)]
        t0 = time.perf_counter()
        for t in readers:
            t.start()
        for t in readers:
            t.join()
        wall = time.perf_counter() - t0
        stop.set()
        health_ms = results.get()
        probe.join()
        done.set()
        watch.join()
        time.sleep(10.0)
        end = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(60)
    ms = sorted(health_ms)

    def pct(q: float) -> float:
        return ms[min(len(ms) - 1, int(round(q / 100 * (len(ms) - 1))))] if ms else float("nan")

    return {
        "clients": clients,
        "rounds": rounds,
        "heavy_statuses": statuses,
        "burst_s": round(wall, 1),
        "health_probes": len(ms),
        "health_p50_ms": round(pct(50), 1),
        "health_p99_ms": round(pct(99), 1),
        "health_max_ms": round(ms[-1], 1) if ms else None,
        "rss_start_mb": round(start),
        "rss_peak_mb": round(peak[0]),
        "rss_after_10s_mb": round(end),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--requests", type=int, default=2000, help="Per route (bounded).")
    ap.add_argument("--timeout", type=float, default=180.0, help="Seconds for the whole load.")
    ap.add_argument("--cohort", type=int, default=200, help="Burst: patients in the cohort.")
    ap.add_argument("--burst-clients", type=int, default=45)
    ap.add_argument("--burst-rounds", type=int, default=3, help="Heavy reads per burst client.")
    ap.add_argument("--json", type=Path, default=Path("benchmarks/results/bench_api.json"))
    args = ap.parse_args()
    settings = Settings()
    _seed(settings, settings.cache_dir)
    store = Neo4jStore.open(settings)
    BenchStore(store).clone_patients(
        [PATIENT] * args.cohort, [f"BURST{i:04d}" for i in range(args.cohort)], "burst"
    )
    store.close()

    secret, key = new_key("bench", "read")
    env = {**os.environ, "MEDTWIN_API_KEYS": key.settings_entry()}
    unlimited = {
        **env,
        "MEDTWIN_API_CONCURRENCY_PER_KEY": "1000",
        "MEDTWIN_API_RATE_PER_KEY": "1000000",
        "MEDTWIN_API_BURST_PER_KEY": "1000000",
    }
    results = []
    server, base = _start_server(unlimited)
    try:
        deadline = time.monotonic() + args.timeout
        auth = {"Authorization": f"Bearer {secret}"}
        page = f"/v1/patients/{PATIENT}/rankings/latest?limit=10"
        _load(base, page, auth, args.clients, 100, deadline)  # warm-up (not reported)
        for path, headers in (("/health", {}), (page, auth)):
            results.append(_load(base, path, headers, args.clients, args.requests, deadline))
    finally:
        server.terminate()  # normal shutdown: the audit queue is flushed
        server.wait(60)
    store = Neo4jStore.open(settings)
    audited = len(list_events(store, PATIENT, limit=1_000_000))
    store.close()
    auth = {"Authorization": f"Bearer {secret}"}
    burst = _burst(
        env, auth, args.burst_clients, args.burst_rounds, time.monotonic() + args.timeout
    )
    print(f"\nAPI on 127.0.0.1, {args.clients} concurrent clients, keep-alive, auditing on")
    print(f"{'route':<48} {'n':>6} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'rps':>7}")
    for r in results:
        print(
            f"{r['route']:<48} {r['requests']:>6} {r['errors']:>4} {r['p50_ms']:>7} "
            f"{r['p95_ms']:>7} {r['p99_ms']:>7} {r['throughput_rps']:>7}"
        )
    reads = results[-1]["requests"] + 100
    print(f"audit events written for {PATIENT}: {audited} (reads sent: {reads})")
    print(f"target p99 <= 100 ms: {'met' if results[-1]['p99_ms'] <= 100 else 'NOT met'}")
    b = burst
    print(
        f"\nburst: {b['clients']} clients x {b['rounds']} heavy reads (one read key, default "
        f"limits) in {b['burst_s']} s: statuses {b['heavy_statuses']}"
    )
    print(
        f"  /health during the burst: {b['health_probes']} probes, p50 {b['health_p50_ms']} ms, "
        f"p99 {b['health_p99_ms']} ms, max {b['health_max_ms']} ms "
        f"(target p99 <= 100 ms: {'met' if b['health_p99_ms'] <= 100 else 'NOT met'})"
    )
    back = b["rss_after_10s_mb"] - b["rss_start_mb"]
    print(
        f"  server RSS: start {b['rss_start_mb']} MB, peak {b['rss_peak_mb']} MB, 10 s after "
        f"{b['rss_after_10s_mb']} MB (+{back} MB; target <= 200 MB: "
        f"{'met' if back <= 200 else 'NOT met'})"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"results": results, "audited": audited, "burst": burst}, indent=2)
    )


if __name__ == "__main__":
    main()
