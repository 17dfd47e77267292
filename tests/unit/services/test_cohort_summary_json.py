"""``cohort_summary`` counts by hand; ``summary_json`` equals pydantic's ``model_dump``."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from medtwin.api.routers.cohorts import render_summary
from medtwin.cli.json_text import dumps_indented
from medtwin.domain import RANKING_RULES, TWIN_RULES
from medtwin.errors import InputError
from medtwin.platform.cohort_summary import CohortSummary, cohort_summary, summary_json


def _row(rank: int, drug: str, q: float | None, direction: float | None) -> dict[str, Any]:
    return {
        "rank": rank,
        "drug_id": drug,
        "drug_name": f"name {drug}",
        "q": q,
        "direction": direction,
    }


LISTS = [  # what the store returns (JSON-ready rows), deliberately not by patient id
    {
        "patient_id": "P2",
        "twin_id": "P2@v1",
        "ranking_id": "r2",
        "targets": None,
        "rules": RANKING_RULES - 1,  # by an earlier medtwin
        "drugs": [_row(1, "D2", 0.2, -1.0), _row(2, "D1", 0.01, None)],
    },
    {
        "patient_id": "P1",
        "twin_id": "P1@v1",
        "ranking_id": "r1",
        "targets": "t.tsv",
        "rules": RANKING_RULES,
        "drugs": [_row(1, "D1", 0.001, 1.0), _row(2, "D3", None, 0.5), _row(3, "D2", 0.04, 2.0)],
    },
]


class _Cohorts:
    def load_states(self, cohort: str) -> list[dict[str, Any]]:
        return []  # added before add-cohort runs were recorded

    def top_lists(self, ids: list[str], top: int) -> list[dict[str, Any]]:
        return [x | {"drugs": [r for r in x["drugs"] if r["rank"] <= top]} for x in LISTS]


def _latest_twin_inputs(ids: list[str]) -> list[dict[str, Any]]:
    """P1's twin was built before its second input; P2's from its inputs now; P3 has no twin."""
    a = {"id": "a", "sha256": "1", "name": "a.tsv"}
    b = {"id": "b", "sha256": "2", "name": "b.tsv"}
    built_from_a = json.dumps({"a": "1"})
    return [
        {
            "id": "P1",
            "version": 1,
            "rules": TWIN_RULES,
            "input_checksums_json": built_from_a,
            "inputs": [a, b],
        },
        {
            "id": "P2",
            "version": 2,
            "rules": TWIN_RULES,
            "input_checksums_json": built_from_a,
            "inputs": [a],
        },
    ]


STORE: Any = SimpleNamespace(
    cohorts=_Cohorts(),
    twins=SimpleNamespace(
        patient_metadata=lambda: [{"id": p} for p in ("P1", "P2", "P3")],
        latest_twin_inputs=_latest_twin_inputs,
    ),
)


def test_counts_by_hand() -> None:
    got = cohort_summary(STORE, ["P1", "P2", "P3"], top_drugs=3, cohort="c")
    assert (got.patients, got.ranked, got.cohort, got.top_drugs) == (3, 2, "c", 3)
    rows = [(d.drug_id, d.top_k, d.significant, d.counteracting, d.best_rank) for d in got.drugs]
    # D1: 2 patients, both q < 0.05, one direction > 0, best rank 1; D2: 2, one q < 0.05
    # (0.04), one counteracting (2.0), best 1; D3: 1, q None, counteracting, rank 2
    assert rows == [("D1", 2, 2, 1, 1), ("D2", 2, 1, 1, 1), ("D3", 1, 0, 1, 2)]


def test_patients_whose_twins_predate_their_inputs_are_counted_with_the_refresh() -> None:
    """Before, the summary listed P1's ranking of an old twin and said nothing of it."""
    got = cohort_summary(STORE, ["P1", "P2", "P3"], top_drugs=3, cohort="RA 2")
    assert got.stale_twins == 1
    assert got.stale_note == (
        "the twin of 1 of 3 patients predates the patient's inputs (P1); call "
        '`cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="RA 2"))`'
    )
    body = summary_json(got)
    assert (body["stale_twins"], body["stale_note"]) == (1, got.stale_note)
    assert body["completeness_note"] == got.completeness_note
    assert (got.completeness_note or "").startswith("completeness of cohort 'RA 2' not recorded")
    assert all(type(v) is int for d in got.drugs for v in (d.significant, d.counteracting))
    assert [p.patient_id for p in got.per_patient] == ["P1", "P2"]  # by patient id


def test_patients_ranked_under_older_ranking_rules_are_counted_with_the_refresh() -> None:
    """Before, P2's ranking by an earlier medtwin was counted in with no word of it."""
    got = cohort_summary(STORE, ["P1", "P2", "P3"], top_drugs=3, cohort="RA 2")
    assert (got.older_rankings, got.older_twins) == (1, 0)
    assert got.rankings_note == (
        f"the ranking of 1 of 3 patients was made under older ranking rules (P2; now "
        f"{RANKING_RULES}); call "
        '`cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="RA 2"))`'
    )
    body = summary_json(got)
    assert (body["older_rankings"], body["rankings_note"]) == (1, got.rankings_note)


@pytest.mark.parametrize("top", [1, 2, 3])
def test_summary_json_is_model_dump(top: int) -> None:
    got = cohort_summary(STORE, ["P1", "P2"], top_drugs=top, cohort=None)
    plain = summary_json(got)
    assert plain == got.model_dump(mode="json")
    # the text the CLI prints is the text json.dumps wrote for model_dump
    want = json.dumps(got.model_dump(mode="json"), indent=2, sort_keys=True, default=str)
    assert dumps_indented(plain) == want


def test_top_must_be_positive() -> None:
    with pytest.raises(InputError, match="top_drugs must be >= 1, got 0"):
        cohort_summary(STORE, ["P1"], top_drugs=0)
    with pytest.raises(InputError, match="top must be >= 1, got 0"):
        cohort_summary(STORE, ["P1"], top=0)


def test_to_frame_gives_the_drug_counts_as_a_dataframe() -> None:
    # before: no to_frame(); a notebook built the frame from model_dump() by hand
    got = cohort_summary(STORE, ["P1", "P2", "P3"], top_drugs=3, cohort="c").to_frame()
    assert list(got.columns[:3]) == ["drug_id", "drug_name", "top_k"]
    assert got[["drug_id", "top_k", "best_rank"]].to_dict("records") == [
        {"drug_id": "D1", "top_k": 2, "best_rank": 1},
        {"drug_id": "D2", "top_k": 2, "best_rank": 1},
        {"drug_id": "D3", "top_k": 1, "best_rank": 2},
    ]


def test_top_drugs_is_the_k_and_top_its_deprecated_alias() -> None:
    """The CLI's --top-drugs and the API's top_drugs moved at stop 56; the Python call kept
    ``top=`` as the k and the result only ``top``. Now ``top_drugs=`` is the keyword and the
    result's field; ``top`` still works, with a DeprecationWarning, for one release."""
    got = cohort_summary(STORE, ["P1", "P2"], top_drugs=2)
    assert (got.top_drugs, len(got.per_patient[0].drugs)) == (2, 2)
    with pytest.warns(
        DeprecationWarning, match=r"cohort_summary\(top=\.\.\.\) is the old name"
    ) as w:
        old = cohort_summary(STORE, ["P1", "P2"], top=2)
    assert w[0].filename == __file__  # the caller's line, not the audit wrapper's
    assert old == got
    assert cohort_summary(STORE, ["P1", "P2"]).top_drugs == 20
    with pytest.warns(DeprecationWarning, match="old name of top_drugs="):
        assert cohort_summary(STORE, ["P1"], top_drugs=2, top=2).top_drugs == 2
    with pytest.raises(InputError, match="top_drugs 3 and its old name top 2 differ"):
        cohort_summary(STORE, ["P1"], top_drugs=3, top=2)


def test_the_result_says_top_drugs_and_top_for_one_release() -> None:
    got = cohort_summary(STORE, ["P1", "P2"], top_drugs=2)
    body = summary_json(got)
    assert (body["top_drugs"], body["top"]) == (2, 2)
    assert json.loads(render_summary(got))["top_drugs"] == 2  # the API's body
    with pytest.warns(DeprecationWarning, match="old name of `top_drugs`"):
        assert got.top == 2
    schema = CohortSummary.model_json_schema(mode="serialization")["properties"]
    assert schema["top"]["deprecated"] is True
    assert "deprecated" not in schema["top_drugs"]
