"""Each method on toy graphs with hand-computed values."""

from __future__ import annotations

import dataclasses
import math
import warnings

import networkx as nx
import numpy as np
import pytest

from medtwin.platform.algorithms.coverage import centrality_coverage
from medtwin.platform.algorithms.disruption import module_disruption
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.proximity import proximity
from medtwin.platform.algorithms.stats import bh_qvalues
from medtwin.platform.ranking import DrugTargets, get_method
from medtwin.platform.ranking.disruption_rank import ModuleLoss

from .conftest import context

# ------------------------------------------------------------------ proximity


def test_proximity_hand_values(path10) -> None:
    # module {1, 2}; x targets {0}: d_c = 1; y targets {8, 9}: (6 + 7) / 2 = 6.5;
    # z targets {"nope"} only: not in the network, not scored
    drugs = {
        "x": DrugTargets("x", ("0",)),
        "y": DrugTargets("y", ("8", "9")),
        "z": DrugTargets("z", ("nope",)),
    }
    ctx = context(path10, ("1", "2"), drugs, n_samples=200)
    res = get_method("proximity", {"bin_size": 1}).rank(ctx, seed=7)
    assert set(res) == {"x", "y"}
    assert res["x"].d_c == 1.0
    assert res["y"].d_c == 6.5
    for drug in ("x", "y"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            one = proximity(
                ctx.dist, path10, drugs[drug].targets, ctx.module, n_samples=200, bin_size=1,
                seed=7,
            )  # fmt: skip
        assert res[drug].value == pytest.approx(one.z)
        assert res[drug].p == pytest.approx(one.p)
    q = bh_qvalues([res["x"].p, res["y"].p])
    assert [res["x"].q, res["y"].q] == pytest.approx(q.tolist())
    assert res["x"].value < res["y"].value


def test_proximity_sigma_zero_gives_none() -> None:
    # a triangle in one bin with the module = all 3 nodes: every random module is the whole
    # triangle too, so every null distance is 0 and sigma = 0
    net = Network.from_edges([("a", "b"), ("b", "c"), ("a", "c")])
    ctx = context(net, ("a", "b", "c"), {"x": DrugTargets("x", ("c",))}, n_samples=20)
    res = get_method("proximity", {"bin_size": 3}).rank(ctx, seed=0)
    assert res["x"].value is None
    assert res["x"].d_c == 0.0
    assert res["x"].p == 1.0


# ------------------------------------------------------------------ degree baseline


def test_degree_baseline_hand_values(star) -> None:
    drugs = {
        "hub+a": DrugTargets(None, ("hub", "a")),  # (4 + 1) / 2
        "b": DrugTargets(None, ("b", "outside")),  # 1 (outside ignored)
        "none": DrugTargets(None, ("outside",)),
    }
    res = get_method("degree").rank(context(star, ("a",), drugs), seed=0)
    assert {d: s.value for d, s in res.items()} == {"hub+a": 2.5, "b": 1.0}


# ------------------------------------------------------------------ centrality


@pytest.mark.parametrize(
    ("neighbourhood", "expected"),
    [
        # total mass 1.2; targets {a}: a 0.1 + neighbour hub 0.6; targets {hub}: the whole
        # network (1.0) but not x, which is outside it; targets {b, x}: b, hub and x (scored)
        (True, {"a": 0.7 / 1.2, "hub": 1.0 / 1.2, "bx": (0.1 + 0.6 + 0.2) / 1.2}),
        (False, {"a": 0.1 / 1.2, "hub": 0.6 / 1.2, "bx": 0.3 / 1.2}),
    ],
)
def test_centrality_hand_values(star, neighbourhood, expected) -> None:
    x = {"hub": 0.6, "a": 0.1, "b": 0.1, "c": 0.1, "d": 0.1, "x": 0.2}
    drugs = {
        "a": DrugTargets(None, ("a",)),
        "hub": DrugTargets(None, ("hub",)),
        "bx": DrugTargets(None, ("b", "x")),
    }
    ctx = context(star, ("a",), drugs, centrality=x)
    res = get_method("centrality", {"neighbourhood": neighbourhood}).rank(ctx, seed=0)
    assert {d: s.value for d, s in res.items()} == pytest.approx(expected)


def test_centrality_matches_algorithm() -> None:
    graph = nx.barabasi_albert_graph(60, 2, seed=4)
    net = Network.from_edges((str(u), str(v)) for u, v in graph.edges())
    rng = np.random.default_rng(1)
    scores = {str(i): float(rng.random()) for i in range(0, 60, 3)}
    drugs = {
        f"d{k}": DrugTargets(None, tuple(str(t) for t in rng.choice(60, 3, replace=False)))
        for k in range(15)
    }
    res = get_method("centrality").rank(context(net, ("0",), drugs, centrality=scores), seed=0)
    for drug_id, drug in drugs.items():
        want = centrality_coverage(net, scores, drug.targets).neighbourhood_share
        assert res[drug_id].value == pytest.approx(want)


def test_centrality_empty_scores_no_drug(star) -> None:
    ctx = context(star, ("a",), {"a": DrugTargets(None, ("a",))})
    assert get_method("centrality").rank(ctx, seed=0) == {}


# ------------------------------------------------------------------ direction


def test_direction_hand_values(path10) -> None:
    seeds = {"1": 2.0, "2": -1.0, "3": 0.0}
    drugs = {
        # weighted by |change|, shrunk by |K| / (|K| + 1):
        # inhibits up-regulated 1 (+1, w 2), activates down-regulated 2 (+1, w 1) -> 1 * 2/3
        "good": DrugTargets(None, ("1", "2"), ("inhibit", "activate")),
        # activates up 1 (-1, w 2), activates down 2 (+1, w 1), 3 unchanged -> -1/3 * 2/3
        "mixed": DrugTargets(None, ("1", "2", "3"), ("activate", "activate", "inhibit")),
        # inhibits down-regulated 2 (-1) -> -1 * 1/2
        "worse": DrugTargets(None, ("2",), ("inhibit",)),
        # activates 1 (-1); 5 has no change -> -1 * 1/2
        "bad": DrugTargets(None, ("1", "5"), ("activate", "inhibit")),
        "unknown": DrugTargets(None, ("1",), ("unknown",)),
        "no-directions": DrugTargets(None, ("1",)),
    }
    res = get_method("direction").rank(context(path10, ("1",), drugs, seeds=seeds), seed=0)
    assert {d: s.value for d, s in res.items()} == pytest.approx(
        {"good": 2 / 3, "mixed": -2 / 9, "worse": -0.5, "bad": -0.5}
    )


def test_direction_without_patient_changes(path10) -> None:
    ctx = context(path10, ("1",), {"x": DrugTargets(None, ("1",), ("inhibit",))})
    assert get_method("direction").rank(ctx, seed=0) == {}


# ------------------------------------------------------------------ disruption


def test_module_loss_hand_values() -> None:
    # module: path 0-1-2-3-4 plus a triangle 10-11-12 (smaller component) in one network
    edges = [("0", "1"), ("1", "2"), ("2", "3"), ("3", "4"), ("4", "5")]
    edges += [("5", "10"), ("10", "11"), ("11", "12"), ("12", "10")]
    net = Network.from_edges(edges)
    idx = {n: net.index[n] for n in net.nodes}
    module = np.array([idx[n] for n in ("0", "1", "2", "3", "4", "10", "11", "12")])
    loss = ModuleLoss(net, module)
    assert loss.before == 5
    cases = {
        ("2",): 3,  # {0,1} and {3,4} -> LCC 2
        ("0",): 1,  # end of the path
        ("1", "3"): 4,  # {0}, {2}, {4} -> 1
        ("10", "11"): 0,  # the smaller component cannot change the LCC
        ("5",): 0,  # not a module gene
        ("0", "4"): 2,
    }
    for removed, want in cases.items():
        assert loss.of(np.array([idx[n] for n in removed])) == want, removed
    rows = np.array([[idx["2"], idx["5"]], [idx["1"], idx["3"]], [idx["10"], idx["11"]]])
    assert loss.of_samples(rows).tolist() == [3, 4, 0]


def test_disruption_equals_algorithm_per_drug() -> None:
    graph = nx.gnm_random_graph(120, 260, seed=2)
    net = Network.from_edges((str(u), str(v)) for u, v in graph.edges()).largest_component()
    rng = np.random.default_rng(3)
    module = tuple(str(x) for x in rng.choice(net.nodes, 40, replace=False))
    drugs = {
        f"d{k}": DrugTargets(None, tuple(rng.choice(net.nodes, 1 + k % 4, replace=False)))
        for k in range(12)
    }
    ctx = context(net, module, drugs, n_samples=60)
    res = get_method("disruption", {"bin_size": 15}).rank(ctx, seed=11)
    for drug_id, drug in drugs.items():
        want = module_disruption(net, module, drug.targets, n_samples=60, bin_size=15, seed=11)
        got = res[drug_id]
        if want.z_valid and want.loss > 0:
            assert got.value == pytest.approx(want.z)
        else:  # no loss = no information: tied as None, not -mu/sigma
            assert got.value is None
        assert got.p == pytest.approx(want.p)
    assert any(v.value is None for v in res.values())
    assert any(v.value is not None for v in res.values())


def test_disruption_null_cap(path10) -> None:
    # x cuts the module in two (loss 3), y trims its end (loss 1); z's bin {0, 9} holds no
    # module gene, so its null is all zeros: sigma = 0, no z
    drugs = {
        "x": DrugTargets(None, ("4",)),
        "y": DrugTargets(None, ("2",)),
        "z": DrugTargets(None, ("0",)),
    }
    ctx = context(path10, ("2", "3", "4", "5", "6"), drugs, n_samples=1000)
    res = get_method("disruption", {"bin_size": 2, "null_cap": 9}).rank(ctx, seed=0)
    # p = (1 + #{null >= loss}) / (9 + 1): a multiple of 1/10
    assert all(math.isclose(s.p * 10, round(s.p * 10)) for s in res.values())  # type: ignore[operator]
    assert res["x"].value is not None
    assert res["y"].value is not None
    assert res["x"].value > res["y"].value
    assert res["z"].value is None
    assert res["z"].p == 1.0


def test_method_scores_are_frozen() -> None:
    score = get_method("degree")
    assert score.name == "degree"
    from medtwin.platform.ranking import MethodScore

    with pytest.raises(dataclasses.FrozenInstanceError):
        MethodScore(1.0).value = 2.0  # type: ignore[misc]
