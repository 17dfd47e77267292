"""Benchmark the reference load, MERGE vs bulk import, in one run (``make bench-load``).

Runs against the *test* server (``make bench-load`` starts it). Before each load the database is
replaced by an empty one (:func:`medtwin.store.bulk_import.empty_database`: the importer with a
header-only file, far faster than deleting two million relationships with Cypher).

Real reference (every dataset, the same run):

1. MERGE: ``load_reference`` on the empty database (``medtwin load``),
2. bulk, cold: the whole ``medtwin load --bulk`` command with the CSV cache cleared (a machine
   that never imported these files): parse, in-memory MERGE, CSV, neo4j-admin import, server
   start, schema, Dataset nodes — its phase line printed,
3. bulk, warm: the same command again, now from the cached CSV files (a re-import: the importer
   runs and its output is kept),
4. bulk, warm again: once more, now from the kept database files (copied back, no importer),
5. with ``--before REF``: ``medtwin load --bulk`` with the code of git ``REF`` (its ``src/``
   exported to a temporary folder, first on ``PYTHONPATH``), cold, warm and warm again (its own
   cache entry) — the before/after ratios of each, measured in the same run. Code before stop 34
   kept the database files at the first import, so its "warm" already copies them back.

Node and relationship counts of every bulk load are checked equal to the MERGE load's
(``make test-reliability`` compares every property on a subset).

``--synth 10M`` also builds a seeded synthetic graph with the reference's shapes
(:mod:`benchmarks.bench_synth`) and times bulk vs MERGE on it. MERGE of millions of rows takes
long: ``--merge-prefix N`` times MERGE on the first N rows of the same stream only and says so
(the printed ratio is then against the prefix's rate, extrapolated linearly — an estimate, and
MERGE slows down as the graph grows, so it flatters MERGE). Without it the full MERGE is timed.

The load average is printed beside every timing: other jobs on a shared machine slow every side.
``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from benchmarks.bench_demo import export_src
from benchmarks.bench_synth import SynthGraph, parse_size, perturbation_rows
from medtwin.cli.reference import bulk_phases
from medtwin.loaders.fetch import fetch_all
from medtwin.platform import reference
from medtwin.settings import Settings
from medtwin.store.bulk import LocalBulkImporter
from medtwin.store.bulk_cache import BulkCache
from medtwin.store.connection import open_driver
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.server import LocalServer
from medtwin.store.testing import empty_test_database


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def _reset(store: Neo4jStore, server: LocalServer) -> float:
    """An empty database (no schema); returns the seconds it took, server restart included."""
    t0 = time.perf_counter()
    store.driver.close()
    empty_test_database(store.settings)  # refuses any server but the test server
    store.driver = open_driver(store.settings)
    return time.perf_counter() - t0


def _totals(store: Neo4jStore) -> dict[str, int]:
    c = store.counts()
    return {k: v["total"] for k, v in {**c["nodes"], **c["relationships"]}.items()}


def _peak_memory() -> str:
    """Peak resident memory of this process and of its largest finished child, so far.

    The child is the importer JVM (``neo4j-admin``) on the bulk path: the two never overlap
    (the rows are dropped before the import), so the larger of the two bounds the load's peak.
    """
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6
    return f"peak memory: this process {me:.2f} GB, largest child (importer) {child:.2f} GB"


def _rels(totals: dict[str, int]) -> int:
    return sum(v for k, v in totals.items() if k.isupper())


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    return env


_RESET = (
    "from medtwin.settings import Settings; from medtwin.store.testing import "
    "empty_test_database; empty_test_database(Settings())"
)


def _as_before(server: LocalServer, src: Path) -> None:
    """Put the server back as the old code installed and ran it.

    This checkout moves the plugin jars without procedures to ``lib/`` (``plugins.json``) and
    writes a different ``neo4j.conf`` at each start: for an honest before, the jars go back to
    ``plugins/``, and the server is stopped and started, and emptied, by the old code (its conf,
    its bootloader). This checkout's next start moves the jars again.
    """
    server.stop()
    marker = server.root / "plugins.json"
    if marker.exists():
        for name in json.loads(marker.read_text()).get("moved", []):
            jar = server.root / "lib" / name
            if jar.exists():
                os.replace(jar, server.root / "plugins" / name)
        marker.unlink()
    subprocess.run(
        [sys.executable, "-m", "medtwin", "db", "start"],
        env=_env(src),
        check=True,
        capture_output=True,
    )


def _reset_with(src: Path) -> None:
    """Empty the database with the code in ``src`` (its stop, import and start)."""
    subprocess.run([sys.executable, "-c", _RESET], env=_env(src), check=True, capture_output=True)


def _command(src: Path | None) -> tuple[float, str]:
    """Seconds of the whole ``medtwin load --bulk`` command and its phase line.

    With ``src`` (a git ref's exported ``src/``) that code runs instead of this checkout's.
    """
    env = _env(src)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "medtwin", "load", "--bulk"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"load --bulk ({src or 'this checkout'}) failed: {proc.stderr[-3000:]}")
    seconds = time.perf_counter() - t0
    phases = [line for line in proc.stdout.splitlines() if line.startswith("bulk import phases")]
    return seconds, phases[-1] if phases else ""


def real_reference(
    store: Neo4jStore, server: LocalServer, s: Settings, before: str | None
) -> dict[str, Any]:
    """MERGE, then ``medtwin load --bulk`` cold and warm (and the same with ``before``'s code)."""
    fig: dict[str, Any] = {}
    print(f"real reference, every dataset ({_load()})", flush=True)
    print(f"  empty database: {_reset(store, server):.1f} s ({_load()})", flush=True)
    t0 = time.perf_counter()
    loads = reference.load_reference(store, s.data_dir)
    merge_s = fig["merge_s"] = time.perf_counter() - t0
    merged = _totals(store)
    rows = fig["rows"] = sum(sum(d.counts.values()) for d in loads)
    print(
        f"  MERGE (medtwin load):            {merge_s:7.1f} s  {rows:,} rows, "
        f"{_rels(merged):,} relationships ({_load()})",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="medtwin-bench-load-") as tmp:
        codes: list[tuple[str, Path | None]] = [("now", None)]
        if before:
            codes.append((before, export_src(before, Path(tmp))))
        for name, src in codes:
            # the cache holds one entry: cleared, the first run parses (and fills it), the
            # second imports from it (and keeps the database files), the third copies those
            BulkCache(s.cache_dir / "bulk").clear()
            if src is not None:
                store.driver.close()
                _as_before(server, src)
                store.driver = open_driver(s)
            for label in ("cold", "warm", "warm again"):
                store.driver.close()
                if src is None:
                    empty_test_database(s)
                else:
                    _reset_with(src)
                seconds, line = _command(src)
                store.driver = open_driver(s)
                key = label.replace(" ", "_")
                fig[f"bulk_{key}_s" if src is None else f"bulk_before_{key}_s"] = seconds
                same = _totals(store) == merged
                what = "this checkout" if src is None else f"git {name}"
                print(
                    f"  load --bulk {label} ({what}): {seconds:7.1f} s  MERGE/bulk "
                    f"{merge_s / seconds:5.2f}x  same counts as MERGE: {same} ({_load()})",
                    flush=True,
                )
                print(f"    {line}", flush=True)
    if before:
        for label in ("cold", "warm", "warm again"):
            key = label.replace(" ", "_")
            b, now = fig[f"bulk_before_{key}_s"], fig[f"bulk_{key}_s"]
            print(
                f"  before/after {label} (same run, whole command): {b:.1f} s -> {now:.1f} s "
                f"= {b / now:.2f}x faster",
                flush=True,
            )
    return fig


def _stream(graph: SynthGraph) -> Iterator[Iterable[BaseModel]]:
    return (factory() for factory in graph.groups())


def synthetic(
    store: Neo4jStore, server: LocalServer, size: int, prefix: int | None, part: str = "both"
) -> dict[str, Any]:
    """Bulk vs MERGE on a seeded synthetic graph of ``size`` relationship rows.

    ``part`` ``bulk`` or ``merge`` times one side only (a long MERGE run on its own); the ratio
    is then printed by the run that times both.
    """
    graph = SynthGraph(size)
    total_rows = graph.rows()
    fig: dict[str, Any] = {"synth_rows": total_rows}
    print(
        f"synthetic graph: {size:,} relationship rows, {total_rows:,} rows in all, seed "
        f"{graph.seed} ({_load()})",
        flush=True,
    )
    if part == "merge":
        return fig | _synth_merge(store, server, graph, prefix, None, None)
    # first as the real reference is imported (its largest layer in a second process), then
    # every group in this process (the only way before stop 36), in the same run
    for label, aside in (("bulk", True), ("bulk, one process", False)):
        _reset(store, server)
        importer = LocalBulkImporter(store, server)
        t0 = time.perf_counter()
        groups: list[object] = [factory() for factory in graph.groups(aside=aside)]
        if aside:
            groups.append(importer.start_aside(partial(perturbation_rows, graph)))
        phases = importer.import_rows(groups)
        seconds = time.perf_counter() - t0
        held = _totals(store)
        key = "synth_bulk_s" if aside else "synth_bulk_one_process_s"
        fig[key], fig["synth_relationships"] = seconds, _rels(held)
        print(
            f"  {label}:  {seconds:7.1f} s, {_rels(held):,} relationships held ({_load()})",
            flush=True,
        )
        print(f"    {bulk_phases(phases)}", flush=True)
        print(f"    {_peak_memory()}", flush=True)
    bulk_s = fig["synth_bulk_s"]
    one_process = fig["synth_bulk_one_process_s"]
    print(f"  bulk, one process / bulk: {one_process / bulk_s:.2f}x", flush=True)
    if part == "bulk":
        return fig
    return fig | _synth_merge(store, server, graph, prefix, bulk_s, fig["synth_relationships"])


def _synth_merge(
    store: Neo4jStore,
    server: LocalServer,
    graph: SynthGraph,
    prefix: int | None,
    bulk_s: float | None,
    bulk_rels: int | None,
) -> dict[str, Any]:
    """MERGE the synthetic rows (all, or the first ``prefix``) into an empty database."""
    fig: dict[str, Any] = {}
    total_rows = graph.rows()
    _reset(store, server)
    store.ensure_schema()
    limit = prefix if prefix is not None and prefix < total_rows else None
    done = 0
    t0 = time.perf_counter()
    # a line every minute: a run stopped before the end still tells how far it got, how fast
    report = {"next": t0 + 60.0, "rows": 0}

    def progress(n: int) -> None:
        report["rows"] += n
        now = time.perf_counter()
        if now >= report["next"]:
            report["next"] = now + 60.0
            print(
                f"    MERGE progress: {report['rows']:,} of {total_rows:,} rows after "
                f"{now - t0:.0f} s, {report['rows'] / (now - t0):,.0f} rows/s ({_load()})",
                flush=True,
            )

    for group in _stream(graph):
        rows = group if limit is None else itertools.islice(group, max(0, limit - done))
        done += store.merge_rows(rows, progress, fresh=True)
        if limit is not None and done >= limit:
            break
    merge_s = fig["synth_merge_s"] = time.perf_counter() - t0
    fig["synth_merge_rows"] = done
    if limit is None:
        fig["synth_merge_relationships"] = _rels(_totals(store))
        print(
            f"  MERGE: {merge_s:7.1f} s, all {done:,} rows, "
            f"{fig['synth_merge_relationships']:,} relationships held ({_load()})",
            flush=True,
        )
        if bulk_s is not None:
            print(
                f"  ratio MERGE/bulk (both measured in full): {merge_s / bulk_s:.2f}x", flush=True
            )
            same = fig["synth_merge_relationships"] == bulk_rels
            print(f"  same relationship count in both databases: {same}", flush=True)
    else:
        estimate = merge_s * total_rows / done
        fig["synth_merge_estimate_s"] = estimate
        print(
            f"  MERGE: {merge_s:7.1f} s on a PREFIX of {done:,} of {total_rows:,} rows "
            f"({100 * done / total_rows:.0f} %) ({_load()})",
            flush=True,
        )
        if bulk_s is None:
            return fig
        print(
            f"  ratio MERGE/bulk: {estimate / bulk_s:.2f}x ESTIMATED (MERGE extrapolated "
            f"linearly from the prefix to {estimate:,.0f} s; not measured in full)",
            flush=True,
        )
    return fig


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", help="Git ref whose `load --bulk` to time as well (e.g. main).")
    ap.add_argument("--synth", type=parse_size, help="Synthetic relationship rows (e.g. 10M).")
    ap.add_argument(
        "--merge-prefix",
        type=parse_size,
        help="Time MERGE on this many synthetic rows only (printed as a prefix + estimate).",
    )
    ap.add_argument(
        "--synth-part",
        choices=("both", "bulk", "merge"),
        default="both",
        help="Time one side of the synthetic comparison only.",
    )
    ap.add_argument("--no-real", action="store_true", help="Skip the real reference.")
    ap.add_argument("--json", type=Path, help="Write figures here.")
    args = ap.parse_args()
    s = Settings()
    fetch_all(s.data_dir, s.data_mirror)
    server = LocalServer(s)
    store = Neo4jStore.open(s)
    figures: dict[str, Any] = {}
    try:
        if not args.no_real:
            figures.update(real_reference(store, server, s, args.before))
        if args.synth:
            figures.update(synthetic(store, server, args.synth, args.merge_prefix, args.synth_part))
    finally:
        store.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
