"""Benchmark ``medtwin cohort summary`` at scale (``make bench-cohort-summary``), before/after.

N synthetic patients (default 10,000) are copied from ranked patients of the test database
(``store/bench.py``: patient, twin with its genes, ranking with its table and top; copies of a
ranking written with its top summary keep it) as cohort ``bench-summary`` and kept for the next
run (``--drop`` deletes them). Timed, median of ``--runs``:

* ``cohort_summary`` in this process (top 20) and the whole command
  ``medtwin cohort summary --cohort bench-summary`` (start-up, patient list, query, text
  output), wall and CPU seconds (the CPU figure is steadier on a busy machine), both with
  this checkout's code and, with ``--before REF``, with the code of git ``REF`` (its ``src/``
  exported to a temporary folder, run with this environment's packages);
  the two commands' ``--json`` outputs are compared (identical or not);
* the database side: ``PROFILE`` of the summary query of each version (db hits, rows, ms).

Needs ranked patients on the test server (``make bench-cohort`` or ``medtwin rank``); ranks
some of them again with this code when none carries a top summary.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_cli import _export
from medtwin.cypher.catalog import query
from medtwin.platform import cohort, rankings
from medtwin.platform.models import RankParams
from medtwin.settings import Settings
from medtwin.store.bench import BenchStore
from medtwin.store.neo4j import Neo4jStore

COHORT = "bench-summary"
PREFIX = "SUMM"


def _read(store: Neo4jStore, text: str, **params: Any) -> list[dict[str, Any]]:
    got = store.driver.execute_query(text, params, database_=store.database)
    return [r.data() for r in got.records]


def _sources(store: Neo4jStore, s: Settings) -> list[str]:
    """Ranked patients whose latest ranking carries a top summary (ranks 3 again if none does)."""
    q = (
        "MATCH (p:Patient)-[:HAS_TWIN]->(:Twin)-[:HAS_RANKING]->(r:Ranking {status: 'complete'}) "
        "WHERE NOT p.id STARTS WITH $prefix AND NOT p.id STARTS WITH 'SCALE' "
        "RETURN p.id AS id, r.top_summary IS NOT NULL AS summary ORDER BY id"
    )
    got = _read(store, q, prefix=PREFIX)
    with_summary = sorted({g["id"] for g in got if g["summary"]})
    if with_summary:
        return with_summary[:20]
    ranked = sorted({g["id"] for g in got})[:3]
    if not ranked:
        raise SystemExit("no ranked patient on the test server: run `make bench-cohort` first")
    for pid in ranked:
        rankings.rank_drugs(store, pid, RankParams(), cache_dir=s.cache_dir)
    return ranked


def _ensure_clones(store: Neo4jStore, s: Settings, n: int) -> float:
    have = _read(
        store, "MATCH (p:Patient) WHERE p.id STARTS WITH $p RETURN count(p) AS n", p=PREFIX
    )[0]["n"]
    if have == n:
        return 0.0
    bench = BenchStore(store)
    bench.delete_clones(PREFIX)
    sources = _sources(store, s)
    t0 = time.perf_counter()
    bench.clone_patients(sources, [f"{PREFIX}{i:06d}" for i in range(n)], COHORT)
    return time.perf_counter() - t0


def _cli(src: Path | None, runs: int) -> tuple[float, float, str]:
    """Median wall and CPU seconds of the command (text output), and its ``--json`` output."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    cmd = [sys.executable, "-m", "medtwin", "cohort", "summary", "--cohort", COHORT]
    walls, cpus = [], []
    for _ in range(runs):
        c0 = _children_cpu()
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - c0)
    got = subprocess.run([*cmd, "--json"], env=env, capture_output=True, text=True, check=True)
    return statistics.median(walls), statistics.median(cpus), got.stdout


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _profile(store: Neo4jStore, text: str, ids: list[str]) -> dict[str, float]:
    """db hits, rows and server time of ``PROFILE`` of the summary query for ``ids`` (top 20)."""
    t0 = time.perf_counter()
    _, summary, _ = store.driver.execute_query(
        "PROFILE " + text, {"ids": ids, "top": 20}, database_=store.database
    )
    wall = time.perf_counter() - t0
    hits = 0

    def walk(plan: Any) -> None:
        nonlocal hits
        hits += int(plan.get("dbHits", 0))
        for child in plan.get("children", []):
            walk(child)

    profile = summary.profile or {}
    walk(profile)
    return {"db_hits": hits, "rows": int(profile.get("rows", 0)), "wall_s": round(wall, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--before", help="Git ref whose code to time as well (e.g. main).")
    ap.add_argument("--drop", action="store_true", help="Delete the copies at the end.")
    ap.add_argument("--json", type=Path, help="Write the figures here.")
    args = ap.parse_args()
    s = Settings()
    store = Neo4jStore.open(s)
    insert_s = _ensure_clones(store, s, args.patients)
    ids = cohort.cohort_patients(store, cohort=COHORT)
    times, cpus = [], []
    for _ in range(args.runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        got = cohort.cohort_summary(store, ids, top=20, cohort=COHORT)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    now_fn, now_fn_cpu = statistics.median(times), statistics.median(cpus)
    now_cli, now_cli_cpu, now_out = _cli(None, args.runs)
    figures: dict[str, Any] = {
        "patients": len(ids),
        "ranked": got.ranked,
        "copied_s": round(insert_s, 1),
        "now": {
            "function_s": round(now_fn, 2),
            "function_cpu_s": round(now_fn_cpu, 2),
            "command_s": round(now_cli, 2),
            "command_cpu_s": round(now_cli_cpu, 2),
            "query": _profile(store, query("cohort/top_summaries"), ids),
        },
        "load_average": os.getloadavg(),
    }
    if args.before:
        with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
            src = _export(args.before, Path(tmp))
            then_cli, then_cpu, then_out = _cli(src, args.runs)
            old_query = (src / "medtwin/cypher/cohort/top_drugs.cypher").read_text()
            figures["before"] = {
                "ref": args.before,
                "command_s": round(then_cli, 2),
                "command_cpu_s": round(then_cpu, 2),
                "query": _profile(store, old_query, ids),
            }
        figures["identical_output"] = json.loads(then_out) == json.loads(now_out)
    print(
        f"cohort summary, {len(ids):,} patients ({got.ranked:,} ranked; top 20), median of "
        f"{args.runs}; load average "
        f"{figures['load_average'][0]:.1f} (2 cores shared with other jobs)"
        + (f"; {len(ids):,} copies made in {insert_s:.0f} s" if insert_s else "")
    )
    print(
        f"   now:    function {now_fn:.2f} s (CPU {now_fn_cpu:.2f} s), command {now_cli:.2f} s "
        f"(CPU {now_cli_cpu:.2f} s); target <= 2 s"
    )
    q = figures["now"]["query"]
    print(f"           query PROFILE: {q['db_hits']:,} db hits, {q['rows']:,} rows")
    if args.before:
        b = figures["before"]
        print(
            f"   before ({args.before}): command {b['command_s']:.2f} s (CPU "
            f"{b['command_cpu_s']:.2f} s); query PROFILE: "
            f"{b['query']['db_hits']:,} db hits, {b['query']['rows']:,} rows"
        )
        print(
            f"   speed-up {b['command_s'] / now_cli:.1f}x; outputs identical: "
            f"{figures['identical_output']}"
        )
    if args.drop:
        BenchStore(store).delete_clones(PREFIX)
    store.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
