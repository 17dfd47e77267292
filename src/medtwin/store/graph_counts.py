"""``describe``'s counts (nodes per label, relationships per type, each by source) without a scan.

Why: counting the ~2 M reference relationships and ~100 k reference nodes per source reads a
property of every one of them (1.7–2.4 s on the development reference with a warm page cache;
``/v1/datasets/summary`` took 2 s, ``medtwin describe`` 3 s), while a user waits. So:

- **totals** come from the database's count store (``db.stats.retrieve('GRAPH COUNTS')``: exact,
  no scan);
- **patients' nodes and relationships by source** (:data:`medtwin.schema.PATIENT_LABELS`, the
  patient layer's types) are counted at each read, by label and type scans of those only: they
  change with every patient and request;
- **everything else** — the reference nodes and relationships by source and the layer figures —
  changes only when a load runs. The load counts them once at its end (:func:`refresh`) and keeps
  the figures on a ``(:CountCache)`` node with a *stamp*: the reference labels' and types'
  totals and every ``Dataset``'s ``(id, status, loaded_at)``. A read uses them only when the stamp
  it computes now is the same. Otherwise — a load running or stopped half-way, a database loaded
  by an older medtwin, any change made outside a load — it counts everything, as before. The
  figures are therefore always those of a full count (``tests/integration/test_graph_counts.py``
  compares both on the real server).

``CountCache`` and ``Lock`` nodes coordinate the application; they are not graph data and are left
out of the node table.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from medtwin.schema import LAYER_OF, PATIENT_LABELS, Layer

__all__ = [
    "COORDINATION_LABELS",
    "PATIENT_TYPES",
    "counts",
    "keep",
    "refresh",
    "stamp",
]

log = logging.getLogger(__name__)

COORDINATION_LABELS = frozenset({"Lock", "CountCache", "CohortLoad"})
"""Labels of nodes that coordinate the application (locks, this cache, add-cohort records), not
graph data."""

PATIENT_TYPES = frozenset(str(t) for t, layer in LAYER_OF.items() if layer is Layer.PATIENT)
"""Relationship types of the patient layer, counted at each read."""

_PATIENT_LABELS = frozenset(str(x) for x in PATIENT_LABELS)
NO_SOURCE = "(none)"


class Runner(Protocol):
    """The statement runner of the Neo4j store (:class:`medtwin.store.runner.CypherRunner`)."""

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]: ...  # noqa: D102

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]: ...  # noqa: D102


def stamp(
    node_totals: Mapping[str, int],
    relationship_totals: Mapping[str, int],
    datasets: Sequence[Mapping[str, Any]],
) -> str:
    """What the kept figures are valid for: the reference totals and the datasets' load states.

    Patients' labels and types are left out: they change at every request and are counted live.

    Examples
    --------
    >>> d = [{"id": "x", "status": "complete", "loaded_at": "t"}]
    >>> a = stamp({"Drug": 5, "Twin": 1}, {"TARGETS": 3, "SCORES": 7}, d)
    >>> a == stamp({"Drug": 5, "Twin": 2}, {"TARGETS": 3, "SCORES": 9}, d)  # patients changed
    True
    >>> a == stamp({"Drug": 5}, {"TARGETS": 4}, d)  # a reference relationship more
    False
    >>> a == stamp({"Drug": 5}, {"TARGETS": 3}, [{**d[0], "loaded_at": "t2"}])  # a reload
    False
    """
    return json.dumps(
        {
            "nodes": sorted([k, n] for k, n in node_totals.items() if k not in _PATIENT_LABELS),
            "relationships": sorted(
                [k, n] for k, n in relationship_totals.items() if k not in PATIENT_TYPES
            ),
            "datasets": sorted(
                [str(d.get("id")), str(d.get("status")), str(d.get("loaded_at"))] for d in datasets
            ),
        },
        separators=(",", ":"),
    )


def _totals(runner: Runner) -> tuple[dict[str, int], dict[str, int]]:
    got = runner.read("query/graph_counts")[0]
    nodes = {
        x["label"]: int(x["n"])
        for x in got["nodes"]
        if x["n"] and x["label"] not in COORDINATION_LABELS
    }
    rels = {x["type"]: int(x["n"]) for x in got["relationships"] if x["n"]}
    return nodes, rels


def _datasets(runner: Runner) -> list[dict[str, Any]]:
    return [r["dataset"] for r in runner.read("query/list_datasets")]


def _kept(runner: Runner, current: str) -> dict[str, Any] | None:
    got = runner.read("query/get_count_cache")
    if not got or got[0]["stamp"] != current:
        return None
    kept: dict[str, Any] = json.loads(got[0]["table_json"])
    return kept


def _full_count(runner: Runner) -> dict[str, Any]:
    layers = runner.read("query/count_layer_nodes")
    return {
        "nodes": [[r["label"], r["source"], r["n"]] for r in runner.read("query/count_labels")],
        "relationships": [
            [r["type"], r["source"], r["n"]] for r in runner.read("query/count_relationships")
        ],
        "layers": layers[0] if layers else {},
    }


def counts(runner: Runner, datasets: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """``nodes`` and ``relationships`` (each ``{"total", "by_source"}``) and ``layers``.

    ``datasets``: the Dataset nodes' properties (plain values), when the caller read them;
    else read here.
    """
    datasets = _datasets(runner) if datasets is None else datasets
    node_totals, rel_totals = _totals(runner)
    kept = _kept(runner, stamp(node_totals, rel_totals, datasets))
    if kept is None:
        log.info("no valid kept counts (a load keeps them); counting every node and relationship")
        figures = _full_count(runner)
    else:
        live_nodes = [
            [r["label"], r["source"], r["n"]] for r in runner.read("query/count_patient_labels")
        ]
        live_rels = [
            [r["type"], r["source"], r["n"]]
            for r in runner.read("query/count_patient_relationships")
        ]
        figures = {
            "nodes": kept["nodes"] + live_nodes,
            "relationships": kept["relationships"] + live_rels,
            "layers": kept["layers"],
        }
        node_totals = _with_live(node_totals, _PATIENT_LABELS, live_nodes)
        rel_totals = _with_live(rel_totals, PATIENT_TYPES, live_rels)
    return {
        "nodes": _by_source(node_totals, figures["nodes"]),
        "relationships": _by_source(rel_totals, figures["relationships"]),
        "layers": figures["layers"],
    }


def _with_live(
    totals: Mapping[str, int], live: frozenset[str], rows: Sequence[Sequence[Any]]
) -> dict[str, int]:
    """``totals`` with the ``live`` keys' totals taken from their live ``rows`` where possible.

    Why: the count store is read before the live rows, and requests write audit events and
    patients' nodes between the two reads; ``describe`` then showed, e.g., AuditEvent total 16
    beside "(none)": 18. A key whose live rows carry no source is counted by them exactly (its
    one row is its total); a live key without rows has none left. A key whose nodes carry
    sources keeps the count store's total (a node under two sources counts twice in the rows).

    Examples
    --------
    >>> live = frozenset({"AuditEvent", "Twin", "Patient"})
    >>> _with_live({"Drug": 9, "AuditEvent": 16, "Twin": 2, "Patient": 1},
    ...            live, [["AuditEvent", None, 18], ["Patient", None, 1]])
    {'Drug': 9, 'AuditEvent': 18, 'Patient': 1}
    """
    keys: dict[str, list[tuple[Any, int]]] = {}
    for key, source, n in rows:
        keys.setdefault(key, []).append((source, int(n)))
    out = {k: n for k, n in totals.items() if k not in live or k in keys}
    for key, got in keys.items():
        if len(got) == 1 and got[0][0] is None:
            out[key] = got[0][1]
    return out


def _by_source(totals: Mapping[str, int], rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """``{key: {"total", "by_source"}}`` from the totals and ``[key, source, n]`` rows."""
    by_source: dict[str, dict[str, int]] = {k: {} for k in totals}
    for key, source, n in rows:
        if key in by_source:  # a key whose last node went between the two reads is left out
            by_source[key][source or NO_SOURCE] = n
    return {k: {"total": n, "by_source": by_source[k]} for k, n in sorted(totals.items())}


def refresh(runner: Runner) -> bool:
    """Count the reference figures and keep them; ``False`` when nothing was written.

    Called at the end of a load (:func:`medtwin.platform.reference.load_reference` and its bulk
    twin). Nothing is written when the kept figures are still valid, or when the graph changed
    while it was counted (the stamps before and after differ): reads then count everything.
    """
    before = stamp(*_totals(runner), _datasets(runner))
    got = runner.read("query/get_count_cache")
    if got and got[0]["stamp"] == before:
        return False
    full = _full_count(runner)
    kept = {
        "nodes": [
            row
            for row in full["nodes"]
            if row[0] not in _PATIENT_LABELS and row[0] not in COORDINATION_LABELS
        ],
        "relationships": [row for row in full["relationships"] if row[0] not in PATIENT_TYPES],
        "layers": full["layers"],
    }
    if stamp(*_totals(runner), _datasets(runner)) != before:
        log.info("the graph changed while it was counted; no counts kept")
        return False
    runner.write("load/write_count_cache", stamp=before, table_json=json.dumps(kept))
    return True


def keep(
    runner: Runner, totals: Mapping[str, int], sources: Mapping[str, Mapping[str, int]]
) -> bool:
    """Keep the figures a bulk import counted while it wrote its files; else :func:`refresh`.

    ``totals``: nodes per label and relationships per type of the files; ``sources``: for each,
    ``{source: n}`` (``""``: none; :func:`medtwin.store.bulk_csv.graph_sources`). They are
    kept only when every reference label's and type's total equals the database's count store
    (and each has its sources); otherwise everything is counted (:func:`refresh`). The count
    store checks the totals; the sources are those the same tables were written to the files
    with (``tests/reliability/test_zz_bulk_import.py`` compares them with a full count). The
    ``Dataset`` nodes (written with the import or just after it; they name no source) and the
    layer figures (0.1-0.8 s) are read from the database.
    """
    datasets = _datasets(runner)
    totals = {**totals, "Dataset": len(datasets)}
    sources = {**sources, "Dataset": {"": len(datasets)}}
    node_totals, rel_totals = _totals(runner)
    nodes = [k for k in node_totals if k not in _PATIENT_LABELS]
    rels = [k for k in rel_totals if k not in PATIENT_TYPES]
    current = {**node_totals, **rel_totals}
    if any(totals.get(k) != current[k] or k not in sources for k in [*nodes, *rels]):
        log.info("the import's counts differ from the database's; counting it")
        return refresh(runner)
    layers = runner.read("query/count_layer_nodes")
    kept = {
        "nodes": [[k, s or None, n] for k in nodes for s, n in sources[k].items()],
        "relationships": [[k, s or None, n] for k in rels for s, n in sources[k].items()],
        "layers": layers[0] if layers else {},
    }
    current_stamp = stamp(node_totals, rel_totals, datasets)
    runner.write("load/write_count_cache", stamp=current_stamp, table_json=json.dumps(kept))
    return True
