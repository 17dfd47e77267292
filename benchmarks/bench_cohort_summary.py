"""Benchmark ``medtwin cohort summary`` at scale (``make bench-cohort-summary``), before/after.

N synthetic patients (default 10,000) are copied from ranked patients of the test database
(``store/bench.py``: patient, twin with its genes, ranking with its table and top; copies of a
ranking written with its top summary keep it) as cohort ``bench-summary`` and kept for the next
run (``--drop`` deletes them). Timed, median of ``--runs``:

* the function ``cohort_summary`` (top 20; in a fresh interpreter, after one untimed call) and
  the whole command ``medtwin cohort summary --cohort bench-summary`` (start-up, patient list,
  query, output) with text and with ``--json`` output, wall and CPU seconds (the CPU figure is
  steadier on a busy machine), each with this checkout's code and, with ``--before REF``, with
  the code of git ``REF`` (its ``src/`` exported to a temporary folder, run with this
  environment's packages), interleaved in one run (one untimed run of each first: compiling);
  the outputs of the two versions are compared byte for byte (text and ``--json``);
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


_FUNCTION = """
import inspect, json, sys, time
from medtwin.platform import cohort
from medtwin.settings import get_settings
from medtwin.store.neo4j import Neo4jStore
store = Neo4jStore.open(get_settings())
ids = cohort.cohort_patients(store, cohort=sys.argv[1])
# the k's keyword as the commit under test spells it (top= before stop 57, then deprecated)
k = "top_drugs" if "top_drugs" in inspect.signature(cohort.cohort_summary).parameters else "top"
cohort.cohort_summary(store, ids, **{k: 20}, cohort=sys.argv[1])  # untimed: first query, caches
walls, cpus = [], []
for _ in range(int(sys.argv[2])):
    c0, t0 = time.process_time(), time.perf_counter()
    cohort.cohort_summary(store, ids, **{k: 20}, cohort=sys.argv[1])
    walls.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
store.close()
print(json.dumps([walls, cpus]))
"""


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    return env


def _function(src: Path | None, runs: int) -> list[list[float]]:
    """Wall and CPU seconds of each call of ``cohort_summary`` (a fresh interpreter)."""
    got = subprocess.run(
        [sys.executable, "-c", _FUNCTION, COHORT, str(runs)],
        env=_env(src),
        capture_output=True,
        text=True,
        check=True,
    )
    out: list[list[float]] = json.loads(got.stdout.strip().splitlines()[-1])
    return out


def _command(src: Path | None, *extra: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of one ``medtwin cohort summary`` (text or ``--json``), its output."""
    cmd = [sys.executable, "-m", "medtwin", "cohort", "summary", "--cohort", COHORT, *extra]
    c0 = _children_cpu()
    t0 = time.perf_counter()
    got = subprocess.run(cmd, env=_env(src), capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, _children_cpu() - c0, got.stdout


def _versions(srcs: dict[str, Path | None], runs: int) -> dict[str, dict[str, Any]]:
    """Per version: medians of the function and of the command (text, --json), outputs.

    The versions' runs are interleaved, so a change of the machine's load hits both alike.
    """
    walls: dict[str, dict[str, list[float]]] = {v: {} for v in srcs}
    cpus: dict[str, dict[str, list[float]]] = {v: {} for v in srcs}
    outputs: dict[str, dict[str, str]] = {v: {} for v in srcs}
    for version, src in srcs.items():  # untimed: compile the exported code, warm the server
        for kind, extra in (("text", ()), ("json", ("--json",))):
            outputs[version][kind] = _command(src, *extra)[2]
    for _ in range(runs):
        for version, src in srcs.items():
            for kind, extra in (("text", ()), ("json", ("--json",))):
                wall, cpu, out = _command(src, *extra)
                walls[version].setdefault(kind, []).append(wall)
                cpus[version].setdefault(kind, []).append(cpu)
                if out != outputs[version][kind]:
                    raise SystemExit(f"{version} {kind}: the output changed between runs")
            fw, fc = _function(src, 1)
            walls[version].setdefault("function", []).extend(fw)
            cpus[version].setdefault("function", []).extend(fc)
    return {
        v: {
            "wall_s": {k: round(statistics.median(x), 2) for k, x in walls[v].items()},
            "cpu_s": {k: round(statistics.median(x), 2) for k, x in cpus[v].items()},
            "outputs": outputs[v],
        }
        for v in srcs
    }


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
    ranked = len(store.cohorts.top_lists(ids, 20))
    with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
        srcs: dict[str, Path | None] = {"now": None}
        if args.before:
            srcs[args.before] = _export(args.before, Path(tmp))
        got = _versions(srcs, args.runs)
        old_query = None
        if args.before:
            before_src = srcs[args.before]
            assert before_src is not None
            for name in ("top_summaries", "top_drugs"):  # top_drugs before stop 23
                path = before_src / f"medtwin/cypher/cohort/{name}.cypher"
                if path.is_file():
                    old_query = path.read_text()
                    break
    figures: dict[str, Any] = {
        "patients": len(ids),
        "ranked": ranked,
        "copied_s": round(insert_s, 1),
        "runs": args.runs,
        "versions": {v: {k: x for k, x in f.items() if k != "outputs"} for v, f in got.items()},
        "query_now": _profile(store, query("cohort/top_summaries"), ids),
        "load_average": os.getloadavg(),
    }
    print(
        f"cohort summary, {len(ids):,} patients ({ranked:,} ranked; top 20), median of "
        f"{args.runs} (versions interleaved); load average {figures['load_average'][0]:.1f} "
        f"(2 cores shared with other jobs)"
        + (f"; {len(ids):,} copies made in {insert_s:.0f} s" if insert_s else "")
    )
    q = figures["query_now"]
    print(f"  query PROFILE (now): {q['db_hits']:,} db hits, {q['rows']:,} rows; target <= 2 s")
    print(f"  {'version':<10} {'function':>16} {'command (text)':>18} {'command (--json)':>18}")
    for v, f in got.items():
        w, c = f["wall_s"], f["cpu_s"]
        print(
            f"  {v:<10} {w['function']:>6.2f} s (CPU {c['function']:.2f}) "
            f"{w['text']:>6.2f} s (CPU {c['text']:.2f}) {w['json']:>6.2f} s (CPU {c['json']:.2f})"
        )
    if args.before:
        b, n = got[args.before], got["now"]
        same = {k: b["outputs"][k] == n["outputs"][k] for k in ("text", "json")}
        figures["identical_output"] = same
        ratio = {k: b["wall_s"][k] / n["wall_s"][k] for k in ("function", "text", "json")}
        print(
            f"  speed-up (wall): function {ratio['function']:.2f}x, text {ratio['text']:.2f}x, "
            f"--json {ratio['json']:.2f}x; outputs byte for byte identical: text {same['text']}, "
            f"--json {same['json']} ({len(n['outputs']['json']):,} characters)"
        )
        if old_query is not None:
            figures["query_before"] = b_query = _profile(store, old_query, ids)
            print(f"  query PROFILE ({args.before}): {b_query['db_hits']:,} db hits")
    if args.drop:
        BenchStore(store).delete_clones(PREFIX)
    store.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
