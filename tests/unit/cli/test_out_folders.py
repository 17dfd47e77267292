"""Every ``--out`` makes missing folders, as ``export`` and ``report`` did.

Before: ``rank P1 --out new/x.tsv``, ``screen --out new/x.tsv`` and ``cohort activities --out
new/x.tsv`` refused with ``FileNotFoundError``. The use cases are replaced: no database.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, cohort, treatment
from medtwin.outputs import output_path


def test_output_path_makes_the_folders(tmp_path: Path) -> None:
    path = output_path(str(tmp_path / "a" / "b" / "x.tsv"))
    assert path == tmp_path / "a" / "b" / "x.tsv"
    assert path.parent.is_dir()
    assert output_path(path) == path  # an existing folder is fine


def test_a_file_in_the_way_is_a_user_error(tmp_path: Path, monkeypatch) -> None:
    """The folder cannot be made: ``FileExistsError: <path>: ...``, exit 1, no traceback."""
    from medtwin.platform import screen

    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(screen, "screen_gmt", lambda *_, **__: pytest.fail("screened"))
    (tmp_path / "file").write_text("")
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("a\t-\tTNF\n")
    got = CliRunner().invoke(
        cli, ["screen", "--gmt", str(gmt), "--out", str(tmp_path / "file" / "x.tsv")]
    )
    assert got.exit_code == 1
    out, blocker = tmp_path / "file" / "x.tsv", tmp_path / "file"
    # before: `FileExistsError: <tmp>/file: File exists`, as if the file were the problem
    assert got.stderr.splitlines()[0] == (
        f"NotADirectoryError: {out}: {blocker} is a file, not a folder"
    )


def test_a_file_deeper_in_the_way_is_named(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError) as got:
        output_path(tmp_path / "file" / "a" / "b" / "x.tsv")
    assert got.value.filename == str(tmp_path / "file" / "a" / "b" / "x.tsv")
    assert got.value.strerror == f"{tmp_path / 'file'} is a file, not a folder"


def test_a_folder_that_takes_no_file_names_the_output(tmp_path: Path, monkeypatch) -> None:
    """The probe's failure names the path given, not the probe (root writes any folder, so the
    refusal is simulated; ``/proc`` is a real one on Linux)."""
    import tempfile

    def refuse(*_: object, dir: str, **__: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", f"{dir}/.x.tsv.abc123.probe")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as got:
        output_path(tmp_path / "x.tsv")
    assert got.value.filename == str(tmp_path / "x.tsv")
    assert got.value.strerror == f"cannot write a file in {tmp_path} (Permission denied)"
    assert list(tmp_path.iterdir()) == []


def test_the_probe_leaves_no_file(tmp_path: Path) -> None:
    output_path(tmp_path / "x.tsv")
    assert list(tmp_path.iterdir()) == []


def test_rank_checks_out_before_ranking(tmp_path: Path, monkeypatch) -> None:
    """Before, ``rank P1 --out <bad>`` computed and stored the ranking, then failed."""
    monkeypatch.setattr(treatment, "open_store", lambda **_: pytest.fail("store opened"))
    (tmp_path / "file").write_text("")
    got = CliRunner().invoke(cli, ["rank", "P1", "--out", str(tmp_path / "file" / "x.tsv")])
    assert got.exit_code == 1
    assert got.stderr.startswith("NotADirectoryError: ")
    assert "is a file, not a folder" in got.stderr


def test_atomic_output_names_the_target_not_its_temporary_file(tmp_path: Path) -> None:
    """``--out /proc/x.tsv`` said ``/proc/.x.tsv.030rw7ft.tmp``: a name the user never gave."""
    from medtwin.atomic import atomic_output

    missing = tmp_path / "no" / "x.tsv"
    with pytest.raises(FileNotFoundError) as got, atomic_output(missing):
        pytest.fail("opened")
    assert got.value.filename == str(missing)
    folder = tmp_path / "x.tsv"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as got, atomic_output(folder) as fh:  # at the rename
        fh.write(b"1")
    assert got.value.filename == str(folder)
    assert [p.name for p in tmp_path.iterdir()] == ["x.tsv"]  # the temporary file removed


def test_rank_out_makes_folders(tmp_path: Path, monkeypatch) -> None:
    from medtwin.platform import first_screen, rankings, stored_rankings
    from medtwin.platform.models import DrugScore, RankingResult, RankParams

    ranking = RankingResult(
        id="P1@v1/x", twin_id="P1@v1", params=RankParams(), n_drugs=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC), seconds=0.1,
        drugs=(DrugScore(rank=1, drug_id="DB1", drug_name="one", n_targets=2,
                         n_targets_in_network=2, combined=0.5),),
    )  # fmt: skip
    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(stored_rankings, "reusable_ranking", lambda *_, **__: None)
    monkeypatch.setattr(rankings, "rank_drugs", lambda *_, **__: ranking)
    monkeypatch.setattr(first_screen, "screen_of", lambda *_, **__: None)
    out = tmp_path / "new" / "deeper" / "p1.tsv"
    got = CliRunner().invoke(cli, ["rank", "P1", "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert out.read_text().splitlines()[1].split("\t")[:2] == ["1", "DB1"]


def test_screen_out_makes_folders(tmp_path: Path, monkeypatch) -> None:
    from medtwin.platform import screen

    def fake(*_: object, out: Path, **__: object) -> screen.ScreenSummary:
        out.write_text("gene_set\tdrug_id\n")
        return screen.ScreenSummary(rows=0, gene_sets=1, drugs=0, skipped=(), seconds=0.1)

    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(screen, "screen_gmt", fake)
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("a\t-\tTNF\n")
    out = tmp_path / "new" / "screen.tsv"
    got = CliRunner().invoke(cli, ["screen", "--gmt", str(gmt), "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert out.read_text() == "gene_set\tdrug_id\n"


def test_cohort_activities_out_makes_folders(tmp_path: Path, monkeypatch) -> None:
    from medtwin.platform import cohort_activities, cohort_summary, twin_currency

    def write(store: Any, ids: list[str], fh: Any, **_: Any) -> tuple[int, int]:
        fh.write("patient_id\n")
        return 0, 0

    monkeypatch.setattr(cohort, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(cohort_summary, "cohort_patients", lambda *_, **__: ["P1"])
    monkeypatch.setattr(cohort_activities, "write_activity_table", write)
    current = twin_currency.CohortCurrency((), None)
    monkeypatch.setattr(twin_currency, "cohort_currency", lambda *_, **__: current)
    out = tmp_path / "new" / "acts.tsv"
    got = CliRunner().invoke(cli, ["cohort", "activities", "P1", "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert out.read_text() == "patient_id\n"


def test_db_backup_makes_the_folder(tmp_path: Path, monkeypatch) -> None:
    """`db backup new/x.dump` stopped the server, then failed on the missing folder."""
    from types import SimpleNamespace

    from medtwin.cli import db

    def backup(file: Path, *, force: bool, progress: object = None) -> int:
        file.write_bytes(b"dump")
        return 4

    # a stopped server (pid None): no running writes to ask for (test_backup_writers.py)
    monkeypatch.setattr(db, "_local", lambda: SimpleNamespace(backup=backup, pid=lambda: None))
    out = tmp_path / "new" / "x.dump"
    got = CliRunner().invoke(cli, ["db", "backup", str(out)])
    assert got.exit_code == 0, got.output
    assert out.read_bytes() == b"dump"


def test_report_makes_its_folder_and_names_a_file_in_the_way(tmp_path: Path, monkeypatch) -> None:
    """`report --out` made its folder with a bare mkdir (`FileExistsError: <file>: File exists`
    for a file in the way) and wrote the page in place; now as every --out."""
    from medtwin.cli import interfaces
    from medtwin.platform import reports

    monkeypatch.setattr(interfaces, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(reports, "patient_report", lambda *_, **__: "<html>P1</html>\n")
    folder = tmp_path / "new" / "reports"
    got = CliRunner().invoke(cli, ["report", "P1", "--out-dir", str(folder)])
    assert got.exit_code == 0, got.output
    assert (folder / "P1.html").read_text() == "<html>P1</html>\n"
    assert oct((folder / "P1.html").stat().st_mode & 0o777) == "0o600"  # patient data (was 0644)
    assert [p.name for p in folder.iterdir()] == ["P1.html"]
    (tmp_path / "file").write_text("")
    blocked = CliRunner().invoke(cli, ["report", "P1", "--out-dir", str(tmp_path / "file" / "r")])
    assert blocked.exit_code == 1
    assert blocked.stderr.splitlines()[0] == (
        f"NotADirectoryError: {tmp_path / 'file' / 'r' / 'P1.html'}: "
        f"{tmp_path / 'file'} is a file, not a folder"
    )
