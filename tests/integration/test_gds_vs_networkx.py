"""GDS on the real server agrees with networkx on the same graph (issue 2 acceptance)."""

from __future__ import annotations

import networkx as nx
import pytest

from medtwin.store.gds import Gds

pytestmark = pytest.mark.neo4j


@pytest.fixture
def karate(clean_db, test_settings):
    g = nx.karate_club_graph()
    rows = [{"a": str(u), "b": str(v)} for u, v in g.edges()]
    clean_db.execute_query(
        "UNWIND range(0, 33) AS i CREATE (:Protein {id: toString(i)})",
        database_=test_settings.neo4j_database,
    )
    clean_db.execute_query(
        "UNWIND $rows AS row MATCH (a:Protein {id: row.a}), (b:Protein {id: row.b}) "
        "CREATE (a)-[:INTERACTS_WITH]->(b)",
        rows=rows,
        database_=test_settings.neo4j_database,
    )
    # The karate club as a twin: gds/project_twin projects the proteins a twin INCLUDES.
    clean_db.execute_query(
        "CREATE (t:Twin {id: 'karate@v1'}) WITH t MATCH (p:Protein) CREATE (t)-[:INCLUDES]->(p)",
        database_=test_settings.neo4j_database,
    )
    return g, Gds(clean_db, test_settings.neo4j_database, test_settings.neo4j_uri)


def test_pagerank_matches_networkx(karate):
    g, gds = karate
    with gds.projection("t_karate_pr", "gds/project_twin", twin_id="karate@v1") as graph:
        scores = gds.pagerank(graph)
    total = sum(s.value for s in scores)
    got = {s.id: s.value / total for s in scores}
    want = nx.pagerank(nx.Graph(g.edges()), alpha=0.85, tol=1e-12)
    assert len(got) == 34
    for node, value in want.items():
        assert got[str(node)] == pytest.approx(value, rel=1e-4)


def test_personalised_pagerank_matches_networkx(karate):
    g, gds = karate
    with gds.projection("t_karate_ppr", "gds/project_twin", twin_id="karate@v1") as graph:
        sources = gds.internal_ids(graph, ["0", "33"])
        scores = gds.pagerank(graph, sources=sources)
    total = sum(s.value for s in scores)
    got = {s.id: s.value / total for s in scores}
    want = nx.pagerank(nx.Graph(g.edges()), alpha=0.85, personalization={0: 1, 33: 1}, tol=1e-12)
    top_got = sorted(got, key=got.get, reverse=True)[:5]
    top_want = [str(n) for n in sorted(want, key=want.get, reverse=True)[:5]]
    assert top_got == top_want
    for node, value in want.items():
        assert got[str(node)] == pytest.approx(value, rel=1e-3)


def test_betweenness_matches_networkx(karate):
    g, gds = karate
    with gds.projection("t_karate_bc", "gds/project_twin", twin_id="karate@v1") as graph:
        scores = gds.betweenness(graph)
    want = nx.betweenness_centrality(nx.Graph(g.edges()), normalized=False)
    got = {s.id: s.value for s in scores}
    for node, value in want.items():
        assert got[str(node)] == pytest.approx(value, abs=1e-6)


def test_louvain_modularity_matches_networkx(karate):
    g, gds = karate
    with gds.projection("t_karate_lv", "gds/project_twin", twin_id="karate@v1") as graph:
        comms = gds.louvain(graph)
    groups: dict[float, set[int]] = {}
    for s in comms:
        groups.setdefault(s.value, set()).add(int(s.id))
    plain = nx.Graph(g.edges())
    q_gds = nx.community.modularity(plain, list(groups.values()))
    # Louvain depends on the order it visits nodes: networkx's seeds give Q 0.392-0.420 on the
    # karate club, and GDS visits nodes in store-id order, which differs between runs of the
    # suite (ids are reused after deletes): 0.3886 was seen, 0.031 from networkx's seed 1.
    q_nx = [
        nx.community.modularity(plain, nx.community.louvain_communities(plain, seed=seed))
        for seed in range(30)
    ]
    assert 3 <= len(groups) <= 6
    assert min(q_nx) - 0.01 <= q_gds <= max(q_nx) + 1e-9
    assert q_gds > 0.38  # karate club: best known partition has Q ~ 0.42


def test_projection_is_dropped_even_on_error(karate, test_settings):
    g, gds = karate
    with (
        pytest.raises(RuntimeError),
        gds.projection("t_karate_err", "gds/project_twin", twin_id="karate@v1"),
    ):
        raise RuntimeError("boom")
    assert not bool(gds.client.graph.exists("t_karate_err"))
