"""`medtwin twin build` with out-of-range options: a usage error naming the option, no traceback
(before, pydantic's ValidationError escaped with a traceback)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from medtwin.cli import cli


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # click's range, naming the minimum (it was pydantic's "--max-seeds 0: Input should be
        # greater than or equal to 1", stop 60's CLI probe)
        (["--max-seeds", "0"], "'--max-seeds': 0 is not in the range x>=1"),
        (["--min-seeds", "0"], "'--min-seeds': 0 is not in the range x>=1"),
        (["--seed-fdr", "2"], "--seed-fdr 2.0: Input should be less than or equal to 1"),
        (["--module-samples", "-1"], "'--module-samples': -1 is not in the range 10<=x<=100000"),
        (["--expansion", "rwr", "--expand", "-3"], "-3 is not in the range 0<=x<=2000"),
        (["--expansion", "diamond", "--expand", "100000"], "100000 is not in the range 0<=x<=2000"),
    ],
)
def test_out_of_range_options_are_usage_errors(args: list[str], said: str) -> None:
    got = CliRunner().invoke(cli, ["twin", "build", "P1", *args])
    assert got.exit_code == 2  # click's usage error, before any database is opened
    assert said in got.output
    assert "Traceback" not in got.output
    assert got.exception is None or isinstance(got.exception, SystemExit)
