"""Time the CLI's start-up: ``--help``, ``db status``, ``rank --help`` and the data commands.

The data commands (issue 21: ≤ 0.5 s) are ``patient list``, ``patient show``, ``twin show``,
``rank --top 10`` on a patient whose twin is already ranked with those parameters,
``cohort summary``, ``patient similar``, ``describe`` (on the tiny graph here: ``make
bench-describe`` times it on the real one) and ``patient delete``. Run from the repository root
(``make bench-cli`` starts the test server first, so that they do their real work: open the driver
and query the server). The test database is wiped and seeded with the tiny reference graph
(:mod:`medtwin.store.tiny`), two patients with twins, ``BENCH1`` and ``BENCH2``, stratified
(``patient similar`` reads their ``SIMILAR_TO``), a ranking of ``BENCH1`` (made by ``medtwin rank
BENCH1`` itself), and before each
``patient delete`` run a patient ``BENCHDEL`` to delete (not timed)::

    uv run python -m benchmarks.bench_cli [--runs 7] [--before GIT_REF] [--json out.json]

Each command runs in a new process, ``--runs`` times after one untimed warm-up (which also writes
the bytecode caches, as any first run does); the figure is the median wall time. The reference
baseline, measured in the same run, is ``python -c "import scanpy"``: what every command cost
while the CLI imported the science stack at start-up. ``--before REF`` also times the code of
that git commit (its ``src/`` exported to a temporary folder and put first on ``PYTHONPATH``,
with this environment's packages), so before and after come from one run on one machine, taking
turns run by run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

COMMANDS: dict[str, list[str]] = {
    "medtwin --help": ["--help"],
    "medtwin db status": ["db", "status"],
    "medtwin rank --help": ["rank", "--help"],
    "medtwin patient list": ["patient", "list"],
    "medtwin patient show": ["patient", "show", "BENCH1"],
    "medtwin twin show": ["twin", "show", "BENCH1"],
    "medtwin rank --top 10": ["rank", "BENCH1", "--top", "10"],
    "medtwin cohort summary": ["cohort", "summary"],
    "medtwin patient similar": ["patient", "similar", "BENCH1"],
    "medtwin describe": ["describe"],
    "medtwin patient delete": ["patient", "delete", "BENCHDEL", "--yes"],
}
SEEDED = ("BENCH1", "BENCHDEL")
BASELINE = "python -c 'import scanpy'"
ROOT = Path(__file__).resolve().parents[1]


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what users see: bytecode cached after run 1
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    return env


def names_option(help_text: str, name: str) -> bool:
    """Whether a command's ``--help`` lists the option ``name`` (``--out`` is not ``--out-dir``).

    >>> names_option("  --out-dir DIRECTORY  Folder for <patient>.html", "--out")
    False
    >>> names_option("  --out-dir DIRECTORY  Folder for <patient>.html", "--out-dir")
    True
    """
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", help_text) is not None


def option_spelling(env: dict[str, str], command: Sequence[str], new: str, old: str) -> str:
    """``new`` if the code run with ``env`` has that option of ``medtwin <command>``, else ``old``.

    A benchmark times this commit and, with ``--before``, an older one: a renamed option's old
    spelling works in both but prints a notice on this one (stop 55: ``report --out`` is now
    ``--out-dir``, ``demo --reports`` too); its new spelling fails on a commit before the rename.
    The command's ``--help``, of the code under test, says which one it takes.
    """
    shown = subprocess.run(
        [sys.executable, "-m", "medtwin", *command, "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return new if names_option(shown.stdout, new) else old


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time of one run of ``argv`` (db status may exit 3: server down)."""
    c0, t0 = _cpu(), time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed, used = time.perf_counter() - t0, _cpu() - c0
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr[-2000:]}")
    return elapsed, used


def _time(
    argv: list[str], env: dict[str, str], runs: int, setup: Callable[[], None] | None = None
) -> tuple[float, float]:
    """Median wall and CPU time of ``argv`` over ``runs`` runs after one warm-up.

    The CPU time (user + system of the process) is the steadier figure on a busy machine.
    ``setup`` runs before each run, untimed.
    """
    wall, cpu = [], []
    for i in range(runs + 1):
        if setup is not None:
            setup()
        elapsed, used = _once(argv, env)
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


def _seed() -> Callable[[], None]:
    """Wipe the test database and seed it (see the module docstring); return the delete setup."""
    from medtwin.loaders.patient_rows import GeneChange, PatientProfile
    from medtwin.platform import patients, stratify, twins
    from medtwin.platform.models import TwinParams
    from medtwin.settings import get_settings
    from medtwin.store.neo4j import Neo4jStore
    from medtwin.store.testing import empty_large_test_database, wipe_test_database
    from medtwin.store.tiny import seed_tiny_reference

    settings = get_settings()
    store = Neo4jStore.open(settings)
    if empty_large_test_database(store.driver, settings):  # a full reference left by bench-load
        store.close()
        store = Neo4jStore.open(settings)
    wipe_test_database(store.driver, settings)  # refuses any server but the test server
    seed_tiny_reference(store)

    def profile(pid: str) -> PatientProfile:
        return PatientProfile(
            patient_id=pid,
            changes=tuple(GeneChange(entrez=str(i), log2fc=2.0) for i in range(1, 15)),
            symptoms=(),
            exposures=(),
            metadata={"cohort": "bench"},
            input_checksums={},
            unmapped=(),
        )

    for pid in ("BENCH1", "BENCH2"):  # two twins: `patient similar` reads a stratification
        patients.add_patient(store, profile(pid))
        twins.build_twin(store, pid, TwinParams(module_samples=50, expand=0))
    stratify.stratify_cohort(store, ["BENCH1", "BENCH2"], k=1)
    subprocess.run(
        [sys.executable, "-m", "medtwin", "rank", "BENCH1", "--top", "10"],
        env=_env(None),
        capture_output=True,
        check=True,
    )

    def add_patient_to_delete() -> None:
        patients.add_patient(store, profile("BENCHDEL"))

    return add_patient_to_delete


def _measure(
    srcs: list[Path | None], runs: int, setup: Callable[[], None]
) -> list[dict[str, tuple[float, float]]]:
    """Each command's (median wall, median CPU) with the code of each of ``srcs``.

    The versions take turns run by run (this checkout, the ref, this checkout, ...), as
    :func:`benchmarks.bench_data._measure` does, so a load that drifts during the benchmark weighs
    on both alike (timing one version after the other once showed a 0.09 s ``--help`` as 0.13 s
    because the load fell from 18 to 11 in between). A command an older ``src`` does not have is
    left out of its figures; one untimed warm-up each.
    """
    envs = [_env(src) for src in srcs]
    medtwin = [sys.executable, "-m", "medtwin"]
    got: list[dict[str, tuple[float, float]]] = [{} for _ in srcs]
    for name, args in COMMANDS.items():
        samples: list[tuple[list[float], list[float]]] = [([], []) for _ in srcs]
        missing: set[int] = set()  # versions that do not have this command
        for i in range(runs + 1):
            for k, (src, env) in enumerate(zip(srcs, envs, strict=True)):
                if k in missing:
                    continue
                if "BENCHDEL" in args:
                    setup()
                try:
                    w, c = _once([*medtwin, *args], env)
                except RuntimeError as e:
                    if src is None or "No such command" not in str(e):
                        raise
                    missing.add(k)
                    continue
                if i:  # run 0 warms up (and writes the bytecode caches)
                    samples[k][0].append(w)
                    samples[k][1].append(c)
        for k, (wall, cpu) in enumerate(samples):
            if k not in missing:
                got[k][name] = (statistics.median(wall), statistics.median(cpu))
    return got


def timing_parser(doc: str | None, *, runs: int) -> argparse.ArgumentParser:
    """The options of a benchmark timing ``medtwin`` commands: --runs, --before, --json."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=runs, help="Timed runs per command (median).")
    parser.add_argument("--before", help="Git ref whose code to time as well (e.g. main).")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    return parser


def main() -> None:
    parser = timing_parser(__doc__, runs=7)
    args = parser.parse_args()

    setup = _seed()
    baseline = _time([sys.executable, "-c", "import scanpy"], _env(None), args.runs)
    before: dict[str, tuple[float, float]] = {}
    if args.before:
        with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
            after, before = _measure([None, _export(args.before, Path(tmp))], args.runs, setup)
    else:
        (after,) = _measure([None], args.runs, setup)

    load = os.getloadavg()
    print(f"CLI start-up, median of {args.runs} runs (bytecode cached), load {load}")
    print_figures(baseline, after, before, args.before, width=26)
    if args.json:
        write_figures(args.json, args.runs, baseline, after, before, args.before)


Figures = dict[str, tuple[float, float]]


def print_figures(
    baseline: tuple[float, float],
    after: Figures,
    before: Figures,
    before_ref: str | None,
    *,
    width: int,
) -> None:
    """The table of medians (wall, CPU) now and before, with ratios to the scanpy baseline."""
    print("wall time, and in brackets the CPU time (steadier when the machine is busy)")
    base_wall, base_cpu = baseline
    print(
        f"  {BASELINE:<{width}} {base_wall:6.3f} s ({base_cpu:5.3f})  reference: the science stack"
    )
    head = f"  {'command':<{width}} {'now (cpu)':>17} {'/ scanpy':>8}"
    if before:
        head += f" {'before (cpu)':>17} {'/ scanpy':>8} {'speed-up':>8}"
    print(head)
    for name, (wall, cpu) in after.items():
        line = f"  {name:<{width}} {wall:6.3f} s ({cpu:5.3f} s) {wall / base_wall:8.2f}"
        if before and name not in before:
            line += f" {'(not measured then)':>17}"
        elif before:
            then, then_cpu = before[name]
            line += (
                f" {then:6.3f} s ({then_cpu:5.3f} s) {then / base_wall:8.2f} {then / wall:7.1f}x"
            )
        print(line)
    if before_ref:
        print(f"  (before = git {before_ref}; now = this checkout)")


def write_figures(
    path: Path,
    runs: int,
    baseline: tuple[float, float],
    after: Figures,
    before: Figures,
    before_ref: str | None,
) -> None:
    """The same figures as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"runs": runs, "baseline_s": baseline, "now_s": after}
    if before:
        figures |= {"before_ref": before_ref, "before_s": before}
    path.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
