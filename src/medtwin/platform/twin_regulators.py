r"""Use case: the twin's upstream regulators, and the regulator inputs of a ranking.

:func:`twin_regulators` (``medtwin twin regulators P``, ``GET /patients/{id}/regulators``) reads
the inputs the twin was built from, computes the patient's TF and pathway activity
(:func:`~medtwin.platform.regulators.patient_activity`) and lists the **upstream regulators**:
TFs with activity :math:`q \le 0.05`, and genes with driver evidence
(:func:`~medtwin.platform.gene_evidence.driver_evidence`). They are ranked by **personalised
PageRank** (random walk with restart, restart 0.3 = damping 0.7; Haveliwala 2002,
doi:10.1145/511446.511513) on the interactome joined with the regulon edges (undirected), the
restart vector proportional to :math:`|a_u|` for URs and :math:`3|g|` for drivers: the most
central UR is the one the others' activity flows to. (Computed in process with
:func:`~medtwin.platform.algorithms.propagation.random_walk_with_restart`; deterministic.)

:func:`patient_regulator_inputs` gives :class:`~medtwin.platform.ranking.RankContext` the same
gene statistics, drivers and reference layers when a ranking asks for a regulator method.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.domain import TwinParams
from medtwin.errors import NotFoundError
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.propagation import random_walk_with_restart
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.gene_evidence import driver_evidence, gene_statistics
from medtwin.platform.regulators import RegulatorReference, patient_activity
from medtwin.platform.twin_models import RegulatorReport, UpstreamRegulator
from medtwin.store.base import GraphStore

__all__ = [
    "REGULATOR_METHODS",
    "patient_regulator_inputs",
    "store_activity",
    "twin_activity",
    "twin_regulators",
]

REGULATOR_METHODS = frozenset(
    {"regulator", "regulator_network", "pathway", "driver", "reversal", "pathway_proximity"}
)
"""Ranking methods that read the patient's gene statistics, drivers or the regulator layers."""

RESTART = 0.3
"""Restart probability of the personalised PageRank (damping 0.7)."""


def _twin_changes(store: GraphStore, patient_id: str, twin: dict[str, Any]) -> list[GeneChange]:
    """The changes of the inputs the twin was built from, selected by its parameters."""
    used = set(json.loads(twin.get("input_checksums_json") or "{}"))
    params = TwinParams.model_validate_json(twin["params_json"])
    changes: list[GeneChange] = []
    for i in store.twins.inputs(patient_id):
        if used and i["id"] not in used:
            continue
        content = json.loads(i["changes_json"])
        changes.extend(GeneChange.model_validate(c) for c in content["changes"])
    return [
        c
        for c in changes
        if c.layer in params.layers
        and (params.time_point is None or c.time_point == params.time_point)
    ]


def patient_regulator_inputs(
    store: GraphStore,
    ctx: ReferenceContext,
    patient_id: str,
    twin: dict[str, Any],
    methods: Sequence[str],
) -> dict[str, Any]:
    """``gene_stats``, ``drivers`` and ``regulators`` for a RankContext (empty when not asked)."""
    if not REGULATOR_METHODS & set(methods):
        return {}
    params = TwinParams.model_validate_json(twin["params_json"])
    changes = _twin_changes(store, patient_id, twin)
    return {
        "gene_stats": gene_statistics(changes, params.layer_weights),
        "drivers": driver_evidence(changes),
        "regulators": ctx.regulators(store, perturbations="reversal" in methods),
    }


def store_activity(
    store: GraphStore, ctx: ReferenceContext, twin_id: str, gene_stats: Mapping[str, float]
) -> int:
    """Compute and store the twin's ACTIVITY layer (TFs, pathways); 0 without the layers.

    The edges hang off the twin node, so they are versioned with it and deleted with it (and
    with the patient).
    """
    ref = ctx.regulators(store, warn=False)
    if ref is None or not gene_stats:
        return 0
    act = patient_activity(gene_stats, ref)

    def rows(acts: Mapping[str, Activity]) -> list[dict[str, Any]]:
        return [
            {"id": k, "score": a.score, "p": a.p, "q": a.q, "method": a.method,
             "n_targets": a.n_targets}
            for k, a in acts.items()
        ]  # fmt: skip

    return store.twins.save_activity(twin_id, rows(act.tf), rows(act.pathway))


def twin_activity(
    store: GraphStore, patient_id: str, *, version: int | None = None
) -> list[dict[str, Any]]:
    """The stored ACTIVITY layer of a twin version (strongest first)."""
    return store.twins.activity(store.twins.twin(patient_id, version)["id"])


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _regulatory_network(network: Network, ref: RegulatorReference) -> Network:
    rows, cols = network.adjacency.nonzero()
    edges = [(network.nodes[i], network.nodes[j]) for i, j in zip(rows, cols, strict=True)]
    edges += [(tf, t) for tf, targets in ref.regulons.items() for t in targets if tf != t]
    return Network.from_edges(edges)


def twin_regulators(
    store: GraphStore,
    patient_id: str,
    *,
    version: int | None = None,
    q: float = 0.05,
    ctx: ReferenceContext | None = None,
) -> RegulatorReport:
    """The twin's upstream regulators ranked by personalised PageRank (module docstring).

    Raises
    ------
    NotFoundError
        No twin, or the regulator layers are not loaded (the hint says how to load them).
    """
    t0 = time.perf_counter()
    ctx = ctx or reference_context()
    twin = store.twins.twin(patient_id, version)
    ref = ctx.regulators(store)
    if ref is None:
        raise NotFoundError(
            "the regulator layers (dorothea_hs, progeny_2018) are not loaded",
            hint="run `medtwin data fetch && medtwin load`",
        )
    params = TwinParams.model_validate_json(twin["params_json"])
    changes = _twin_changes(store, patient_id, twin)
    stats = gene_statistics(changes, params.layer_weights)
    drivers = driver_evidence(changes)
    act = patient_activity(stats, ref)
    urs = act.upstream_regulators(q)
    network = _regulatory_network(ctx.interactome(store), ref)
    seeds = {u: abs(a.score) for u, a in urs.items() if u in network.index}
    for g, w in drivers.items():
        if g in network.index and w:
            seeds[g] = seeds.get(g, 0.0) + 3.0 * abs(w)
    ppr: dict[str, float] = {}
    if seeds:
        walk = random_walk_with_restart(network, seeds, restart=RESTART)
        ppr = {g: float(walk.scores[network.index[g]]) for g in seeds}
    order = sorted(ppr, key=lambda g: (-ppr[g], g))
    symbols = store.reference.protein_symbols(order)
    rows = []
    for rank, g in enumerate(order, start=1):
        a = urs.get(g)
        name = symbols.get(g) or ref.symbols.get(g) or g
        parts = []
        if a is not None:
            state = "active" if a.score > 0 else "inactive"
            parts.append(f"{state} (z {a.score:.1f}, q {a.q:.2g})")
        if g in drivers:
            parts.append(f"driver ({'gain' if drivers[g] > 0 else 'loss'} {abs(drivers[g]):.2g})")
        rows.append(
            UpstreamRegulator(
                entrez=g,
                symbol=name,
                activity=a.score if a else None,
                p=a.p if a else None,
                q=a.q if a else None,
                n_targets=a.n_targets if a else None,
                driver=drivers.get(g),
                pagerank=ppr[g],
                rank=rank,
                words=f"{name} {', '.join(parts)}, {_ordinal(rank)} most central",
            )
        )
    pathways = {p: {"score": a.score, "p": a.p, "q": a.q} for p, a in sorted(act.pathway.items())}
    return RegulatorReport(
        twin_id=twin["id"],
        n_genes_with_statistic=len(stats),
        n_tfs_scored=len(act.tf),
        q_max=q,
        restart=RESTART,
        regulators=tuple(rows),
        pathways=pathways,
        seconds=round(time.perf_counter() - t0, 3),
    )
