"""The TF PageRank columns a batch prefills in GDS against networkx's personalised PageRank (an
independent implementation; Haveliwala 2002, doi:10.1145/511446.511513) on the projection's
own edges."""

from __future__ import annotations

import networkx as nx
import pytest

from medtwin.platform import regulator_centrality as rc
from medtwin.store.regulator_network import graph_name
from tests.integration.test_regulator_gds import _loaded

pytestmark = pytest.mark.neo4j


def test_prefill_columns_equal_networkx_pagerank_of_each_tf(tiny_reference):
    store, _, ref, key = _loaded(tiny_reference)
    net = store.regulator_network
    net.ensure_projection(key)
    done, _ = rc.prefill(store)
    assert done == len(ref.regulons) == 1  # the regulon layer's one TF, G2
    columns = net._columns(graph_name(key))
    assert "ppr700_2" in columns
    source, target = net.edges(key)
    graph = nx.Graph(zip(source, target, strict=True))
    for tf in ref.regulons:
        got = net.centrality(key, {tf: 1.0}, damping=1 - rc.RESTART, column_budget=0)
        assert got.pending == ()  # read from the prefilled column, none computed
        expected = nx.pagerank(graph, alpha=1 - rc.RESTART, personalization={tf: 1.0}, tol=1e-12)
        assert got.scores[tf] == pytest.approx(expected[tf], rel=1e-5)
    assert net._columns(graph_name(key)) == columns
    assert rc.prefill(store)[0] == 0  # nothing left to do
    net.drop_projections()
