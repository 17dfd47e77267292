"""The store over a routing URI (``neo4j://``), as used for a Neo4j cluster or Aura
(``neo4j+s://``): the single local server answers the routing table request itself, so reads
(routed to readers), writes (to the leader) and GDS calls are exercised for real."""

from __future__ import annotations

import pytest

from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.neo4j import Neo4jStore
from tests.integration.conftest import up_in_first_clique

pytestmark = pytest.mark.neo4j


def test_twin_and_ranking_through_a_routing_uri(tiny_reference, test_settings, tmp_path):
    bolt = test_settings.neo4j_uri.rsplit(":", 1)[1]
    routed = test_settings.model_copy(update={"neo4j_uri": f"neo4j://127.0.0.1:{bolt}"})
    with Neo4jStore.open(routed) as store:
        assert store.driver.get_server_info().address[1] == int(bolt)
        table = store.driver.execute_query(
            "CALL dbms.routing.getRoutingTable({}, $db)", db=store.database
        ).records[0]["servers"]
        assert {s["role"] for s in table} >= {"ROUTE", "READ", "WRITE"}
        assert store.counts()["nodes"]["Protein"]["total"] == 60  # a routed read
        patients.add_patient(store, up_in_first_clique("PROUTE"))  # routed writes
        twins.build_twin(store, "PROUTE", TwinParams(module_samples=20, expand=0))  # GDS
        ranked = rankings.rank_drugs(
            store, "PROUTE", RankParams(n_samples=20, seed=1), cache_dir=tmp_path
        )
        assert ranked.n_drugs == 3
        assert rankings.get_ranking(store, "PROUTE").drugs == ranked.drugs
