"""The twin drawing holds the twin's TF and pathway activities and its patient's time points.

Before stop 60, ``twin_graph`` drew neither the twin's ``(:Twin)-[:ACTIVITY]->`` edges nor a TF
activity nor a time point. The twin is built on the hand-drawn ring of
``tests/unit/services/conftest.py``; its activities are stored by hand (scores chosen here), so
what is drawn is checked against values written in this file.
"""

from __future__ import annotations

import re

import pytest

from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform import patients, twin_drawing_activity, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.layer_colours import ACTIVITY_SIGN_COLOURS
from medtwin.platform.models import TwinParams
from medtwin.platform.report_module_chart import module_figure
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile, reference_store

FAST = TwinParams(module_samples=20, min_seeds=2)
TF_SCORES = {"1": 0.5, "2": -4.0, "3": 1.0, "4": 3.0, "5": -0.2, "6": 2.5, "7": -3.5, "8": 0.1}
PATHWAYS = {"MAPK": 2.0, "TNFa": -1.5}
ROWS = (
    GeneChange(entrez="1", log2fc=2.0, padj=1e-4, time_point="week0"),
    GeneChange(entrez="2", log2fc=1.0, padj=1e-3, time_point="week0"),
    GeneChange(entrez="1", log2fc=-3.0, padj=1e-6, time_point="week12"),
    GeneChange(entrez="5", log2fc=1.5, padj=1e-3, time_point="baseline"),
)


def _row(i: str, score: float) -> dict[str, object]:
    return {"id": i, "score": score, "p": 0.01, "q": 0.05, "method": "ulm", "n_targets": 5}


def _twin(store: MemoryStore, params: TwinParams = FAST) -> str:
    built = twins.build_twin(store, "PA", params, ctx=ReferenceContext())
    store.twins.save_activity(
        built.id,
        [_row(i, s) for i, s in TF_SCORES.items()],
        [_row(p, s) for p, s in PATHWAYS.items()],
    )
    return built.id


def patient_store() -> MemoryStore:
    """Patient PA with three time points, no twin yet."""
    got = reference_store()
    patients.add_patient(got, profile("PA", changes=ROWS, input_checksums={"a.tsv": "1" * 64}))
    return got


def activity_store() -> MemoryStore:
    """Patient PA: three time points, a twin with 8 TF and 2 pathway activities (the viewer's
    test draws it: tests/browser/test_viewer_activity.py)."""
    got = patient_store()
    _twin(got)
    return got


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    monkeypatch.setattr(twin_drawing_activity, "TOP_TFS", 3)
    return patient_store()


def test_the_twin_its_strongest_tfs_and_its_pathways_are_drawn_with_their_scores(store):
    tid = _twin(store)
    graph = twins.twin_graph(store, "PA")
    nodes = {n.id: n for n in graph.nodes}
    me = nodes[f"{tid}/twin"]
    assert (me.kind, me.layer, me.label) == ("Twin", "twin", f"twin {tid}")
    activity = {
        e.target: e.weight for e in graph.edges if e.kind == "ACTIVITY" and e.source == me.id
    }
    # the 3 strongest |score| (by hand: 2 -4.0, 7 -3.5, 4 3.0) and both pathways, scores as weights
    assert activity == {
        "2": -4.0, "7": -3.5, "4": 3.0,
        f"{tid}/pathway:MAPK": 2.0, f"{tid}/pathway:TNFa": -1.5,
    }  # fmt: skip
    assert graph.activity_legend == "ACTIVITY (red +, blue -; top 3 of 8 TFs by |score|, +5 more)"
    # a TF already drawn (a twin gene) keeps its node; the others are TF nodes of their own
    for tf in ("2", "7", "4"):
        assert sum(n.id == tf for n in graph.nodes) == 1
        if nodes[tf].kind != "Protein":
            assert (nodes[tf].kind, nodes[tf].layer, nodes[tf].label) == ("TF", "tf", f"G{tf}")
            assert nodes[tf].value == TF_SCORES[tf]
    assert nodes["2"].kind == "Protein"  # in the twin (seed)
    assert {n.id for n in graph.nodes if n.kind == "TF"} == {"7", "4"}
    assert all(n.x is not None for n in graph.nodes)  # laid out with the rest


def test_the_patients_time_points_are_a_timeline_with_the_twins_own_marked(store):
    tid = _twin(store)
    graph = twins.twin_graph(store, "PA")
    times = [n for n in graph.nodes if n.kind == "TimePoint"]
    # clinical order: baseline first, then week0 < week12 (numbers as numbers)
    assert [n.label for n in times] == ["baseline", "week0", "week12"]
    assert {n.layer for n in times} == {"time_point"}
    then = [(e.source, e.target) for e in graph.edges if e.kind == "THEN"]
    t = {n.label: n.id for n in times}
    assert then == [(t["baseline"], t["week0"]), (t["week0"], t["week12"])]
    at = {e.target for e in graph.edges if e.kind == "AT"}
    assert at == set(t.values())  # a pooled twin: built from every time point
    assert graph.time_point_legend == "time point (all 3, in order; AT: the twin's)"
    # a twin of one time point: AT that one only
    one = _twin(store, FAST.model_copy(update={"time_point": "week12"}))
    graph = twins.twin_graph(store, "PA")
    assert {e.target for e in graph.edges if e.kind == "AT"} == {f"{one}/time:week12"}
    assert tid != one


def test_a_twin_without_activity_or_time_point_draws_no_twin_node():
    store = reference_store()
    patients.add_patient(store, profile("PB"))
    twins.build_twin(store, "PB", FAST, ctx=ReferenceContext())
    graph = twins.twin_graph(store, "PB")
    assert not [n for n in graph.nodes if n.kind in {"Twin", "TF", "TimePoint"}]
    assert (graph.activity_legend, graph.time_point_legend) == (None, None)


def test_the_report_picture_draws_activity_edges_by_sign_and_kinds_by_shape(store):
    _twin(store)
    graph = twins.twin_graph(store, "PA")
    svg = module_figure(graph, 0) or ""
    for colour in ACTIVITY_SIGN_COLOURS.values():  # one edge of each sign
        assert colour.lower() in svg.lower(), colour
    legend = re.findall(r">([^<]*)</text>", svg)
    assert {"tf", "time_point", "twin", "pathway"} <= set(legend)  # the new layers' entries
    assert f"twin {graph.twin_id}" in legend  # its caption


def test_the_drawing_reads_the_twins_activity_once(store, monkeypatch):
    """The regulators, the pathways and the twin's ACTIVITY edges are drawn from one read of the
    twin's ACTIVITY rows (three reads of the same rows before the review of stop 60)."""
    _twin(store)
    read = store.twins.activity
    calls: list[str] = []

    def counted(twin_id: str) -> list[dict[str, object]]:
        calls.append(twin_id)
        return read(twin_id)

    monkeypatch.setattr(store.twins, "activity", counted)
    graph = twins.twin_graph(store, "PA")
    assert len(calls) == 1, calls
    assert any(e.kind == "ACTIVITY" for e in graph.edges)
