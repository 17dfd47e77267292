"""The twin drawing's layout at 300, 800 and 1,500 nodes: CPU and quality, now and before.

Usage::

    uv run python -m benchmarks.bench_layout [--runs 1] [--before GIT_REF] [--json out.json]

Each case is one connected part of linked proteins (two links each to earlier ones) and hubs of
12 proteins each, 14 proteins to a hub (:func:`near_limit`; the last sweep's 1,500-node case
was 1,400 proteins and 100 hubs). Each figure is the median CPU of ``--runs`` layouts, each in
a fresh process (the layout is cached per process) with networkx and scipy imported before the
clock starts. ``--before REF`` lays the same graphs out with ``src/`` of commit ``REF`` (``git
archive``) in the same run. Quality, per case: caption boxes that overlap (nodes at their
drawn size, captions above), the median edge in layout units and the drawing's area per node.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_cli import ROOT, _export

CASES = (300, 800, 1500)


def near_limit(proteins: int = 1400, hubs: int = 100, seed: int = 1):  # type: ignore[no-untyped-def]
    """Nodes ``(id, caption, hub, size)`` and edges of ``proteins`` linked proteins and ``hubs``
    hubs of 12 proteins each: one connected part, as a large twin's."""
    rnd = random.Random(seed)
    nodes = [(f"P{i}", f"GENE{i}", False, rnd.uniform(0, 1)) for i in range(proteins)]
    nodes += [(f"H{i}", f"pathway {i} of a kind", True, rnd.uniform(0, 1)) for i in range(hubs)]
    edges = [(f"P{i}", f"P{rnd.randrange(i)}") for i in range(1, proteins) for _ in range(2)]
    edges += [(f"H{h}", f"P{rnd.randrange(proteins)}") for h in range(hubs) for _ in range(12)]
    return nodes, edges


def _case(n: int):  # type: ignore[no-untyped-def]
    return near_limit(n * 14 // 15, n // 15)


def _worker(n: int) -> dict[str, Any]:
    """One layout of the ``n``-node case in this process: CPU seconds and quality."""
    import time

    import networkx  # noqa: F401  (imports are not the layout's cost)
    import numpy as np
    import scipy.optimize  # noqa: F401
    import scipy.spatial  # noqa: F401

    from medtwin.platform.caption_spacing import CAPTION_FONT, caption_width
    from medtwin.platform.twin_layout import place

    nodes, edges = _case(n)
    start = time.process_time()
    places = place(nodes, edges, 0)
    cpu = time.process_time() - start
    sizes = [z for *_, z in nodes]
    lo, hi = min(sizes), max(sizes)
    r = np.array([5.0 + 17.0 * (z - lo) / (hi - lo) for *_, z in nodes])
    xy = np.array([places[i] for i, *_ in nodes])
    half = np.maximum(np.array([caption_width(c) / 2 for _, c, _, _ in nodes]), r)
    x1, x2, y1, y2 = xy[:, 0] - half, xy[:, 0] + half, xy[:, 1] - r - CAPTION_FONT, xy[:, 1] + r
    cover = (np.minimum(x2, x2[:, None]) > np.maximum(x1, x1[:, None])) & (
        np.minimum(y2, y2[:, None]) > np.maximum(y1, y1[:, None])
    )
    np.fill_diagonal(cover, False)
    lengths = sorted(math.dist(places[a], places[b]) for a, b in edges)
    area = float(np.ptp(xy[:, 0]) * np.ptp(xy[:, 1]))
    return {
        "cpu": cpu,
        "overlaps": int(cover.sum()) // 2,
        "median_edge": lengths[len(lengths) // 2],
        "area_per_node": area / len(nodes),
    }


def _measure(src: Path, runs: int) -> dict[int, dict[str, Any]]:
    """Each case laid out ``runs`` times with the code in ``src``, each run a fresh process."""
    out: dict[int, dict[str, Any]] = {}
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}", "PYTHONHASHSEED": "0"}
    for n in CASES:
        results = []
        for _ in range(runs):
            proc = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_layout", "--worker", str(n)],
                cwd=ROOT, env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        out[n] = {**results[0], "cpu": statistics.median(r["cpu"] for r in results)}
        print(f"  {src}: {n} nodes {out[n]['cpu']:.2f} s", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Layouts per case (median CPU).")
    parser.add_argument("--before", help="Git ref whose layout to measure as well.")
    parser.add_argument("--json", type=Path, help="Write the figures here too.")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker)))
        return
    now = _measure(ROOT / "src", args.runs)
    before: dict[int, dict[str, Any]] = {}
    if args.before:
        with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
            before = _measure(_export(args.before, Path(tmp)), args.runs)
    print(f"load average {os.getloadavg()[0]:.1f}; CPU s (median of {args.runs}), seed 0")
    head = f"{'nodes':>6} {'cpu':>7} {'overlaps':>9} {'med. edge':>9} {'area/node':>9}"
    if before:
        head += (
            f" | {'before':>7} {'overlaps':>9} {'med. edge':>9} {'area/node':>9} {'speed-up':>8}"
        )
    print(head)
    for n in CASES:
        a = now[n]
        line = f"{n:>6} {a['cpu']:>7.2f} {a['overlaps']:>9} {a['median_edge']:>9.1f} "
        line += f"{a['area_per_node']:>9.0f}"
        if before:
            b = before[n]
            line += f" | {b['cpu']:>7.2f} {b['overlaps']:>9} {b['median_edge']:>9.1f} "
            line += f"{b['area_per_node']:>9.0f} {b['cpu'] / max(a['cpu'], 1e-9):>7.1f}x"
        print(line)
    if args.json:
        args.json.write_text(json.dumps({"before_ref": args.before, "now": now, "before": before}))


if __name__ == "__main__":
    main()
