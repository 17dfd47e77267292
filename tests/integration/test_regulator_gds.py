"""Upstream-regulator centrality in GDS vs in process, Louvain groups, the shared projection."""

from __future__ import annotations

import networkx as nx
import pytest

from medtwin.platform import regulator_centrality as rc
from medtwin.platform.context import reference_context
from medtwin.store.regulator_network import graph_name
from medtwin.store.tiny import gene_row, seed_interactome
from tests.integration.test_twin_regulators import _layers

pytestmark = pytest.mark.neo4j

SEEDS = {"2": 24.0, "45": 3.0, "21": 1.5, "59": 0.5}


def _graphs(store) -> set[str]:
    return {r["name"] for r in store.read("gds/list_regulator_graphs")}


def _loaded(tiny_reference):
    """The tiny reference with the regulon layers: store, context, regulators, reference key."""
    store, _ = tiny_reference
    _layers(store)
    ctx = reference_context()
    ref = ctx.regulators(store)
    assert ref is not None
    return store, ctx, ref, rc.reference_key(store)


def test_gds_pagerank_equals_in_process_rwr_and_networkx(tiny_reference):
    store, g = tiny_reference
    _layers(store)  # regulon G2 -> 3..12 (within and across the first clique)
    ctx = reference_context()
    ref = ctx.regulators(store)
    assert ref is not None
    gds = rc.centrality(store, ctx, SEEDS, ref, engine="gds")
    local = rc.centrality(store, ctx, SEEDS, ref, engine="in_process")
    assert (gds.engine, local.engine) == ("gds", "in_process")
    assert set(gds.scores) == set(local.scores) == set(SEEDS)
    for k in SEEDS:
        assert gds.scores[k] == pytest.approx(local.scores[k], rel=1e-6)
    assert sorted(SEEDS, key=lambda k: -gds.scores[k]) == sorted(
        SEEDS, key=lambda k: -local.scores[k]
    )
    # an independent oracle: networkx PageRank with the personalisation vector
    net = nx.Graph(g)
    net.add_edges_from((int(tf), int(t)) for tf, ts in ref.regulons.items() for t in ts)
    total = sum(SEEDS.values())
    pr = nx.pagerank(
        net, alpha=1 - rc.RESTART, personalization={int(k): w / total for k, w in SEEDS.items()},
        tol=1e-12, max_iter=1000,
    )  # fmt: skip
    for k in SEEDS:
        assert gds.scores[k] == pytest.approx(pr[int(k)], rel=1e-5)


def test_projection_is_shared_and_remade_after_a_reload(tiny_reference):
    store, _ = tiny_reference
    _layers(store)
    key = rc.reference_key(store)
    name, created = store.regulator_network.ensure_projection(key)
    assert created
    assert name == graph_name(key)
    again, created_again = store.regulator_network.ensure_projection(key)
    assert (again, created_again) == (name, False)
    first = store.regulator_network.centrality(key, {"2": 1.0}, damping=0.7)
    assert first.seconds["projection"] == 0.0  # reused, not projected
    columns = store.regulator_network._columns(name)
    assert {"community", "ppr700_2"} <= columns
    second = store.regulator_network.centrality(key, {"2": 1.0, "45": 3.0}, damping=0.7)
    assert store.regulator_network._columns(name) - columns == {"ppr700_45"}  # G2's column reused
    pr2 = store.regulator_network.centrality(key, {"2": 5.0}, damping=0.7).scores["2"]
    assert pr2 == first.scores["2"]  # the weights are normalised; the column is the same
    assert second.scores["2"] < first.scores["2"]  # part of the restart now goes to 45
    _layers(store)  # a reload: new load time, new key
    new_key = rc.reference_key(store)
    assert new_key != key
    new_name, created = store.regulator_network.ensure_projection(new_key)
    assert created
    assert _graphs(store) == {new_name}  # the stale one was dropped
    assert store.regulator_network.drop_projections() == 1


def test_gds_louvain_groups_equal_networkx_on_a_toy_graph(clean_db, test_settings):
    from medtwin.store.neo4j import Neo4jStore

    store = Neo4jStore(clean_db, test_settings)
    store.ensure_schema()
    # three 6-cliques joined in a chain by single edges: Louvain's answer is the three cliques
    toy = nx.Graph()
    for c in range(3):
        members = range(1 + 6 * c, 7 + 6 * c)
        toy.add_edges_from((a, b) for a in members for b in members if a < b)
    toy.add_edges_from([(6, 7), (12, 13)])
    seed_interactome(store, toy, [gene_row(i) for i in toy.nodes], version="toy")
    store.start_dataset("dorothea_hs", {"sha256": "toy", "version": "toy"})
    store.finish_dataset("dorothea_hs", {"RegulationRow": 0}, 0.0)
    key = rc.reference_key(store)
    got = store.regulator_network.centrality(key, {str(n): 1.0 for n in toy}, damping=0.7)
    gds_parts = {frozenset(int(n) for n, c in got.communities.items() if c == k)
                 for k in set(got.communities.values())}  # fmt: skip
    nx_parts = {frozenset(p) for p in nx.community.louvain_communities(toy, seed=rc.LOUVAIN_SEED)}
    assert gds_parts == nx_parts
    assert len(gds_parts) == 3
    assert nx.community.modularity(toy, gds_parts) == pytest.approx(
        nx.community.modularity(toy, nx_parts)
    )
    store.regulator_network.drop_projections()


def _drop_properties(store, name: str, props: list[str]) -> None:
    store.driver.execute_query(
        "CALL gds.graph.nodeProperties.drop($g, $p) YIELD propertiesRemoved RETURN 1",
        {"g": name, "p": props},
        database_=store.database,
    )


def test_tf_columns_are_prefilled_for_batches_and_equal_single_calls(tiny_reference):
    store, _ = tiny_reference
    _layers(store)
    key = rc.reference_key(store)
    net = store.regulator_network
    net.centrality(key, {"45": 1.0}, damping=0.7)  # makes the projection
    name = graph_name(key)
    tfs = sorted(r["id"] for r in store.read("gds/regulator_tf_ids"))
    assert tfs == ["2"]  # the regulon layer of _layers: G2 -> 3..12
    # a single twin computes only its own seeds' columns: no prefill on the interactive path
    assert "ppr700_2" not in net._columns(name)
    assert "ppr700_45" in net._columns(name)
    # before a batch (cohort run), every TF's column; a second prefill has nothing to do
    assert rc.prefill(store) is not None
    columns = net._columns(name)
    assert {"ppr700_2", "ppr700_45"} <= columns
    assert rc.prefill(store)[0] == 0
    # a twin whose URs are TFs then computes no column
    net.centrality(key, {"2": 2.0}, damping=0.7)
    assert net._columns(name) == columns
    # several missing columns at once (sessions in parallel, one round trip each) are the
    # same numbers, bit for bit, as one GDS call per column (the code before)
    seeds = {"2": 24.0, "45": 3.0, "21": 1.5, "59": 0.5, "30": 2.0}
    parallel = net.centrality(key, seeds, damping=0.7).scores
    props = [f"ppr700_{g}" for g in ("21", "59", "30")]
    assert set(props) <= net._columns(name)
    _drop_properties(store, name, props)
    for g in ("21", "59", "30"):
        store.write(
            "gds/regulator_pagerank_column", graph_name=name, id=g, property=f"ppr700_{g}",
            damping=0.7, tolerance=1e-9, max_iterations=200,
        )  # fmt: skip
    assert net.centrality(key, seeds, damping=0.7).scores == parallel
    # and the prefilled TF column equals its single call too
    _drop_properties(store, name, ["ppr700_2"])
    store.write(
        "gds/regulator_pagerank_column", graph_name=name, id="2", property="ppr700_2",
        damping=0.7, tolerance=1e-9, max_iterations=200,
    )  # fmt: skip
    assert net.centrality(key, seeds, damping=0.7).scores == parallel
    net.drop_projections()


def test_columns_written_meanwhile_by_another_process_are_skipped(tiny_reference):
    store, _ = tiny_reference
    _layers(store)
    key = rc.reference_key(store)
    net = store.regulator_network
    name, _ = net.ensure_projection(key)
    # "another process" wrote 21's column between our look and our batch: the batch statement
    # fails on it (GDS refuses an existing property), and the columns are then made one by one
    store.write(
        "gds/regulator_pagerank_column", graph_name=name, id="21", property="ppr700_21",
        damping=0.7, tolerance=1e-9, max_iterations=200,
    )  # fmt: skip
    net._compute_columns(name, ["21", "45", "59"], damping=0.7, tolerance=1e-9, max_iterations=200)
    assert {"ppr700_21", "ppr700_45", "ppr700_59"} <= net._columns(name)
    net.drop_projections()


def test_cohort_run_prefills_only_large_batches(tiny_reference, test_settings, monkeypatch):
    from medtwin.platform import cohort

    store, _ = tiny_reference
    _layers(store)
    net = store.regulator_network
    name, _ = net.ensure_projection(rc.reference_key(store))
    cohort._prepare_shared(store, test_settings, cohort.PREFILL_MIN_TWINS - 1)
    assert "ppr700_2" not in net._columns(name)  # a small batch: each twin its own columns
    monkeypatch.setattr(cohort, "PREFILL_MIN_TWINS", 2)
    cohort._prepare_shared(store, test_settings, 2)
    assert "ppr700_2" in net._columns(name)  # the regulon layer's one TF
    net.drop_projections()


def test_over_budget_in_process_pass_equals_the_per_tf_gds_columns(tiny_reference, monkeypatch):
    """A twin over the column budget (PageRank in process on the projection's edges) gets the
    per-TF GDS path's scores within the PageRank tolerance, the same order and communities."""
    store, ctx, ref, key = _loaded(tiny_reference)
    store.regulator_network.drop_projections()
    monkeypatch.setattr(rc, "_PROJECTION", {})
    monkeypatch.setattr(rc, "COLUMN_BUDGET", 0)  # any missing column: the one-pass path
    fast = rc.centrality(store, ctx, SEEDS, ref, engine="gds")
    assert fast.seconds.get("pagerank_in_process") is not None
    missing = store.regulator_network._missing_columns(graph_name(key), list(SEEDS), damping=0.7)
    assert missing == sorted(SEEDS)  # no column was computed
    slow = store.regulator_network.centrality(key, SEEDS, damping=0.7)  # per-TF columns
    assert "pagerank_in_process" not in slow.seconds
    assert (fast.engine, fast.graph, fast.communities) == (
        slow.engine,
        slow.graph,
        slow.communities,
    )
    assert set(fast.scores) == set(slow.scores) == set(SEEDS)
    for k in SEEDS:
        assert fast.scores[k] == pytest.approx(slow.scores[k], rel=1e-6)
    assert sorted(SEEDS, key=lambda k: (-fast.scores[k], k)) == sorted(
        SEEDS, key=lambda k: (-slow.scores[k], k)
    )
    net = rc.projection_network(store, key)  # the projection's own graph, cached
    assert net is rc.projection_network(store, key)
    nodes = {str(r["id"]) for r in store.read("gds/regulator_seeds", graph_name=graph_name(key),
                                              ids=list(net.nodes))}  # fmt: skip
    assert nodes == set(net.nodes)


def test_edges_are_kept_on_disk_and_equal_a_fresh_gds_read(tiny_reference):
    """The edge list a later process reads from ``cache_dir`` is the projection's own, pair for
    pair; a reload (new projection name) replaces the file."""
    from medtwin.store.edge_cache import PREFIX

    store, _ = tiny_reference
    _layers(store)
    key = rc.reference_key(store)
    folder = store.regulator_network.store.settings.cache_dir
    for old in folder.glob(f"{PREFIX}*"):
        old.unlink()
    fresh = store.regulator_network.edges(key)  # from GDS, then written
    kept_file = folder / f"{PREFIX}{graph_name(key)}.npz"
    assert kept_file.is_file()
    store.regulator_network.drop_projections()  # the file alone must answer now
    kept = store.regulator_network.edges(key)
    assert _graphs(store) == set()  # no projection was needed
    assert kept == fresh
    assert len(fresh[0]) > 10
    _layers(store)  # a reload: new key, new projection, new file
    new_key = rc.reference_key(store)
    store.regulator_network.edges(new_key)
    assert [p.name for p in folder.glob(f"{PREFIX}*")] == [f"{PREFIX}{graph_name(new_key)}.npz"]
    store.regulator_network.drop_projections()


def test_with_kept_edges_a_few_missing_columns_take_the_in_process_pass(
    tiny_reference, monkeypatch
):
    """Once the edges are on disk, a fresh process reads them rather than computing more than
    :data:`KEPT_COLUMN_BUDGET` GDS columns (and before, it computes up to COLUMN_BUDGET)."""
    store, ctx, ref, key = _loaded(tiny_reference)
    assert rc.KEPT_COLUMN_BUDGET < len(SEEDS) <= rc.COLUMN_BUDGET
    monkeypatch.setattr(rc, "_PROJECTION", {})  # a fresh process
    assert not store.regulator_network.edges_kept(key)
    first = rc.centrality(store, ctx, SEEDS, ref, engine="gds")
    assert "pagerank_in_process" not in first.seconds  # within the budget: GDS columns
    store.regulator_network.edges(key)  # kept now
    assert store.regulator_network.edges_kept(key)
    store.regulator_network.drop_projections()  # no columns left
    monkeypatch.setattr(rc, "_PROJECTION", {})
    second = rc.centrality(store, ctx, SEEDS, ref, engine="gds")
    assert second.seconds.get("pagerank_in_process") is not None
    for k in SEEDS:
        assert second.scores[k] == pytest.approx(first.scores[k], rel=1e-6)
    store.regulator_network.drop_projections()
