from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.nulls import (
    degree_bins,
    resolve_seed,
    sample_matched,
    signature,
    signature_rng,
)

from .conftest import network_of


def guney_reference(degrees: list[int], bin_size: int) -> list[tuple[int, int, list[int]]]:
    """Transcription of emreg00/toolbox network_utilities.get_degree_binning."""
    degree_to_nodes: dict[int, list[int]] = {}
    for node, degree in enumerate(degrees):
        degree_to_nodes.setdefault(degree, []).append(node)
    values = sorted(degree_to_nodes)
    bins: list[tuple[int, int, list[int]]] = []
    i = 0
    while i < len(values):
        low = values[i]
        val = list(degree_to_nodes[values[i]])
        while len(val) < bin_size:
            i += 1
            if i == len(values):
                break
            val.extend(degree_to_nodes[values[i]])
        if i == len(values):
            i -= 1
        high = values[i]
        i += 1
        if len(val) < bin_size:
            low_, _, val_ = bins[-1]
            bins[-1] = (low_, high, val_ + val)
        else:
            bins.append((low, high, val))
    return bins


@pytest.mark.parametrize("bin_size", [1, 5, 20, 100])
def test_binning_matches_guney(bin_size):
    net = network_of(nx.barabasi_albert_graph(400, 2, seed=3))
    bins = degree_bins(net, bin_size)
    ref = guney_reference(net.degrees.tolist(), bin_size)
    assert bins.low == tuple(b[0] for b in ref)
    assert bins.high == tuple(b[1] for b in ref)
    assert [sorted(m.tolist()) for m in bins.members] == [sorted(b[2]) for b in ref]
    for b, members in enumerate(bins.members):
        assert (bins.bin_of[members] == b).all()
        deg = net.degrees[members]
        assert (deg >= bins.low[b]).all()
        assert (deg <= bins.high[b]).all()
        assert members.size >= min(bin_size, net.n_nodes)


def test_bad_bin_size_and_seed(star):
    with pytest.raises(InputError, match="bin_size"):
        degree_bins(star, 0)
    with pytest.raises(InputError, match="seed"):
        resolve_seed(-1)
    assert resolve_seed(None) >= 0


@pytest.mark.parametrize("n_pick", [1, 3, 30, 80])
def test_every_sampled_node_is_in_its_own_nodes_bin(n_pick):
    net = network_of(nx.barabasi_albert_graph(500, 3, seed=5))
    bins = degree_bins(net, 100)
    rng = np.random.default_rng(0)
    chosen = np.sort(rng.choice(net.n_nodes, size=n_pick, replace=False))
    sig = signature(bins, chosen)
    samples = sample_matched(bins, sig, 300, signature_rng(7, 1, sig))
    assert samples.shape == (300, n_pick)
    expected = np.asarray(sig)
    assert (bins.bin_of[samples] == expected[None, :]).all()
    for row in samples:
        assert np.unique(row).size == n_pick


def test_sampling_is_reproducible_and_seed_dependent():
    net = network_of(nx.barabasi_albert_graph(300, 2, seed=1))
    bins = degree_bins(net, 50)
    sig = signature(bins, np.arange(10))
    a = sample_matched(bins, sig, 20, signature_rng(1, 2, sig))
    b = sample_matched(bins, sig, 20, signature_rng(1, 2, sig))
    c = sample_matched(bins, sig, 20, signature_rng(2, 2, sig))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
