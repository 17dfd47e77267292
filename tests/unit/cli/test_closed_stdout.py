"""A closed stdout (``medtwin rank P1 | head``) ends a command quietly with exit status 141.

As coreutils and git: no traceback, no message, 128 + SIGPIPE (click exited 1 silently). Each
check runs ``python -m medtwin`` in a subprocess whose stdout is a pipe with its reading end
already closed: what ``| head -1`` leaves once head has exited, without the race of a real head
(which may exit after the command wrote everything). ``tests/integration/test_closed_stdout.py``
pipes a long listing into a real ``head -1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest


def _into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess[str]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    # stdout buffered, as by default in a pipe (PYTHONUNBUFFERED=1 would write at once)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    try:
        return subprocess.run(
            [sys.executable, *args],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ["query"],  # a command's lines (click.echo)
        ["query", "--json"],  # a command's JSON document
        ["--help"],  # the top group's own output, before any command
        ["cohort", "run", "--help"],  # a sub-command's help
    ],
)
def test_a_closed_stdout_ends_quietly_with_141(args: list[str]) -> None:
    got = _into_closed_pipe(["-m", "medtwin", *args])
    assert got.returncode == 141, got.stderr  # before: 1
    assert got.stderr == ""  # no traceback, no "Exception ignored", no message


def test_what_is_still_buffered_fails_inside_the_command() -> None:
    """Output written with ``sys.stdout.write`` (``cohort activities``' table) waits in the
    buffer; at the interpreter's exit its flush failed with "Exception ignored in: <stdout>
    BrokenPipeError" and exit status 120. The CLI flushes it itself, where it is handled."""
    code = """
        import sys
        import click
        from medtwin.cli import cli

        @cli.command()
        def table() -> None:
            sys.stdout.write("a\\tb\\n" * 10)  # less than the buffer: nothing written yet

        cli(["table"], prog_name="medtwin")
    """
    got = _into_closed_pipe(["-c", textwrap.dedent(code)])
    assert got.returncode == 141, got.stderr
    assert got.stderr == ""


def test_a_reader_that_stays_gets_everything_and_exit_0() -> None:
    got = subprocess.run(
        [sys.executable, "-m", "medtwin", "query"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert got.returncode == 0, got.stderr
    assert "medtwin query" in got.stdout
