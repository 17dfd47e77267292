from __future__ import annotations

import dataclasses
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import MissingNodesWarning, Network
from medtwin.platform.algorithms.proximity import closest_distance, proximity
from medtwin.platform.algorithms.proximity_screen import _by_target, _null_sums_at, screen

from .conftest import data_root, network_of


def idx(net: Network, ids: list[str]) -> np.ndarray:
    return np.array([net.index[i] for i in ids])


@pytest.mark.parametrize(
    ("genes", "targets", "expected"),
    [
        (["0"], ["0"], 0.0),
        (["0"], ["9"], 9.0),
        (["0"], ["2", "4"], 3.0),
        (["0", "9"], ["4", "5"], 4.0),  # 4 is 4 from 0, 5 is 4 from 9
        (["3", "6"], ["1", "5", "8"], (2 + 1 + 2) / 3),
    ],
)
def test_closest_distance_path(path10, genes, targets, expected):
    dist = all_pairs_distances(path10)
    assert closest_distance(dist, idx(path10, genes), idx(path10, targets)) == pytest.approx(
        expected
    )


@pytest.mark.parametrize(
    ("genes", "targets", "expected"),
    [
        (["hub"], ["a", "b"], 1.0),
        (["a"], ["b", "c", "hub"], (2 + 2 + 1) / 3),
        (["a", "b"], ["a", "c"], (0 + 2) / 2),
    ],
)
def test_closest_distance_star(star, genes, targets, expected):
    dist = all_pairs_distances(star)
    assert closest_distance(dist, idx(star, genes), idx(star, targets)) == pytest.approx(expected)


def test_closest_distance_is_not_symmetric(path10):
    dist = all_pairs_distances(path10)
    s, t = idx(path10, ["0"]), idx(path10, ["2", "4"])
    assert closest_distance(dist, s, t) == 3.0
    assert closest_distance(dist, t, s) == 2.0


def test_proximity_result_fields_and_reproducibility():
    net = network_of(nx.barabasi_albert_graph(300, 2, seed=2))
    dist = all_pairs_distances(net)
    targets, genes = ["1", "5", "77"], [str(i) for i in range(100, 130)]
    a = proximity(dist, net, targets, genes, n_samples=200, bin_size=20, seed=11)
    b = proximity(dist, net, targets, genes, n_samples=200, bin_size=20, seed=11)
    assert a == b
    assert (a.n_iter, a.seed, a.n_targets, a.n_targets_in_network) == (200, 11, 3, 3)
    assert (a.n_genes, a.n_genes_in_network) == (30, 30)
    assert a.z_valid
    assert a.z == pytest.approx((a.d - a.mu) / a.sigma)
    assert 1 / 201 <= a.p <= 1
    assert a.p_normal == pytest.approx(0.5 * math.erfc(-a.z / math.sqrt(2)))


def test_missing_nodes_warn_and_are_counted(path10):
    dist = all_pairs_distances(path10)
    with pytest.warns(MissingNodesWarning, match="1 of 2 drug targets"):
        r = proximity(dist, path10, ["0", "nope"], ["3"], n_samples=20, bin_size=2, seed=0)
    assert (r.n_targets, r.n_targets_in_network) == (2, 1)


def test_empty_sets_raise_naming_the_set(path10):
    dist = all_pairs_distances(path10)
    with (
        pytest.warns(MissingNodesWarning),
        pytest.raises(InputError, match="drug targets"),
    ):
        proximity(dist, path10, ["x"], ["1"], n_samples=20, seed=0)
    with (
        pytest.warns(MissingNodesWarning),
        pytest.raises(InputError, match="module genes"),
    ):
        proximity(dist, path10, ["1"], ["x"], n_samples=20, seed=0)


def test_disconnected_network_and_bad_matrix_raise():
    net = Network.from_edges([("a", "b"), ("c", "d")])
    with pytest.raises(InputError, match="connected"):
        proximity(all_pairs_distances(net), net, ["a"], ["b"], n_samples=10, seed=0)
    path = Network.from_edges([("a", "b"), ("b", "c")])
    with pytest.raises(InputError, match="shape"):
        proximity(np.zeros((2, 2), np.uint8), path, ["a"], ["b"], n_samples=10, seed=0)


def test_zero_sigma_is_flagged_not_silent():
    net = network_of(nx.complete_graph(5))
    dist = all_pairs_distances(net)
    r = proximity(dist, net, ["0"], [str(i) for i in range(5)], n_samples=30, bin_size=1, seed=0)
    assert r.sigma == 0
    assert not r.z_valid
    assert math.isnan(r.z)
    assert math.isnan(r.p_normal)
    assert r.p == 1.0


def test_screen_equals_proximity_per_drug():
    net = network_of(nx.barabasi_albert_graph(400, 2, seed=4))
    dist = all_pairs_distances(net)
    rng = np.random.default_rng(1)
    module = [str(x) for x in rng.choice(400, 25, replace=False)]
    drugs = {
        f"D{k}": [str(x) for x in rng.choice(400, k % 4 + 1, replace=False)] for k in range(12)
    }
    drugs["D-missing"] = ["not-a-node"]
    drugs["D-partial"] = ["3", "not-a-node"]
    with pytest.warns(MissingNodesWarning):
        results = screen(dist, net, module, drugs, n_samples=100, bin_size=40, seed=9, n_workers=2)
    assert [r.drug for r in results] == [d for d in drugs if d != "D-missing"]
    for r in results:
        with pytest.warns(MissingNodesWarning) if r.drug == "D-partial" else _nothing():
            assert r.drug is not None
            one = proximity(dist, net, drugs[r.drug], module, n_samples=100, bin_size=40, seed=9)
        assert dataclasses.replace(r, drug=None) == one
    # a drug's result does not depend on the other drugs screened with it
    alone = screen(dist, net, module, {"D3": drugs["D3"]}, n_samples=100, bin_size=40, seed=9)
    assert alone[0] == next(r for r in results if r.drug == "D3")


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_screen_needs_a_drug_in_the_network(path10):
    dist = all_pairs_distances(path10)
    with pytest.warns(MissingNodesWarning), pytest.raises(InputError, match="no drug"):
        screen(dist, path10, ["1"], {"x": ["nope"]}, n_samples=10, seed=0)


# ---------------------------------------------------------------- real interactome (optional)

DATA = data_root()
INTERACTOME = DATA / "menche2015_interactome" / "DataS1_interactome.tsv"
GUNEY = DATA / "guney2016_network_medicine"


@pytest.fixture(scope="module")
def real():
    if not INTERACTOME.exists() or not (GUNEY / "drug_to_geneids.tsv").exists():
        pytest.skip(f"reference data not found under {DATA} (set MEDTWIN_DATA_MIRROR)")
    edges = pd.read_csv(INTERACTOME, sep="\t", comment="#", header=None, dtype=str)
    net = Network.from_edges(zip(edges[0], edges[1], strict=True)).largest_component()
    dist = all_pairs_distances(net)
    targets = pd.read_csv(GUNEY / "drug_to_geneids.tsv", sep="\t", dtype=str)
    drugs = targets.groupby("drugbank_id")["entrez_gene_id"].apply(list).to_dict()
    modules = {}
    with open(GUNEY / "disease_genes.tsv") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            modules[fields[1]] = [g for g in fields[2:] if g]
    return net, dist, drugs, modules


def netmedpy_style_closest(graph: nx.Graph, targets: list[str], genes: list[str]) -> float:
    """Per target one BFS, min over module genes (the way NetMedPy/Guney compute d_c)."""
    module = set(genes)
    total = 0
    for t in targets:
        lengths = nx.single_source_shortest_path_length(graph, t)
        total += min(lengths[s] for s in module)
    return total / len(targets)


def test_real_interactome_matches_networkx_and_z_is_stable(real):
    net, dist, drugs, modules = real
    assert (net.n_nodes, net.n_edges) == (13329, 138356)
    graph = net.to_networkx()
    diseases = ["arthritis, rheumatoid", "asthma", "breast neoplasms", "parkinson disease"]
    rng = np.random.default_rng(0)
    drug_ids = sorted(d for d, ts in drugs.items() if any(t in net.index for t in ts))
    picked = [drug_ids[i] for i in rng.choice(len(drug_ids), 10, replace=False)]
    for disease in diseases:
        module = [g for g in modules[disease] if g in net.index]
        subset = {d: drugs[d] for d in picked}
        with pytest.warns(MissingNodesWarning):
            first = screen(dist, net, modules[disease], subset, n_samples=1000, seed=1)
        with pytest.warns(MissingNodesWarning):
            second = screen(dist, net, modules[disease], subset, n_samples=1000, seed=2)
        for a, b in zip(first, second, strict=True):
            targets = [t for t in drugs[a.drug] if t in net.index]
            assert a.d == pytest.approx(netmedpy_style_closest(graph, targets, module))
            assert a.d == b.d
            assert a.z_valid
            assert b.z_valid
            # the null is re-sampled: z agrees within Monte-Carlo error, not exactly
            assert abs(a.z - b.z) < 0.35
    # speed is measured by `make bench-screen`, never asserted in a unit test


def test_screen_of_few_drugs_skips_the_null_table_and_still_equals_proximity(monkeypatch):
    """Few target columns (resampling drugs at the p floor): no n_samples × n_nodes table."""
    from medtwin.platform.algorithms import proximity_screen

    net = network_of(nx.barabasi_albert_graph(400, 2, seed=4))
    dist = all_pairs_distances(net)
    rng = np.random.default_rng(2)
    module = [str(x) for x in rng.choice(400, 30, replace=False)]
    drugs = {"A": ["5", "17"], "B": ["250"]}
    table = screen(dist, net, module, {**drugs, **{f"X{k}": [str(k)] for k in range(30)}},
                   n_samples=300, bin_size=40, seed=4)  # fmt: skip
    called = []
    monkeypatch.setattr(proximity_screen, "module_min_distances", lambda *a, **k: called.append(1))
    few = screen(dist, net, module, drugs, n_samples=300, bin_size=40, seed=4)
    assert called == []
    for r in few:
        assert r.drug is not None
        one = proximity(dist, net, drugs[r.drug], module, n_samples=300, bin_size=40, seed=4)
        assert dataclasses.replace(r, drug=None) == one
        assert r == next(t for t in table if t.drug == r.drug)


# ---------------------------------------------------------------- the null without the m_k table


def test_null_sums_at_by_hand_on_a_path(path10):
    """Path 0-…-9: row k is the sum over targets of the closest module gene's distance."""
    dist = all_pairs_distances(path10)
    genes = idx(path10, ["0", "9"]), idx(path10, ["5", "4"])
    targets = idx(path10, ["2", "7"]), idx(path10, ["0", "9"])
    # sample 0: 2 is 2 from 0, 7 is 2 from 9 -> 4; sample 1: 0 is 4 from 4, 9 is 4 from 5 -> 8
    for block in (1, 2, 3, 1 << 18):
        sums = _null_sums_at(dist, np.stack(genes), np.stack(targets), block=block)
        assert sums.tolist() == [4, 8]


@pytest.mark.parametrize("block", [1, 5, 29, 1 << 18])
def test_null_sums_at_equals_the_closest_distance_formula(block):
    """Pairs visited target by target, in blocks of any size: the sums of the plain formula."""
    net = network_of(nx.barabasi_albert_graph(300, 2, seed=6))
    dist = all_pairs_distances(net)
    rng = np.random.default_rng(3)
    genes = np.stack([rng.choice(300, 7, replace=False) for _ in range(60)])
    targets = rng.integers(0, 300, size=(60, 4))  # a target repeated across and within rows
    expected = [int(dist[np.ix_(g, t)].min(axis=0).astype(np.int64).sum())
                for g, t in zip(genes, targets, strict=True)]  # fmt: skip
    assert _null_sums_at(dist, genes, targets, block=block).tolist() == expected


@pytest.mark.parametrize("n_nodes", [300, 70_000])
def test_targets_are_visited_node_by_node(n_nodes):
    """16-bit keys (radix sort) up to 2**16 nodes, the node ids themselves beyond."""
    targets = np.random.default_rng(4).integers(0, n_nodes, size=5_000)
    order = _by_target(targets, n_nodes)
    assert sorted(order.tolist()) == list(range(targets.size))
    assert (np.diff(targets[order]) >= 0).all()
