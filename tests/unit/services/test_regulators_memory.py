"""Upstream regulators on the in-memory store: in-process ranking, groups, words, report, viewer."""

from __future__ import annotations

import html

import networkx as nx
import numpy as np
import pytest

from medtwin.command_lines import speaking_to
from medtwin.errors import UnsupportedByStore
from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform import patients, reports, twin_regulators, twins
from medtwin.platform.models import TwinParams
from medtwin.platform.regulator_centrality import DRIVER_WEIGHT, LOUVAIN_SEED, RESTART
from medtwin.platform.regulator_views import stored_regulators
from medtwin.platform.report_regulators import regulator_section
from medtwin.store.memory import MemoryStore

FAST = TwinParams(module_samples=50, max_seeds=50)
REGULONS = {
    "2": {str(g): 1.0 for g in range(3, 10)} | {str(g): -1.0 for g in range(10, 13)},
    "7": {str(g): 1.0 for g in range(21, 29)},
}
DRIVER = "15"  # stop_gained: a loss driver


def _graph() -> nx.Graph:
    g = nx.connected_caveman_graph(3, 10)
    return nx.relabel_nodes(g, {n: str(n + 1) for n in g})


def _store() -> MemoryStore:
    store = MemoryStore()
    g = _graph()
    store.add_reference(genes={n: f"G{n}" for n in g}, ppi=list(g.edges))
    store.add_regulator_layers(REGULONS, {"MAPK": {str(n): 1.0 + n / 10 for n in range(13, 23)}})
    return store


def _patient(store: MemoryStore, pid: str = "PM") -> dict[str, float]:
    rng = np.random.default_rng(18)
    stats = {str(g): float(v) for g, v in zip(range(1, 31), rng.normal(0, 0.5, 30), strict=True)}
    for g, mor in REGULONS["2"].items():
        stats[g] += 4.0 * mor
    for g in REGULONS["7"]:
        stats[g] += 3.0
    changes = [GeneChange(entrez=g, log2fc=v, zscore=v, padj=0.01) for g, v in stats.items()]
    changes.append(
        GeneChange(entrez=DRIVER, log2fc=0.0, layer="variant", consequence="stop_gained")
    )
    # every gene is measured: the input keeps that vector (thresholded changes alone get no
    # twin-level activity, medtwin.platform.activity_inputs)
    profile = PatientProfile(
        patient_id=pid, changes=tuple(changes), symptoms=(), exposures=(), metadata={},
        input_checksums={f"{pid}.tsv": "0" * 64}, unmapped=(),
        activity_stats=(ActivityStats(statistic="z", stats=stats),),
    )  # fmt: skip
    patients.add_patient(store, profile)
    twins.build_twin(store, pid, FAST)
    return stats


def test_build_stores_ranked_regulators_equal_to_networkx():
    store = _store()
    _patient(store)
    report = twin_regulators.twin_regulators(store, "PM")
    assert (report.engine, report.stored) == ("in_process", True)
    ids = [u.entrez for u in report.regulators]
    assert set(ids) == {"2", "7", DRIVER}
    kinds = {u.entrez: u.kind for u in report.regulators}
    assert kinds == {"2": "tf", "7": "tf", DRIVER: "driver"}
    # oracle: networkx personalised PageRank on the interactome + regulon edges
    g = _graph()
    g.add_edges_from((tf, t) for tf, ts in REGULONS.items() for t in ts if tf != t)
    by = {u.entrez: u for u in report.regulators}
    weights = {"2": abs(by["2"].activity), "7": abs(by["7"].activity)}
    weights[DRIVER] = DRIVER_WEIGHT * abs(by[DRIVER].driver)
    total = sum(weights.values())
    personal = {k: w / total for k, w in weights.items()}
    pr = nx.pagerank(g, alpha=1 - RESTART, personalization=personal, tol=1e-12, max_iter=1000)
    for k in weights:
        assert by[k].pagerank == pytest.approx(pr[k], rel=1e-6)
    assert ids == sorted(weights, key=lambda k: -pr[k])
    assert [u.rank for u in report.regulators] == [1, 2, 3]
    # groups: networkx Louvain with the recorded seed, numbered by their most central UR
    parts = nx.community.louvain_communities(g, seed=LOUVAIN_SEED)
    community = {n: i for i, p in enumerate(parts) for n in p}
    numbers: dict[int, int] = {}
    for u in report.regulators:
        assert u.community == numbers.setdefault(community[u.entrez], len(numbers) + 1)
        mates = {v.symbol for v in report.regulators if v is not u and v.community == u.community}
        assert set(u.group_with) == mates
        # the group is a community of the whole network, said with its size (stop 46)
        size = len(next(p for p in parts if u.entrez in p))
        assert (u.community_size, u.network_size) == (size, g.number_of_nodes())
        sized = f"; Louvain community {u.community} of the network ({size} of {len(g)} proteins)"
        if mates:
            assert f"{sized} with " in u.words
        else:
            assert u.words.endswith(f"{sized}, no other regulator in it")
    top = report.regulators[0]
    assert top.words.startswith(f"{top.symbol} active (t {top.activity:.1f}, q ")
    assert ", 1st most central; Louvain community 1 of the network (" in top.words
    # the live computation gives the stored answer; --top keeps the first ones
    live = twin_regulators.twin_regulators(store, "PM", engine="in_process", top=1)
    assert (live.stored, live.n_regulators, len(live.regulators)) == (False, 3, 1)
    assert live.regulators[0].words == top.words
    assert live.regulators[0].pagerank == pytest.approx(top.pagerank)
    with pytest.raises(UnsupportedByStore):
        twin_regulators.twin_regulators(store, "PM", engine="gds")


def test_to_frame_gives_one_row_per_regulator_by_rank():
    # before: no to_frame(); a notebook built the frame from model_dump() by hand
    store = _store()
    _patient(store)
    report = twin_regulators.twin_regulators(store, "PM")
    frame = report.to_frame()
    assert list(frame["entrez"]) == [u.entrez for u in report.regulators]
    assert list(frame["rank"]) == [1, 2, 3]
    assert {"symbol", "activity", "q", "pagerank", "kind", "words"} <= set(frame.columns)
    none = report.model_copy(update={"regulators": ()}).to_frame()  # a twin without URs
    assert list(none.columns) == list(frame.columns)
    assert none.empty


def test_regulators_are_versioned_and_deleted_with_the_patient():
    store = _store()
    _patient(store)
    v2 = twins.build_twin(store, "PM", FAST)
    v1_id = store.twins.twin("PM", 1)["id"]
    assert len(store.twins.upstream_regulators(v1_id)) == 3
    assert len(store.twins.upstream_regulators(v2.id)) == 3
    nodes, rels = store.twins.count_patient_data("PM")
    assert rels > 0
    patients.delete_patient(store, "PM")
    assert store.twins.count_patient_data("PM") == (0, 0)


def test_report_section_and_viewer_marks():
    store = _store()
    _patient(store)
    view = stored_regulators(store, store.twins.twin("PM")["id"])
    top = view.regulators[0]
    page = reports.patient_report(store, "PM")
    assert "<h2>Upstream regulators</h2>" in page
    assert html.escape(top.words) in page
    assert top.words.startswith(f"{top.symbol} active (t ")  # the viewer shows the same words
    # ULM/MLM t-values, labelled so (before: "activity z", while the text said t-value)
    assert page.count("<th>activity (t)</th>") == 2
    assert "activity z" not in page
    assert "Pathway activities" in page
    assert "MAPK" in page
    assert 'id="activities-figure_1"' in page  # the bar chart of activities
    graph = twins.twin_graph(store, "PM")
    marked = {n.id: n for n in graph.nodes if n.regulator_rank is not None}
    assert set(marked) == {"2", "7", DRIVER}
    assert marked[top.entrez].regulator == top.words


def test_section_without_activity_names_the_commands():
    with speaking_to("cli"):  # the report's reader ran `medtwin report`
        text = regulator_section(None, patient_id="P<1>")
    assert "medtwin twin regulators &#x27;P&lt;1&gt;&#x27;" in text  # quoted as typed, escaped
    assert "medtwin load" in text
    text = regulator_section(None, patient_id="-P1")  # a notebook's report: the Python calls
    assert "twin_regulators.twin_regulators(store, &quot;-P1&quot;)" in text
    assert "twins.build_twin(store, &quot;-P1&quot;)" in text


def test_prefill_is_a_no_op_without_gds():
    from medtwin.platform.regulator_centrality import prefill

    store = MemoryStore()
    with pytest.raises(UnsupportedByStore):
        store.regulator_network.prefill_columns("k", damping=0.7)
    assert prefill(store) is None  # cohort run goes on: the twins rank in process


def test_activities_on_a_panel_of_genes_carry_a_caution_where_they_are_shown(capsys):
    """30 measured genes (a panel, as the demo's GSE15573 ships 572 DE genes): the regulator
    report (which the CLI prints), its JSON and the HTML report say the activities lean toward
    the selection; before, "36 TFs scored on 570 genes" was shown as if it were a transcriptome."""
    store = _store()
    _patient(store)
    report = twin_regulators.twin_regulators(store, "PM", engine="in_process")
    assert report.n_genes_with_statistic == 30
    assert report.gene_set_note is not None
    assert report.gene_set_note.startswith("activities rest on 30 genes: if the file holds only")
    assert report.model_dump(mode="json")["gene_set_note"] == report.gene_set_note
    view = stored_regulators(store, store.twins.twin("PM")["id"], twin=store.twins.twin("PM"))
    assert view.gene_set_note == report.gene_set_note
    assert html.escape(report.gene_set_note) in reports.patient_report(store, "PM")


def test_explain_words_the_regulator_and_driver_scores(tmp_path):
    """`medtwin explain` says which UR or driver gave a drug its score (stop 46), with the
    value the ranking stored; before, these scores had no words there."""
    from medtwin.platform import rankings
    from medtwin.platform.context import ReferenceContext
    from medtwin.platform.models import RankParams

    store = MemoryStore()
    g = _graph()
    store.add_reference(
        genes={n: f"G{n}" for n in g},
        ppi=list(g.edges),
        drugs={"DBR": ("ur inhibitor", [("2", "inhibit")]),
               "DBD": ("driver activator", [(DRIVER, "activate")])},
    )  # fmt: skip
    store.add_regulator_layers(REGULONS, {"MAPK": {str(n): 1.0 + n / 10 for n in range(13, 23)}})
    _patient(store)
    ctx = ReferenceContext()
    params = RankParams(methods=("proximity", "regulator", "driver"), n_samples=30)
    rankings.rank_drugs(store, "PM", params, cache_dir=tmp_path, ctx=ctx)
    ur = stored_regulators(store, store.twins.twin("PM")["id"]).regulators
    a2, a7 = (next(u.activity for u in ur if u.symbol == s) for s in ("G2", "G7"))
    assert [u.symbol for u in ur[:2]] == ["G2", "G7"]
    e = rankings.explain_drug(store, "PM", "DBR", ctx=ctx)
    assert e.score is not None
    # inhibiting G2 (+a2) and, at half weight, G7, which G2 activates (REGULONS: mor +1)
    assert e.score.regulator == pytest.approx(a2 + 0.5 * a7)
    assert e.method_lines == (
        f"regulator {e.score.regulator:+.2f}: inhibits G2, the 1st upstream regulator (active, "
        f"t {a2:.1f}): {a2:+.2f}; inhibits G2, which activates G7 (the 2nd upstream regulator, "
        f"active, t {a7:.1f}), at half weight: {0.5 * a7:+.2f}",
    )
    d = rankings.explain_drug(store, "PM", "DBD", ctx=ctx)
    assert d.score is not None
    assert d.score.driver == pytest.approx(-1.0 * -1.0)  # activates a lost gene: +1
    assert d.method_lines == (
        "driver +1.00: activates G15, a driver of this patient (stop_gained: loss, weight 1): "
        "+1.00",
    )
