"""StepProgress: bars on a terminal, one line per step otherwise, nothing when quiet."""

from __future__ import annotations

import io
import re

from medtwin.cli.progress import StepProgress


def _lines(out: io.StringIO) -> list[str]:
    # drop the time stamp and the duration
    return [re.sub(r" \(\d+\.\d s\)$", "", x.split(" ", 2)[2]) for x in out.getvalue().splitlines()]


def test_without_a_terminal_rows_give_one_line_per_finished_step():
    out = io.StringIO()
    with StepProgress(stream=out, terminal=False) as p:
        for done in (100, 200, 250):
            p("ncbi_gene_info", done, 250)
        p("menche2015_interactome", 1_000, 141_296)
        p("menche2015_interactome", 141_296, 141_296)
    assert _lines(out) == [
        "ncbi_gene_info 250/250 rows",
        "menche2015_interactome 141,296/141,296 rows",
    ]


def test_without_a_terminal_items_give_one_line_each():
    out = io.StringIO()
    with StepProgress(stream=out, terminal=False, units={"twins": "twins"}) as p:
        report = p.callback("twins")
        for i in range(1, 4):
            report(i, 3)
        report(3, 3)  # a repeated report is not a new step
    assert _lines(out) == ["twins 1/3", "twins 2/3", "twins 3/3"]


def test_quiet_prints_nothing():
    out = io.StringIO()
    with StepProgress(stream=out, terminal=True, quiet=True) as p:
        p("twins", 1, 2)
        p.callback("rows")(5, 5)
    assert out.getvalue() == ""


def test_on_a_terminal_a_rich_bar_is_drawn():
    out = io.StringIO()
    with StepProgress(stream=out, terminal=True, units={"rankings": "rankings"}) as p:
        p("rankings", 1, 3)
        p("rankings", 3, 3)
    text = out.getvalue()
    assert "rankings" in text
    assert "3/3" in text
    assert "\x1b[" in text  # drawn with terminal control sequences, not as log lines
