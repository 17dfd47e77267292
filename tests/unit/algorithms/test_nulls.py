from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.nulls import (
    MAX_EXPECTED_PAIRS,
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


def _resort_every_row(bins, sig, n_samples, rng):
    """The rejection sampler as first written (every row sorted again after each redraw), with
    today's choice between rejection and argpartition."""
    out = np.empty((n_samples, len(sig)), dtype=np.intp)
    sig_arr = np.asarray(sig, dtype=np.intp)
    for b in np.unique(sig_arr).tolist():
        cols = np.flatnonzero(sig_arr == b)
        pool = bins.members[b]
        pairs = cols.size * (cols.size - 1) / (2 * pool.size)
        if cols.size * 4 <= pool.size and pairs <= MAX_EXPECTED_PAIRS:
            picks = rng.integers(0, pool.size, size=(n_samples, cols.size))
            while cols.size > 1:
                srt = np.sort(picks, axis=1)
                bad = np.flatnonzero((srt[:, 1:] == srt[:, :-1]).any(axis=1))
                if bad.size == 0:
                    break
                picks[bad] = rng.integers(0, pool.size, size=(bad.size, cols.size))
        else:
            picks = np.argpartition(rng.random((n_samples, pool.size)), cols.size - 1, axis=1)
            picks = picks[:, : cols.size]
        out[:, cols] = pool[picks]
    return out


@pytest.mark.parametrize("per_bin", [2, 3, 12, 25, 40])
def test_redrawing_only_the_bad_rows_draws_the_same_samples(per_bin):
    # 25 of a bin of 100 redraws ~95 % of the rows for several rounds: the case the
    # incremental check is for; 2 takes the two-column shortcut; 40 the argpartition path
    net = network_of(nx.barabasi_albert_graph(600, 3, seed=11))
    bins = degree_bins(net, 100)
    sig = tuple(sorted(b for b in range(len(bins.members)) for _ in range(per_bin)))
    got = sample_matched(bins, sig, 400, signature_rng(3, 1, sig))
    want = _resort_every_row(bins, sig, 400, signature_rng(3, 1, sig))
    np.testing.assert_array_equal(got, want)
    for row in got:
        assert np.unique(row).size == len(sig)


@pytest.mark.timeout(60)
def test_many_nodes_of_one_large_bin_are_drawn_without_rejection():
    # 226 of 2,143 (a phenotype module): a row without a repeat had probability ~7e-6, and
    # the rejection sampler did not end
    net = network_of(nx.barabasi_albert_graph(2_400, 1, seed=2))
    bins = degree_bins(net, 2_000)
    big = max(range(len(bins.members)), key=lambda b: bins.members[b].size)
    sig = (big,) * 226
    samples = sample_matched(bins, sig, 300, signature_rng(0, 1, sig))
    assert (bins.bin_of[samples] == big).all()
    assert all(np.unique(row).size == 226 for row in samples)
    assert 2 * MAX_EXPECTED_PAIRS * bins.members[big].size < 226 * 225  # not by rejection
