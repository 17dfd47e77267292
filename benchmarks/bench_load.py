"""Benchmark the full reference load (``make bench-load``).

Runs against the *test* server (``make bench-load`` sets it up; the database is wiped first):

1. fresh load of every dataset (CREATE fast path for new datasets),
2. rerun (idempotent: every dataset skipped by checksum),
3. forced reload (every row MERGEd again) — the baseline the fresh load is compared with,
4. the bulk path on the same rows: the database emptied, ``load_reference_bulk`` (parse, apply
   the MERGE semantics in memory, CSV, ``neo4j-admin database import full`` with the server
   stopped and restarted, schema, empty lists, Dataset nodes), its node and relationship counts
   checked equal to the MERGE load's, and the ratio MERGE/bulk end to end and for the database
   write alone (MERGE time minus parsing, vs the importer's own time).

Prints seconds and rows/s per dataset and the ratios; ``--json FILE`` writes them.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from medtwin.loaders.fetch import fetch_all
from medtwin.platform import reference, reference_datasets
from medtwin.settings import Settings
from medtwin.store.bulk import LocalBulkImporter
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.server import LocalServer
from medtwin.store.testing import wipe_test_database


class _Timed(LocalBulkImporter):
    figures: dict[str, object]

    def import_rows(self, groups):  # type: ignore[no-untyped-def]
        self.figures = super().import_rows(groups)
        return self.figures


def _parse_seconds(s: Settings) -> float:
    """Seconds to parse every dataset into rows (shared by both paths)."""
    ctx = reference_datasets.DatasetFiles(s.data_dir)
    t0 = time.perf_counter()
    for ds in reference_datasets.DATASETS:
        ds.build(ctx)
    return time.perf_counter() - t0


def _totals(store: Neo4jStore) -> dict[str, int]:
    c = store.counts()
    return {k: v["total"] for k, v in {**c["nodes"], **c["relationships"]}.items()}


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
    merged = _totals(store)
    parse_s = _parse_seconds(s)
    wipe_test_database(store.driver, s)
    importer = _Timed(store, LocalServer(s))
    t0 = time.perf_counter()
    reference.load_reference_bulk(store, importer, s.data_dir)
    bulk_s = time.perf_counter() - t0
    same = _totals(store) == merged
    f = importer.figures
    print(
        f"bulk import (load --bulk, empty database): {bulk_s:.1f} s end to end = parse "
        f"{parse_s:.1f} s + in-memory MERGE {f['graph_seconds']:.1f} s (incl. server stop/start)"
        f" + CSV {f['csv_seconds']:.1f} s + neo4j-admin import {f['import_seconds']:.1f} s + "
        f"schema {f['schema_seconds']:.1f} s + empty lists {f['empty_arrays_seconds']:.1f} s"
    )
    print(f"  same node and relationship counts as the MERGE load: {same}")
    write_merge = fresh_s - parse_s
    print(
        f"  ratio MERGE/bulk end to end: {fresh_s / bulk_s:.2f}x (target >= 10x); database write "
        f"alone (MERGE {write_merge:.1f} s vs importer {f['import_seconds']:.1f} s): "
        f"{write_merge / float(f['import_seconds']):.2f}x"  # type: ignore[arg-type]
    )
    figures.update(
        parse_s=parse_s,
        bulk_s=bulk_s,
        bulk=f,
        bulk_same_counts=same,
        ratio_end_to_end=fresh_s / bulk_s,
    )
    store.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
