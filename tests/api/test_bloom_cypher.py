"""Each Bloom search phrase's Cypher compiles on the real server (EXPLAIN), and static files."""

from __future__ import annotations

import hashlib

import pytest

from tests.unit.report.test_bloom import TEMPLATES

CYTOSCAPE_SHA256 = "71fa9ebec21a7ca2c40cff6aacc30d1f6464e363662ad4b2c197e1adc770cd94"


@pytest.mark.neo4j
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t["text"])
def test_phrase_cypher_compiles(neo4j_driver, test_settings, template):
    params = {p["name"].lstrip("$"): "x" for p in template["params"]}
    neo4j_driver.execute_query(
        "EXPLAIN " + template["cypher"], params, database_=test_settings.neo4j_database
    )


def test_vendored_cytoscape_is_the_pinned_file():
    from medtwin.api.app_static import CYTOSCAPE_JS

    assert hashlib.sha256(CYTOSCAPE_JS.read_bytes()).hexdigest() == CYTOSCAPE_SHA256
    assert (CYTOSCAPE_JS.parent / "cytoscape.LICENSE").read_text().startswith("Copyright")


def test_static_files_are_served():
    from medtwin.api import create_app
    from medtwin.settings import Settings
    from tests.api.conftest import TestClient

    with TestClient(create_app(Settings(api_keys=""), store_opener=lambda _: None)) as c:  # type: ignore[arg-type,return-value]
        js = c.get("/static/lib/cytoscape.min.js")
        assert js.status_code == 200
        assert len(js.content) > 400_000
        page = c.get("/v1/patients/P1/viewer")
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert '<meta name="medtwin-patient" content="P1">' in page.text
        assert "http" not in page.text  # all assets from the API itself
