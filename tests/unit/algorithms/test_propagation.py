from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.network import MissingNodesWarning
from medtwin.platform.algorithms.propagation import random_walk_with_restart

from .conftest import network_of


@pytest.mark.parametrize("restart", [0.15, 0.3, 0.7])
@pytest.mark.parametrize(
    "graph",
    [nx.karate_club_graph(), nx.barabasi_albert_graph(300, 2, seed=1), nx.path_graph(7)],
    ids=["karate", "ba300", "path"],
)
def test_matches_networkx_pagerank(graph, restart):
    net = network_of(graph)
    seeds = {"0": 2.0, "3": 1.0, "5": 0.5}
    res = random_walk_with_restart(net, seeds, restart=restart, tol=1e-13)
    ref = nx.pagerank(
        net.to_networkx(), alpha=1 - restart, personalization=seeds, tol=1e-13, max_iter=10_000
    )
    assert res.converged
    assert res.scores.sum() == pytest.approx(1.0)
    ours = res.as_dict()
    for node, value in ref.items():
        assert ours[node] == pytest.approx(value, abs=1e-9)


def test_dangling_mass_returns_to_seeds():
    net = network_of(nx.path_graph(4)).subnetwork(np.array([0, 1, 3]))  # node "3" isolated
    res = random_walk_with_restart(net, {"3": 1.0, "0": 1.0}, restart=0.3, tol=1e-13)
    ref = nx.pagerank(
        net.to_networkx(),
        alpha=0.7,
        personalization={"3": 1.0, "0": 1.0},
        tol=1e-13,
        max_iter=10_000,
    )
    for node, value in ref.items():
        assert res.as_dict()[node] == pytest.approx(value, abs=1e-9)


def test_bad_inputs(path10):
    with pytest.raises(InputError, match="restart"):
        random_walk_with_restart(path10, {"0": 1.0}, restart=0)
    with pytest.raises(InputError, match="weight"):
        random_walk_with_restart(path10, {"0": -1.0})
    with pytest.warns(MissingNodesWarning), pytest.raises(InputError, match="no seed"):
        random_walk_with_restart(path10, {"zz": 1.0})


def test_not_converged_is_reported(path10):
    res = random_walk_with_restart(path10, {"0": 1.0}, restart=0.1, max_iter=2)
    assert not res.converged
    assert res.n_iter == 2
