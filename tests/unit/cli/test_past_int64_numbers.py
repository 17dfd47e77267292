"""A whole number past 2**63 - 1 given to an unbounded option is a usage error naming both.

Before (stop 60's CLI probe), ``rank P --top 99999999999999999999`` and ``biomarkers P
--top-drugs 99999999999999999999`` reached numpy or the driver and came back as ``InputError: a
number given is too large (Python int too large to convert to C long)``, naming neither the
option nor the value, after the database was opened; ``biomarkers --top`` said ``top must be
below 2**63`` (exit 1). Every command's unbounded integer options are found by walking the
click tree; a bounded one's range says it already (``is not in the range``).
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from tests.cli_tree import command_tree, leaf_options

PAST = str(2**64 + 7)


def _unbounded_int_options() -> list[tuple[tuple[str, ...], click.Option]]:
    return [
        (path, p)
        for path, p in leaf_options(click.types.IntParamType)
        if getattr(p.type, "max", None) is None
    ]


def _args(path: tuple[str, ...]) -> list[str]:
    named = any(p.name in ("patient_id", "patient_ids") for p in command_tree()[path].params)
    return [*path, *(["P1"] if named else [])]


def test_there_are_unbounded_int_options_to_check() -> None:
    names = {(" ".join(path), p.opts[0]) for path, p in _unbounded_int_options()}
    assert {("rank", "--top"), ("biomarkers", "--top-drugs"), ("biomarkers", "--top")} <= names


def test_each_unbounded_int_option_refuses_a_number_past_int64() -> None:
    for path, option in _unbounded_int_options():
        result = CliRunner().invoke(cli, [*_args(path), option.opts[0], PAST])
        assert result.exit_code == 2, (path, option.opts[0], result.output)
        # the option as read: `cohort summary --top` alone is its old name of --top-drugs,
        # told in a notice line above
        named = option.opts[0] if "notice: " not in result.output else "--top-drugs"
        line = f"invalid value for '{named}': {PAST} is past 2**63 - 1"
        assert line in result.output, result.output
        said = [x for x in result.output.splitlines() if not x.startswith("notice: ")]
        assert len(said) == 1, result.output


@pytest.mark.parametrize("word", [str(2**63 - 1), "abc"])
def test_the_largest_int64_and_non_numbers_are_left_to_click(word: str) -> None:
    """2**63 - 1 itself parses (what it does is the command's); ``abc`` is click's own words."""
    result = CliRunner().invoke(cli, ["rank", "P1", "--top", word, "--samples", "1"])
    assert result.exit_code == 2
    expected = "'--samples': 1 is not in the range" if word != "abc" else "'abc' is not a valid"
    assert expected in result.output, result.output
