"""Every column of `medtwin rank`'s table that is not a plain word is explained under it.

Before stop 45, ``cover`` (and ``deg#``) had no line in the legend.
"""

from __future__ import annotations

from typing import Any

import click
from click.testing import CliRunner

from tests.unit.ranking.test_safe_exports import _ranking


def test_legend_explains_the_table_s_abbreviations():
    from medtwin.cli.treatment import print_ranking

    @click.command()
    def show() -> None:
        print_ranking(_ranking(), 0)

    out = CliRunner().invoke(show).output.splitlines()
    header = next(i for i, line in enumerate(out) if line.lstrip().startswith("rank"))
    legend = " ".join(out[header + 1 :])
    for column in ("d_c", "z", "q", "cover", "act_rev", "deg#"):
        assert f" {column} " in out[header]
    for explained in ("cover = share of the twin's PageRank", "deg# = rank by the targets'",
                      "d_c, z, q = proximity", "act_rev = activity_reversal"):  # fmt: skip
        assert explained in legend


def _printed(ranking: Any) -> tuple[list[str], str, list[str]]:
    """``rank``'s table of ``ranking``'s first 2 drugs: its lines, the header line, the rows."""
    from medtwin.cli.treatment import print_ranking

    @click.command()
    def show() -> None:
        print_ranking(ranking, 2)

    out = CliRunner().invoke(show).output.splitlines()
    header = next(line for line in out if line.lstrip().startswith("rank"))
    return out, header, [line for line in out if line.lstrip()[:1].isdigit()]


def test_the_table_shows_activity_reversal_and_a_dash_when_it_was_not_run():
    # stop 55: its value was only in the "placed by" line
    ranking = _ranking()
    first, *rest = ranking.drugs
    scored = ranking.model_copy(
        update={"drugs": (first.model_copy(update={"activity_reversal": 0.28}), *rest)}
    )

    out, header, rows = _printed(scored)
    at = header.index("act_rev") + len("act_rev")  # right-aligned under its header
    assert rows[0][at - 5 : at] == "+0.28"
    assert rows[1][at - 1 : at] == "—"
    assert "act_rev = activity_reversal" in " ".join(out)


def test_act_rev_stays_under_its_header_when_direction_was_not_run():
    """Round 4 of the resilience sweeps: ``rank P --method activity_reversal --order
    activity_reversal`` (no ``direction``) wrote each row's direction cell as ``— not computed
    (add --method direction)``, 39 characters in a 17-wide column, so act_rev and deg# stood 22
    characters right of their headers on every row. The cell says ``not computed``; the fix is
    said once under the table."""
    ranking = _ranking()
    first, *rest = ranking.drugs
    unrun = ranking.model_copy(
        update={
            "drugs": tuple(
                d.model_copy(update={"direction_computed": False, "activity_reversal": 0.55})
                for d in (first, *rest)
            )
        }
    )

    out, header, rows = _printed(unrun)
    at = header.index("act_rev") + len("act_rev")
    assert [row[at - 5 : at] for row in rows] == ["+0.55", "+0.55"]
    deg = header.index("deg#") + len("deg#")
    assert all(row[deg - 1 : deg] == "—" for row in rows)
    assert all("not computed" in row and "--method" not in row for row in rows)
    assert "direction not computed: the ranking did not run it (add --method direction)" in out
