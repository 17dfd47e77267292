"""Commands ranking "ids or --all" refuse neither and both, before opening the database."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, treatment


@pytest.fixture
def no_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the command opens the database."""

    def refuse(**_: object) -> None:
        raise AssertionError("the database was opened")

    monkeypatch.setattr(treatment, "open_store", refuse)


def test_rank_without_ids_or_all_is_an_error(no_store) -> None:
    """Before: `medtwin rank` ranked nobody and exited 0 without a word."""
    got = CliRunner().invoke(cli, ["rank"])
    assert got.exit_code == 1
    assert got.stdout == ""
    assert got.stderr == "InputError: name patient ids or use --all\n"
    as_json = CliRunner().invoke(cli, ["rank", "--json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.stderr)["message"] == "name patient ids or use --all"


def test_rank_with_ids_and_all_is_refused(no_store) -> None:
    """Before: `medtwin rank P1 --all` silently ranked every patient."""
    got = CliRunner().invoke(cli, ["rank", "P1", "P2", "--all"])
    assert got.exit_code == 1
    assert got.stdout == ""
    assert got.stderr == "InputError: name patient ids or use --all, not both\n"


@pytest.mark.parametrize("command", ["run", "activities"])
@pytest.mark.parametrize("choice", [[], ["P1", "--all"], ["--all", "--cohort", "c"]])
def test_cohort_commands_want_exactly_one_choice(monkeypatch, command, choice) -> None:
    """`cohort run` and `cohort activities` already refused these (checked here with the rest)."""
    import contextlib

    from medtwin.cli import cohort
    from medtwin.store.memory import MemoryStore

    monkeypatch.setattr(cohort, "open_store", lambda **_: contextlib.nullcontext(MemoryStore()))
    got = CliRunner().invoke(cli, ["cohort", command, *choice])
    assert got.exit_code == 1, got.output
    assert got.stderr == (
        "InputError: choose the patients with ids, --all or --cohort NAME (exactly one)\n"
    )


def test_rank_all_without_any_twin_says_so(monkeypatch) -> None:
    """An empty --all is an answer (exit 0, `[]` with --json), with a note in text mode."""
    import contextlib

    from medtwin.platform import patients

    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(patients, "list_patients", lambda _store: [])
    got = CliRunner().invoke(cli, ["rank", "--all"])
    assert got.exit_code == 0
    assert got.stdout == ""
    assert got.stderr == "no patient has a twin yet (`medtwin twin build --all`)\n"
    as_json = CliRunner().invoke(cli, ["rank", "--all", "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == []
    assert as_json.stderr == ""


def test_twin_build_with_ids_and_all_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: `medtwin twin build --all Q1` built every patient and said nothing of Q1."""
    from medtwin.cli import twins

    def refuse(**_: object) -> None:
        raise AssertionError("the database was opened")

    monkeypatch.setattr(twins, "open_store", refuse)
    got = CliRunner().invoke(cli, ["twin", "build", "--all", "Q1"])
    assert got.exit_code == 1
    assert got.stderr == "InputError: name patient ids or use --all, not both\n"
    none = CliRunner().invoke(cli, ["twin", "build"])
    assert none.stderr == "InputError: name patient ids or use --all\n"
