"""Upstream regulators per cell type against networkx's personalised PageRank (an independent
implementation; Haveliwala 2002, doi:10.1145/511446.511513), in memory."""

from __future__ import annotations

import networkx as nx
import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import cell_regulators, patients, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import TwinParams
from medtwin.platform.regulator_centrality import RESTART
from medtwin.store.memory import MemoryStore

RING = [(str(i), str(i % 30 + 1)) for i in range(1, 31)]
REGULONS = {
    "2": {str(g): 1.0 for g in range(3, 10)} | {"2": 1.0},  # a self-regulation: no edge
    "20": {"21": 1.0, "25": -1.0, "1": 1.0, "14": -1.0},
}


def _row(tf: str, cell: str, score: float, q: float) -> dict[str, object]:
    return {
        "kind": "tf", "id": tf, "score": score, "p": q / 10, "q": q, "method": "ulm",
        "n_targets": 6, "context": "cell_type", "cell_type": cell, "tissue": None,
    }  # fmt: skip


def test_context_regulators_rank_by_networkx_pagerank_within_each_cell_type() -> None:
    store = MemoryStore()
    store.add_reference(genes={str(i): f"G{i}" for i in range(1, 31)}, ppi=RING)
    store.add_regulator_layers(REGULONS, {})
    changes = tuple(GeneChange(entrez=str(g), log2fc=2.0, padj=1e-3) for g in (3, 4, 5))
    patients.add_patient(store, PatientProfile(patient_id="P", changes=changes))
    twin = twins.build_twin(store, "P", TwinParams(module_samples=20, min_seeds=2))
    rows = [
        _row("2", "B", 3.0, 0.001), _row("20", "B", -6.0, 0.01), _row("17", "B", 2.0, 0.2),
        _row("2", "T", -1.0, 0.04), _row("20", "T", 1.0, 0.03), _row("11", "T", 5.0, 0.001),
    ]  # fmt: skip
    store.twins.save_context_activity(twin.id, rows)
    got = cell_regulators.context_regulators(store, "P", "cell_type", ctx=ReferenceContext())
    assert got.restart == RESTART
    # the network by hand: the ring plus every TF-target pair, undirected, no self-loop
    graph = nx.Graph(RING)
    graph.add_edges_from((tf, t) for tf, ts in REGULONS.items() for t in ts if t != tf)
    for context in got.contexts:
        urs = {r["id"]: abs(r["score"]) for r in rows
               if r["cell_type"] == context.cell_type and r["q"] <= 0.05}  # fmt: skip
        expected = nx.pagerank(graph, alpha=1 - RESTART, personalization=urs, tol=1e-14)
        order = sorted(urs, key=lambda g: (-expected[g], g))
        assert [u.entrez for u in context.regulators] == order
        assert [u.rank for u in context.regulators] == list(range(1, len(order) + 1))
        for u in context.regulators:
            assert u.pagerank == pytest.approx(expected[u.entrez], rel=1e-8)
        assert context.n_tfs_scored == 3
    assert [c.context for c in got.contexts] == ["B", "T"]
    assert [u.entrez for u in got.contexts[0].regulators] == ["20", "2"]  # 17: q 0.2 > 0.05
