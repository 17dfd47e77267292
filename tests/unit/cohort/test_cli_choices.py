"""The cohort CLI's static choices match the registries they stand for."""

from __future__ import annotations

from medtwin.cli import cohort as cohort_cli
from medtwin.platform import stratify
from medtwin.platform.ranking import REGISTRY


def test_static_choices_match_the_registries():
    assert tuple(sorted(REGISTRY)) == cohort_cli.RANK_METHODS
    assert stratify.METHODS == cohort_cli.SIMILARITY
    assert stratify.GENE_SETS == cohort_cli.GENE_SETS
