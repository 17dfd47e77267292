"""Explanation paths (platform/explain.shortest_paths) on hand-drawn graphs."""

from __future__ import annotations

from medtwin.platform.algorithms.network import Network
from medtwin.platform.explain import shortest_paths

# 1-2-3-4-5 with a chord 1-4, and 6-7 apart.
GRAPH = Network.from_edges([("1", "2"), ("2", "3"), ("3", "4"), ("4", "5"), ("1", "4"), ("6", "7")])


def test_lengths_by_hand_use_the_chord_shortest_first():
    got = shortest_paths(GRAPH, ["1"], ["5", "3", "2"])
    assert [len(p) - 1 for p in got] == [1, 2, 2]  # shortest first
    assert ["1", "4", "5"] in got
    assert all(p[0] == "1" for p in got)


def test_several_targets_and_max_paths():
    got = shortest_paths(GRAPH, ["2", "5"], ["4"], max_paths=10)
    assert ["5", "4"] in got
    assert sorted(len(p) - 1 for p in got) == [1, 2]
    assert len(shortest_paths(GRAPH, ["2", "5"], ["4"], max_paths=1)) == 1
    assert shortest_paths(GRAPH, ["2", "5"], ["4"], max_paths=1) == [["5", "4"]]


def test_unreachable_and_unknown_genes_give_no_path():
    assert shortest_paths(GRAPH, ["1"], ["6"]) == []  # other component
    assert shortest_paths(GRAPH, ["99"], ["1"]) == []  # target not in the network
    assert shortest_paths(GRAPH, ["1"], []) == []
    assert shortest_paths(GRAPH, ["3"], ["3"]) == [["3"]]  # a target in the module: length 0
