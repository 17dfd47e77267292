"""The twin drawing's activity and time parts: the twin itself, its TF activities, its time points.

A twin's patient-level activities are ``(:Twin)-[:ACTIVITY {score}]->(:Protein|:Pathway)``
edges (TFs and PROGENy pathways). Until stop 60 the drawing held the pathways (as nodes, linked
to the cell types and tissues whose activities they carry) but neither the twin's own ACTIVITY
edges nor any TF activity, nor the patient's time points. :func:`activity_graph` adds

- the twin as one node (kind ``Twin``), the source of its ACTIVITY edges, drawn only when it has
  one of them or a time point;
- an ACTIVITY edge from it to each of its :data:`TOP_TFS` strongest TFs (by |score|; the
  legend says how many more) and to each drawn pathway with a patient-level score, the score as
  the edge's weight (the viewer colours it by its sign and shows it in the tooltip); a TF that
  is not a node yet (neither in the twin nor a ringed regulator) becomes one, kind ``TF``;
- the patient's time points as a small timeline (kind ``TimePoint``, in clinical order,
  THEN edges from each to the next) with an AT edge from the twin to those it was built from
  (its ``--time-point``, else every one: a twin pools its inputs).

Why a timeline and not a badge on each node: a twin is built from all its genes' values at once,
at one time point or pooled over all, so every gene would carry the same badge (hundreds of
copies of "week12" over the captions the layout keeps apart); what a reader of one twin asks is
which moment(s) of the patient's course it shows and which others there are, which a row of a
few nodes answers at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.domain import TwinParams
from medtwin.platform.graph_models import GraphEdge, GraphNode
from medtwin.platform.time_points import patient_time_points
from medtwin.platform.twin_drawing_layers import pathway_node_id
from medtwin.store.base import GraphStore

__all__ = [
    "MAX_TIME_POINTS",
    "TOP_TFS",
    "activity_graph",
    "activity_legend",
    "time_point_legend",
]

TOP_TFS = 10
"""TF activities drawn, strongest |score| first (a twin scores some hundreds of TFs)."""
MAX_TIME_POINTS = 12
"""Time points drawn, in order (the twin's own always among them)."""
TF_VALUE = "TF activity score (patient-level)"
TF_NODE = "TF"
"""The node kind of a TF drawn for its activity alone (not in the twin, not a ringed regulator)."""
# as large as the phenotype module and the terms: the twin is what the picture is of
_TWIN_SIZE = 5.0


def activity_graph(
    store: GraphStore,
    twin: Mapping[str, Any],
    drawn: Sequence[GraphNode],
    activity: list[dict[str, Any]] | None = None,
) -> tuple[list[GraphNode], list[GraphEdge], str | None, str | None]:
    """The twin's node, its ACTIVITY edges and TF nodes, its timeline, and their legends.

    Parameters
    ----------
    store
        The store the twin is read from (its activities and its patient's inputs).
    twin
        The stored twin (``id``, ``patient_id``, ``params_json``).
    drawn
        The nodes drawn so far: a TF among them gets an edge, not a second node; a pathway
        among them (``pathway_graph``'s) gets the twin's edge when it has a patient-level score.
    activity
        The twin's ACTIVITY rows, strongest first, when read already (else read here).

    Returns
    -------
    tuple
        New nodes, new edges, the ACTIVITY edges' legend (:func:`activity_legend`) and the
        time points' (:func:`time_point_legend`); nothing when the twin has no activity and its
        patient no time point.
    """
    tid = str(twin["id"])
    me = f"{tid}/twin"
    ids = {n.id for n in drawn}
    if activity is None:
        activity = store.twins.activity(tid)
    rows = [r for r in activity if r.get("score") is not None]
    tfs = [r for r in rows if r["kind"] == "tf"]
    shown = tfs[:TOP_TFS]  # strongest |score| first, as the store returns them
    top = max((abs(r["score"]) for r in shown), default=0.0) or 1.0
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    for r in shown:
        tf = str(r["id"])
        if tf not in ids:
            nodes.append(
                GraphNode(
                    id=tf, label=str(r.get("name") or tf), layer="tf", kind=TF_NODE,
                    size=1.0 + 4.0 * abs(r["score"]) / top, value=r["score"],
                    value_label=TF_VALUE,
                )
            )  # fmt: skip
        edges.append(GraphEdge(source=me, target=tf, kind="ACTIVITY", weight=r["score"]))
    pathways = [r for r in rows if r["kind"] == "pathway" and pathway_node_id(tid, r["id"]) in ids]
    edges += [
        GraphEdge(
            source=me, target=pathway_node_id(tid, r["id"]), kind="ACTIVITY", weight=r["score"]
        )
        for r in pathways
    ]
    time_nodes, time_edges, n_times = _timeline(store, twin, me)
    if not edges and not time_nodes:
        return [], [], None, None
    node = GraphNode(id=me, label=f"twin {tid}", layer="twin", kind="Twin", size=_TWIN_SIZE)
    return (
        [node, *nodes, *time_nodes],
        edges + time_edges,
        activity_legend(len(shown), len(tfs)) if edges else None,
        time_point_legend(len(time_nodes), n_times),
    )


def _timeline(
    store: GraphStore, twin: Mapping[str, Any], me: str
) -> tuple[list[GraphNode], list[GraphEdge], int]:
    """The patient's time points (at most :data:`MAX_TIME_POINTS`), THEN edges, AT edges."""
    points = patient_time_points(store, str(twin["patient_id"]))
    if not points:
        return [], [], 0
    own = TwinParams.from_stored(twin["params_json"], twin_id=str(twin["id"])).time_point
    mine = [own] if own in points else points  # pooled: built from every time point
    kept = points[:MAX_TIME_POINTS]
    kept += [p for p in mine if p not in kept]  # the twin's own, even past the limit
    kept.sort(key=points.index)
    tid = str(twin["id"])
    nodes = [
        GraphNode(id=f"{tid}/time:{p}", label=p, layer="time_point", kind="TimePoint", size=1.0)
        for p in kept
    ]
    edges = [
        GraphEdge(source=f"{tid}/time:{a}", target=f"{tid}/time:{b}", kind="THEN")
        for a, b in zip(kept, kept[1:], strict=False)
    ]
    edges += [GraphEdge(source=me, target=f"{tid}/time:{p}", kind="AT") for p in mine]
    return nodes, edges, len(points)


def activity_legend(shown: int, total: int) -> str:
    """The ACTIVITY edges' legend: their colours, and how many of the twin's TFs are drawn.

    >>> activity_legend(10, 87)
    'ACTIVITY (red +, blue -; top 10 of 87 TFs by |score|, +77 more)'
    >>> activity_legend(3, 3)
    'ACTIVITY (red +, blue -; all 3 TFs)'
    >>> activity_legend(0, 0)
    'ACTIVITY (red +, blue -)'
    """
    words = "ACTIVITY (red +, blue -"
    if not total:
        return words + ")"
    if shown >= total:
        return f"{words}; all {total} TF{'s' * (total != 1)})"
    return f"{words}; top {shown} of {total} TFs by |score|, +{total - shown} more)"


def time_point_legend(shown: int, total: int) -> str | None:
    """The time points' legend entry: in order, and how many of the patient's are drawn.

    >>> time_point_legend(3, 3)
    "time point (all 3, in order; AT: the twin's)"
    >>> time_point_legend(12, 15)
    "time point (12 of 15 in order, +3 more; AT: the twin's)"
    >>> time_point_legend(0, 0) is None
    True
    """
    if not total:
        return None
    if shown >= total:
        return f"time point (all {total}, in order; AT: the twin's)"
    return f"time point ({shown} of {total} in order, +{total - shown} more; AT: the twin's)"
