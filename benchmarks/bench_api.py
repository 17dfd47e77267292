"""Benchmark the API under concurrent reads with auditing on (``make bench-api``).

Seeds the *test* server (wiped first; it refuses any other) with a 60-protein interactome, a
DrugBank-sized drug set (4,710 drugs, 1-3 targets each) and one patient with a twin and a stored
ranking; starts ``uvicorn`` on loopback; then ``--clients`` threads (default 10, each with its own
keep-alive connection) send ``GET /health`` and then ``GET /v1/patients/{id}/rankings/latest
?limit=10`` (authenticated, so every read queues an ``AuditEvent``). Prints p50/p95/p99 and errors
per route; the target is p99 <= 100 ms for the ranking page. Loopback only, bounded in requests
(``--requests`` per route) and time (``--timeout`` seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import networkx as nx

from medtwin.api.security import new_key
from medtwin.loaders.rows import DrugRow, DrugTargetRow, GeneRow, InteractionRow
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.audit import list_events
from medtwin.store.connection import open_driver
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.testing import wipe_test_database

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
    store.start_dataset("ncbi_gene_info", {"sha256": "bench", "version": "bench"})
    store.merge_rows(genes)
    store.finish_dataset("ncbi_gene_info", {"GeneRow": len(genes)}, 0.0)
    store.start_dataset("menche2015_interactome", {"sha256": "bench", "version": "bench"})
    store.merge_rows(
        InteractionRow(
            a=str(min(a, b)),
            b=str(max(a, b)),
            evidence=("bench",),
            source="menche2015_interactome",
            source_version="bench",
        )
        for a, b in g.edges
    )
    store.finish_dataset("menche2015_interactome", {"InteractionRow": g.number_of_edges()}, 0.0)
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--requests", type=int, default=2000, help="Per route (bounded).")
    ap.add_argument("--timeout", type=float, default=180.0, help="Seconds for the whole load.")
    ap.add_argument("--json", type=Path, default=Path("benchmarks/results/bench_api.json"))
    args = ap.parse_args()
    settings = Settings()
    _seed(settings, settings.cache_dir)

    secret, key = new_key("bench", "read")
    port = _free_port()
    env = {**os.environ, "MEDTWIN_API_KEYS": key.settings_entry()}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "medtwin.api:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        _wait_up(f"{base}/health", time.monotonic() + 60)
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
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"results": results, "audited": audited}, indent=2))


if __name__ == "__main__":
    main()
