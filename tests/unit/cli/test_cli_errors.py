"""User errors print one line and exit 1 — no traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from medtwin.cli import cli


def test_status_of_unreachable_remote_server_is_reported(monkeypatch):
    monkeypatch.setenv("MEDTWIN_NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("MEDTWIN_NEO4J_PASSWORD", "irrelevant-password")
    from medtwin.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["db", "status", "--json"])
    get_settings.cache_clear()
    assert result.exit_code == 3
    assert '"running": false' in result.output


def test_status_text_reads_as_words(monkeypatch):
    """``running: no`` and ``—`` (before: ``running: False``, ``neo4j_version: None``)."""
    monkeypatch.setenv("MEDTWIN_NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("MEDTWIN_NEO4J_PASSWORD", "irrelevant-password")
    from medtwin.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["db", "status"])
    get_settings.cache_clear()
    assert result.exit_code == 3
    assert "       running: no\n" in result.output
    assert "False" not in result.output


def test_db_commands_refuse_remote_uri(monkeypatch):
    monkeypatch.setenv("MEDTWIN_NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    from medtwin.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["db", "stop"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert result.output.startswith("ServerInstallError: MEDTWIN_NEO4J_URI is neo4j+s://")
    assert "Traceback" not in result.output


def test_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "db" in result.output


def _group_with(fail: Exception) -> object:
    """A group of the CLI's class with one command that raises ``fail``: ``write``, and
    ``sub write`` one group deeper, both with ``--json``."""
    import click

    from medtwin.cli import _Group

    @click.group(cls=_Group)
    @click.option("--debug", is_flag=True)
    @click.pass_context
    def group(ctx: click.Context, debug: bool) -> None:
        ctx.obj = {"debug": debug}

    def write() -> click.Command:
        @click.command("write")
        @click.option("--json", "as_json", is_flag=True)
        def command(as_json: bool) -> None:
            raise fail

        return command

    @group.group("sub")
    @click.option("--json", "as_json", is_flag=True)  # the group's, not the command's
    def sub(as_json: bool) -> None:
        pass

    group.add_command(write())
    sub.add_command(write())
    return group


def test_a_path_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path):
    """`cohort activities --out /no/such/dir/a.tsv` and `report P --out /proc/x` printed
    FileNotFoundError's traceback; the path and the reason now, exit 1."""
    target = tmp_path / "missing" / "a.tsv"
    try:
        target.open("w")
    except OSError as e:
        error = e
    result = CliRunner().invoke(_group_with(error), ["write"])  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"FileNotFoundError: {target}: No such file or directory",
        "hint: check the path and its permissions (--debug shows where)",
    ]
    debug = CliRunner().invoke(_group_with(error), ["--debug", "write"])  # type: ignore[arg-type]
    assert isinstance(debug.exception, FileNotFoundError)


def test_an_os_error_without_a_path_keeps_its_traceback():
    """Not a path the user gave (e.g. a socket): not reworded, so it is not hidden."""
    result = CliRunner().invoke(_group_with(ConnectionResetError(104, "reset")), ["write"])  # type: ignore[arg-type]
    assert isinstance(result.exception, ConnectionResetError)


def test_a_number_too_large_for_the_driver_is_one_line_not_a_traceback():
    """`twin show P --version 99999999999999999999` (and --seed, --limit, --top ...) printed
    OverflowError's traceback from the driver or numpy."""
    try:
        import numpy as np

        np.int64(2**70)
    except OverflowError as e:
        error = e
    result = CliRunner().invoke(_group_with(error), ["write"])  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "InputError: a number given is too large (Python int too large to convert to C long)",
        "hint: integer options take values below 2**63 (--debug: where)",
    ]
    debug = CliRunner().invoke(_group_with(error), ["--debug", "write"])  # type: ignore[arg-type]
    assert isinstance(debug.exception, OverflowError)


def test_null_sample_options_are_bounded():
    """`rank --samples 1000000` allocated 12 GiB and died with numpy's MemoryError."""
    for args in (
        ["rank", "P1", "--samples", "1000000"],
        ["rank", "P1", "--max-samples", "1000000"],
        ["twin", "build", "P1", "--module-samples", "10000000"],
        ["twin", "diseases", "P1", "--samples", "1000000"],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert "is not in the range" in result.output
        assert "100000" in result.output


def _errors() -> list[tuple[Exception, list[str], dict[str, object]]]:
    """One error of each kind, its text lines and its JSON line."""
    from medtwin.errors import NotFoundError

    try:
        import numpy as np

        np.int64(2**70)
    except OverflowError as e:
        overflow = e
    missing = FileNotFoundError(2, "No such file or directory", "/no/such/dir/a.tsv")
    return [
        (
            NotFoundError("no patient P9", hint="list them: medtwin patient list"),
            ["NotFoundError: no patient P9", "hint: list them: medtwin patient list"],
            {
                "error": "NotFoundError",
                "message": "no patient P9",
                "hint": "list them: medtwin patient list",
            },
        ),
        (
            NotFoundError("no patient P9"),
            ["NotFoundError: no patient P9"],
            {"error": "NotFoundError", "message": "no patient P9", "hint": None},
        ),
        (
            overflow,
            [
                "InputError: a number given is too large (Python int too large to convert to C "
                "long)",
                "hint: integer options take values below 2**63 (--debug: where)",
            ],
            {
                "error": "InputError",
                "message": "a number given is too large (Python int too large to convert to C "
                "long)",
                "hint": "integer options take values below 2**63 (--debug: where)",
            },
        ),
        (
            missing,
            [
                "FileNotFoundError: /no/such/dir/a.tsv: No such file or directory",
                "hint: check the path and its permissions (--debug shows where)",
            ],
            {
                "error": "FileNotFoundError",
                "message": "/no/such/dir/a.tsv: No such file or directory",
                "hint": "check the path and its permissions (--debug shows where)",
            },
        ),
    ]


_IDS = ["medtwin", "no-hint", "overflow", "os"]


@pytest.mark.parametrize(("error", "text", "_"), _errors(), ids=_IDS)
def test_user_errors_without_json_are_text_on_stderr(error, text, _):
    for args in (["write"], ["sub", "--json", "write"]):  # the group's --json is not the command's
        result = CliRunner().invoke(_group_with(error), args)  # type: ignore[arg-type]
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == text


@pytest.mark.parametrize(("error", "_", "line"), _errors(), ids=_IDS)
def test_user_errors_of_a_json_command_are_one_json_line_on_stderr(error, _, line):
    """Before, `patient show P9 --json` printed `NotFoundError: ...` and `hint: ...` as text, which
    a script reading JSON could not parse."""
    for args in (["write", "--json"], ["sub", "write", "--json"]):
        result = CliRunner().invoke(_group_with(error), args)  # type: ignore[arg-type]
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert json.loads(result.stderr) == line
        assert result.stderr == json.dumps(line, sort_keys=True) + "\n"
    debug = CliRunner().invoke(_group_with(error), ["--debug", "write", "--json"])  # type: ignore[arg-type]
    assert debug.exception is error


def test_a_real_command_given_json_reports_its_error_as_json(memory_cli):
    memory_cli({"7157": "TP53"})
    result = CliRunner().invoke(cli, ["patient", "show", "P9", "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    got = json.loads(result.stderr)
    assert got["error"] == "NotFoundError"
    assert "P9" in got["message"]
    text = CliRunner().invoke(cli, ["patient", "show", "P9"])
    assert text.exit_code == 1
    assert text.stderr.startswith("NotFoundError: ")


def test_usage_errors_are_one_line_and_json_under_json():
    """Exit 2 (a bad option value) is one line on stderr: text, or with --json the JSON line of
    every other error (it was text with --json too; ``test_usage_json.py`` walks every command)."""
    text = CliRunner().invoke(cli, ["patient", "list", "--limit", "0"])
    assert text.exit_code == 2
    assert text.stdout == ""
    assert text.stderr.startswith("cli patient list: invalid value for '--limit'")
    assert text.stderr.count("\n") == 1
    result = CliRunner().invoke(cli, ["patient", "list", "--limit", "0", "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    line = json.loads(result.stderr)
    assert line["error"] == "UsageError"
    assert line["message"].startswith("cli patient list: invalid value for '--limit'")
    assert line["hint"] == "run `cli patient list --help`"


def test_ctrl_c_is_one_line_and_exit_130():
    """Ctrl-C printed click's "Aborted!" and exited 1 (a cohort run also printed each Dask
    worker's KeyboardInterrupt traceback: ``tests/unit/cohort/test_interrupt.py``)."""
    result = CliRunner().invoke(_group_with(KeyboardInterrupt()), ["write"])  # type: ignore[arg-type]
    assert result.exit_code == 130
    assert result.output == "Interrupted (Ctrl-C); what was finished is kept.\n"
    debug = CliRunner().invoke(_group_with(KeyboardInterrupt()), ["--debug", "write"])  # type: ignore[arg-type]
    assert debug.exit_code == 1  # re-raised: click's own "Aborted!"


def test_ctrl_c_under_json_is_the_json_line_of_every_other_error():
    """Round 4 of the resilience sweeps: ``cohort run --json`` stopped by Ctrl-C (or a script's
    ``kill -INT``) wrote the text line on stderr, where every other end of a ``--json`` command
    is one JSON line."""
    result = CliRunner().invoke(_group_with(KeyboardInterrupt()), ["write", "--json"])  # type: ignore[arg-type]
    assert result.exit_code == 130
    assert result.stdout == ""
    assert json.loads(result.stderr) == {
        "error": "Interrupted",
        "message": "Interrupted (Ctrl-C); what was finished is kept.",
        "hint": "run the command again",
    }
