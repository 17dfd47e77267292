"""Time the proximity step of ``medtwin rank`` (``rank.proximity``), now and at another commit.

Run from the repository root::

    uv run python -m benchmarks.bench_proximity_step [--before GIT_REF] [--pairs 2]

The step as ``rank`` runs it: :class:`~medtwin.platform.ranking.proximity_rank.ProximityRank`
with ``rank``'s defaults (1,000 samples, drugs at the p floor resampled up to 100,000, seed 0,
bins of 100) of every DrugBank drug with a target in the interactome LCC against a few Guney et
al. (2016) disease modules (``--modules``), without a database (data: ``$MEDTWIN_DATA_MIRROR``
or ``../shared/data``, as :mod:`benchmarks.bench_screen`). Each module is timed twice in one
process: *cold*, the null sample cache emptied first (a fresh ``medtwin rank`` process), and
*warm* (a cohort worker, whose cache holds the drugs' target samples).

``--before REF`` runs the same in a process with ``src/`` of commit ``REF`` (``git archive``),
alternating with this checkout ``--pairs`` times, and prints the medians, their ratio and
whether both gave byte-identical scores (a digest of every drug's ``MethodScore``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("arthritis, rheumatoid", "asthma", "parkinson disease")


def _worker(modules: list[str], cache: Path) -> dict[str, dict[str, object]]:
    """Time the step per module in this process (the ``src`` on ``PYTHONPATH``)."""
    from benchmarks.bench_screen import (
        data_root,
        read_disease_genes,
        read_drugbank,
        read_interactome,
    )
    from medtwin.platform.algorithms import null_cache
    from medtwin.platform.algorithms.distances import load_or_compute
    from medtwin.platform.algorithms.network import MissingNodesWarning
    from medtwin.platform.ranking.base import RankContext
    from medtwin.platform.ranking.proximity_rank import ProximityParams, ProximityRank

    warnings.simplefilter("ignore", MissingNodesWarning)
    root = data_root()
    net = read_interactome(root).largest_component()
    dist = load_or_compute(net, cache)
    drugs = read_drugbank(root)
    genes = read_disease_genes(root)
    out: dict[str, dict[str, object]] = {}
    for name in modules:
        module = tuple(dict.fromkeys(g for g in genes[name] if g in net.index))
        ctx = RankContext(net, dist, module, {}, {}, drugs, n_samples=1000)
        null_cache.clear()
        row: dict[str, object] = {"module_genes": len(module)}
        for kind in ("cold", "warm"):
            wall, cpu = time.perf_counter(), time.process_time()
            scores = ProximityRank(ProximityParams(max_samples=100_000)).rank(ctx, seed=0)
            row[f"{kind}_wall_s"] = time.perf_counter() - wall
            row[f"{kind}_cpu_s"] = time.process_time() - cpu
        row["drugs"] = len(scores)
        row["resampled"] = sum(1 for s in scores.values() if (s.n_samples or 0) > 1000)
        text = "".join(f"{d}\t{s!r}\n" for d, s in sorted(scores.items()))
        row["digest"] = hashlib.sha256(text.encode()).hexdigest()[:16]
        out[name] = row
    return out


def _run(src: Path | None, modules: list[str], cache: Path) -> dict[str, dict[str, object]]:
    """Run :func:`_worker` in a fresh interpreter with ``src`` first on ``PYTHONPATH``."""
    path = os.pathsep.join(str(p) for p in (src or ROOT / "src", ROOT))
    got = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_proximity_step", "--worker", json.dumps(modules),
         "--cache", str(cache)],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=path), capture_output=True, text=True,
    )  # fmt: skip
    if got.returncode:
        sys.exit(f"bench_proximity_step worker ({src or 'this checkout'}) failed:\n{got.stderr}")
    report: dict[str, dict[str, object]] = json.loads(got.stdout.strip().splitlines()[-1])
    return report


def _median(runs: list[dict[str, dict[str, object]]], module: str, key: str) -> float:
    return statistics.median(float(str(r[module][key])) for r in runs)


def main(argv: list[str] | None = None) -> None:
    """Measure the step (with ``--before``, at that commit too) and print the table."""
    from benchmarks.bench_cli import _export

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="Git ref whose proximity step to measure as well.")
    parser.add_argument("--pairs", type=int, default=2, help="Runs of each side, alternating.")
    parser.add_argument(
        "--modules", default=";".join(MODULES), help="Guney 2016 disease names, ';'-separated."
    )
    parser.add_argument("--json", type=Path, help="Write the figures here.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(json.loads(args.worker), args.cache)))
        return
    modules = [m.strip() for m in args.modules.split(";") if m.strip()]
    with tempfile.TemporaryDirectory(prefix="medtwin-proximity-") as tmp:
        sides: dict[str, Path | None] = {"now": None}
        if args.before:
            sides = {"before": _export(args.before, Path(tmp)), "now": None}
        runs: dict[str, list[dict[str, dict[str, object]]]] = {side: [] for side in sides}
        _run(None, [], Path(tmp))  # the distance matrix, cached for every run
        for _ in range(args.pairs):
            for side, src in sides.items():
                runs[side].append(_run(src, modules, Path(tmp)))
    load = os.getloadavg()[0]
    print(f"proximity step (rank's defaults), medians of {args.pairs} run(s), load {load:.1f}")
    for module in modules:
        now = runs["now"][0][module]
        print(f"  {module}: {now['module_genes']} genes, {now['drugs']} drugs, "
              f"{now['resampled']} resampled")  # fmt: skip
        for kind in ("cold", "warm"):
            line = f"    {kind}: "
            for side in runs:
                wall = _median(runs[side], module, f"{kind}_wall_s")
                cpu = _median(runs[side], module, f"{kind}_cpu_s")
                line += f"{side} {wall:.2f} s (CPU {cpu:.2f} s)  "
            if "before" in runs:
                ratio = _median(runs["before"], module, f"{kind}_cpu_s") / _median(
                    runs["now"], module, f"{kind}_cpu_s"
                )
                line += f"CPU ratio before/now {ratio:.2f}"
            print(line)
        if "before" in runs:
            digests = {str(r[module]["digest"]) for side in runs.values() for r in side}
            print("    scores " + ("identical" if len(digests) == 1 else f"DIFFER: {digests}"))
    if args.json:
        args.json.write_text(json.dumps({"before_ref": args.before, "load": load, "runs": runs}))


if __name__ == "__main__":
    main()
