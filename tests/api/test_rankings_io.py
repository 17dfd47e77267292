"""The API side of the ranking contract: paging every drug, module gate, custom drugs upload."""

from __future__ import annotations

import pytest

from tests.api.conftest import READ, WRITE
from tests.api.test_patients import _clean_4xx

pytestmark = pytest.mark.neo4j

NOTE = "exploratory: this twin's module is not more connected than random genes"
TARGETS = (
    "drug_id\tgene\tdrug_name\taction\n"
    "T1\tG2\ttrial one\tinhibitor\nT1\tG3\ttrial one\tinhibitor\n"
    "T2\tG45\ttrial two\tagonist\nT3\tG21\t\t\nT4\tG50\t\t\nGHOST\tNOPE\t\tinhibitor\n"
)


def _set_module(store, z, p):
    store.driver.execute_query(
        "MATCH (t:Twin {id: 'PA@v1'}) SET t.module_z = $z, t.module_p = $p",
        z=z,
        p=p,
        database_=store.database,
    )


def test_paging_through_every_drug_returns_each_once(seeded):
    _, client = seeded
    r = client.post(
        "/v1/patients/PA/rankings/custom",
        headers=WRITE,
        files={"targets": ("trial.tsv", TARGETS.encode(), "text/tab-separated-values")},
        data={"n_samples": "20"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["params"]["targets"].startswith("trial.tsv sha256:")
    assert body["total"] == 5
    seen: list[str] = []
    offset = 0
    for _ in range(10):
        page = client.get(
            f"/v1/patients/PA/rankings/latest?offset={offset}&limit=2", headers=READ
        ).json()
        assert page["total"] == 5
        assert page["offset"] == offset
        if not page["drugs"]:
            break
        seen += [d["drug_id"] for d in page["drugs"]]
        offset += len(page["drugs"])
    assert sorted(seen) == ["GHOST", "T1", "T2", "T3", "T4"]
    # a drug of the file (its id may join a combination with '+'): where its row is, not 422
    for drug in ("T1", "T1%2BT2"):
        r = client.get(f"/v1/patients/PA/drugs/{drug}/explanation", headers=READ)
        assert "comes from a targets file" in _clean_4xx(r, 404)["detail"]
    assert len(seen) == len(set(seen))
    ghost = next(d for d in body["drugs"] if d["drug_id"] == "GHOST")
    assert ghost["n_targets_in_network"] == 0
    t1 = next(d for d in body["drugs"] if d["drug_id"] == "T1")
    assert t1["drug_name"] == "trial one"
    # PA has G3 up 1.5 and G2 down -1.2 (DE_TABLE): inhibiting both counteracts G3 (+1.5) and
    # aggravates G2 (-1.2): (1.5 - 1.2) / 2.7 * 2/3 (two informative targets) = 0.074
    assert t1["direction"] == pytest.approx(0.3 / 2.7 * 2 / 3)
    assert t1["direction_word"] == "counteracts"


def test_bad_targets_upload_is_a_clean_422_naming_the_line(seeded):
    _, client = seeded
    r = client.post(
        "/v1/patients/PA/rankings/custom",
        headers=WRITE,
        files={"targets": ("mine.tsv", b"drug_id\tgene\nT1\t\n", "text/plain")},
    )
    body = _clean_4xx(r, 422)
    assert body["detail"].startswith("mine.tsv:2: empty gene for drug 'T1'")
    assert "medtwin-targets" not in r.text
    r = client.post(
        "/v1/patients/PA/rankings/custom",
        headers=WRITE,
        files={"targets": ("mine.tsv", TARGETS.encode(), "text/plain")},
        data={"methods": "magic"},
    )
    _clean_4xx(r, 422)
    r = client.post(
        "/v1/patients/PA/rankings/custom",
        headers=WRITE,
        files={"targets": ("empty.tsv", b"", "text/plain")},
    )
    assert "empty.tsv: the uploaded file is empty" in _clean_4xx(r, 422)["detail"]
    # before: the last repeated field won, a misspelt field was ignored and max_samples below
    # n_samples was raised silently (POST /rankings refuses it)
    mine = {"targets": ("mine.tsv", TARGETS.encode(), "text/plain")}
    for data, said in (
        ({"methods": ["degree", "proximity"]}, "form field(s) methods given more than once"),
        ({"method": "degree"}, "unknown form field(s) method; this route takes targets, methods"),
        ({"n_samples": "1000", "max_samples": "10"}, "max_samples (10) must be >= n_samples"),
    ):
        r = client.post("/v1/patients/PA/rankings/custom", headers=WRITE, files=mine, data=data)
        assert said in _clean_4xx(r, 422)["detail"]


def test_targets_must_be_a_known_source_never_a_server_path(seeded):
    _, client = seeded
    for targets in ("/etc/hostname", "../README.md"):
        r = client.post("/v1/patients/PA/rankings", headers=WRITE, json={"targets": targets})
        _clean_4xx(r, 422)
        assert "upload your own drugs to /rankings/custom" in r.text


def test_module_gate_in_twin_and_ranking_and_require_module(seeded):
    store, client = seeded
    _set_module(store, -0.5, 0.62)
    twin = client.get("/v1/patients/PA/twins/latest", headers=READ).json()["twin"]
    assert twin["module_significant"] is False
    assert twin["module_note"].startswith(NOTE)
    r = client.post(
        "/v1/patients/PA/rankings",
        headers=WRITE,
        json={"n_samples": 20, "require_module": True},
    )
    body = _clean_4xx(r, 422, "ExploratoryModuleError")
    assert NOTE in body["detail"]
    assert "module z = -0.50, p = 0.62" in body["detail"]
    r = client.post("/v1/patients/PA/rankings", headers=WRITE, json={"n_samples": 20})
    assert r.status_code == 201, r.text
    assert r.json()["module_significant"] is False
    assert r.json()["module_note"].startswith(NOTE)
    latest = client.get("/v1/patients/PA/rankings/latest", headers=READ).json()
    assert latest["module_note"].startswith(NOTE)
    report = client.get("/v1/patients/PA/report", headers=READ).text
    assert "not more connected than random genes" in report
    assert report.index("Module significance") < report.index("Top drugs")
    _set_module(store, 3.0, 0.01)
    r = client.post(
        "/v1/patients/PA/rankings", headers=WRITE, json={"n_samples": 20, "require_module": True}
    )
    assert r.status_code == 201, r.text
    assert (r.json()["module_significant"], r.json()["module_note"]) == (True, None)


def test_openapi_describes_direction_words_and_module_fields(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    score = schema["DrugScore"]["properties"]
    assert "counteracts" in score["direction"]["description"]
    assert "aggravates" in score["direction"]["description"]
    assert "direction_word" in score
    assert {"module_significant", "module_note"} <= set(schema["RankingResult"]["properties"])
