"""Benchmark the API under concurrent reads with auditing on (``make bench-api``).

Seeds the *test* server (wiped first; it refuses any other) with a 60-protein interactome, a
DrugBank-sized drug set (4,710 drugs, 1-3 targets each) and one patient with a twin and a stored
ranking; starts ``uvicorn`` on loopback; then ``--clients`` threads (default 10, each with its own
keep-alive connection) send ``GET /health`` and then ``GET /v1/patients/{id}/rankings/latest
?limit=10`` (authenticated, so every read queues an ``AuditEvent``). Prints p50/p95/p99, errors
and the CPU the API process and the database server spent per request, per route; the target is
p99 <= 100 ms for the ranking page. That first server runs with the per-key limits lifted (it
measures latency, not limits).

**Burst** (issue 19): after the latency runs, the patient is cloned into a cohort of ``--cohort``
patients (written then, so that Neo4j's digesting of that write does not fall into the latency
runs); a second server
with the *default* per-key limits gets ``--burst-clients`` (45) concurrent heavy reads with one read
key (``GET /v1/cohorts/burst/summary?top_drugs=100&limit=500``, each ``--burst-rounds`` times)
while a prober *in its own process* (so that the 45 client threads' GIL contention in this process
is not counted as server latency) sends ``GET /health`` every 20 ms. Prints the heavy reads'
statuses (200 / 429), the ``/health`` p50/p99 during the burst and the server's RSS at start,
peak and 10 s after; targets:
``/health`` p99 <= 100 ms and RSS back within 200 MB of its start. Loopback only, bounded in
requests (``--requests`` per route) and time (``--timeout`` seconds).

**Under load** (issue 21, ``make bench-api LOAD=1``): ``--burners N`` starts N processes spinning
on the CPU (nice 0) before the first server starts and stops them after the burst, so every figure
is measured beside another job that wants the cores; the 1-minute load average is printed.
**Before/after** (``BEFORE=<ref>``): ``--before REF`` also serves the ranking page and ``/health``
from the code of that git commit (its ``src/`` exported to a temporary folder, first on
``PYTHONPATH`` of the server, with this environment's packages), same database, same run, the two
servers measured alternately (before, now, before, now; the figures are the pooled requests).
``--before-server-args`` gives the before server other uvicorn options: ``BEFORE=HEAD
BEFORE_SERVER="--http h11 --loop asyncio"`` compares the same code on uvicorn's pure-Python
HTTP/1.1 parser and event loop (its choice when ``httptools``/``uvloop`` are not installed, as
before they became dependencies) with the default stack; ``BEFORE_PYTHON=<venv>/bin/python``
runs the before server on another environment's packages (a worktree of the before commit
after ``uv sync --frozen``), e.g. without ``neo4j-rust-ext``.
``--burst-clients 0`` skips the burst.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

import httpx
import networkx as nx

from benchmarks.bench_cli import _export
from medtwin.api.security import new_key
from medtwin.loaders.rows import DrugRow, DrugTargetRow, GeneRow
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.settings import Settings
from medtwin.store.audit import list_events
from medtwin.store.bench import BenchStore
from medtwin.store.connection import open_driver
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.server import LocalServer
from medtwin.store.testing import empty_large_test_database, wipe_test_database
from medtwin.store.tiny import seed_interactome

PATIENT = "BENCH1"
N_DRUGS = 4710


def _seed(settings: Settings, cache_dir: Path) -> int:
    driver = open_driver(settings)
    if empty_large_test_database(driver, settings):  # a full reference (bench-load) left behind:
        driver.close()  # the Cypher wipe of it exhausts the test heap; the importer empties it
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


class _StdlibClient:
    """One keep-alive connection (``http.client``): ≈ 0.07 ms of client CPU per request, against
    ≈ 0.6 ms for ``httpx``; ten httpx clients sharing this process's GIL were measuring the
    client as much as the server (``--client httpx`` keeps the old instrument)."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=10.0)
        self.headers = headers

    def get(self, path: str) -> int:
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        r.read()
        return r.status

    def close(self) -> None:
        self.conn.close()


class _HttpxClient:
    def __init__(self, base: str, headers: dict[str, str]) -> None:
        self.client = httpx.Client(base_url=base, headers=headers, timeout=10.0)

    def get(self, path: str) -> int:
        return self.client.get(path).status_code

    def close(self) -> None:
        self.client.close()


CLIENTS: dict[str, type[_StdlibClient] | type[_HttpxClient]] = {
    "stdlib": _StdlibClient,
    "httpx": _HttpxClient,
}


def _load(
    base: str,
    path: str,
    headers: dict[str, str],
    clients: int,
    total: int,
    deadline: float,
    kind: str = "stdlib",
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(1, total // clients)

    def worker() -> None:
        mine: list[float] = []
        bad: list[str] = []
        c = CLIENTS[kind](base, headers)
        try:
            for _ in range(per_client):
                if time.monotonic() > deadline:
                    bad.append("time budget exhausted")
                    break
                t0 = time.perf_counter()
                try:
                    status = c.get(path)
                    if status != 200:
                        bad.append(str(status))
                except (httpx.HTTPError, OSError, http.client.HTTPException) as e:
                    bad.append(type(e).__name__)
                mine.append(time.perf_counter() - t0)
        finally:
            c.close()
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
        "raw_ms": ms,
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


def spin(stop: EventType) -> None:
    """Burn one core until ``stop`` (the ``--burners`` load)."""
    while not stop.is_set():
        for _ in range(200_000):
            pass


def _with_src(env: dict[str, str], src: Path | None) -> dict[str, str]:
    if src is None:
        return env
    return {**env, "PYTHONPATH": f"{src}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)}


def _pool(runs: list[dict[str, Any]], raw: list[list[float]]) -> dict[str, Any]:
    """Figures of the requests of several ``_load`` runs of one route, pooled."""
    ms = sorted(x for r in raw for x in r)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))] if ms else float("nan")

    return {
        "route": runs[0]["route"],
        "requests": len(ms),
        "errors": sum(r["errors"] for r in runs),
        "error_kinds": sorted({k for r in runs for k in r["error_kinds"]}),
        "p50_ms": round(pct(50), 1),
        "p95_ms": round(pct(95), 1),
        "p99_ms": round(pct(99), 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "throughput_rps": round(statistics.fmean(r["throughput_rps"] for r in runs), 1),
        "api_cpu_ms": round(statistics.fmean(r["api_cpu_ms"] for r in runs), 2),
        "db_cpu_ms": round(statistics.fmean(r["db_cpu_ms"] for r in runs), 2),
    }


def _start_server(
    env: dict[str, str], server_args: tuple[str, ...] = (), python: str = sys.executable
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            python, "-m", "uvicorn", "medtwin.api:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", *server_args,
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
    heavy = "/v1/cohorts/burst/summary?top_drugs=100&limit=500"
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


def _cpu_s(pid: int | None) -> float:
    """User + system CPU seconds of process ``pid`` so far (0 when unknown)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _latency(
    env: dict[str, str],
    auth: dict[str, str],
    clients: int,
    requests: int,
    deadline: float,
    kind: str,
    db_pid: int | None,
    server_args: tuple[str, ...] = (),
    python: str = sys.executable,
) -> list[dict[str, Any]]:
    """``/health`` then the ranking page at ``clients`` clients, on a server of its own.

    Each route also gets the CPU time the API process and the database server spent per
    request (ms): what the machine pays per answer, steadier than latency when it is loaded.
    """
    server, base = _start_server(env, server_args, python)
    try:
        page = f"/v1/patients/{PATIENT}/rankings/latest?limit=10"
        _load(base, page, auth, clients, 100, deadline, kind)  # warm-up (not reported)
        out = []
        for path, headers in (("/health", {}), (page, auth)):
            api0, db0 = _cpu_s(server.pid), _cpu_s(db_pid)
            got = _load(base, path, headers, clients, requests, deadline, kind)
            time.sleep(0.2)  # the audit writer's last batch
            n = max(1, got["requests"])
            got["api_cpu_ms"] = round((_cpu_s(server.pid) - api0) * 1000 / n, 2)
            got["db_cpu_ms"] = round((_cpu_s(db_pid) - db0) * 1000 / n, 2)
            out.append(got)
        return out
    finally:
        server.terminate()  # normal shutdown: the audit queue is flushed
        server.wait(60)


def _row(label: str, r: dict[str, Any]) -> str:
    return (
        f"{label:<8} {r['route']:<48} {r['requests']:>6} {r['errors']:>4} {r['p50_ms']:>7} "
        f"{r['p95_ms']:>7} {r['p99_ms']:>7} {r['throughput_rps']:>7} {r['api_cpu_ms']:>7} "
        f"{r['db_cpu_ms']:>7}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--requests", type=int, default=2000, help="Per route (bounded).")
    ap.add_argument("--timeout", type=float, default=180.0, help="Seconds for the whole load.")
    ap.add_argument("--cohort", type=int, default=200, help="Burst: patients in the cohort.")
    ap.add_argument("--burst-clients", type=int, default=45, help="0: no burst.")
    ap.add_argument("--burst-rounds", type=int, default=3, help="Heavy reads per burst client.")
    ap.add_argument("--burners", type=int, default=0, help="CPU-spinning processes beside.")
    ap.add_argument("--client", choices=sorted(CLIENTS), default="stdlib", help="HTTP client.")
    ap.add_argument("--before", help="Git ref whose API to measure as well (e.g. main).")
    ap.add_argument(
        "--before-server-args",
        default="",
        help="uvicorn options of the 'before' server only (e.g. '--http h11 --loop asyncio': "
        "the pure-Python HTTP stack uvicorn chose before httptools and uvloop were installed).",
    )
    ap.add_argument(
        "--before-python",
        default=sys.executable,
        help="Python of the 'before' server (e.g. the .venv of a worktree of the before commit, "
        "synced from its uv.lock: its packages, not this environment's).",
    )
    ap.add_argument("--json", type=Path, default=Path("benchmarks/results/bench_api.json"))
    args = ap.parse_args()
    settings = Settings()
    _seed(settings, settings.cache_dir)

    secret, key = new_key("bench", "read")
    env = {**os.environ, "MEDTWIN_API_KEYS": key.settings_entry()}
    unlimited = {
        **env,
        "MEDTWIN_API_CONCURRENCY_PER_KEY": "1000",
        "MEDTWIN_API_RATE_PER_KEY": "1000000",
        "MEDTWIN_API_BURST_PER_KEY": "1000000",
    }
    auth = {"Authorization": f"Bearer {secret}"}
    db_pid = LocalServer(settings).pid()
    spawn = mp.get_context("spawn")
    stop_burn = spawn.Event()
    burners = [spawn.Process(target=spin, args=(stop_burn,)) for _ in range(args.burners)]
    for burner in burners:
        burner.start()
    loads: list[float] = []
    tmp = tempfile.TemporaryDirectory(prefix="medtwin-before-")
    try:
        before_src = _export(args.before, Path(tmp.name)) if args.before else None
        time.sleep(2.0 if burners else 0.0)
        runs: dict[str, list[list[dict[str, Any]]]] = {"now": [], "before": []}
        for _ in range(2 if before_src else 1):
            if before_src is not None:
                runs["before"].append(
                    _latency(
                        _with_src(unlimited, before_src), auth, args.clients, args.requests,
                        time.monotonic() + args.timeout, args.client, db_pid,
                        tuple(shlex.split(args.before_server_args)), args.before_python,
                    )
                )  # fmt: skip
            runs["now"].append(
                _latency(
                    unlimited,
                    auth,
                    args.clients,
                    args.requests,
                    time.monotonic() + args.timeout,
                    args.client,
                    db_pid,
                )
            )
            loads.append(os.getloadavg()[0])
        results = {
            label: [_pool([r[i] for r in got], [r[i]["raw_ms"] for r in got]) for i in range(2)]
            for label, got in runs.items()
            if got
        }
        store = Neo4jStore.open(settings)
        audited = len(list_events(store, PATIENT, limit=1_000_000))
        store.close()
        burst = None
        if args.burst_clients:
            # The burst's cohort is written now, not before the latency runs: Neo4j digests a
            # 200-patient write for a while after it (stop 35, paired: the ranking page's DB CPU
            # 2.11 / 1.52 ms with it just before vs 0.78 / 0.88 ms without).
            store = Neo4jStore.open(settings)
            BenchStore(store).clone_patients(
                [PATIENT] * args.cohort, [f"BURST{i:04d}" for i in range(args.cohort)], "burst"
            )
            store.close()
            burst = _burst(
                env, auth, args.burst_clients, args.burst_rounds, time.monotonic() + args.timeout
            )
        loads.append(os.getloadavg()[0])
    finally:
        stop_burn.set()
        for burner in burners:
            burner.join(10)
        tmp.cleanup()
    print(
        f"\nAPI on 127.0.0.1, {args.clients} concurrent {args.client} clients, keep-alive, "
        f"auditing on; {args.burners} CPU burner(s) beside; "
        f"1-min load average {min(loads):.1f}-{max(loads):.1f}"
    )
    print(
        f"{'code':<8} {'route':<48} {'n':>6} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'rps':>7} {'api cpu':>7} {'db cpu':>7}"
    )
    before_label = f"{args.before}"[:8]
    if args.before_server_args or args.before_python != sys.executable:
        print(
            f"{before_label}: served by {args.before_python} with uvicorn options "
            f"'{args.before_server_args}'"
        )
    for label in ("before", "now"):
        for r in results.get(label, []):
            print(_row(label if label == "now" else before_label, r))
    now_page = results["now"][-1]
    if "before" in results:
        then = results["before"][-1]
        print(
            f"ranking page p99 before/now: {then['p99_ms']} / {now_page['p99_ms']} ms "
            f"({then['p99_ms'] / now_page['p99_ms']:.2f}x); /health p99 "
            f"{results['before'][0]['p99_ms']} / {results['now'][0]['p99_ms']} ms"
        )
    reads = sum(r["requests"] + 100 for got in runs.values() for r in (x[-1] for x in got))
    print(f"audit events written for {PATIENT}: {audited} (reads sent: {reads})")
    print(
        f"target ranking page p99 <= 100 ms: {'met' if now_page['p99_ms'] <= 100 else 'NOT met'}; "
        f"/health p99 <= 30 ms: {'met' if results['now'][0]['p99_ms'] <= 30 else 'NOT met'}"
    )
    if burst is not None:
        b = burst
        print(
            f"\nburst: {b['clients']} clients x {b['rounds']} heavy reads (one read key, default "
            f"limits) in {b['burst_s']} s: statuses {b['heavy_statuses']}"
        )
        print(
            f"  /health during the burst: {b['health_probes']} probes, p50 {b['health_p50_ms']} "
            f"ms, p99 {b['health_p99_ms']} ms, max {b['health_max_ms']} ms "
            f"(target p99 <= 100 ms: {'met' if b['health_p99_ms'] <= 100 else 'NOT met'})"
        )
        back = b["rss_after_10s_mb"] - b["rss_start_mb"]
        print(
            f"  server RSS: start {b['rss_start_mb']} MB, peak {b['rss_peak_mb']} MB, 10 s after "
            f"{b['rss_after_10s_mb']} MB (+{back} MB; target <= 200 MB: "
            f"{'met' if back <= 200 else 'NOT met'})"
        )
    for got in results.values():
        for r in got:
            r.pop("raw_ms", None)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "results": results,
                "audited": audited,
                "burst": burst,
                "load": loads,
                "burners": args.burners,
                "before": args.before,
                "before_server_args": args.before_server_args,
                "before_python": args.before_python,
            },
            indent=2,
        )  # fmt: skip
    )


if __name__ == "__main__":
    main()
