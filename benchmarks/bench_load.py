"""Benchmark the full reference load (``make bench-load``).

Runs against the *test* server (``make bench-load`` sets it up; the database is wiped first):

1. fresh load of every dataset (CREATE fast path for new datasets),
2. rerun (idempotent: every dataset skipped by checksum),
3. forced reload (every row MERGEd again) — the baseline the fresh load is compared with.

Prints seconds and rows/s per dataset and the ratio fresh/forced; ``--json FILE`` writes them.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from medtwin.loaders.fetch import fetch_all
from medtwin.platform import reference
from medtwin.settings import Settings
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.testing import wipe_test_database


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", type=Path, help="Write figures here.")
    args = ap.parse_args()
    s = Settings()
    fetch_all(s.data_dir, s.data_mirror)
    store = Neo4jStore.open(s)
    wipe_test_database(store.driver, s)
    figures: dict[str, object] = {}
    t0 = time.perf_counter()
    fresh = reference.load_reference(store, s.data_dir)
    fresh_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    reference.load_reference(store, s.data_dir)
    rerun_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    forced = reference.load_reference(store, s.data_dir, force=True)
    forced_s = time.perf_counter() - t0
    rows = sum(sum(d.counts.values()) for d in fresh)
    print(f"{'dataset':<28} {'rows':>9} {'fresh s':>8} {'rows/s':>9} {'forced s':>9}")
    for a, b in zip(fresh, forced, strict=True):
        n = sum(a.counts.values())
        print(
            f"{a.name:<28} {n:>9,} {a.seconds:8.1f} {n / max(a.seconds, 1e-9):9,.0f} "
            f"{b.seconds:9.1f}"
        )
    print(
        f"full reference load: {rows:,} rows in {fresh_s:.1f} s ({rows / fresh_s:,.0f} rows/s; "
        f"target ≤ 120 s)"
    )
    print(f"rerun (idempotent, all skipped): {rerun_s:.1f} s")
    print(
        f"forced reload (MERGE every row, baseline): {forced_s:.1f} s; "
        f"fresh/forced ratio {fresh_s / forced_s:.2f}"
    )
    figures.update(rows=rows, fresh_s=fresh_s, rerun_s=rerun_s, forced_s=forced_s)
    store.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
