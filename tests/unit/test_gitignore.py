"""`.gitignore` hides what runs generate, never a file the repository tracks.

A folder-wide rule over a folder with tracked files (``benchmarks/results/`` holds the tracked
write-up ``regulators_dev.md``) hides every new write-up put beside it: ``git status`` does not
show it and ``git add`` refuses it, so a result meant to be committed is silently left out.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_no_tracked_file_matches_an_ignore_rule() -> None:
    tracked_but_ignored = _git("ls-files", "--cached", "--ignored", "--exclude-standard")
    assert tracked_but_ignored.returncode == 0, tracked_but_ignored.stderr
    assert tracked_but_ignored.stdout.split() == []


def test_benchmark_write_ups_show_and_generated_results_stay_hidden() -> None:
    # check-ignore exits 0 for an ignored path, 1 for one git would show
    assert _git("check-ignore", "-q", "benchmarks/results/new_write_up.md").returncode == 1
    assert _git("check-ignore", "-q", "benchmarks/results/bench_api.json").returncode == 0
