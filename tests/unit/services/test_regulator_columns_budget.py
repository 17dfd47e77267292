"""A twin with more new TFs than the column budget: PageRank in one pass on the projection's edges.

The store stands in for GDS: its columns are networkx PageRank with a one-node personalisation
(what GDS computes per seed) summed by linearity, and it declines (``pending``) when more columns
are missing than the budget. The in-process pass on the edges it hands over must give the same
scores as networkx's PageRank with the whole weighted personalisation (an independent oracle).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pytest

from medtwin.platform import regulator_centrality as rc
from medtwin.store.regulator_network import RegulatorCentrality

SEEDS = {"2": 24.0, "12": 3.0, "21": 1.5, "29": 0.5, "5": 7.0, "17": 0.25}


def _graph() -> nx.Graph:
    g = nx.connected_caveman_graph(3, 10)
    g.add_edges_from([(0, 25), (4, 14), (30, 31)])  # a second component: like the PPI's islands
    return nx.relabel_nodes(g, {n: str(n + 1) for n in g})


class _Columns:
    """GDS stand-in: per-seed columns (networkx), cached; ``pending`` beyond the budget."""

    def __init__(self, g: nx.Graph) -> None:
        self.g = g
        self.columns: dict[str, dict[str, float]] = {}
        self.edge_reads = 0
        self.kept = False  # whether the edges are "on disk" (a cheap read)

    def centrality(
        self,
        reference_key: str,
        seeds: Mapping[str, float],
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
        column_budget: int | None = None,
    ) -> RegulatorCentrality:
        present = sorted(s for s in seeds if s in self.g and seeds[s] > 0)
        missing = [s for s in present if s not in self.columns]
        base = {"scores": {}, "communities": dict.fromkeys(present, 0), "engine": "gds",
                "graph": "regnet_toy"}  # fmt: skip
        if column_budget is not None and len(missing) > column_budget:
            return RegulatorCentrality(**base, pending=tuple(present))  # type: ignore[arg-type]
        for s in missing:
            self.columns[s] = nx.pagerank(
                self.g, alpha=damping, personalization={s: 1.0}, tol=1e-13, max_iter=10_000
            )
        total = sum(seeds[s] for s in present)
        base["scores"] = {
            v: sum(seeds[s] / total * self.columns[s][v] for s in present) for v in present
        }
        return RegulatorCentrality(**base)  # type: ignore[arg-type]

    def edges_kept(self, reference_key: str) -> bool:
        return self.kept

    def edges(self, reference_key: str) -> tuple[list[str], list[str]]:
        self.edge_reads += 1
        pairs = list(self.g.edges)
        return [a for a, _ in pairs], [b for _, b in pairs]


class _Store:
    identity = "toy"

    def __init__(self) -> None:
        self.regulator_network = _Columns(_graph())

    def dataset(self, name: str) -> None:
        return None


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    monkeypatch.setattr(rc, "_PROJECTION", {})


def _oracle(seeds: Mapping[str, float]) -> dict[str, float]:
    total = sum(seeds.values())
    pr = nx.pagerank(
        _graph(), alpha=1 - rc.RESTART, personalization={k: w / total for k, w in seeds.items()},
        tol=1e-13, max_iter=10_000,
    )  # fmt: skip
    return {k: pr[k] for k in seeds}


@pytest.fixture(autouse=True)
def _budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # the budget's size is a cost trade-off; what is tested here is the switch at the budget
    monkeypatch.setattr(rc, "COLUMN_BUDGET", 4)


def test_over_budget_twin_is_evaluated_in_one_pass_and_equals_networkx():
    assert len(SEEDS) > rc.COLUMN_BUDGET
    store = _Store()
    got = rc.centrality(store, None, SEEDS, None)  # type: ignore[arg-type]
    assert store.regulator_network.columns == {}  # no column computed
    assert store.regulator_network.edge_reads == 1
    assert got.engine == "gds"
    assert got.pending == ()
    assert got.communities == dict.fromkeys(SEEDS, 0)
    assert "pagerank_in_process" in got.seconds
    oracle = _oracle(SEEDS)
    for k in SEEDS:
        assert got.scores[k] == pytest.approx(oracle[k], rel=1e-8)
    assert sorted(SEEDS, key=lambda k: -got.scores[k]) == sorted(SEEDS, key=lambda k: -oracle[k])


def test_within_budget_uses_columns_then_the_read_graph_serves_every_later_miss():
    store = _Store()
    few = {"2": 2.0, "21": 1.0}
    first = rc.centrality(store, None, few, None)  # type: ignore[arg-type]
    assert set(store.regulator_network.columns) == {"2", "21"}  # per-TF columns, as before
    assert store.regulator_network.edge_reads == 0
    assert "pagerank_in_process" not in first.seconds
    for k, v in _oracle(few).items():
        assert first.scores[k] == pytest.approx(v, rel=1e-8)
    new = {str(g): 1.0 + g / 10 for g in (3, 6, 9, 13, 16, 19)}  # 6 new columns > budget
    rc.centrality(store, None, new, None)  # type: ignore[arg-type]  # over budget: reads the graph
    assert set(store.regulator_network.columns) == {"2", "21"}
    again = {"2": 1.0, "30": 1.0}  # one new column, but the graph is in memory now
    got = rc.centrality(store, None, again, None)  # type: ignore[arg-type]
    assert "30" not in store.regulator_network.columns
    assert store.regulator_network.edge_reads == 1
    for k, v in _oracle(again).items():
        assert got.scores[k] == pytest.approx(v, rel=1e-8)
    cached = rc.centrality(store, None, few, None)  # type: ignore[arg-type]  # all columns present
    assert cached.scores == first.scores


def test_kept_edges_lower_the_budget_to_the_kept_one():
    """3 new columns: within COLUMN_BUDGET (4), so GDS columns while the edges were never read;
    over KEPT_COLUMN_BUDGET (2) once they are kept, so the cheap read and one pass."""
    three = {"3": 1.0, "13": 2.0, "23": 0.5}
    assert rc.KEPT_COLUMN_BUDGET < len(three) <= rc.COLUMN_BUDGET
    store = _Store()
    store.regulator_network.kept = True
    got = rc.centrality(store, None, three, None)  # type: ignore[arg-type]
    assert store.regulator_network.columns == {}
    assert store.regulator_network.edge_reads == 1
    for k, v in _oracle(three).items():
        assert got.scores[k] == pytest.approx(v, rel=1e-8)
    two = {"4": 1.0, "14": 1.0}  # within the kept budget, on a fresh process: columns
    rc._PROJECTION.clear()
    rc.centrality(store, None, two, None)  # type: ignore[arg-type]
    assert set(store.regulator_network.columns) == {"4", "14"}
