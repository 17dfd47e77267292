"""``load --bulk``'s Python side, collector running vs paused (``make bench-bulk-python``).

``load --bulk`` parses every reference file, applies the rows to an in-memory graph with the
load statements' MERGE semantics and writes CSV files before the importer runs; those three
phases run under :func:`medtwin.gc_pause.paused_gc`. This benchmark times exactly those calls
(each dataset's parse in this process, :class:`medtwin.store.bulk_graph.BulkGraph`,
``write_csv`` into a temporary folder) in fresh child processes, alternating *collecting* (the
code before stop 29) and *paused*, ``--pairs`` times, and prints each run, the medians and their
ratio. No server is needed; the reference files come from ``MEDTWIN_DATA_MIRROR`` as for
``medtwin load``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from medtwin.gc_pause import paused_gc
from medtwin.loaders.fetch import fetch_all
from medtwin.platform import reference
from medtwin.platform.reference_datasets import DATASETS, DatasetFiles
from medtwin.settings import Settings
from medtwin.store.bulk_graph import BulkGraph

_MODES = ("collecting", "paused")


def _child(mode: str) -> None:
    """Time parse, in-memory MERGE and CSV once; print them as JSON."""
    guard = paused_gc if mode == "paused" else contextlib.nullcontext
    ctx = DatasetFiles(Settings().data_dir)
    t0 = time.perf_counter()
    with guard():
        groups = [g for ds in DATASETS for g in reference._rows_of(ds, ctx)[0]]
    t1 = time.perf_counter()
    with guard():
        graph = BulkGraph()
        for group in groups:
            graph.add_rows(group)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, guard():
        graph.write_csv(Path(tmp))
    t3 = time.perf_counter()
    print(json.dumps({"parse": t1 - t0, "merge": t2 - t1, "csv": t3 - t2, "total": t3 - t0}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=3, help="Runs of each mode, alternating.")
    ap.add_argument("--child", choices=_MODES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child)
        return
    s = Settings()
    fetch_all(s.data_dir, s.data_mirror)
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in _MODES}
    print(f"parse + in-memory MERGE + CSV of the full reference, {args.pairs} pairs", flush=True)
    for i in range(args.pairs):
        for mode in _MODES:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_bulk_python", "--child", mode],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            ).stdout
            fig = json.loads(out.strip().splitlines()[-1])
            runs[mode].append(fig)
            load = os.getloadavg()[0]
            print(
                f"  {i + 1} {mode:10s} parse {fig['parse']:5.1f}  MERGE {fig['merge']:5.1f}  "
                f"CSV {fig['csv']:5.1f}  total {fig['total']:5.1f} s (load {load:.1f})",
                flush=True,
            )
    med = {m: statistics.median(r["total"] for r in runs[m]) for m in _MODES}
    print(
        f"median total: collecting {med['collecting']:.1f} s, paused {med['paused']:.1f} s "
        f"= {med['collecting'] / med['paused']:.2f}x faster",
        flush=True,
    )


if __name__ == "__main__":
    main()
