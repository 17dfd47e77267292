"""The cohort CLI's static choices match their registries; rank and cohort run share options."""

from __future__ import annotations

import click
import click.testing
import pytest

from medtwin.cli import cli
from medtwin.cli import cohort as cohort_cli
from medtwin.cli.treatment import RankingMethod, params_from_options
from medtwin.platform import stratify, stratify_features
from medtwin.platform.rank_params import rank_params
from medtwin.platform.ranking import REGISTRY


def test_static_choices_match_the_registries():
    assert stratify.METHODS == cohort_cli.SIMILARITY
    assert stratify.GENE_SETS == cohort_cli.GENE_SETS
    assert stratify_features.FEATURES == cohort_cli.FEATURES


def test_ranking_methods_are_checked_against_the_registry():
    for name in REGISTRY:
        assert RankingMethod().convert(name, None, None) == name
    valid = "valid: activity_reversal, centrality, degree, direction"
    with pytest.raises(click.BadParameter, match=valid):
        RankingMethod().convert("magic", None, None)


@pytest.mark.parametrize("command", [["rank"], ["cohort", "run"]])
def test_rank_and_cohort_run_take_the_same_ranking_options(command):
    result = click.testing.CliRunner().invoke(cli, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in (
        "--method",
        "--order",
        "--tier",
        "--targets",
        "--samples",
        "--max-samples",
        "--seed",
        "--approved-only",
    ):
        assert option in result.output, option


def test_options_build_the_params_the_builder_builds():
    got = params_from_options(
        methods=("direction",),
        order=(),
        tier="none",
        targets="drugbank",
        samples=200,
        max_samples=100,
        seed=3,
        approved_only=True,
    )
    assert got == rank_params(
        methods=("direction",),
        tier="none",
        targets="drugbank",
        n_samples=200,
        max_samples=100,
        seed=3,
        approved_only=True,
    )
    assert (got.order, got.max_samples) == (("direction",), 200)  # max_samples raised to n
    with pytest.raises(click.BadParameter, match="unknown target source"):
        params_from_options(
            methods=(),
            order=(),
            tier="approved",
            targets="nosuch",
            samples=100,
            max_samples=1000,
            seed=0,
            approved_only=False,
        )
