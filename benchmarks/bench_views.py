"""Time the commands that show a computed twin: explain, report, twin regulators, export.

Unlike the data commands (``make bench-cli``, on a tiny graph), these need the real interactome and
a real twin, so they run on the demo's patient ``GSM389703`` in the test database (``medtwin
demo`` is run first when that patient is missing: ~2-3 min). Run from the repository root (``make
bench-views`` starts the test server first)::

    uv run python -m benchmarks.bench_views [--runs 5] [--before GIT_REF] [--json out.json]

Each command runs in a new process, ``--runs`` times after one untimed warm-up (which writes the
bytecode caches and the files a first run keeps, as any first run does); the figure is the median
wall time, with the CPU time beside it. ``first after a load`` times ``explain`` with the kept
interactome file removed before each run (what the first command after ``medtwin load`` pays).
The reference baseline, measured in the same run, is ``python -c "import scanpy"``. ``--before
REF`` also times the code of that git commit (:mod:`benchmarks.bench_cli` explains how), so
before and after come from one run on one machine. Every run's output is checked: a command
that fails (e.g. "no patient") stops the benchmark instead of timing an error path.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_cli import _env, _export, _time, print_figures, write_figures

PATIENT = "GSM389703"
DRUG = "DB00227"  # lovastatin: a DrugBank drug with network targets, ranked for every patient


def _commands(out: Path) -> dict[str, list[str]]:
    return {
        "medtwin explain": ["explain", PATIENT, DRUG],
        "medtwin twin regulators": ["twin", "regulators", PATIENT],
        "medtwin report": ["report", PATIENT, "--out", str(out)],
        "medtwin export": ["export", PATIENT, "--out", str(out / f"{PATIENT}.cyjs")],
    }


def _ensure_demo(env: dict[str, str]) -> None:
    medtwin = [sys.executable, "-m", "medtwin"]
    shown = subprocess.run([*medtwin, "patient", "show", PATIENT], env=env, capture_output=True)
    if shown.returncode != 0:
        print(f"{PATIENT} is not in the test database: running `medtwin demo` first", flush=True)
        subprocess.run([*medtwin, "demo"], env=env, capture_output=True, check=True)


def _forget_network() -> None:
    from medtwin.platform.algorithms.network_file import PREFIX
    from medtwin.settings import get_settings

    for kept in get_settings().cache_dir.glob(f"{PREFIX}*.npz"):
        kept.unlink()


def _measure(
    src: Path | None, runs: int, out: Path, *, cold: bool
) -> dict[str, tuple[float, float]]:
    env = _env(src)
    medtwin = [sys.executable, "-m", "medtwin"]
    got: dict[str, tuple[float, float]] = {}
    for name, args in _commands(out).items():
        got[name] = _time([*medtwin, *args], env, runs)
    if cold:
        forget: Callable[[], None] = _forget_network
        got["medtwin explain (first after a load)"] = _time(
            [*medtwin, *_commands(out)["medtwin explain"]], env, runs, forget
        )
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Timed runs per command (median).")
    parser.add_argument("--before", help="Git ref whose code to time as well (e.g. main).")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    args = parser.parse_args()

    _ensure_demo(_env(None))
    with tempfile.TemporaryDirectory(prefix="medtwin-views-") as tmp:
        out = Path(tmp)
        baseline = _time([sys.executable, "-c", "import scanpy"], _env(None), args.runs)
        after = _measure(None, args.runs, out / "now", cold=True)
        before: dict[str, tuple[float, float]] = {}
        if args.before:
            (out / "before-src").mkdir()
            src = _export(args.before, out / "before-src")
            before = _measure(src, args.runs, out / "before", cold=False)

    load = os.getloadavg()
    print(f"Views of a computed twin ({PATIENT}), median of {args.runs} runs, load {load}")
    print_figures(baseline, after, before, args.before, width=38)
    if args.json:
        write_figures(args.json, args.runs, baseline, after, before, args.before)


if __name__ == "__main__":
    main()
