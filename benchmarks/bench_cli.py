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
import resource
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


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall and CPU time of ``argv`` over ``runs`` runs after one warm-up.

    The CPU time (user + system of the process) is the steadier figure on a busy machine.
    """
    wall, cpu = [], []
    for i in range(runs + 1):
        c0, t0 = _cpu(), time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        elapsed, used = time.perf_counter() - t0, _cpu() - c0
        if proc.returncode not in (0, 3):  # db status exits 3 when the server is down
            raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr[-2000:]}")
        if i:
            wall.append(elapsed)
            cpu.append(used)
    return statistics.median(wall), statistics.median(cpu)


def _export(ref: str, into: Path) -> Path:
    """Write ``src/`` of git commit ``ref`` under ``into``; return that ``src`` folder."""
    archive = into / "src.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "archive", ref, "src"], cwd=ROOT, stdout=f, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _measure(src: Path | None, runs: int) -> dict[str, tuple[float, float]]:
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
    before: dict[str, tuple[float, float]] = {}
    if args.before:
        with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
            before = _measure(_export(args.before, Path(tmp)), args.runs)

    print(f"CLI start-up, median of {args.runs} runs (bytecode cached), load {os.getloadavg()}")
    print("wall time, and in brackets the CPU time (steadier when the machine is busy)")
    base_wall, base_cpu = baseline
    print(f"  {BASELINE:<26} {base_wall:6.3f} s ({base_cpu:5.3f})  reference: the science stack")
    head = f"  {'command':<26} {'now (cpu)':>17} {'/ scanpy':>8}"
    if before:
        head += f" {'before (cpu)':>17} {'/ scanpy':>8} {'speed-up':>8}"
    print(head)
    for name, (wall, cpu) in after.items():
        line = f"  {name:<26} {wall:6.3f} s ({cpu:5.3f} s) {wall / base_wall:8.2f}"
        if before:
            then, then_cpu = before[name]
            line += (
                f" {then:6.3f} s ({then_cpu:5.3f} s) {then / base_wall:8.2f} {then / wall:7.1f}x"
            )
        print(line)
    if args.before:
        print(f"  (before = git {args.before}; now = this checkout)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures: dict[str, object] = {"runs": args.runs, "baseline_s": baseline, "now_s": after}
        if before:
            figures |= {"before_ref": args.before, "before_s": before}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
