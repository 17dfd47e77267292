"""Time the commands that show a computed twin (explain, report, twin regulators, export), ``rank
--top 10`` of a stored ranking on the full reference, and ``patient add`` of a 20,000-gene DE table.

Unlike the data commands (``make bench-cli``, on a tiny graph), these need the real interactome and
a real twin, so they run on the demo's patient ``GSM389703`` in the test database (``medtwin
demo`` is run first when that patient is missing: ~2-3 min); ``twin regulators --by cell-type``
and ``--by tissue`` on the demo's single-cell and two-tissue patients; ``screen`` of the 4 gene sets
of ``tests/data/gmt/sample.gmt`` against every ``guney2016`` drug; and ``medtwin serve`` from its
start to its first answer of ``/health`` and of the ranking page, then the patient's report
asked a second time (the server's CPU beside each). Run from the repository root (``make
bench-views`` starts the test server first; ``ONLY=serve`` times the server only)::

    uv run python -m benchmarks.bench_views [--runs 5] [--before GIT_REF] [--only TEXT] [--json F]

Each command runs in a new process, ``--runs`` times after one untimed warm-up (which writes the
bytecode caches and the files a first run keeps, as any first run does); the figure is the median
wall time, with the CPU time beside it. ``first after a load`` times ``explain`` with the kept
interactome file removed before each run (what the first command after ``medtwin load`` pays).
``patient add`` re-adds the same table to the patient ``BENCHADD`` (a no-op write after the
warm-up: what is timed is reading the file and resolving its symbols; the patient is deleted at
the end); its table holds the first 20,000 symbols of the loaded NCBI gene file.
The reference baseline, measured in the same run, is ``python -c "import scanpy"``. ``--before
REF`` also times the code of that git commit (:mod:`benchmarks.bench_cli` explains how), so
before and after come from one run on one machine. Every run's output is checked: a command
that fails (e.g. "no patient") stops the benchmark instead of timing an error path.
"""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_cli import (
    _env,
    _export,
    _time,
    option_spelling,
    print_figures,
    timing_parser,
    write_figures,
)

PATIENT = "GSM389703"
DRUG = "DB00227"  # lovastatin: a DrugBank drug with network targets, ranked for every patient
CELLS = "pbmc68k_donorA"  # the demo's single-cell donor: activities per cell type
TISSUES = "multitissue_demo"  # the demo's two-tissue patient: activities per tissue
REGS = ("twin", "regulators")
SETS = Path(__file__).resolve().parents[1] / "tests" / "data" / "gmt" / "sample.gmt"


ADDED = "BENCHADD"
GENES = 20_000


def _commands(out: Path, de_table: Path, report_out: str = "--out-dir") -> dict[str, list[str]]:
    """The commands timed; ``report_out``: ``report``'s folder option in the code under test."""
    screen = ["screen", "--gmt", str(SETS), "--targets", "guney2016", "--out", str(out / "s.tsv")]
    return {
        # a data command (bench-cli times it on the tiny graph): here on the full DrugBank layer
        "medtwin rank --top 10 (stored)": ["rank", PATIENT, "--top", "10"],
        "medtwin explain": ["explain", PATIENT, DRUG],
        "medtwin twin regulators": ["twin", "regulators", PATIENT],
        "medtwin twin regulators --by cell-type": [*REGS, CELLS, "--by", "cell-type"],
        "medtwin twin regulators --by tissue": [*REGS, TISSUES, "--by", "tissue"],
        "medtwin report": ["report", PATIENT, report_out, str(out)],
        "medtwin export": ["export", PATIENT, "--out", str(out / f"{PATIENT}.cyjs")],
        f"medtwin patient add ({GENES:,} genes)": ["patient", "add", ADDED, "--de", str(de_table)],
        "medtwin screen (4 gene sets, guney2016)": screen,
    }


def commands_of(env: dict[str, str], out: Path, de_table: Path) -> dict[str, list[str]]:
    """:func:`_commands` as the code run with ``env`` spells them.

    ``report --out-dir`` since stop 55 (``--out`` still read there, with a notice on every run);
    a commit before it knows ``--out`` only.
    """
    return _commands(out, de_table, option_spelling(env, ["report"], "--out-dir", "--out"))


def _de_table(path: Path) -> Path:
    """A DE table of the first :data:`GENES` symbols of the loaded NCBI gene file."""
    from medtwin.settings import get_settings

    source = get_settings().data_dir / "ncbi_gene_info" / "Homo_sapiens.gene_info.gz"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        symbols = [line.split("\t")[2] for line in fh if not line.startswith("#")][:GENES]
    rows = [f"{g}\t{(-1) ** i * (0.5 + i % 7 / 4):.2f}\t{0.001 * (1 + i % 50):.3f}"
            for i, g in enumerate(symbols)]  # fmt: skip
    path.write_text("gene\tlog2fc\tpadj\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


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


Figure = tuple[float, float]


def _served(env: dict[str, str]) -> tuple[Figure, Figure, Figure]:
    """``medtwin serve`` started: (seconds, server CPU) to its first 200 of ``/health``, to
    its first 200 of the ranking page, and of the patient's report asked a second time (the
    first draws its charts).

    ``/health`` is asked every 20 ms from the start (the server answers once it is up); then
    the page, :data:`PATIENT`'s latest ranking (a client's first request), with a read key made
    for the run; the CPU is the server process's (``/proc``, Linux).
    """
    from medtwin.api_keys import new_key

    secret, key = new_key("bench-views", "read")
    port = _free_port()
    serve = [sys.executable, "-m", "medtwin", "serve", "--port", str(port), "--log-level", "error"]

    def get(path: str) -> int:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", path, headers={"Authorization": f"Bearer {secret}"})
            answer = conn.getresponse()
            answer.read()
            conn.close()
        except OSError:
            return 0
        return answer.status

    def cpu() -> float:
        stat = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    t0 = time.perf_counter()
    server = subprocess.Popen(
        serve,
        env={**env, "MEDTWIN_API_KEYS": key.settings_entry()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while (status := get("/health")) != 200:
            if status or server.poll() is not None or time.perf_counter() - t0 > 300:
                raise RuntimeError(f"medtwin serve answered {status}, stopped or took 300 s")
            time.sleep(0.02)
        health = (time.perf_counter() - t0, cpu())
        while (status := get(f"/v1/patients/{PATIENT}/rankings/latest?limit=10")) != 200:
            if status or server.poll() is not None or time.perf_counter() - t0 > 300:
                raise RuntimeError(f"medtwin serve answered {status}, stopped or took 300 s")
            time.sleep(0.02)
        start = (time.perf_counter() - t0, cpu())
        report = f"/v1/patients/{PATIENT}/report"
        if get(report) != 200:
            raise RuntimeError("the report route did not answer 200")
        c0, t1 = cpu(), time.perf_counter()
        get(report)
        return health, start, (time.perf_counter() - t1, cpu() - c0)
    finally:
        server.terminate()
        server.wait(60)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVED = ("start to first /health", "start to first ranking page", "GET report again")


def _measure(
    src: Path | None, runs: int, out: Path, de_table: Path, *, cold: bool, only: str | None
) -> dict[str, tuple[float, float]]:
    """Each figure; ``only``: those whose name holds this text (``serve``: the server's)."""
    env = _env(src)
    medtwin = [sys.executable, "-m", "medtwin"]
    commands = commands_of(env, out, de_table)
    got: dict[str, tuple[float, float]] = {}
    for name, args in commands.items():
        if only is None or only in name:
            got[name] = _time([*medtwin, *args], env, runs)
    served = [_served(env) for _ in range(runs)] if only is None or only in "medtwin serve" else []
    for i, name in enumerate(SERVED if served else ()):
        got[f"medtwin serve: {name}"] = (
            statistics.median(s[i][0] for s in served),
            statistics.median(s[i][1] for s in served),
        )
    if cold and (only is None or only in "medtwin explain"):
        forget: Callable[[], None] = _forget_network
        got["medtwin explain (first after a load)"] = _time(
            [*medtwin, *commands["medtwin explain"]], env, runs, forget
        )
    return got


def main() -> None:
    parser = timing_parser(__doc__, runs=5)
    parser.add_argument("--only", help="Only the figures whose name holds this text (serve).")
    args = parser.parse_args()

    _ensure_demo(_env(None))
    with tempfile.TemporaryDirectory(prefix="medtwin-views-") as tmp:
        out = Path(tmp)
        de_table = _de_table(out / "de.tsv")
        baseline = _time([sys.executable, "-c", "import scanpy"], _env(None), args.runs)
        try:
            after = _measure(None, args.runs, out / "now", de_table, cold=True, only=args.only)
            before: dict[str, tuple[float, float]] = {}
            if args.before:
                (out / "before-src").mkdir()
                src = _export(args.before, out / "before-src")
                before = _measure(
                    src, args.runs, out / "before", de_table, cold=False, only=args.only
                )
        finally:
            delete = [sys.executable, "-m", "medtwin", "patient", "delete", ADDED, "--yes"]
            subprocess.run(delete, env=_env(None), capture_output=True)

    load = os.getloadavg()
    print(f"Views of a computed twin ({PATIENT}), median of {args.runs} runs, load {load}")
    print_figures(baseline, after, before, args.before, width=38)
    if args.json:
        write_figures(args.json, args.runs, baseline, after, before, args.before)


if __name__ == "__main__":
    main()
