"""Ranking methods against independent implementations: scipy, statsmodels, networkx.

Each method's own tests check hand-computed toys; these recompute a method's score on random
inputs (fixed seeds) with another library's code and the formula of the method's docstring:

- ``reversal``: :math:`V(d) = -\\rho_S`, p and BH q — ``scipy.stats.spearmanr`` and statsmodels;
- ``regulator_network``: :math:`N(d) = \\max_t p_t / k_t` — ``networkx.pagerank`` personalised
  to the URs (:math:`|a_u|`) and drivers (:math:`3|g|`), damping 1 − restart;
- ``disruption``: :math:`\\ell(T) = |LCC(S)| - |LCC(S \\setminus T)|` — networkx components;
  a drug with :math:`\\ell = 0` gets ``value = None``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.stats import spearmanr
from statsmodels.stats.multitest import multipletests

from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.algorithms.network import Network
from medtwin.platform.ranking import DrugTargets, get_method
from medtwin.platform.ranking.disruption_rank import ModuleLoss
from medtwin.platform.regulators import PatientActivity

from .conftest import context


def _network(seed: int) -> tuple[Network, nx.Graph]:
    g = nx.barabasi_albert_graph(120, 2, seed=seed)
    g = nx.relabel_nodes(g, {n: str(n) for n in g})
    return Network.from_edges(g.edges), g


@pytest.mark.parametrize("seed", range(5))
def test_reversal_is_minus_scipy_spearman_with_statsmodels_bh(seed: int) -> None:
    rng = np.random.default_rng(seed)
    genes = [str(i) for i in range(80)]
    stats = {g: float(np.round(rng.normal(), 1)) for g in genes}  # rounded: ties
    pert: dict[str, dict[str, float]] = {}
    for d in range(6):
        kept = [g for g in genes if rng.random() > 0.15 * (d % 3)]  # some drugs miss genes
        pert[f"d{d}"] = {g: float(np.round(rng.normal() - 0.3 * d * stats[g], 2)) for g in kept}
    drugs = {d: DrugTargets(d, ("x",)) for d in pert}
    got = get_method("reversal", {"min_genes": 40}).score(drugs, stats, pert)
    assert set(got) == set(pert)
    rhos, ps = {}, {}
    for d, sig in pert.items():
        shared = sorted(set(sig) & set(stats))
        rho, p = spearmanr([stats[g] for g in shared], [sig[g] for g in shared])
        rhos[d], ps[d] = float(rho), float(p)
    qs = dict(zip(ps, multipletests(list(ps.values()), method="fdr_bh")[1], strict=True))
    for d, score in got.items():
        assert score.value == pytest.approx(-rhos[d], abs=1e-12)
        assert score.p == pytest.approx(ps[d], rel=1e-9, abs=1e-15)
        assert score.q == pytest.approx(qs[d], rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("restart", [0.3, 0.7])
def test_regulator_network_is_networkx_pagerank_over_degree(seed: int, restart: float) -> None:
    net, g = _network(seed)
    rng = np.random.default_rng(seed)
    tf = {
        "1": Activity(4.0, 1e-4, 0.001, 10, "ulm"),  # URs (q <= 0.05)
        "7": Activity(-2.5, 1e-3, 0.02, 10, "ulm"),
        "9": Activity(6.0, 0.2, 0.3, 10, "ulm"),  # not a UR
        "not_in_network": Activity(5.0, 1e-5, 1e-4, 10, "ulm"),
    }
    drivers = {"30": -1.0, "1": 0.5, "absent": 1.0}
    drugs = {
        f"d{i}": DrugTargets(f"d{i}", tuple(str(x) for x in rng.choice(120, size=3, replace=False)))
        for i in range(15)
    }
    method = get_method("regulator_network", {"restart": restart})
    got = method.score(net, drugs, PatientActivity(tf, {}), drivers)
    personal = {"1": 4.0 + 3 * 0.5, "7": 2.5, "30": 3 * 1.0}
    p = nx.pagerank(g, alpha=1 - restart, personalization=personal, tol=1e-13, max_iter=10_000)
    for d, drug in drugs.items():
        expected = max(p[t] / g.degree[t] for t in drug.targets)
        assert got[d].value == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_disruption_module_loss_is_networkx_lcc_loss(seed: int) -> None:
    net, g = _network(seed)
    rng = np.random.default_rng(seed)
    module = sorted({str(x) for x in rng.choice(120, size=40, replace=False)})
    sub = g.subgraph(module)
    before = max(len(c) for c in nx.connected_components(sub))
    loss = ModuleLoss(net, np.array([net.index[m] for m in module]))
    assert loss.before == before
    drugs = {}
    for i in range(20):
        picked = rng.choice(120, size=int(rng.integers(1, 4)), replace=False)
        targets = tuple(str(x) for x in picked)
        drugs[f"d{i}"] = DrugTargets(f"d{i}", targets)
        rest = sub.subgraph(set(module) - set(targets))
        after = max((len(c) for c in nx.connected_components(rest)), default=0)
        assert loss.of(np.array([net.index[t] for t in targets])) == before - after
    scored = get_method("disruption").rank(context(net, tuple(module), drugs), seed=seed)
    no_loss = [d for d, drug in drugs.items() if not loss.of(net.indices_of(drug.targets)[0])]
    assert no_loss  # the rule below is exercised
    assert {d for d, s in scored.items() if s.value is None} >= set(no_loss)
