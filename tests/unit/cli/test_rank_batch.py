"""`rank A B C` / `rank --all` go past a patient that fails, as `twin build` does.

Before: the first patient without a twin (or refused by --require-module) stopped the command
and the patients after it were not ranked. The use cases are replaced: no database.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime
from typing import Any

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import cli, treatment
from medtwin.errors import ExploratoryModuleError, GraphStoreUnavailable, NotFoundError
from medtwin.platform.models import DrugScore, RankingResult, RankParams


def _ranking(pid: str) -> RankingResult:
    return RankingResult(
        id=f"{pid}@v1/x", twin_id=f"{pid}@v1", params=RankParams(), n_drugs=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC), seconds=0.1,
        drugs=(DrugScore(rank=1, drug_id="DB1", drug_name="one", n_targets=2,
                         n_targets_in_network=2, combined=0.5),),
    )  # fmt: skip


def _rank_drugs(store: Any, pid: str, params: Any, **kw: Any) -> RankingResult:
    if pid == "NOPE":
        raise NotFoundError("patient NOPE not found", hint="medtwin patient list")
    if pid == "EXPL" and kw["require_module"]:
        raise ExploratoryModuleError("twin EXPL@v1's module is exploratory")
    if pid == "DOWN":
        raise GraphStoreUnavailable("the Neo4j database does not answer", hint="db start")
    return _ranking(pid)


def _messages(stderr: str) -> str:
    """``stderr`` without the progress lines (``2026-01-01 10:00:00 rankings 1/3 (0.0 s)``)."""
    return "".join(
        line for line in stderr.splitlines(keepends=True) if not re.match(r"\d{4}-\d\d-\d\d ", line)
    )


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Rank without a database; the ids ranked, in order."""
    from medtwin.platform import first_screen, rankings, stored_rankings

    seen: list[str] = []

    def rank_drugs(store: Any, pid: str, params: Any, **kw: Any) -> RankingResult:
        seen.append(pid)
        return _rank_drugs(store, pid, params, **kw)

    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(stored_rankings, "reusable_ranking", lambda *_, **__: None)
    monkeypatch.setattr(rankings, "rank_drugs", rank_drugs)
    monkeypatch.setattr(first_screen, "screen_of", lambda *_, **__: None)
    return seen


def test_a_failing_patient_stops_none(ranked: list[str]) -> None:
    got = CliRunner().invoke(cli, ["rank", "P1", "NOPE", "P2"])
    assert ranked == ["P1", "NOPE", "P2"]
    assert got.exit_code == 1
    assert got.stdout.count("Ranking P1@v1/x") == 1
    assert got.stdout.count("Ranking P2@v1/x") == 1
    assert _messages(got.stderr) == (
        "NotFoundError: patient NOPE not found\n"
        "hint: medtwin patient list\n"
        "1 of 3 rankings not made\n"
    )


def test_require_module_refuses_one_and_ranks_the_others(ranked: list[str]) -> None:
    got = CliRunner().invoke(cli, ["rank", "EXPL", "P1", "NOPE", "--require-module"])
    assert got.exit_code == 1
    assert "Ranking P1@v1/x" in got.stdout
    assert _messages(got.stderr).splitlines() == [
        "patient EXPL: ExploratoryModuleError: twin EXPL@v1's module is exploratory",
        "NotFoundError: patient NOPE not found",
        "hint: medtwin patient list",
        "2 of 3 rankings not made",
    ]


def test_rank_all_goes_past_a_failure(ranked: list[str], monkeypatch) -> None:
    from types import SimpleNamespace

    from medtwin.platform import patients

    listed = [SimpleNamespace(id=p, twin_versions=1) for p in ("NOPE", "P1")]
    monkeypatch.setattr(patients, "list_patients", lambda _store: listed)
    got = CliRunner().invoke(cli, ["rank", "--all"])
    assert got.exit_code == 1
    assert "Ranking P1@v1/x" in got.stdout
    assert got.stderr.endswith("1 of 2 rankings not made\n")


def test_json_batch_failures_are_json_lines(ranked: list[str]) -> None:
    got = CliRunner().invoke(cli, ["rank", "P1", "NOPE", "EXPL", "--require-module", "--json"])
    assert got.exit_code == 1
    assert [r["id"] for r in json.loads(got.stdout)] == ["P1@v1/x"]
    assert [json.loads(line) for line in got.stderr.splitlines()] == [
        {
            "error": "NotFoundError",
            "hint": "medtwin patient list",
            "message": "patient NOPE not found",
            "patient_id": "NOPE",
        },
        {
            "error": "ExploratoryModuleError",
            "hint": None,
            "message": "twin EXPL@v1's module is exploratory",
            "patient_id": "EXPL",
        },
    ]


def test_one_patient_reads_as_before(ranked: list[str]) -> None:
    got = CliRunner().invoke(cli, ["rank", "NOPE"])
    assert got.exit_code == 1
    assert got.stdout == ""
    assert got.stderr == "NotFoundError: patient NOPE not found\nhint: medtwin patient list\n"
    as_json = CliRunner().invoke(cli, ["rank", "NOPE", "--json"])
    assert as_json.exit_code == 1
    assert as_json.stdout == ""
    assert json.loads(as_json.stderr) == {
        "error": "NotFoundError",
        "hint": "medtwin patient list",
        "message": "patient NOPE not found",
    }


def test_an_unreachable_database_stops_the_batch(ranked: list[str]) -> None:
    """Every later patient would fail the same way: one error, as before."""
    got = CliRunner().invoke(cli, ["rank", "P1", "DOWN", "P2"])
    assert ranked == ["P1", "DOWN"]
    assert got.exit_code == 1
    assert _messages(got.stderr) == (
        "GraphStoreUnavailable: the Neo4j database does not answer\nhint: db start\n"
    )


def test_every_patient_ranked_exits_0(ranked: list[str]) -> None:
    got = CliRunner().invoke(cli, ["rank", "P1", "P2", "--json"])
    assert got.exit_code == 0, got.output
    assert [r["id"] for r in json.loads(got.stdout)] == ["P1@v1/x", "P2@v1/x"]
    assert got.stderr == ""


def test_twin_build_json_failures_are_json_lines(monkeypatch) -> None:
    """`twin build A B --json` printed its failures as text; now as `rank`'s JSON lines."""
    from medtwin.cli import twins
    from medtwin.platform import twin_batch
    from medtwin.platform.twin_batch import TwinBuildOutcome

    outcomes = [
        TwinBuildOutcome(
            patient_id="NOPE", status="failed", error="patient NOPE not found",
            error_type="NotFoundError", hint="medtwin patient list",
        ),
    ]  # fmt: skip
    monkeypatch.setattr(twins, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(twin_batch, "build_twins", lambda *_, **__: outcomes)
    got = CliRunner().invoke(cli, ["twin", "build", "NOPE", "P2", "--json"])
    assert got.exit_code == 1
    assert got.stdout == ""  # nothing built: the errors alone (before: `[]` beside them)
    assert json.loads(got.stderr) == {
        "error": "NotFoundError",
        "hint": "medtwin patient list",
        "message": "patient NOPE not found",
        "patient_id": "NOPE",
    }
    text = CliRunner().invoke(cli, ["twin", "build", "NOPE", "P2"])
    assert text.stderr == (
        "NotFoundError: patient NOPE not found\nhint: medtwin patient list\n"
        "1 of 2 twins not built\n"
    )
    one = CliRunner().invoke(cli, ["twin", "build", "NOPE"])
    assert one.stderr == "NotFoundError: patient NOPE not found\nhint: medtwin patient list\n"


@pytest.mark.parametrize(
    ("message", "line"),
    [
        # the message names the patient: the id once (not "patient P1: InputError: patient P1:")
        ("patient P1: none of 3 changed genes", "InputError: patient P1: none of 3 changed genes"),
        ("no patient P1.", "InputError: no patient P1."),
        # it does not: the prefix says whose failure it is
        ("no seed gene", "patient P1: InputError: no seed gene"),
        ("patient P10 has no twin", "patient P1: InputError: patient P10 has no twin"),
        ("patient P1.b has no twin", "patient P1: InputError: patient P1.b has no twin"),
    ],
)
def test_a_batch_failure_names_its_patient_once(message: str, line: str) -> None:
    from medtwin.cli.common import BatchFailure, end_batch
    from medtwin.errors import InputError

    failures = [BatchFailure.of("P1", InputError(message, hint="fix it"))]
    runner = CliRunner()

    @click.command()
    def batch() -> None:
        end_batch(failures, 2, "twins not built", as_json=False)

    @click.command()
    def batch_json() -> None:
        end_batch(failures, 2, "twins not built", as_json=True)

    got = runner.invoke(batch)
    assert got.exit_code == 1
    assert got.stderr == f"{line}\nhint: fix it\n1 of 2 twins not built\n"
    as_json = runner.invoke(batch_json)
    assert as_json.exit_code == 1
    assert json.loads(as_json.stderr) == {  # one line, the message as raised, with the id
        "error": "InputError", "hint": "fix it", "message": message, "patient_id": "P1",
    }  # fmt: skip


def test_a_batch_that_all_failed_prints_its_errors_only_under_json(monkeypatch, ranked) -> None:
    """`twin build BAD --json` printed `[]` on stdout beside its one JSON error line on stderr;
    a `rank`/`twin build` batch of several whose every patient failed did the same."""
    from medtwin.cli import twins
    from medtwin.platform import twin_batch
    from medtwin.platform.twin_batch import TwinBuildOutcome

    failed = TwinBuildOutcome(
        patient_id="NOPE", status="failed", error="no patient NOPE", error_type="NotFoundError",
        hint="add one with `medtwin patient add NOPE ...`",
    )  # fmt: skip
    monkeypatch.setattr(twins, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(twin_batch, "build_twins", lambda *_, **__: [failed])
    one = CliRunner().invoke(cli, ["twin", "build", "NOPE", "--json"])
    assert one.exit_code == 1
    assert one.stdout == ""
    assert json.loads(one.stderr) == {  # exactly one JSON error object
        "error": "NotFoundError",
        "hint": "add one with `medtwin patient add NOPE ...`",
        "message": "no patient NOPE",
    }
    both = CliRunner().invoke(cli, ["rank", "NOPE", "NOPE", "--json"])  # one id, said twice
    assert (both.exit_code, both.stdout) == (1, "")
    assert len(both.stderr.splitlines()) == 1
    two = CliRunner().invoke(cli, ["rank", "NOPE", "EXPL", "--require-module", "--json"])
    assert (two.exit_code, two.stdout) == (1, "")
    assert [json.loads(line)["patient_id"] for line in two.stderr.splitlines()] == ["NOPE", "EXPL"]
