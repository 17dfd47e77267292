"""Stratification and similar patients on the real server, against independent computations:
brute-force Jaccard and kNN over the twins' stored genes, scikit-learn's adjusted Rand index
(Hubert & Arabie 1985, doi:10.1007/BF01908075), networkx's Louvain on the same kNN graph."""

from __future__ import annotations

import networkx as nx
import pytest
from sklearn.metrics import adjusted_rand_score

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients, stratify, twins
from medtwin.platform.models import TwinParams

pytestmark = pytest.mark.neo4j

TWIN = TwinParams(module_samples=50, expand=0)


def _add(store, n: int) -> list[str]:
    """Patients on the tiny reference's three 20-cliques, each a different slice of its clique."""
    ids = []
    for k in range(n):
        start = 1 + 20 * (k % 3)
        genes = range(start + k % 5, start + 10 + k % 7)
        changes = tuple(GeneChange(entrez=str(i), log2fc=2.0 if i % 2 else -1.5) for i in genes)
        pid = f"S{k}"
        patients.add_patient(
            store, PatientProfile(patient_id=pid, changes=changes, metadata={"clique": str(k % 3)})
        )
        twins.build_twin(store, pid, TWIN)
        ids.append(pid)
    return ids


def _brute_force_pairs(sets: dict[str, set[str]], k: int) -> dict[frozenset[str], float]:
    """Each patient's k best Jaccard neighbours (score > 0, ties by id), as unordered pairs."""
    pairs: dict[frozenset[str], float] = {}
    for a in sorted(sets):
        scores = []
        for b in sorted(sets):
            if a != b:
                union = sets[a] | sets[b]
                j = len(sets[a] & sets[b]) / len(union) if union else 0.0
                if j > 0:
                    scores.append((-j, b))
        for neg, b in sorted(scores)[:k]:
            pairs[frozenset((a, b))] = round(-neg, 6)
    return pairs


def test_stratify_and_similar_patients_equal_brute_force_sklearn_and_networkx(tiny_reference):
    store, _ = tiny_reference
    ids = _add(store, 7)
    got = stratify.stratify_cohort(store, ids, k=2, labels_key="clique", permutations=100, seed=3)
    sets = {
        pid: {g["entrez"] for g in store.twins.genes(store.twins.twin(pid, None)["id"])}
        for pid in ids
    }
    expected = _brute_force_pairs(sets, 2)
    stored: dict[frozenset[str], float] = {}
    for pid in ids:
        like = stratify.similar_patients(store, pid, limit=1000)
        scores = [x.score for x in like]
        assert scores == sorted(scores, reverse=True)  # best first
        for x in like:
            assert x.method == "jaccard:twin"
            stored[frozenset((pid, x.patient_id))] = x.score
    assert stored.keys() == expected.keys()
    assert stored == pytest.approx(expected, abs=1e-6)
    assert got.similarities == len(expected)
    # ARI: scikit-learn on the stored communities against the labels
    labels = [str(k % 3) for k in range(len(ids))]
    assert got.ari == pytest.approx(
        adjusted_rand_score(labels, [got.communities[p] for p in ids]), abs=1e-4
    )
    # GDS Louvain on the weighted kNN graph: the partition networkx's Louvain finds there
    graph = nx.Graph()
    graph.add_weighted_edges_from((*sorted(p), w) for p, w in expected.items())
    louvain = nx.community.louvain_communities(graph, weight="weight", seed=0)
    ours = {frozenset(p for p in ids if got.communities[p] == c) for c in got.communities.values()}
    assert ours == {frozenset(c) for c in louvain}
    assert len(ours) > 1
    assert sorted(got.sizes, reverse=True) == list(got.sizes)
    assert sum(got.sizes) == len(ids)
    # similar_patients' limit keeps the best ones
    for pid in ids:
        top = stratify.similar_patients(store, pid, limit=1)
        best = max((w for p, w in expected.items() if pid in p), default=None)
        assert [x.score for x in top] == ([] if best is None else [pytest.approx(best, abs=1e-6)])
