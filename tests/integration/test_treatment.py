"""In-silico treatment against the real server on the tiny reference graph."""

from __future__ import annotations

import networkx as nx
import pytest

from medtwin.errors import NotFoundError, UnknownMethodError
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from tests.integration.conftest import up_in_first_clique
from tests.ranking_orders import NETWORK_ORDER

pytestmark = pytest.mark.neo4j


@pytest.fixture
def ranked(tiny_reference, tmp_path):
    store, g = tiny_reference
    # Up-regulated genes in the first cluster (1..20): drug1 (targets 2, 3; inhibitor) sits in it.
    patients.add_patient(store, up_in_first_clique("PR1"))
    twins.build_twin(store, "PR1", TwinParams(module_samples=50, expand=0))
    params = RankParams(targets="drugbank", n_samples=100, seed=7, order=NETWORK_ORDER)
    result = rankings.rank_drugs(store, "PR1", params, cache_dir=tmp_path)
    return store, g, result, tmp_path


def test_ranking_is_stored_with_params_and_orders_drugs(ranked):
    store, _, result, _ = ranked
    assert result.n_drugs == 3
    assert result.params.seed == 7
    ids = [d.drug_id for d in result.drugs]
    assert ids[0] == "DB00001"  # targets inside the module, inhibits up-regulated genes
    top = result.drugs[0]
    assert top.d_c == 0.0
    assert top.direction == pytest.approx(2 / 3)  # both targets counteracted, shrunk by 2/3
    assert set(top.targets_in_module) == {"2", "3"}
    assert set(top.targets_in_module_symbols) == {"G2", "G3"}
    # drug2 targets the third cluster: farther than drug1
    far = next(d for d in result.drugs if d.drug_id == "DB00002")
    assert far.d_c > top.d_c
    page = rankings.get_ranking(store, "PR1", offset=1, limit=1)
    assert page.total == 3
    assert len(page.drugs) == 1
    assert page.drugs[0].rank == 2


def test_rerank_replaces_same_params(ranked):
    store, _, _, cache = ranked
    rankings.rank_drugs(
        store,
        "PR1",
        RankParams(targets="drugbank", n_samples=100, seed=7, order=NETWORK_ORDER),
        cache_dir=cache,
    )
    n = store.driver.execute_query(
        "MATCH (r:Ranking {twin_id: 'PR1@v1'}) RETURN count(r) AS n", database_=store.database
    ).records[0]["n"]
    assert n == 1


def test_explanation_paths_are_shortest_paths(ranked):
    store, g, _, _ = ranked
    e = rankings.explain_drug(store, "PR1", "DB00002")
    assert {t["entrez"] for t in e.targets} == {"45", "50"}
    assert e.paths
    for p in e.paths:
        assert p.length == nx.shortest_path_length(g, int(p.nodes[0]), int(p.nodes[-1]))
        assert all(g.has_edge(int(a), int(b)) for a, b in zip(p.nodes, p.nodes[1:], strict=False))
    assert "MATCH path = shortestPath" in e.cypher


def test_unknown_method_and_drug_are_clear_errors(ranked):
    store, _, _, cache = ranked
    with pytest.raises(UnknownMethodError, match="valid:"):
        rankings.rank_drugs(store, "PR1", RankParams(methods=("magic",)), cache_dir=cache)
    with pytest.raises(NotFoundError, match="no drug DB99999"):
        rankings.explain_drug(store, "PR1", "DB99999")


def test_explaining_several_drugs_equals_explaining_each(ranked):
    """A report's explanations read the twin once (explain_drugs), with the same result."""
    store, _, result, _ = ranked
    ids = ["DB00002", "DB99999", "DB00001"]  # DB99999 is not in the database: left out
    one_by_one = [rankings.explain_drug(store, "PR1", d) for d in ("DB00002", "DB00001")]
    assert rankings.explain_drugs(store, "PR1", ids) == one_by_one
    page = rankings.get_ranking(store, "PR1", limit=1)  # DB00001's row comes from the page
    assert rankings.explain_drugs(store, "PR1", ids, ranking=page) == one_by_one
    assert one_by_one[1].score == result.drugs[0]


def test_delete_patient_removes_rankings(ranked):
    store, _, _, _ = ranked
    patients.delete_patient(store, "PR1")
    n = store.driver.execute_query(
        "MATCH (r:Ranking) RETURN count(r) AS n", database_=store.database
    ).records[0]["n"]
    assert n == 0
    assert store.counts()["nodes"]["Drug"]["total"] == 3
