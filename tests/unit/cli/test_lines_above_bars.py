"""What is written while a bar is drawn appears on its own line above the bar, which is redrawn.

Before, a log record (the CLI's handler keeps the stderr it was given) or a ``click.echo`` (click
writes past rich's stream proxy, to the terminal itself) was appended to the bar's line
(``patient add P1: reading … -:--:--2026-12-07 … WARNING …``) and the bar went on below it; and
a ``print`` while bars were drawn went to the terminal even when stdout was a file. Each test
reads the screen a captured terminal shows (``terminal.screen``).
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import textwrap

import click
import pytest

from medtwin.cli import cli
from medtwin.cli.progress import StepProgress
from tests.unit.cli.terminal import Terminal, run_on_a_terminal, screen

BAR = "twins                        ━"


def on_terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """stderr and stdout are one captured terminal, and the root logger has no handler yet, so
    the CLI configures its own (pytest's are put back after). Called in the test: pytest sets
    its own capture streams again between a fixture and the test."""
    tty = Terminal()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", tty)
    monkeypatch.setattr(logging.root, "handlers", [])
    return tty


def test_patient_add_warnings_are_lines_above_its_bar(memory_cli, monkeypatch, tmp_path) -> None:
    memory_cli({"7124": "TNF", "3569": "IL6"})
    tty = on_terminal(monkeypatch)
    de = tmp_path / "p1_de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nTNF\t2\t0.001\nNOPE\t1\t0.01\n")
    cli.main(["patient", "add", "P1", "--de", str(de)], standalone_mode=False)
    lines = tty.screen()
    warned = [x for x in lines if " WARNING medtwin." in x]
    assert len(warned) == 1, lines  # the reader's warning: the log's own line, once
    assert warned[0].split(" WARNING ")[1].startswith("medtwin.")
    assert warned[0][:4].isdigit()  # starts with its time stamp, not after a bar
    echoed = [x for x in lines if "genes not resolved" in x]
    assert echoed == ["de: 1 genes not resolved: NOPE"], lines
    assert lines[-1].startswith("patient P1: 1 input added"), lines  # the summary stays
    assert not [x for x in lines if "patient add P1:" in x]  # no bar left torn on screen


def test_json_on_a_terminal_is_pure_json_with_warnings_on_stderr(memory_cli, monkeypatch, tmp_path):
    memory_cli({"7124": "TNF"})
    de = tmp_path / "p1_de.tsv"
    de.write_text("gene\tlog2fc\tpadj\nTNF\t2\t0.001\nNOPE\t1\t0.01\n")
    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(logging.root, "handlers", [])
    cli.main(["patient", "add", "P1", "--de", str(de), "--json"], standalone_mode=False)
    assert json.loads(out.getvalue())["id"] == "P1"  # nothing but the JSON on stdout
    said = err.screen()
    assert len([x for x in said if " WARNING medtwin." in x]) == 1, said  # the log, once
    assert said[-1] == "de: 1 genes not resolved: NOPE", said
    assert "\x1b[" not in err.getvalue()  # no bar drawn


def test_each_write_is_a_line_above_the_redrawn_bar(monkeypatch) -> None:
    tty = on_terminal(monkeypatch)
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    seen: list[list[str]] = []
    with StepProgress(units={"twins": "twins"}) as p:
        p("twins", 1, 3)
        logging.getLogger("medtwin.test").warning("3 genes not resolved")
        seen.append(tty.screen())
        click.echo("P1 built")
        seen.append(tty.screen())
        click.echo("NOTE on stderr", err=True)
        seen.append(tty.screen())
    said = ["WARNING medtwin.test: 3 genes not resolved", "P1 built", "NOTE on stderr"]
    for n, lines in enumerate(seen, 1):
        assert lines[:n] == said[:n], lines
        assert len(lines) == n + 1, lines
        assert lines[n].startswith(BAR), lines
    assert tty.screen() == said


def test_a_stdout_that_is_a_file_keeps_what_is_printed(monkeypatch) -> None:
    tty, out = Terminal(), io.StringIO()  # `medtwin twin build --all > built.txt`
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", out)
    with StepProgress(units={"twins": "twins"}) as p:
        p("twins", 1, 2)
        click.echo("P1 built")
        print("P2 built")  # noqa: T201 - what a library's print does
    assert out.getvalue() == "P1 built\nP2 built\n"
    assert tty.screen() == []


CHILD = """
import logging, sys, warnings
import click
from medtwin.cli.progress import StepProgress

logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
with StepProgress(units={"twins": "twins"}) as p:
    p("twins", 1, 3)
    warnings.warn("a Python warning", UserWarning, stacklevel=1)
    logging.getLogger("medtwin.child").warning("a log record")
    click.echo("a result line")
    p("twins", 3, 3)
"""


def test_on_a_real_terminal_warnings_and_logs_are_lines_of_their_own() -> None:
    """The child's stdout and stderr are a pseudo-terminal, as in a shell."""
    env = {**os.environ, "PYTHONWARNINGS": "default", "COLUMNS": "100"}
    code, written = run_on_a_terminal([sys.executable, "-c", textwrap.dedent(CHILD)], env, 120)
    assert code == 0, written
    lines = screen(written)
    assert lines == [
        "<string>:9: UserWarning: a Python warning",
        "WARNING medtwin.child: a log record",
        "a result line",
    ], lines


ASIDE_CHILD = """
import logging, sys, tempfile
from pathlib import Path
from medtwin.cli.progress import StepProgress
from medtwin.store.bulk_aside import AsideProcess
from tests.unit.store.aside_probe import logs_and_warns

logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
with StepProgress(units={"datasets": "datasets"}) as p:
    p("datasets", 1, 3)
    aside = AsideProcess(logs_and_warns, Path(tempfile.mkdtemp()) / "aside")
    aside.result()
    p("datasets", 3, 3)
"""


def test_the_bulk_loads_other_process_logs_above_the_bar() -> None:
    """``medtwin load``'s LINCS parse runs in another process (``store.bulk_aside.AsideProcess``).
    Before, that process logged to the terminal itself: its records were appended to the bar's
    line (``datasets ━━━╸━ 1/3 … -:--:--WARNING medtwin.loaders…``)."""
    env = {**os.environ, "PYTHONWARNINGS": "default", "COLUMNS": "100"}
    argv = [sys.executable, "-c", textwrap.dedent(ASIDE_CHILD)]
    code, written = run_on_a_terminal(argv, env, 300)
    assert code == 0, written
    lines = screen(written)  # the bar, ended, is erased: only the lines written above it stay
    said = "WARNING medtwin.loaders.aside: z.tsv: kept 3 z; dropped 2 empty cells"
    assert lines[0] == said, lines
    assert lines[1].startswith("WARNING py.warnings: "), lines
    assert lines[1].endswith("UserWarning: an aside warning"), lines
    assert lines[2:] == ['  warnings.warn("an aside warning", UserWarning, stacklevel=1)'], lines
