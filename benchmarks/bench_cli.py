"""Time the CLI's start-up: ``medtwin --help``, ``db status``, ``rank --help``, ``patient list``.

Run from the repository root (``make bench-cli`` starts the test server first, so that
``db status`` and ``patient list`` do their real work: ask the running server for its versions,
open the driver and query the patients)::

    uv run python -m benchmarks.bench_cli [--runs 7] [--before GIT_REF] [--json out.json]

Each command runs in a new process, ``--runs`` times after one untimed warm-up (which also writes
the bytecode caches, as any first run does); the figure is the median wall time. The reference
baseline, measured in the same run, is ``python -c "import scanpy"``: what every command cost
while the CLI imported the science stack at start-up. ``--before REF`` also times the code of
that git commit (its ``src/`` exported to a temporary folder and put first on ``PYTHONPATH``,
with this environment's packages), so before and after come from one run on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

COMMANDS: dict[str, list[str]] = {
    "medtwin --help": ["--help"],
    "medtwin db status": ["db", "status"],
    "medtwin rank --help": ["rank", "--help"],
    "medtwin patient list": ["patient", "list"],
}
BASELINE = "python -c 'import scanpy'"
ROOT = Path(__file__).resolve().parents[1]


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what users see: bytecode cached after run 1
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    return env


def _time(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of ``argv`` over ``runs`` runs after one warm-up."""
    times = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - t0
        if proc.returncode not in (0, 3):  # db status exits 3 when the server is down
            raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr[-2000:]}")
        if i:
            times.append(elapsed)
    return statistics.median(times)


def _export(ref: str, into: Path) -> Path:
    """Write ``src/`` of git commit ``ref`` under ``into``; return that ``src`` folder."""
    archive = into / "src.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "archive", ref, "src"], cwd=ROOT, stdout=f, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _measure(src: Path | None, runs: int) -> dict[str, float]:
    env = _env(src)
    medtwin = [sys.executable, "-m", "medtwin"]
    return {name: _time([*medtwin, *args], env, runs) for name, args in COMMANDS.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="Timed runs per command (median).")
    parser.add_argument("--before", help="Git ref whose code to time as well (e.g. main).")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    args = parser.parse_args()

    baseline = _time([sys.executable, "-c", "import scanpy"], _env(None), args.runs)
    after = _measure(None, args.runs)
    before: dict[str, float] = {}
    if args.before:
        with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
            before = _measure(_export(args.before, Path(tmp)), args.runs)

    print(f"CLI start-up, median of {args.runs} runs (bytecode cached), load {os.getloadavg()}")
    print(f"  {BASELINE:<30} {baseline:7.3f} s   (reference: the science stack's import)")
    head = f"  {'command':<30} {'now':>9} {'/ scanpy':>9}"
    if before:
        head += f" {'before':>9} {'/ scanpy':>9} {'speed-up':>9}"
    print(head)
    for name, now in after.items():
        line = f"  {name:<30} {now:7.3f} s {now / baseline:9.2f}"
        if before:
            then = before[name]
            line += f" {then:7.3f} s {then / baseline:9.2f} {then / now:8.1f}x"
        print(line)
    if args.before:
        print(f"  (before = git {args.before}; now = this checkout)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {"runs": args.runs, "baseline_s": baseline, "now_s": after}
        if before:
            figures |= {"before_ref": args.before, "before_s": before}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
