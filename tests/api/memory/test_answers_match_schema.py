"""Every JSON answer of a GET route validates against the schema ``/openapi.json`` gives it.

Two routes render their JSON themselves (``…/rankings/latest`` and the cohort summary, for speed),
so the framework never checks their bodies against their ``response_model``; the others are
checked by FastAPI, and this checks the document says what they send. Memory store: patient P1
with a twin, a ranking and biomarker suggestions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from medtwin.platform import insights, patients, rankings, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ, WRITE
from tests.unit.services.conftest import profile

VALUES = {"patient_id": "P1", "version": "1", "drug_id": "DB1", "name": "toy"}
QUERIES = {"/v1/patients/{patient_id}/twins/diff": "?from=1&to=1"}


@pytest.fixture
def ranked(store: MemoryStore, tmp_path: Path) -> MemoryStore:
    reference_context().clear()
    patients.add_patient(store, profile("P1"))
    fast = TwinParams(module_samples=20, min_seeds=2)
    twins.build_twin(store, "P1", fast, ctx=ReferenceContext())
    rankings.rank_drugs(store, "P1", RankParams(n_samples=20), cache_dir=tmp_path)
    insights.twin_biomarkers(store, "P1", top=10, top_drugs=20)
    return store


def _path(template: str) -> str:
    for name, value in VALUES.items():
        template = template.replace("{" + name + "}", value)
    return template


def test_every_get_answer_validates_against_its_schema(ranked, client):
    document = client.get("/openapi.json").json()
    checked, wrong, skipped = [], [], []
    for template, operations in document["paths"].items():
        operation = operations.get("get")
        media = (operation or {}).get("responses", {}).get("200", {}).get("content", {})
        if "application/json" not in media:
            continue  # not a GET, or an HTML page
        headers = WRITE if template.endswith("/audit") else READ
        r = client.get(_path(template) + QUERIES.get(template, ""), headers=headers)
        if r.status_code != 200:
            skipped.append(f"{template} {r.status_code}")  # e.g. no stratification: 404
            continue
        schema = {**media["application/json"]["schema"], "components": document["components"]}
        errors = [
            f"{template}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in Draft202012Validator(schema).iter_errors(r.json())
        ]
        wrong += errors
        checked.append(template)
    assert not wrong, "\n".join(wrong)
    # the routes that render their own JSON are among those checked
    assert "/v1/patients/{patient_id}/rankings/latest" in checked
    assert "/v1/cohorts/{name}/summary" in checked
    print(f"checked {len(checked)}, not answered 200: {skipped}")
    assert len(checked) >= 15, (checked, skipped)
