"""Every shipped Cypher statement compiles on the real server (EXPLAIN plans, runs nothing)."""

from __future__ import annotations

import pytest

from medtwin.cypher import catalog

pytestmark = pytest.mark.neo4j

# CALL ... IN TRANSACTIONS cannot be EXPLAINed in a managed transaction; admin/delete_all is
# executed for real by the clean_db fixture before and after every integration test instead.
_NOT_EXPLAINABLE = {"admin/delete_all"}


@pytest.mark.parametrize("name", [n for n in catalog.all_names() if n not in _NOT_EXPLAINABLE])
def test_explain(neo4j_driver, test_settings, name):
    statements = catalog.statements(name) if name.startswith("schema/") else [catalog.query(name)]
    database = "system" if name == "health/components" else test_settings.neo4j_database
    with neo4j_driver.session(database=database) as session:
        for text in statements:
            session.run("EXPLAIN " + text).consume()
