"""Time ``medtwin demo`` fresh (empty database, no cached distances) and rerun, before vs after.

Run from the repository root against the *test* server (``make bench-demo`` starts it; the
database is wiped before each fresh run, which :func:`~medtwin.store.testing.wipe_test_database`
refuses on any other server)::

    uv run python -m benchmarks.bench_demo [--before GIT_REF] [--baseline demo.txt]

``--before REF`` also runs the demo with the code of that git commit (its ``src/`` exported to a
temporary folder and put first on ``PYTHONPATH``), in the same run on the same server, so the
ratios compare like with like on a shared machine. Each demo's top-10 lists (patient, rank, drug)
are compared with the other's and, with ``--baseline``, with a saved ``make demo`` output.
The load average is printed: other jobs on the machine slow both sides.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from benchmarks.bench_cli import option_spelling

ROOT = Path(__file__).resolve().parents[1]
_RANKING = re.compile(r"^Ranking (\S+)@")
_ROW = re.compile(r"^\s+(\d+)\s+(DB\d+)\s")


def top_lists(text: str) -> dict[str, list[str]]:
    """Patient id -> drug ids of the printed ranking table, in rank order."""
    got: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        m = _RANKING.match(line)
        if m:
            current = m.group(1)
            got[current] = []
            continue
        row = _ROW.match(line)
        if row and current is not None:
            got[current].append(row.group(2))
    return got


def export_src(ref: str, into: Path) -> Path:
    """``src/`` (and sources.toml) of git ``ref`` extracted under ``into``; returns the src path."""
    archive = into / "src.tar"
    with archive.open("wb") as f:
        # sources.toml sits beside src/: the package finds its pins there
        subprocess.run(
            ["git", "archive", ref, "src", "sources.toml"], cwd=ROOT, stdout=f, check=True
        )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _wipe() -> None:
    """An empty test database and no caches (distance matrices, bulk CSV files): a fresh machine.

    The database is replaced by an empty one with the importer (``empty_database``): deleting
    the full reference with Cypher takes minutes and can exhaust a small test heap.
    """
    from medtwin.settings import get_settings
    from medtwin.store.testing import empty_test_database

    settings = get_settings()
    empty_test_database(settings)  # refuses any server but the test server
    shutil.rmtree(settings.cache_dir, ignore_errors=True)


def _env(src: Path | None) -> dict[str, str]:
    """This environment, with ``src`` (a commit's code) first on ``PYTHONPATH``."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = f"{src}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    return env


def demo_argv(env: dict[str, str], reports: Path) -> list[str]:
    """``medtwin demo`` writing its reports into ``reports``, as the code of ``env`` spells it.

    ``--out-dir`` since stop 55 (``--reports`` still read there, with a notice on every run); a
    commit before it knows ``--reports`` only.
    """
    option = option_spelling(env, ["demo"], "--out-dir", "--reports")
    return [sys.executable, "-m", "medtwin", "demo", option, str(reports)]


def _demo(src: Path | None, argv: list[str]) -> tuple[float, str]:
    """One run of ``argv`` (:func:`demo_argv`) with ``src``'s code."""
    env = _env(src)
    t0 = time.perf_counter()
    proc = subprocess.run(
        argv,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"demo failed: {proc.stderr[-3000:]}")
    return seconds, proc.stdout


def _steps(out: str) -> str:
    """The demo's own ``steps, s:`` line (load, patients, twins, rankings), when it prints one."""
    for line in out.splitlines():
        if line.startswith("steps, s:"):
            return f"; {line}"
    return ""


def _run(src: Path | None, label: str, reports: Path) -> tuple[float, float, dict[str, list[str]]]:
    argv = demo_argv(_env(src), reports)
    _wipe()
    fresh, out = _demo(src, argv)
    print(
        f"  {label}: fresh {fresh:6.1f} s (load {os.getloadavg()[0]:.1f}){_steps(out)}", flush=True
    )
    rerun, again = _demo(src, argv)
    print(
        f"  {label}: rerun {rerun:6.1f} s (load {os.getloadavg()[0]:.1f}){_steps(again)}",
        flush=True,
    )
    lists = top_lists(out)
    if top_lists(again) != lists:
        print(f"  {label}: WARNING the rerun printed other top-10 lists than the fresh run")
    return fresh, rerun, lists


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="Git ref whose code to run as well (e.g. main).")
    parser.add_argument("--baseline", type=Path, help="A saved `make demo` output to diff with.")
    args = parser.parse_args()

    print(f"medtwin demo, fresh (empty test database) and rerun; load {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="medtwin-demo-") as tmp:
        after = _run(None, "now   ", Path(tmp) / "after")
        before = None
        if args.before:
            before = _run(export_src(args.before, Path(tmp)), "before", Path(tmp) / "before")
    fresh, rerun, lists = after
    print(f"  {'':8} {'fresh':>9} {'rerun':>9}")
    print(f"  {'now':8} {fresh:8.1f}s {rerun:8.1f}s")
    if before is not None:
        b_fresh, b_rerun, b_lists = before
        print(f"  {'before':8} {b_fresh:8.1f}s {b_rerun:8.1f}s   (git {args.before})")
        print(f"  {'speed-up':8} {b_fresh / fresh:8.2f}x {b_rerun / rerun:8.2f}x")
        print(f"  top-10 lists equal to before: {lists == b_lists} ({len(lists)} patients)")
        _print_changes(b_lists, lists)
    if args.baseline:
        saved = top_lists(args.baseline.read_text(encoding="utf-8"))
        print(f"  top-10 lists equal to {args.baseline}: {lists == saved} ({len(saved)} patients)")
        _print_changes(saved, lists)


def _print_changes(old: dict[str, list[str]], new: dict[str, list[str]]) -> None:
    """Per patient whose list changed: how many drugs both lists share, and both lists."""
    for pid in sorted(set(old) | set(new)):
        a, b = old.get(pid, []), new.get(pid, [])
        if a != b:
            print(f"    {pid}: {len(set(a) & set(b))} of {len(b)} drugs in both")
            print(f"      before: {' '.join(a)}")
            print(f"      now:    {' '.join(b)}")


if __name__ == "__main__":
    main()
