"""The shared regulatory projection on the real server: its results do not depend on write order.

Every twin's upstream regulators are ranked on one GDS projection of all ``INTERACTS_WITH`` and
``REGULATES`` pairs (``gds/project_regulator_network``): Louvain communities (``concurrency 1``,
deterministic for one node numbering), personalised PageRank columns, and the edge list a twin's
PageRank is evaluated on in process. GDS numbers the nodes in the order the projection's rows
arrive; the rows followed the store order, each pair's direction ``elementId``, so the same
reference written in another order got other Louvain groups. As ``test_twin_louvain`` for a
twin's own projection.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import pytest

from medtwin.store.neo4j import Neo4jStore
from medtwin.store.testing import wipe_test_database

pytestmark = pytest.mark.neo4j

SEEDS = {"3": 4.0, "17": 1.5, "40": 0.5, "52": 2.0}
DAMPING = 0.7


def _graph() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """PPI pairs (``a < b``, as loads store them) and regulon edges (TF -> target).

    Four loose groups of 15 proteins (p 0.3 within, 0.04 between): several partitions of
    near-equal modularity, so Louvain's answer rests on the node numbering. Every fifth pair
    is a regulon edge instead, some pointing from the higher id to the lower, and a few pairs
    are both (one projected edge).
    """
    g = nx.random_partition_graph([15, 15, 15, 15], 0.3, 0.04, seed=11)
    ppi, regulons = [], []
    for i, (u, v) in enumerate(sorted(g.edges)):
        a, b = sorted((str(u), str(v)))
        if i % 5 == 0:
            regulons.append((b, a) if i % 2 else (a, b))
            if i % 15 == 0:
                ppi.append((a, b))
        else:
            ppi.append((a, b))
    return ppi, regulons


def _write(store: Neo4jStore, order: random.Random | None, noise: int) -> None:
    ppi, regulons = _graph()
    nodes = sorted({x for e in ppi + regulons for x in e})
    if order is not None:
        order.shuffle(nodes)
        order.shuffle(ppi)
        order.shuffle(regulons)
    run, db = store.driver.execute_query, store.database
    run("UNWIND range(1, $n) AS i CREATE (:Unrelated {i: i})", n=noise, database_=db)
    run("UNWIND $ids AS id CREATE (:Protein {id: id, symbol: 'G' + id})", ids=nodes, database_=db)
    for rel, rows in (("INTERACTS_WITH", ppi), ("REGULATES", regulons)):
        run(
            "UNWIND $rows AS row MATCH (a:Protein {id: row[0]}), (b:Protein {id: row[1]}) "
            f"CREATE (a)-[:{rel}]->(b)",
            rows=[list(e) for e in rows],
            database_=db,
        )
    run("MATCH (n:Unrelated) DELETE n", database_=db)


def _results(store: Neo4jStore, key: str) -> dict[str, Any]:
    net = store.regulator_network
    cent = net.centrality(key, SEEDS, damping=DAMPING)
    name, _ = net.ensure_projection(key)
    every = sorted({x for e in sum(_graph(), []) for x in e})
    rows = store.read("gds/regulator_seeds", graph_name=name, ids=every)
    source, target = net.edges(key)
    return {
        "communities": {str(r["id"]): int(r["community"]) for r in rows},
        "scores": cent.scores,
        "sizes": cent.community_sizes,
        "edges": list(zip(source, target, strict=True)),
    }


def test_regulator_results_do_not_depend_on_write_order(clean_db: Any, test_settings: Any) -> None:
    store = Neo4jStore(clean_db, test_settings)
    runs = []
    for i, (order, noise) in enumerate(((None, 0), (random.Random(1), 41), (random.Random(2), 7))):
        wipe_test_database(clean_db, test_settings)
        _write(store, order, noise)
        runs.append(_results(store, f"order-test-{i}"))  # its own projection and edge file
    first = runs[0]
    assert len(set(first["communities"].values())) > 1  # a real partition
    assert set(first["scores"]) == set(SEEDS)
    for other in runs[1:]:
        # Before: another write order put proteins in other groups, under other ids.
        assert other["communities"] == first["communities"]
        assert other["sizes"] == first["sizes"]
        assert other["edges"] == first["edges"]
        for g, s in first["scores"].items():
            assert other["scores"][g] == pytest.approx(s, rel=1e-12, abs=0), g
