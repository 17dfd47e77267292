"""Every column of `medtwin rank`'s table that is not a plain word is explained under it.

Before stop 45, ``cover`` (and ``deg#``) had no line in the legend.
"""

from __future__ import annotations

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
    for column in ("d_c", "z", "q", "cover", "deg#"):
        assert f" {column} " in out[header]
    for explained in ("cover = share of the twin's PageRank", "deg# = rank by the targets'",
                      "d_c, z, q = proximity"):  # fmt: skip
        assert explained in legend
