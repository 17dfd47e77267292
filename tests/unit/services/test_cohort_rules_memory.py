"""``cohort summary`` counts the patients whose twin or ranking is of older rules (memory store).

Before, a ranking made under older ranking rules (``RANKING_RULES``, by an earlier medtwin) was
summed into the cohort's drug counts without a word: only twins of older twin rules were named
(in ``stale_note``). Rankings and twins of older rules are made here by the code itself, with
the rules version it writes lowered, as an earlier medtwin wrote them.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import cohort as cohort_cli
from medtwin.domain import RANKING_RULES, TWIN_RULES
from medtwin.platform import cohort_summary, patients, rankings, treatment, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store import twin_rows
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile, reference_store

FAST_TWIN = TwinParams(module_samples=20, min_seeds=2)
FAST = RankParams(n_samples=20, methods=("proximity",))


@pytest.fixture
def cohort(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> MemoryStore:
    """P1 current; P2 ranked under older ranking rules; P3's twin (and ranking) of older rules."""
    reference_context().clear()
    store = reference_store()
    for pid in ("P1", "P2", "P3"):
        patients.add_patient(store, profile(pid, input_checksums={f"{pid}.tsv": "0" * 64}))
    for pid, twin_rules, ranking_rules in (
        ("P1", TWIN_RULES, RANKING_RULES),
        ("P2", TWIN_RULES, RANKING_RULES - 1),
        ("P3", TWIN_RULES - 1, RANKING_RULES - 1),
    ):
        with monkeypatch.context() as m:
            m.setattr(twin_rows, "TWIN_RULES", twin_rules)
            m.setattr(treatment, "RANKING_RULES", ranking_rules)
            twins.build_twin(store, pid, FAST_TWIN, ctx=ReferenceContext())
            rankings.rank_drugs(store, pid, FAST, cache_dir=tmp_path)
    return store


def test_the_summary_counts_and_names_older_rankings(cohort: MemoryStore) -> None:
    got = cohort_summary.cohort_summary(cohort, ["P1", "P2", "P3"], top_drugs=5, cohort="toy")
    assert got.ranked == 3
    assert (got.older_twins, got.stale_twins, got.older_rankings) == (1, 1, 2)
    run = '`cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="toy"))`'
    assert got.stale_note == (
        f"the twin of 1 of 3 patients was made under older twin rules (P3); call {run}"
    )
    assert got.rankings_note == (
        f"the rankings of 2 of 3 patients were made under older ranking rules (P2, P3; now "
        f"{RANKING_RULES}); call {run}"
    )
    as_json = cohort_summary.summary_json(got)
    assert as_json == got.model_dump(mode="json")
    assert (as_json["older_rankings"], as_json["rankings_note"]) == (2, got.rankings_note)
    # the same drugs counted as before: the note is added, nothing is left out
    assert sum(d.top_k for d in got.drugs) == sum(len(p.drugs) for p in got.per_patient)


def test_a_current_cohort_says_nothing(cohort: MemoryStore) -> None:
    got = cohort_summary.cohort_summary(cohort, ["P1"], top_drugs=5)
    assert (got.older_twins, got.older_rankings, got.rankings_note) == (0, 0, None)


def test_cohort_summary_cli_table_and_json(
    cohort: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cohort_cli, "open_store", lambda **_: contextlib.nullcontext(cohort))
    table = CliRunner().invoke(cli, ["cohort", "summary", "--cohort", "toy"])
    assert table.exit_code == 0, table.output
    notes = [line for line in table.stdout.splitlines() if line.startswith("NOTE ")]
    assert notes[:2] == [
        "NOTE the twin of 1 of 3 patients was made under older twin rules (P3); run "
        "`medtwin cohort run --cohort toy`",
        f"NOTE the rankings of 2 of 3 patients were made under older ranking rules (P2, P3; now "
        f"{RANKING_RULES}); run `medtwin cohort run --cohort toy`",
    ]
    assert notes[2].startswith("NOTE completeness of cohort 'toy' not recorded")  # as before
    as_json = CliRunner().invoke(cli, ["cohort", "summary", "--cohort", "toy", "--json"])
    assert as_json.exit_code == 0, as_json.output
    got = json.loads(as_json.stdout)
    assert (got["older_twins"], got["older_rankings"]) == (1, 2)
    assert got["rankings_note"].endswith("run `medtwin cohort run --cohort toy`")


def test_the_api_summary_says_it_too(cohort: MemoryStore) -> None:
    from medtwin.api import create_app
    from medtwin.api.deps import get_store
    from medtwin.settings import Settings
    from tests.api.conftest import READ, TestClient, api_settings

    app = create_app(api_settings(Settings()), store_opener=lambda _: cohort)
    app.dependency_overrides[get_store] = lambda: cohort
    with TestClient(app) as c:
        r = c.get("/v1/cohorts/toy/summary", params={"limit": 1}, headers=READ)
        schema = c.get("/openapi.json").json()["components"]["schemas"]["CohortSummary"]
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["older_twins"], body["older_rankings"]) == (1, 2)  # over all, not the page
    assert body["rankings_note"] == (  # the API's words: it runs no cohort (was the command)
        f"the rankings of 2 of 3 patients were made under older ranking rules (P2, P3; now "
        f"{RANKING_RULES}); call POST /v1/patients/{{id}}/rankings for each of them"
    )
    assert "older ranking rules" in schema["properties"]["older_rankings"]["description"]
