"""The API's ranking and explanation carry target_expression's panel caution (memory store).

The patient is added through the API from a DE file of eight genes (a panel: fewer than
5,000); the ranking it posts, the latest ranking it reads and a drug's explanation each hold
``target_expression_note`` (its words: ``tests/unit/services/test_target_expression_panel_memory``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medtwin.api import create_app
from medtwin.api.deps import get_store
from medtwin.platform.context import reference_context
from medtwin.settings import Settings
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE, TestClient, api_settings
from tests.unit.services.test_target_expression_panel_memory import CAUTION, PANEL_DE, panel_store


@pytest.fixture
def client() -> Iterator[TestClient]:
    reference_context().clear()  # this store's own gene index
    store: MemoryStore = panel_store()
    app = create_app(api_settings(Settings()), store=store)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    reference_context().clear()


def test_ranking_and_explanation_say_target_expression_rests_on_a_panel(client) -> None:
    added = client.post(
        "/v1/patients",
        headers=WRITE,
        data={"patient_id": "P1"},
        files={"de": ("panel_de.tsv", PANEL_DE.encode(), "text/tab-separated-values")},
    )
    assert added.status_code == 201, added.text
    twin = client.post(
        "/v1/patients/P1/twins", headers=WRITE, json={"module_samples": 20, "min_seeds": 2}
    )
    assert twin.status_code == 201, twin.text
    body = {"n_samples": 30, "methods": ["proximity", "target_expression"]}
    posted = client.post("/v1/patients/P1/rankings", headers=WRITE, json=body)
    assert posted.status_code == 201, posted.text
    note = posted.json()["target_expression_note"]
    assert note.startswith(CAUTION)
    assert posted.json()["n_genes_with_statistic"] == 8
    latest = client.get("/v1/patients/P1/rankings/latest", headers=READ).json()
    assert latest["target_expression_note"] == note
    explained = client.get("/v1/patients/P1/drugs/DB1/explanation", headers=READ)
    assert explained.status_code == 200, explained.text
    assert explained.json()["target_expression_note"] == note
