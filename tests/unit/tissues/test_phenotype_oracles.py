"""Phenotype modules against independent computations: scipy's hypergeometric distribution (the
exact overlap null when every gene has one degree), a brute-force co-occurrence rule, and the
stored module of a twin built in memory, re-derived by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import hypergeom

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients, twins
from medtwin.platform.algorithms.network import Network
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import TwinParams
from medtwin.platform.phenotype_module import (
    MIN_WEIGHT,
    co_occurring,
    phenotype_module,
    stored_module,
)
from medtwin.store.memory import MemoryStore

N = 200
RING = Network.from_edges([(str(i), str(i % N + 1)) for i in range(1, N + 1)])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_overlap_null_is_scipys_hypergeometric_on_a_one_degree_network(seed: int) -> None:
    """A ring: every gene has degree 2, so the degree-matched null draws |G| genes uniformly
    without replacement and the overlap with the module M is Hypergeom(N, |M|, |G|)."""
    rng = np.random.default_rng(seed)
    module = [str(g) for g in rng.choice(np.arange(1, N + 1), 40, replace=False)]
    inside = module[: 6 + seed]  # planted: more phenotype genes in the module than chance
    outside = [str(g) for g in range(1, N + 1) if str(g) not in module][: 14 - seed]
    got = phenotype_module(
        ["HP:1"], [], {"HP:1": inside + outside}, module, RING, n_samples=20000, seed=seed
    )
    draws = len(inside) + len(outside)
    null = hypergeom(N, len(module), draws)
    assert got.overlap == len(inside)
    assert got.n_samples == 20000
    # Monte Carlo against the exact law: 5 standard errors of 20,000 draws
    assert got.mu == pytest.approx(null.mean(), abs=5 * null.std() / np.sqrt(20000))
    assert got.sigma == pytest.approx(null.std(), rel=0.03)
    exact_p = null.sf(got.overlap - 1)  # P(overlap >= observed)
    se = np.sqrt(exact_p * (1 - exact_p) / 20000) + 1 / 20001
    assert got.p == pytest.approx(exact_p, abs=5 * se)
    assert got.z == pytest.approx((got.overlap - got.mu) / got.sigma)


def _brute_force(given, edges, theta):
    """Every term outside ``given``: the sum of its edge weights to ``given``, kept when >= θ."""
    terms = {x for a, b, _, _ in edges for x in (a, b)} - set(given)
    out = []
    for v in terms:
        total, kind = 0.0, None
        for a, b, w, k in edges:
            if (a == v and b in given) or (b == v and a in given):
                total, kind = total + w, k
        if kind is not None and total >= theta[kind]:
            out.append((v, round(total, 6)))
    return sorted(out, key=lambda kv: (-kv[1], kv[0]))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_co_occurring_equals_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    terms = [f"S{i}" for i in range(12)] + [f"HP:{i}" for i in range(8)]
    edges = []
    for a, b in itertools.combinations(terms, 2):
        if a[0] == b[0] and rng.random() < 0.3:  # an edge joins two terms of one kind
            kind = "Symptom" if a.startswith("S") else "Phenotype"
            edges.append((a, b, float(rng.uniform(0.05, 0.7)), kind))
    given = [terms[i] for i in rng.choice(len(terms), 4, replace=False)]
    assert co_occurring(given, edges, MIN_WEIGHT) == _brute_force(given, edges, MIN_WEIGHT)


def test_analyse_phenotypes_in_a_twin_build_stores_what_stored_module_reads_by_hand() -> None:
    """A ring of 8 genes, one HPO term on genes 1, 2, 7 and a twin module: what the twin build's
    analyse_phenotypes stored, stored_module reads back; the overlap is the term's genes in the
    module (hand-counted), its null mean the hypergeometric one."""
    store = MemoryStore()
    store.add_reference(
        genes={str(i): f"G{i}" for i in range(1, 9)},
        ppi=[(str(i), str(i % 8 + 1)) for i in range(1, 9)],
        phenotypes={"HP:0001370": ("Rheumatoid arthritis", ["1", "2", "7"])},
    )
    changes = tuple(GeneChange(entrez=g, log2fc=2.0, padj=1e-4) for g in ("1", "2", "3"))
    profile = PatientProfile(patient_id="P", changes=changes, symptoms=("HP:0001370",))
    patients.add_patient(store, profile)
    ctx = ReferenceContext()
    twin = twins.build_twin(store, "P", TwinParams(module_samples=20, min_seeds=2), ctx=ctx)
    stored = store.twins.twin("P", None)
    got = stored_module(store, stored)
    assert got is not None
    module = {g["entrez"] for g in store.twins.genes(twin.id) if g["in_module"]}
    assert 0 < len(module) < 8  # a module that is not the whole ring: a non-trivial null
    overlap = {"1", "2", "7"} & module
    assert got.overlap == len(overlap)
    assert {g["entrez"] for g in got.overlap_genes} == overlap
    assert {tuple(g["via"]) for g in got.overlap_genes} <= {("HP:0001370",)}
    assert got.module_size == len(module)
    assert got.n_genes == 3
    assert [t.id for t in got.terms] == ["HP:0001370"]
    null = hypergeom(8, len(module), 3)
    assert got.mu == pytest.approx(null.mean(), abs=5 * null.std() / np.sqrt(got.n_samples) + 1e-9)
    # the same numbers as the pure function on the same inputs (what analyse_phenotypes ran)
    again = phenotype_module(
        ["HP:0001370"], [], {"HP:0001370": ["1", "2", "7"]}, sorted(module), RING_OF_8,
        seed=got.seed,
    )  # fmt: skip
    assert (again.overlap, again.mu, again.sigma, again.p) == (
        got.overlap,
        got.mu,
        got.sigma,
        got.p,
    )


RING_OF_8 = Network.from_edges([(str(i), str(i % 8 + 1)) for i in range(1, 9)])
