"""Options out of their range are usage errors before any work (each was accepted before: `patient
similar --limit 0` said the neighbours were deleted, `--limit -1` reached Neo4j as a LIMIT error,
`twin diseases --top -1` printed every disease, `twin regulators --q 2` listed every TF, `twin show
--version 0` said the patient had no twin, `demo --top -1` and `cohort summary --drugs -1` cut
their lists from the end; `cohort stratify --labels L --seed -1` ended in numpy's ValueError and a
traceback, `cohort run --seed -1` started a Dask cluster to fail every patient, `rank --max-samples
0` was read as the default 100,000)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from medtwin.cli import cli
from medtwin.domain import TwinParams
from medtwin.errors import InputError
from medtwin.platform.models import RankParams
from medtwin.platform.similar_patients import similar_patients
from medtwin.random_seed import SEED_RULE
from medtwin.store.memory import MemoryStore

SEED_SAID = f"'--seed': {SEED_RULE}, got -1"  # the API's and Python's words


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["patient", "similar", "P1", "--top", "0"], "'--top': 0 is not in the range 1<=x<=1000"),
        # --limit, the old name of --top, is read as --top
        (["patient", "similar", "P1", "--limit", "-1"], "'--top': -1 is not in the range"),
        (["twin", "diseases", "P1", "--top", "-1"], "'--top': -1 is not in the range x>=0"),
        (["twin", "regulators", "P1", "--q", "2"], "'--q': 2.0 is not in the range 0<x<=1"),
        # version 0 read as "the latest" and said "patient P1 has no twin"
        # a twin version in the CLI's words (test_twin_version_limit)
        (["twin", "show", "P1", "--version", "0"], "'--version': '0' is below 1: a twin version"),
        (["twin", "regulators", "P1", "--version", "0"], "'--version': '0' is below 1"),
        (["twin", "diseases", "P1", "--version", "-2"], "'--version': '-2' is below 1"),
        (["twin", "diff", "P1", "--from", "0", "--to", "1"], "'--from': '0' is below 1"),
        (
            ["cohort", "summary", "--top", "-1", "--top-drugs", "1"],
            "'--top': -1 is not in the range",
        ),
        # --drugs, the old name of --top, is read as --top; --top alone as --top-drugs, its old name
        (["cohort", "summary", "--drugs", "-1"], "'--top': -1 is not in the range x>=1"),
        (["cohort", "summary", "--top", "0"], "'--top-drugs': 0 is not in the range x>=1"),
        (["demo", "--top", "-1"], "'--top': -1 is not in the range x>=1"),
        (["twin", "trajectory", "P1", "--top-drugs", "0"], "'--top-drugs': 0 is not in the range"),
        (["cohort", "stratify", "--seed", "-1"], SEED_SAID),
        (["cohort", "run", "--all", "--seed", "-1"], SEED_SAID),
        (["rank", "P1", "--seed", "-1"], SEED_SAID),
        (["rank", "P1", "--max-samples", "0"], "'--max-samples': 0 is not in the range 1<=x"),
        (["screen", "--seed", "-1"], SEED_SAID),
        (["screen", "--samples", "1"], "'--samples': 1 is not in the range 2<=x<=100000"),
        (["twin", "build", "P1", "--seed", "-1"], SEED_SAID),
        (["twin", "diseases", "P1", "--seed", "-1"], SEED_SAID),
        (["twin", "diseases", "P1", "--samples", "0"], "'--samples': 0 is not in the range 2<=x"),
        (["biomarkers", "P1", "--top", "-1"], "'--top': -1 is not in the range x>=0"),
        (["biomarkers", "P1", "--top-drugs", "0"], "'--top-drugs': 0 is not in the range x>=1"),
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


@pytest.mark.parametrize("model", [RankParams, TwinParams])
def test_the_parameter_models_refuse_a_negative_seed(model: type) -> None:
    """The Python API (e.g. ``run_cohort(rank_params=...)``) is refused before any work, too."""
    with pytest.raises(ValidationError, match=f"{re.escape(SEED_RULE)}, got -1"):
        model(seed=-1)
