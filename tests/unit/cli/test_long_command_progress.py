"""The six long commands that were silent draw one bar naming the step under way, on a terminal.

``db backup`` (80 s at load 15-35), ``db restore``, ``twin diseases P`` (18-62 s), ``biomarkers P``
(7-35 s), ``patient add --h5ad FILE`` (18-47 s) and ``report P`` (1.3 s idle, 5-12 s at load 17)
showed nothing until done. Now each draws one
bar (``StepProgress.steps`` with the job's steps in order): drawn at once naming the first step,
then the step under way, and the parts of a countable one (``scoring 2 disease modules``). The
terminal is forced, as in ``test_single_job_progress.py``; the commands run on the in-memory
store, ``db`` on a ``LocalServer`` whose Java calls are replaced (the real ones:
``tests/reliability/test_zz_backup.py``). With ``--json`` nothing is drawn.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, db, insights, interfaces, patients, twins
from medtwin.cli import progress as cli_progress
from medtwin.platform import rankings
from medtwin.platform.context import ReferenceContext
from medtwin.settings import Settings
from medtwin.store.server import LocalServer
from tests.unit.cli.test_insight_audit import cli_store  # noqa: F401
from tests.unit.cli.test_patient_add_tissues import GENES, _h5ad
from tests.unit.services.test_notebook_defaults import FAST, built  # noqa: F401


class _Recorded(cli_progress.StepProgress):
    """A StepProgress drawn as on a terminal, recording each description its bars show."""

    shown: list[str] = []
    calls: list[tuple[str, int, int]] = []

    def __init__(self, **kw: Any) -> None:
        super().__init__(stream=io.StringIO(), terminal=True, **kw)

    def _record(self) -> None:
        if self._bars is not None:
            (task,) = self._bars.tasks  # one bar per command
            if not _Recorded.shown or _Recorded.shown[-1] != task.description:
                _Recorded.shown.append(task.description)

    def steps(self, label: str, order: Any = ()) -> Any:
        draw = super().steps(label, order)
        self._record()  # drawn at once, before any step ends

        def report(step: str, done: int, total: int) -> None:
            _Recorded.calls.append((step, done, total))
            draw(step, done, total)
            self._record()

        return report


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    _Recorded.shown, _Recorded.calls = [], []
    for module in (db, insights, interfaces, patients, twins):
        monkeypatch.setattr(module, "StepProgress", _Recorded, raising=False)
    return _Recorded.shown


def _run(*args: str) -> Any:
    got = CliRunner().invoke(cli, list(args))
    assert got.exit_code == 0, got.output
    return got


def test_twin_diseases_names_its_steps_and_counts_the_modules(cli_store, shown) -> None:  # noqa: F811
    got = _run("twin", "diseases", "P1", "--samples", "20")
    assert got.stdout.startswith("P1@v1: 2 reference disease modules")  # stdout as before
    assert shown == [
        "twin diseases P1: reading the twin and the disease modules",
        "twin diseases P1: reading the interactome",
        "twin diseases P1: scoring the disease modules",
        "twin diseases P1: scoring 2 disease modules",
        "twin diseases P1: storing the resemblances",
    ]
    assert ("scoring 2 disease modules", 2, 2) in _Recorded.calls
    shown.clear()
    _run("twin", "diseases", "P1", "--samples", "20")  # read back: nothing to wait for
    assert shown == []


def test_biomarkers_names_its_steps(cli_store, shown) -> None:  # noqa: F811
    rankings.rank_drugs(cli_store, "P1", FAST, ctx=ReferenceContext())
    got = _run("biomarkers", "P1")
    assert "biomarker suggestion(s) from the top" in got.stdout
    assert shown == [
        "biomarkers P1: loading the ranking code",
        "biomarkers P1: reading the ranking and the twin",
        "biomarkers P1: reading the patient's changes",
        "biomarkers P1: reading the drugs' targets",
        "biomarkers P1: storing the suggestions",
    ]


def test_report_names_its_steps(cli_store, shown, tmp_path) -> None:  # noqa: F811
    from medtwin.platform.reports import REPORT_STEPS

    rankings.rank_drugs(cli_store, "P1", FAST, ctx=ReferenceContext())
    got = _run("report", "P1", "--out-dir", str(tmp_path))
    assert got.stdout.startswith(f"report: {tmp_path / 'P1.html'} (")  # stdout as before
    assert shown == [f"report P1: {step}" for step in REPORT_STEPS]
    assert [c[0] for c in _Recorded.calls] == list(REPORT_STEPS)  # each step ended, in order
    shown.clear()
    json_run = _run("report", "P1", "--out-dir", str(tmp_path), "--json")
    assert (shown, json_run.stderr) == ([], "")


def test_patient_add_h5ad_names_the_file_and_its_comparison(tmp_path, memory_cli, shown) -> None:
    memory_cli(GENES)
    blood = _h5ad(tmp_path / "blood.h5ad", 0)
    got = _run("patient", "add", "SC1", "--h5ad", str(blood))
    assert got.stdout.startswith("patient SC1: 1 input added")
    assert shown == [
        "patient add SC1: reading the files",
        "patient add SC1: reading blood.h5ad",
        "patient add SC1: blood.h5ad: comparing 2 cell types (scanpy Wilcoxon)",
        "patient add SC1: storing the inputs",
    ]


def test_patient_add_h5ad_case_vs_control_counts_the_cell_types(tmp_path, memory_cli, shown):
    import anndata
    import numpy as np
    import pandas as pd

    memory_cli(GENES)
    counts = 1 + np.random.default_rng(0).integers(0, 2, size=(24, 4)).astype(float)
    counts[0:6, 0] += 25  # TNF up in the case cells of cell type A
    obs = pd.DataFrame(
        {
            "cell_type": ["A"] * 12 + ["B"] * 12,
            "condition": (["ra"] * 6 + ["healthy"] * 6) * 2,
        },
        index=[f"c{i}" for i in range(24)],
    )
    path = tmp_path / "pair.h5ad"
    anndata.AnnData(
        X=np.log1p(counts).astype(np.float32), obs=obs, var=pd.DataFrame(index=list(GENES.values()))
    ).write_h5ad(path)
    _run("patient", "add", "SC2", "--h5ad", str(path), "--condition-key", "condition",
         "--case", "ra", "--control", "healthy")  # fmt: skip
    counted = "pair.h5ad: comparing ra vs healthy in each cell type"
    assert shown == [
        "patient add SC2: reading the files",
        "patient add SC2: reading pair.h5ad",
        f"patient add SC2: {counted}",
        "patient add SC2: storing the inputs",
    ]
    assert [c for c in _Recorded.calls if c[0] == counted] == [(counted, 0, 2), (counted, 1, 2)]


class _Java:
    """``LocalServer``'s Java calls replaced: stop, start, neo4j-admin (which writes the dump)."""

    def __init__(self, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        monkeypatch.setattr(server, "is_installed", lambda: True)
        monkeypatch.setattr(server, "pid", lambda: None)  # no writes to ask for
        monkeypatch.setattr(server, "stop", lambda: self.calls.append("stop") or True)
        monkeypatch.setattr(server, "start", lambda: self.calls.append("start") or 1.0)
        monkeypatch.setattr(server, "status", lambda: type("S", (), {"running": False})())
        monkeypatch.setattr(server, "_admin", self.admin)

    def admin(self, *args: str, **_: object) -> None:
        self.calls.append(" ".join(args[:2]))
        for arg in args:
            if arg.startswith("--to-path="):
                (Path(arg.split("=", 1)[1]) / "neo4j.dump").write_bytes(b"dump")


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LocalServer, _Java]:
    got = LocalServer(Settings(home=tmp_path / "home", neo4j_password="x" * 12))
    java = _Java(got, monkeypatch)
    monkeypatch.setattr(db, "_local", lambda: got)
    return got, java


def test_db_backup_and_restore_name_the_step_under_way(server, shown, tmp_path) -> None:
    dump = tmp_path / "x.dump"
    assert _run("db", "backup", str(dump)).stdout.startswith(f"backed up to {dump} ")
    assert shown == [
        "db backup: checking for running writes",
        "db backup: stopping the server",
        "db backup: dumping the database",
        "db backup: starting the server",
    ]
    assert server[1].calls == ["stop", "database dump", "start"]
    shown.clear()
    _run("db", "restore", "--yes", str(dump))
    assert shown == [
        "db restore: saving the audit trail",
        "db restore: stopping the server",
        "db restore: loading the backup",
        "db restore: starting the restored database",
        "db restore: stopping the server again",
        "db restore: writing the audit trail back",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ("twin", "diseases", "P1", "--samples", "20"),
        ("biomarkers", "P1"),
        ("patient", "add", "SC1", "--h5ad", "{h5ad}"),
        ("db", "backup", "{dump}"),
        ("db", "restore", "--yes", "{dump}"),
    ],
)
def test_json_draws_nothing(
    command,
    cli_store,  # noqa: F811
    memory_cli,
    server,
    shown,
    tmp_path,
) -> None:
    rankings.rank_drugs(cli_store, "P1", FAST, ctx=ReferenceContext())
    memory_cli(GENES)
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"dump")
    args = [a.format(h5ad=_h5ad(tmp_path / "b.h5ad", 0), dump=dump) for a in command]
    if args[:2] == ["db", "backup"]:
        args.append("--force")
    got = CliRunner().invoke(cli, [*args, "--json"])
    assert got.exit_code == 0, got.output
    assert shown == []
    assert got.stderr == ""
