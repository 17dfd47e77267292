"""``cohort summary`` names the patients it counts nothing for: those without a ranking.

Walking api.md after `medtwin demo`, `GET /v1/cohorts/omics_ra_pbmc_gse15573/summary` counted
the drugs of 1 of the cohort's 18 patients (the demo ranks one showcase patient per cohort),
with every note null: nothing said that 17 patients were left out or how to rank them.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import cohort as cohort_cli
from medtwin.platform import cohort_summary, patients, rankings, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile, reference_store

FAST_TWIN = TwinParams(module_samples=20, min_seeds=2)
FAST = RankParams(n_samples=20, methods=("proximity",))


@pytest.fixture
def cohort(tmp_path: Path) -> MemoryStore:
    """P1 ranked; P2 with a twin and no ranking; P3 with neither."""
    reference_context().clear()
    store = reference_store()
    for pid in ("P1", "P2", "P3"):
        patients.add_patient(store, profile(pid, input_checksums={f"{pid}.tsv": "0" * 64}))
    for pid in ("P1", "P2"):
        twins.build_twin(store, pid, FAST_TWIN, ctx=ReferenceContext())
    rankings.rank_drugs(store, "P1", FAST, cache_dir=tmp_path)
    return store


def test_the_summary_names_the_patients_without_a_ranking(cohort: MemoryStore) -> None:
    got = cohort_summary.cohort_summary(cohort, ["P1", "P2", "P3"], top_drugs=5, cohort="toy")
    assert (got.patients, got.ranked) == (3, 1)
    run = '`cohort.run_cohort(store, None, cohort.cohort_patients(store, cohort="toy"))`'
    assert got.unranked_note == (
        f"2 of 3 patients have no ranking, so their drugs are not counted (P2, P3); call {run}"
    )
    assert cohort_summary.summary_json(got)["unranked_note"] == got.unranked_note


def test_a_fully_ranked_selection_says_nothing(cohort: MemoryStore) -> None:
    got = cohort_summary.cohort_summary(cohort, ["P1"], top_drugs=5)
    assert got.unranked_note is None


def test_the_cli_prints_the_note_and_its_json_carries_it(
    cohort: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cohort_cli, "open_store", lambda **_: contextlib.nullcontext(cohort))
    table = CliRunner().invoke(cli, ["cohort", "summary", "--cohort", "toy"])
    assert table.exit_code == 0, table.output
    assert (
        "NOTE 2 of 3 patients have no ranking, so their drugs are not counted (P2, P3); run "
        "`medtwin cohort run --cohort toy`"
    ) in table.stdout.splitlines()
    as_json = CliRunner().invoke(cli, ["cohort", "summary", "--cohort", "toy", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["unranked_note"].endswith(
        "run `medtwin cohort run --cohort toy`"
    )


def test_the_api_says_it_in_routes(cohort: MemoryStore) -> None:
    from medtwin.api import create_app
    from medtwin.api.deps import get_store
    from medtwin.settings import Settings
    from tests.api.conftest import READ, TestClient, api_settings

    app = create_app(api_settings(Settings()), store_opener=lambda _: cohort)
    app.dependency_overrides[get_store] = lambda: cohort
    with TestClient(app) as c:
        r = c.get("/v1/cohorts/toy/summary", headers=READ)
    assert r.status_code == 200, r.text
    assert r.json()["unranked_note"] == (
        "2 of 3 patients have no ranking, so their drugs are not counted (P2, P3); call "
        "POST /v1/patients/{id}/twins, then POST /v1/patients/{id}/rankings for each of them"
    )
