"""Options out of their range are usage errors before any work (each was accepted before: `patient
similar --limit 0` said the neighbours were deleted, `--limit -1` reached Neo4j as a LIMIT error,
`twin diseases --top -1` printed every disease, `twin regulators --q 2` listed every TF, `twin show
--version 0` said the patient had no twin, `demo --top -1` and `cohort summary --drugs -1` cut
their lists from the end)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.errors import InputError
from medtwin.platform.similar_patients import similar_patients
from medtwin.store.memory import MemoryStore


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["patient", "similar", "P1", "--limit", "0"],
            "'--limit': 0 is not in the range 1<=x<=1000",
        ),
        (["patient", "similar", "P1", "--limit", "-1"], "'--limit': -1 is not in the range"),
        (["twin", "diseases", "P1", "--top", "-1"], "'--top': -1 is not in the range x>=0"),
        (["twin", "regulators", "P1", "--q", "2"], "'--q': 2.0 is not in the range 0<x<=1"),
        # version 0 read as "the latest" and said "patient P1 has no twin"
        (["twin", "show", "P1", "--version", "0"], "'--version': 0 is not in the range x>=1"),
        (["twin", "regulators", "P1", "--version", "0"], "'--version': 0 is not in the range"),
        (["twin", "diseases", "P1", "--version", "-2"], "'--version': -2 is not in the range"),
        (["twin", "diff", "P1", "--from", "0", "--to", "1"], "'--from': 0 is not in the range"),
        (["cohort", "summary", "--drugs", "-1"], "'--drugs': -1 is not in the range x>=1"),
        (["demo", "--top", "-1"], "'--top': -1 is not in the range x>=1"),
        (["twin", "trajectory", "P1", "--top-drugs", "0"], "'--top-drugs': 0 is not in the range"),
    ],
)
def test_out_of_range_is_a_usage_error(args: list[str], said: str) -> None:
    got = CliRunner().invoke(cli, args)
    assert got.exit_code == 2
    assert said in got.output


@pytest.mark.parametrize("limit", [0, -1, 1001])
def test_the_use_case_checks_the_limit_too(limit: int) -> None:
    with pytest.raises(InputError, match=f"limit must be between 1 and 1000, got {limit}"):
        similar_patients(MemoryStore(), "P1", limit=limit)
