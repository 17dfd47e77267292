"""Every direction cell of the report's drug table uses a word its legend defines.

A drug with no target that has both a known action and a change showed a bare "–", which the
legend above the table (counteracts, aggravates, mixed, unknown, not computed) does not name;
the CLI, API and viewer say "unknown" (``direction_word``).
"""

from __future__ import annotations

import math

import pytest

from medtwin.platform import report


@pytest.mark.parametrize(
    ("value", "computed", "cell"),
    [
        (None, True, "unknown"),
        (math.nan, True, "unknown"),
        (0.5, True, "+0.50 (counteracts)"),
        (-1.0, True, "-1.00 (aggravates)"),
        (0.0, True, "+0.00 (mixed)"),
        (None, False, "not computed (add --method direction)"),
    ],
)
def test_the_cell_is_a_word_of_the_legend(value, computed, cell):
    got = report._direction(value, computed=computed)
    assert got == cell
    word = got.split("(")[-1].rstrip(")") if got[0] in "+-" else got.split(" (")[0]
    assert f"<em>{word}</em>" in report._DIRECTION_LEGEND
