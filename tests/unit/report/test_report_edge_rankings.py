"""The report of a ranking with no drug, one drug, or only NaN scores reads as such."""

from __future__ import annotations

import re

import pytest

from medtwin.platform.first_screen import evidence_words
from medtwin.platform.models import RankingResult, RankParams
from medtwin.platform.report import render_report

NAN = float("nan")


def _cells(page: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", page)


def test_nan_scores_are_shown_as_missing(twin_detail, ranking, explanations, twin_graph):
    nan_scores = {"d_c": NAN, "z": NAN, "p": NAN, "q": NAN, "direction": NAN, "combined": NAN}
    drugs = tuple(d.model_copy(update=nan_scores) for d in ranking.drugs)
    page = render_report(
        twin_detail, ranking.model_copy(update={"drugs": drugs}), explanations, twin_graph
    )
    # before: "nan", "+nan", "+nan (unknown)" and "proximity z nan (q nan, not significant)"
    assert not [c for c in _cells(page) if re.search(r"\bnan\b", c, re.I)]
    assert "proximity: no score" in page


def test_evidence_words_treat_nan_as_no_score(ranking):
    params = RankParams(methods=("proximity", "target_expression"))
    drug = ranking.drugs[0].model_copy(update={"z": -2.0, "q": NAN, "target_expression": NAN})
    assert evidence_words(drug, params) == (
        "proximity z -2.00 (not significant); target_expression: no score"
    )


def test_a_ranking_with_no_drug_is_not_called_missing(
    twin_detail, ranking, explanations, twin_graph
):
    empty: RankingResult = ranking.model_copy(update={"drugs": (), "n_drugs": 0, "total": 0})
    page = render_report(twin_detail, empty, [], twin_graph)
    # before: "No ranking yet: run medtwin rank" under a ranking that exists
    assert "No ranking yet" not in page
    assert "The latest ranking (P1@v1/r, targets drugbank_dhimmel) lists no drug." in page


@pytest.mark.parametrize("n", [1, 2])
def test_one_or_two_drugs_are_listed(twin_detail, ranking, explanations, twin_graph, n):
    few = ranking.model_copy(update={"drugs": ranking.drugs[:n], "total": n})
    page = render_report(twin_detail, few, explanations, twin_graph)
    assert f"showing {n}.</p>" in page
    assert page.count("<td>DB0000") == n
