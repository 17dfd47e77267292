"""README's "A 5-minute tour" runs as written, in order, on the test server.

A new user copies the tour's lines verbatim; ``tests/unit/test_docs.py`` only parses them, so a
sample file that does not exist, a symptom the reference lacks or a drug with no target passed
there and failed here. Each line of the tour's two ``bash`` blocks runs in a shell (``medtwin``
on the PATH, the test server's ``MEDTWIN_*`` settings), then its ``python`` block in a new
interpreter, from a folder laid out as a checkout (``tests/data/patient/``, which the tour names).

What differs from a user's terminal, and why (each checked here, nothing skipped silently):

- ``medtwin db start`` runs as written: it answers at once that the test server already runs.
- ``medtwin data fetch && medtwin load`` run as written, from ``MEDTWIN_DATA_MIRROR`` (the
  pinned files; ``make test`` sets it to ``../shared/data``): the tour's genes, symptoms and
  drugs are in the real reference only, so this test loads it (minutes, not seconds).
- ``export MEDTWIN_API_KEYS='…' KEY='mtk_…'`` holds placeholders: its values are taken from what
  ``medtwin api-key new`` printed, as the comment of that line says.
- ``medtwin serve`` runs with ``--port`` of a free port (8000 may be taken on a shared
  machine), and the ``curl`` line's ``127.0.0.1:8000`` names that port; nothing else changes.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from medtwin.store.server import LocalServer
from tests.docs_pages import page
from tests.reliability.test_zz_bulk_import import _restore

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## A 5-minute tour"
EXPORT = re.compile(r"^export MEDTWIN_API_KEYS='…' KEY='mtk_…'$")


def tour_blocks(readme: str) -> tuple[list[list[str]], str]:
    """The tour's ``bash`` blocks (their command lines, comments dropped) and its ``python`` block.

    >>> text = "## A 5-minute tour\\n```bash\\na x  # why\\n# b\\n```\\n```python\\nc\\n```\\n## N"
    >>> tour_blocks(text)
    ([['a x']], 'c\\n')
    """
    section = readme[readme.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    bash = [
        [line.split("  #")[0].strip() for line in block.splitlines() if line and line[0] != "#"]
        for block in re.findall(r"```bash\n(.*?)```", section, re.S)
    ]
    (python,) = re.findall(r"```python\n(.*?)```", section, re.S)
    return bash, python


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(line: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=1800
    )
    assert done.returncode == 0, f"{line!r} exited {done.returncode}:\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr, f"{line!r}:\n{done.stderr[-3000:]}"
    return done


@contextmanager
def _serving(line: str, port: int, cwd: Path, env: dict[str, str]) -> Iterator[None]:
    """``medtwin serve`` of the tour on ``port``, until it answers ``/health``."""
    log = cwd / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*shlex.split(line), "--port", str(port)], cwd=cwd, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 120
        while True:  # a start-up guard, not a timing assertion
            assert server.poll() is None, f"{line!r} stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"{line!r} did not answer in 120 s"
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5).close()
                break
            except OSError:
                time.sleep(0.5)
        yield
    finally:
        server.terminate()
        server.wait(30)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # the `medtwin` script
    env["MEDTWIN_CACHE_DIR"] = str(tmp_path / "cache")
    # the tour runs in another folder: the test server's home (`make test`: .medtwin/test) and the
    # mirror, when given relative to this checkout, must still name them there (else `db start`
    # installs a second server in the tour's folder, as it did in CI)
    env["MEDTWIN_HOME"] = str(Path(env.get("MEDTWIN_HOME", ".medtwin")).resolve())
    if env.get("MEDTWIN_DATA_MIRROR"):
        env["MEDTWIN_DATA_MIRROR"] = str(Path(env["MEDTWIN_DATA_MIRROR"]).resolve())
    env.pop("MEDTWIN_API_KEYS", None)  # the tour sets it
    return env


@pytest.fixture
def restored_afterwards(clean_db: Any, test_settings: Any, tmp_path: Path) -> Iterator[None]:
    """The emptied test database, put back after the test by a copy of its files.

    The tour loads the full reference (~2 M relationships); ``clean_db``'s Cypher wipe of that
    failed with "Java heap space" on a 1 GB test heap (and takes minutes). The copy is taken
    and restored with the server stopped, as ``tests/reliability/test_zz_bulk_import.py`` does.
    """
    server = LocalServer(test_settings)
    saved = tmp_path / "empty_database"
    server.stop()
    try:
        server.save_database(saved)
    finally:
        server.start()
    yield
    _restore(server, saved, test_settings)


def test_the_tour_reads_its_sample_files_from_the_checkout() -> None:
    """The tour names files a fresh checkout has (before: ``p1_de.tsv``, which none has)."""
    (first, _api), python = tour_blocks(page("README.md"))
    named = re.findall(r"tests/data/[\w./-]+", " ".join(first) + python)
    assert named
    assert [n for n in named if not (ROOT / n).is_file()] == []


@pytest.mark.neo4j
def test_the_tour_runs_as_written(restored_afterwards: None, tmp_path: Path) -> None:
    mirror = os.environ.get("MEDTWIN_DATA_MIRROR", "")
    if not mirror or not Path(mirror).is_dir():
        message = (
            "the tour loads the real reference: set MEDTWIN_DATA_MIRROR to the folder of the "
            "pinned files (`make test` sets ../shared/data)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    (first, api), python = tour_blocks(page("README.md"))
    assert first[:2] == ["medtwin db start", "medtwin data fetch && medtwin load"]
    checkout = tmp_path / "checkout"  # the user's clone: the files the tour names, and its outputs
    (checkout / "tests" / "data").mkdir(parents=True)
    (checkout / "tests" / "data" / "patient").symlink_to(ROOT / "tests" / "data" / "patient")
    env = _env(tmp_path)
    for line in first:
        _run(line, checkout, env)
    assert (checkout / "reports" / "P1.html").is_file()  # `medtwin report P1`'s default folder

    # the API block: a key, its export, serve, the curl line (a new line would be passed over)
    assert len(api) == 4, api
    assert api[0].startswith("medtwin api-key new ")
    printed = _run(api[0], checkout, env).stdout
    assert EXPORT.match(api[1]), api[1]
    env["MEDTWIN_API_KEYS"] = re.search(r"MEDTWIN_API_KEYS=(\S+)", printed)[1]  # type: ignore[index]
    env["KEY"] = re.search(r"\bmtk_\S+", printed)[0]  # type: ignore[index]
    assert api[2] == "medtwin serve"
    assert api[3].startswith("curl ")
    assert "127.0.0.1:8000" in api[3]
    port = _free_port()
    with _serving(api[2], port, checkout, env):
        answer = _run(api[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}"), checkout, env)
    body = json.loads(answer.stdout)
    assert "drugs" in body, body
    assert 0 < len(body["drugs"]) <= 10

    # the block, then one line of this test's that shows what the block made
    shown = "\nprint(len(df), df.iloc[0]['drug_id'])"
    done = subprocess.run(
        [sys.executable, "-c", python + shown],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    count, best = done.stdout.split()[-2:]
    assert int(count) > 1000  # full=True: every drug with a target, not a top list
    assert best.startswith("DB")
