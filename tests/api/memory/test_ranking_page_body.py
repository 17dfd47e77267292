"""The ranking page is rendered on the worker thread (issue 21) exactly as the framework would.

The route returns the JSON bytes itself (one trip through the thread pool instead of two); the
body must stay what ``response_model=RankingResult`` rendered: the same keys, aliases, computed
fields and values, for HEAD and GET, on the in-memory store.
"""

from __future__ import annotations

import json

from fastapi.encoders import jsonable_encoder
from pydantic import TypeAdapter

from medtwin.platform import rankings
from medtwin.platform.models import RankingResult
from tests.api.conftest import READ, WRITE
from tests.api.memory.test_validation_memory import FAST, _add


def test_ranking_page_body_is_the_models_rendering(client, store):  # noqa: F811
    _add(client)
    assert client.post("/v1/patients/P1/twins", headers=WRITE, json=FAST).status_code == 201
    made = client.post("/v1/patients/P1/rankings", headers=WRITE, json={"n_samples": 20})
    assert made.status_code == 201, made.text
    r = client.get("/v1/patients/P1/rankings/latest?offset=0&limit=2", headers=READ)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    expected = rankings.get_ranking(store, "P1", offset=0, limit=2)
    framework = TypeAdapter(RankingResult).dump_json(expected, by_alias=True)
    assert r.json() == json.loads(framework) == jsonable_encoder(expected)
    assert r.json()["drugs"], r.json()  # a page with drugs, not an empty one
    assert "module_significant" in r.json()  # computed fields kept
    head = client.head("/v1/patients/P1/rankings/latest?offset=0&limit=2", headers=READ)
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(r.content)
