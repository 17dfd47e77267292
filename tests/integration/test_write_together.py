"""A ranking's hidden writes share one transaction (``CypherRunner.write_together``): a statement
that fails undoes the ones before it, and a whole ranking is written and published as before."""

from __future__ import annotations

import pytest

from medtwin.errors import QueryFailed
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from tests.integration.conftest import up_in_first_clique

pytestmark = pytest.mark.neo4j


def _rankings(store):
    got = store.driver.execute_query(
        "MATCH (r:Ranking) RETURN r.id AS id, r.status AS status, COUNT { (r)-[:SCORES]->() } AS n",
        database_=store.database,
    )
    return sorted((r["id"], r["status"], r["n"]) for r in got.records)


@pytest.fixture
def twin_id(tiny_reference):
    store, _ = tiny_reference
    patients.add_patient(store, up_in_first_clique("WT1"))
    twins.build_twin(store, "WT1", TwinParams(module_samples=50, expand=0))
    return store.twins.twin("WT1")["id"]


def test_a_failing_statement_undoes_the_ones_before_it(tiny_reference, twin_id):
    store, _ = tiny_reference
    props = {"id": "R#building", "methods": ["proximity"], "n_drugs": 1}
    bad = [{"drug_id": "DB00001", "rank": 1, "nested": {"not": "a property value"}}]
    with pytest.raises(QueryFailed):
        store.write_together(
            ("ranking/create_ranking", {"twin_id": twin_id, "props": props}),
            ("ranking/create_scores", {"ranking_id": "R#building", "rows": bad}),
        )
    assert _rankings(store) == []  # the ranking node of the first statement is gone too


def test_each_statement_gives_its_rows_and_a_ranking_is_published_whole(
    tiny_reference, twin_id, tmp_path
):
    store, _ = tiny_reference
    got = store.write_together(
        ("ranking/delete_ranking", {"id": "nothing"}),
        ("ranking/create_ranking", {"twin_id": twin_id, "props": {"id": "R#building"}}),
    )
    assert got == [[{"deleted": 0}], [{"id": "R#building"}]]
    store.write("ranking/delete_ranking", id="R#building")
    params = RankParams(targets="drugbank", n_samples=100, seed=7)
    first = rankings.rank_drugs(store, "WT1", params, cache_dir=tmp_path)
    again = rankings.rank_drugs(store, "WT1", params, cache_dir=tmp_path)  # replaces it
    assert again.drugs == first.drugs
    (only,) = _rankings(store)
    assert only[1] == "complete"
    assert only[2] == len(first.drugs)  # 3 drugs: all in the stored top
