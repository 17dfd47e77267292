"""A stale twin's or ranking's note names the next step in the words of the caller's surface.

Before, ``stale_note`` said ``run `medtwin twin build PS` `` to everyone: the API client (who
calls routes) and the notebook user (who calls the use cases) were told a CLI command. Now the
CLI says the command, the API the route, Python the use case; the same stored twin each time.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from medtwin.cli import cli
from medtwin.cli import twins as twins_cli
from medtwin.domain import RANKING_RULES
from medtwin.platform import patients, rankings, twins
from medtwin.platform.context import ReferenceContext
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import CHANGES, profile
from tests.unit.services.test_rankings_memory import FAST, FAST_TWIN, _store

PREDATES = "twin v1 predates the patient's inputs: 1 input added since (p2_de.tsv); "


@pytest.fixture
def stale(tmp_path) -> MemoryStore:
    """PS: a twin, a ranking of it, then another input (the twin predates it)."""
    store = _store()
    patients.add_patient(store, profile("PS"))
    twins.build_twin(store, "PS", FAST_TWIN, ctx=ReferenceContext())
    rankings.rank_drugs(store, "PS", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    more = profile("PS", changes=CHANGES[:2], input_checksums={"p2_de.tsv": "1" * 64})
    patients.add_patient(store, more)
    return store


def _api(store: MemoryStore) -> contextlib.AbstractContextManager:
    from medtwin.api import create_app
    from medtwin.api.deps import get_store
    from medtwin.settings import Settings
    from tests.api.conftest import TestClient, api_settings

    app = create_app(api_settings(Settings()), store_opener=lambda _: store)
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


def test_python_is_told_the_use_case(stale):
    want = f'{PREDATES}call `twins.build_twin(store, "PS")`'
    assert twins.show_twin(stale, "PS").stale_note == want
    assert rankings.get_ranking(stale, "PS", ctx=ReferenceContext()).stale_note == want


def test_the_cli_is_told_the_command(stale, monkeypatch):
    @contextlib.contextmanager
    def memory(**_: object) -> Iterator[MemoryStore]:
        yield stale

    monkeypatch.setattr(twins_cli, "open_store", memory)
    want = f"{PREDATES}run `medtwin twin build PS`"
    text = CliRunner().invoke(cli, ["twin", "show", "PS"])
    assert text.exit_code == 0, text.output
    assert f"NOTE {want}\n" in text.stdout
    body = json.loads(CliRunner().invoke(cli, ["twin", "show", "PS", "--json"]).stdout)
    assert body["stale_note"] == want


def test_the_api_is_told_the_route(stale):
    from tests.api.conftest import READ

    want = f"{PREDATES}call POST /v1/patients/PS/twins"  # was: run `medtwin twin build PS`
    with _api(stale) as c:
        twin = c.get("/v1/patients/PS/twins/latest", headers=READ)
        ranking = c.get("/v1/patients/PS/rankings/latest", headers=READ)
        versions = c.get("/v1/patients/PS/twins", headers=READ)
    assert twin.status_code == ranking.status_code == versions.status_code == 200, twin.text
    assert twin.json()["stale_note"] == want
    assert ranking.json()["stale_note"] == want
    assert versions.json()[0]["stale_note"] == want


def test_an_older_ranking_is_told_its_rerank(tmp_path):
    from tests.api.conftest import READ

    store = _store()
    patients.add_patient(store, profile("PR"))
    twins.build_twin(store, "PR", FAST_TWIN, ctx=ReferenceContext())
    made = rankings.rank_drugs(store, "PR", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    store.twin_of(made.twin_id).rankings[made.id].props["rules"] = RANKING_RULES - 1
    python = rankings.get_ranking(store, "PR", ctx=ReferenceContext()).stale_note or ""
    assert python.endswith('; call `rankings.rank_drugs(store, "PR")`')
    with _api(store) as c:
        api = c.get("/v1/patients/PR/rankings/latest", headers=READ).json()["stale_note"]
    assert api == python.replace(
        'call `rankings.rank_drugs(store, "PR")`', "call POST /v1/patients/PR/rankings"
    )
