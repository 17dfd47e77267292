"""The in-process regulator centrality records the seed of its Louvain communities."""

from __future__ import annotations

import networkx as nx

from medtwin.platform.algorithms.network import Network
from medtwin.platform.regulator_centrality import LOUVAIN_SEED, in_process_centrality


def test_in_process_centrality_records_its_louvain_seed() -> None:
    # two triangles joined by one edge: networkx's Louvain with the same seed is the oracle
    edges = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")]
    seeds = dict.fromkeys("abcdef", 1.0) | {"zz": 1.0}
    cent = in_process_centrality(Network.from_edges(edges), seeds)
    assert cent.engine == "in_process"
    assert cent.louvain_seed == LOUVAIN_SEED
    assert cent.missing == ("zz",)
    # the communities are networkx's Louvain partition drawn with the recorded seed
    parts = nx.community.louvain_communities(nx.Graph(edges), seed=cent.louvain_seed)
    mine: dict[int, set[str]] = {}
    for gene, community in cent.communities.items():
        mine.setdefault(community, set()).add(gene)
    assert sorted(map(sorted, mine.values())) == sorted(map(sorted, parts))
