"""Time every data command of the user guide on the demo database, and check their output.

``make bench-cli`` times the data commands on a tiny graph; this runs each data command the user
guide lists (``patient list|show|similar|audit``, ``twin show|diff|regulators``, ``cohort
summary|activities``, ``describe``, ``query``, ``explain``, ``rank --top 10`` of a stored
ranking) on the demo's patients in the test database, which it leaves as it is (``medtwin demo``
is run first when its patients are missing: ~3-10 min). ``twin diff`` needs two versions: the
first run builds a second twin of :data:`DIFFED` (a patient of the demo with no ranking) when it
has one only, and ``patient similar`` a stratification of :data:`COHORT` (both kept). Run from
the repository root (``make bench-data`` starts the test server first)::

    uv run python -m benchmarks.bench_data [--runs 7] [--before GIT_REF] [--only TEXT] [--json F]

Each command runs in a new process, ``--runs`` times after one untimed warm-up; the figure is the
median wall time with the median CPU time (user + system) beside it. ``--before REF`` also times
the code of that git commit (:mod:`benchmarks.bench_cli` explains how), run by run in turn with
this checkout's (a load that changes during the run weighs on both alike), and compares the stdout
of each command (``--json`` where it has one) with this checkout's, without the keys that change
from run to run (:data:`VOLATILE`): a difference is printed and makes the exit status 1. ``patient
audit`` is not compared (every run adds an event to it).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_cli import (
    _cpu,
    _env,
    _export,
    _time,
    print_figures,
    timing_parser,
    write_figures,
)
from benchmarks.bench_views import _ensure_demo

PATIENT = "GSM389703"  # a showcase patient: twin, stored ranking, explanations
DRUG = "DB00227"  # lovastatin, ranked for every showcase patient
COHORT = "omics_ra_pbmc_gse15573"  # the showcase patient's cohort
DIFFED = "GSM389704"  # same cohort, no ranking: a second twin leaves every ranking as it was
UNCOMPARED = ("medtwin patient audit",)  # its output grows with every audited run
VOLATILE = ("seconds", "AuditEvent")
"""Keys left out of the comparison: how long a computation took (``twin regulators``), and the
audit events ``describe`` counts (every audited command adds one)."""


def _commands(out: Path, only: str | None = None) -> dict[str, list[str]]:
    every = {
        "medtwin patient list": ["patient", "list", "--json"],
        "medtwin patient show": ["patient", "show", PATIENT, "--json"],
        "medtwin patient similar": ["patient", "similar", PATIENT, "--json"],
        "medtwin patient audit": ["patient", "audit", PATIENT, "--json"],
        "medtwin twin show": ["twin", "show", PATIENT, "--json"],
        "medtwin twin diff": ["twin", "diff", DIFFED, "--from", "1", "--to", "2", "--json"],
        "medtwin twin regulators": ["twin", "regulators", PATIENT, "--json"],
        "medtwin cohort summary": ["cohort", "summary", "--cohort", COHORT, "--json"],
        "medtwin cohort activities": ["cohort", "activities", "--cohort", COHORT, "--json"],
        "medtwin describe": ["describe", "--json"],
        "medtwin query": ["query", "targets_and_interactors", "-p", "drug=Methotrexate", "--json"],
        "medtwin explain": ["explain", PATIENT, DRUG, "--json"],
        "medtwin rank --top 10 (stored)": ["rank", PATIENT, "--top", "10", "--json"],
    }
    return {name: args for name, args in every.items() if only is None or only in name}


def _prepare(env: dict[str, str]) -> None:
    """What two commands need beyond the demo, made once and kept: a second twin of
    :data:`DIFFED` (``twin diff``) and a stratification of :data:`COHORT` (``patient similar``).
    """
    medtwin = [sys.executable, "-m", "medtwin"]

    def fails(*args: str) -> bool:
        return subprocess.run([*medtwin, *args], env=env, capture_output=True).returncode != 0

    if fails("twin", "show", DIFFED, "--version", "2"):
        print(f"building a second twin of {DIFFED} for `twin diff`", flush=True)
        build = [*medtwin, "twin", "build", DIFFED]
        subprocess.run(build, env=env, capture_output=True, check=True)
    if fails("patient", "similar", PATIENT):
        print(f"stratifying {COHORT} for `patient similar`", flush=True)
        stratify = [*medtwin, "cohort", "stratify", "--cohort", COHORT]
        subprocess.run(stratify, env=env, capture_output=True, check=True)


def _comparable(text: str) -> object:
    """A command's JSON output without the :data:`VOLATILE` keys (the text if it is no JSON)."""

    def drop(value: object) -> object:
        if isinstance(value, dict):
            return {k: drop(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [drop(v) for v in value]
        return value

    try:
        return drop(json.loads(text))
    except json.JSONDecodeError:
        return text


def _outputs(src: Path | None, out: Path, only: str | None) -> dict[str, object]:
    """Each command's stdout, run once more with the code of ``src`` (None: this checkout)."""
    env = _env(src)
    medtwin = [sys.executable, "-m", "medtwin"]
    return {
        name: _comparable(
            subprocess.run(
                [*medtwin, *args], env=env, capture_output=True, text=True, check=False
            ).stdout
        )
        for name, args in _commands(out, only).items()
    }


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` (which must succeed)."""
    c0, t0 = _cpu(), time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed, used = time.perf_counter() - t0, _cpu() - c0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr[-2000:]}")
    return elapsed, used


def _measure(
    srcs: list[Path | None], runs: int, out: Path, only: str | None
) -> list[dict[str, tuple[float, float]]]:
    """Each command's (median wall, median CPU) with the code of each of ``srcs``.

    The versions take turns run by run (this checkout, the ref, this checkout, ...), so that a
    load that changes during the benchmark weighs on both alike; one untimed warm-up each.
    """
    envs = [_env(src) for src in srcs]
    medtwin = [sys.executable, "-m", "medtwin"]
    got: list[dict[str, tuple[float, float]]] = [{} for _ in srcs]
    for name, args in _commands(out, only).items():
        samples: list[tuple[list[float], list[float]]] = [([], []) for _ in srcs]
        for i in range(runs + 1):
            for env, (wall, cpu) in zip(envs, samples, strict=True):
                w, c = _once([*medtwin, *args], env)
                if i:  # run 0 warms up (and writes the bytecode caches)
                    wall.append(w)
                    cpu.append(c)
        for figures, (wall, cpu) in zip(got, samples, strict=True):
            figures[name] = (statistics.median(wall), statistics.median(cpu))
    return got


def main() -> None:
    parser = timing_parser(__doc__, runs=7)
    parser.add_argument("--only", help="Only the commands whose name holds this text.")
    args = parser.parse_args()

    _ensure_demo(_env(None))
    _prepare(_env(None))
    load_before = os.getloadavg()
    differ: list[str] = []
    with tempfile.TemporaryDirectory(prefix="medtwin-data-") as tmp:
        out = Path(tmp)
        baseline = _time([sys.executable, "-c", "import scanpy"], _env(None), args.runs)
        before: dict[str, tuple[float, float]] = {}
        if args.before:
            (out / "before-src").mkdir()
            src = _export(args.before, out / "before-src")
            after, before = _measure([None, src], args.runs, out, args.only)
            now_out, then_out = _outputs(None, out, args.only), _outputs(src, out, args.only)
            differ = [n for n in now_out if n not in UNCOMPARED and now_out[n] != then_out.get(n)]
        else:
            (after,) = _measure([None], args.runs, out, args.only)

    load = os.getloadavg()
    print(
        f"Data commands on the demo database, median of {args.runs} runs, "
        f"load {load_before} before, {load} after"
    )
    print_figures(baseline, after, before, args.before, width=32)
    if args.before:
        print(f"  outputs: {'differ: ' + ', '.join(differ) if differ else 'identical'}"
              f" (not compared: {', '.join(UNCOMPARED)})")  # fmt: skip
    if args.json:
        write_figures(args.json, args.runs, baseline, after, before, args.before)
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
