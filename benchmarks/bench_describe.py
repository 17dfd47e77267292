"""Time ``medtwin describe`` (and ``/v1/datasets/summary``'s counts) on the real reference graph.

``describe`` counts nodes per label and relationships per type, each by source. Before the load
kept those figures (:mod:`medtwin.store.graph_counts`) every call read a property of each of the
~2 M reference relationships. This benchmark needs the real reference in the test database
(``make bench-describe`` runs ``medtwin load --bulk`` first when it is missing) and measures, in
one run:

- ``store.counts()`` in-process and ``medtwin describe`` in a new process, with the kept figures
  and with them removed (``BenchStore.drop_count_cache``; put back after): without them every
  call counts every node and relationship, as every call did before — the baseline;
- with ``--before REF``, ``medtwin describe`` of that git commit (its ``src/`` exported, as in
  :mod:`benchmarks.bench_cli`).

Figures are medians of ``--runs`` runs after one warm-up::

    uv run python -m benchmarks.bench_describe [--runs 7] [--before GIT_REF] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_cli import _env, _export, _time


def _median(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="Timed runs per figure (median).")
    parser.add_argument("--before", help="Git ref whose `medtwin describe` to time as well.")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    args = parser.parse_args()

    from medtwin.settings import get_settings
    from medtwin.store.bench import BenchStore
    from medtwin.store.neo4j import Neo4jStore

    store = Neo4jStore.open(get_settings())
    proteins = store.counts()["nodes"].get("Protein", {}).get("total", 0)
    if proteins < 10_000:
        sys.exit(f"the test database holds {proteins} proteins: load the real reference first")
    store.refresh_counts()
    argv = [sys.executable, "-m", "medtwin", "describe"]
    figures: dict[str, float] = {
        "counts_kept_s": _median(store.counts, args.runs),
        "cli_kept_s": _time(argv, _env(None), args.runs)[0],
    }
    BenchStore(store).drop_count_cache()
    try:  # every node and relationship counted, as each call did before the load kept them
        figures["counts_full_s"] = _median(store.counts, args.runs)
        figures["cli_full_s"] = _time(argv, _env(None), args.runs)[0]
    finally:
        store.refresh_counts()
    if args.before:
        with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
            before_env = _env(_export(args.before, Path(tmp)))
            figures["cli_before_s"] = _time(argv, before_env, args.runs)[0]
    store.close()

    print(
        f"describe on the real reference ({proteins:,} proteins), median of {args.runs} runs, "
        f"load {os.getloadavg()}"
    )
    print(
        f"  counts, in-process: kept {figures['counts_kept_s']:.3f} s, full count "
        f"{figures['counts_full_s']:.3f} s (baseline): "
        f"{figures['counts_full_s'] / figures['counts_kept_s']:.1f}x"
    )
    print(
        f"  medtwin describe:   kept {figures['cli_kept_s']:.3f} s, without them "
        f"{figures['cli_full_s']:.3f} s: {figures['cli_full_s'] / figures['cli_kept_s']:.1f}x"
    )
    if args.before:
        print(
            f"  medtwin describe of git {args.before}: {figures['cli_before_s']:.3f} s: "
            f"{figures['cli_before_s'] / figures['cli_kept_s']:.1f}x"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
