"""The API and ``medtwin … --json`` give the same data: same keys, same values (memory store).

One pair per view a scientist reads both ways: patient show, twin show, twin regulators, the
latest ranking (``rank`` reusing the stored one / ``GET …/rankings/latest``), explain and the
cohort summary. The CLI's commands open this test's store instead of Neo4j; the API serves it.
Only what is measured per call differs (a regulator read's ``seconds``), and the commands a
note names, which each surface words as its own next step (``run `medtwin twin regulators P1 --by
cell-type` `` is ``call GET …/regulators?by=cell_type`` to an API client): the CLI's notes are
compared in the API's words.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import cohort as cohort_cli
from medtwin.cli import interfaces as interfaces_cli
from medtwin.cli import patients as patients_cli
from medtwin.cli import treatment as treatment_cli
from medtwin.cli import twins as twins_cli
from medtwin.command_lines import in_callers_words
from medtwin.loaders.patient_rows import ActivityStats
from medtwin.platform import patients, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import TwinParams
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE
from tests.unit.services.conftest import profile

PER_CALL = {"seconds"}
# TF "2" of the ring's genes (ULM needs >= 5 measured targets), each measured in the DE vector
REGULON = {"1": 1.0, "3": 1.0, "4": 1.0, "5": 1.0, "6": -1.0, "7": -1.0, "8": -1.0}
ACTIVITY = ActivityStats(
    statistic="de evidence", stats={g: 3.0 * m for g, m in REGULON.items()} | {"2": 0.5}
)  # how long the read took, not what it read


@pytest.fixture
def cli_store(store: MemoryStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> MemoryStore:
    """``store`` with patient P1 (cohort toy), its twin and a ranking made by ``medtwin rank``;
    the CLI's commands open it."""

    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield store

    for module in (patients_cli, twins_cli, treatment_cli, cohort_cli, interfaces_cli):
        monkeypatch.setattr(module, "open_store", memory)
    monkeypatch.setenv("MEDTWIN_CACHE_DIR", str(tmp_path))
    store.add_regulator_layers({"2": REGULON}, {})
    reference_context().clear()
    patients.add_patient(store, profile("P1", activity_stats=(ACTIVITY,)))
    fast = TwinParams(module_samples=20, min_seeds=2)
    twins.build_twin(store, "P1", fast, ctx=ReferenceContext())
    _cli("rank", "P1", "--samples", "20", "--top", "0")
    return store


def _cli(*args: str) -> Any:
    r = CliRunner().invoke(cli, [*args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _api(client: Any, path: str) -> Any:
    r = client.get(path, headers=READ)
    assert r.status_code == 200, r.text
    return r.json()


def _without(value: Any, keys: set[str]) -> Any:
    """``value`` without ``keys`` at any depth, its texts in the API's words."""
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    if isinstance(value, str):
        return in_callers_words(value, "api")
    return value


@pytest.mark.parametrize(
    ("command", "path"),
    [
        (("patient", "show", "P1"), "/v1/patients/P1"),
        (("twin", "show", "P1"), "/v1/patients/P1/twins/latest"),
        (("twin", "show", "P1", "--version", "1"), "/v1/patients/P1/twins/1"),
        (("twin", "regulators", "P1"), "/v1/patients/P1/twins/latest/regulators"),
        (("explain", "P1", "DB1"), "/v1/patients/P1/drugs/DB1/explanation"),
        (
            ("cohort", "summary", "--cohort", "toy"),
            "/v1/cohorts/toy/summary",
        ),
    ],
    ids=["patient show", "twin show", "twin show version", "regulators", "explain", "cohort"],
)
def test_the_api_and_the_cli_json_give_the_same_data(cli_store, client, command, path):
    assert _without(_api(client, path), PER_CALL) == _without(_cli(*command), PER_CALL)


def test_the_views_compared_are_not_empty(cli_store, client):
    regulators = _api(client, "/v1/patients/P1/twins/latest/regulators")
    assert [r["symbol"] for r in regulators["regulators"]] == ["G2"]
    cohort = _api(client, "/v1/cohorts/toy/summary")
    assert [p["patient_id"] for p in cohort["per_patient"]] == ["P1"]
    assert _api(client, "/v1/patients/P1/drugs/DB1/explanation")["score"]["drug_id"] == "DB1"


def test_the_latest_ranking_is_the_one_rank_json_gave(cli_store, client):
    # `rank P1` again reuses the stored ranking (same options): what the CLI prints is what the
    # API pages; `rank --json` also says what a targets file's reader said (`warnings`), which a
    # stored ranking read back has no file to say
    (ranked,) = _cli("rank", "P1", "--samples", "20", "--top", "0")
    page = _api(client, "/v1/patients/P1/rankings/latest?limit=500")
    assert ranked.pop("warnings") == []
    assert page == ranked
    assert page["total"] == len(page["drugs"]) >= 1


def test_a_ranking_made_through_the_api_has_the_fields_rank_json_prints(cli_store, client):
    # before: POST /rankings answered a RankingResult, without the `warnings` that `rank --json`
    # prints (and the use case returns); the values differ per ranking (id, time), the keys not
    (ranked,) = _cli("rank", "P1", "--samples", "20", "--top", "0", "--rerank")
    r = client.post("/v1/patients/P1/rankings", headers=WRITE, json={"n_samples": 20})
    assert r.status_code == 201, r.text
    made = r.json()
    assert sorted(made) == sorted(ranked)
    assert made["warnings"] == ranked["warnings"] == []


def test_the_report_downloads_under_the_name_the_cli_writes(cli_store, client, tmp_path):
    # before: no Content-Disposition, so `curl -OJ` saved the page as "report"
    r = client.get("/v1/patients/P1/report", headers=READ)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"] == 'inline; filename="P1.html"'
    written = CliRunner().invoke(cli, ["report", "P1", "--out-dir", str(tmp_path), "--json"])
    assert Path(json.loads(written.stdout)["path"]).name == "P1.html"


def test_a_ranking_page_gives_its_total_in_x_total_count_as_the_patient_list(cli_store, client):
    # before: only the body's `total`; GET /v1/patients gives it in the header (a list body)
    r = client.get("/v1/patients/P1/rankings/latest?offset=0&limit=1", headers=READ)
    assert r.status_code == 200, r.text
    assert r.headers["X-Total-Count"] == str(r.json()["total"])
    patients_page = client.get("/v1/patients?limit=1", headers=READ)
    assert patients_page.headers["X-Total-Count"] == "1"
