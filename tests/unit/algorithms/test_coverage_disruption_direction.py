from __future__ import annotations

import math

import networkx as nx
import pytest

from medtwin.errors import InputError
from medtwin.loaders.actions import direction_of
from medtwin.platform.algorithms.coverage import centrality_coverage
from medtwin.platform.algorithms.direction import DIRECTION_SIGNS, action_direction
from medtwin.platform.algorithms.disruption import module_disruption
from medtwin.platform.algorithms.network import MissingNodesWarning
from medtwin.platform.algorithms.nulls import degree_bins

from .conftest import network_of


def test_coverage_star(star):
    scores = {"hub": 5.0, "a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 1.0, "elsewhere": 10.0}
    c = centrality_coverage(star, scores, ["hub"])
    assert c.target_share == pytest.approx(5 / 20)
    assert c.neighbourhood_share == pytest.approx(10 / 20)
    c = centrality_coverage(star, scores, ["a", "unknown"])
    assert c.target_share == pytest.approx(1 / 20)
    assert c.neighbourhood_share == pytest.approx(6 / 20)
    assert (c.n_targets, c.n_targets_scored, c.n_neighbourhood_scored) == (2, 1, 2)


def test_coverage_bad_scores(star):
    with pytest.raises(InputError):
        centrality_coverage(star, {"a": -1.0}, ["a"])
    with pytest.raises(InputError):
        centrality_coverage(star, {"a": 0.0}, ["a"])


def test_disruption_cut_vertex_is_significant():
    net = network_of(nx.path_graph(30))
    module = [str(i) for i in range(10, 21)]
    r = module_disruption(net, module, ["15"], n_samples=300, bin_size=2, seed=1)
    assert (r.lcc_before, r.lcc_after, r.loss) == (11, 5, 6)
    assert r.n_targets_in_module == 1
    assert r.z_valid
    assert r.z > 1
    assert r.p < 0.2


def test_disruption_target_outside_module(path10):
    with pytest.warns(MissingNodesWarning):
        r = module_disruption(path10, ["0", "1"], ["8", "zz"], n_samples=50, bin_size=2, seed=0)
    assert r.loss == 0
    assert (r.n_targets, r.n_targets_in_network, r.n_targets_in_module) == (2, 1, 0)
    assert r.mu >= 0


def test_disruption_null_draws_from_target_bins():
    net = network_of(nx.barabasi_albert_graph(200, 2, seed=0))
    bins = degree_bins(net, 20)
    r = module_disruption(
        net, [str(i) for i in range(30)], ["0", "1"], n_samples=100, bin_size=20, seed=3
    )
    assert r.n_iter == 100
    assert len(bins.low) > 1
    if not r.z_valid:
        assert math.isnan(r.z)


@pytest.mark.parametrize(
    ("actions", "lfc", "score", "counts"),
    [
        ({"A": "inhibitor"}, {"A": 2.0}, 1.0, (1, 0, 1)),
        ({"A": "Agonist"}, {"A": -0.5}, 1.0, (1, 0, 1)),
        ({"A": -1}, {"A": -0.5}, -1.0, (0, 1, 1)),
        ({"A": 1, "B": -1, "C": 1}, {"A": 1.0, "B": 1.0, "C": -2.0}, 1 / 3, (2, 1, 3)),
        ({"A": "unknown", "B": 1}, {"A": 1.0, "B": 0.0}, None, (0, 0, 0)),
        # the stored words of (:Drug)-[:TARGETS {direction}] (before: unknown, no score)
        ({"A": "inhibit"}, {"A": 2.0}, 1.0, (1, 0, 1)),
        ({"A": "activate", "B": "inhibit"}, {"A": 1.0, "B": -1.0}, -1.0, (0, 2, 2)),
        ({"A": 1}, {"A": float("nan")}, None, (0, 0, 0)),
    ],
)
def test_action_direction(actions, lfc, score, counts):
    r = action_direction(actions, lfc)
    if score is None:
        assert r.score is None
    else:
        assert r.score == pytest.approx(score)
    assert (r.n_counteracting, r.n_aggravating, r.n_known) == counts
    assert r.n_targets == len(actions)


def test_action_direction_bad_int():
    with pytest.raises(InputError, match="action"):
        action_direction({"A": 2}, {"A": 1.0})


def test_action_direction_stored_words_score_as_the_direction_ranking_converts_them():
    words = {"A": "inhibit", "B": "activate", "C": "unknown"}
    lfc = {"A": 2.0, "B": 1.5, "C": 3.0}
    signs = {t: DIRECTION_SIGNS[w] for t, w in words.items()}  # as direction_rank passes them
    assert action_direction(words, lfc) == action_direction(signs, lfc)
    assert action_direction(words, lfc).n_known == 2


@pytest.mark.parametrize("word", ["inhibits", "binder", "substrate", ""])
def test_action_direction_word_without_a_direction_counts_as_the_loaders_store_it(word):
    # the loaders store any word outside INHIBIT/ACTIVATE as "unknown": the same here, 0
    assert direction_of([word]) == "unknown"
    assert action_direction({"A": word}, {"A": 1.0}) == action_direction({"A": 0}, {"A": 1.0})
