r"""Every tested gene's statistic of a DE table or cohort patient, for the twin's activities.

A DE table keeps the rows with ``padj <= padj_max`` as changes, a cohort patient the genes with a
nominal ``p <= p_max``: those make the twin's module, seeds and evidence. Footprint methods
(ULM/MLM, :func:`medtwin.platform.regulators.patient_activity`) are a regression over **every**
measured gene (Badia-i-Mompel 2022, doi:10.1093/bioadv/vbac016), so the readers also keep each
tested gene's signed statistic — the evidence of
:func:`~medtwin.platform.gene_evidence.gene_statistics` (the DE z / t where the table has one,
else from padj, else log2fc; the Crawford–Howell t of a cohort patient, :math:`|t|` capped at 40),
exactly what ``benchmarks/validate_twins.py`` gives ``run_twin(..., activity_stats=)``.

A vector (:class:`~medtwin.loaders.patient_rows.ActivityStats`, one per layer and time point)
keeps at most :data:`MAX_STAT_GENES` genes, largest ``|stat|`` first, rounded to 3 decimals. It is
stored on the input node (``activity_stats_json``) outside the input's digest, so input ids do
not change and re-adding a file fills it in. The twin's patient-level activities
(:func:`twin_statistics`) read, per input, its vectors of the twin's layers and time point (times
the layer weight) and, for an input without one, its changes' statistics; a gene in several
inputs keeps its largest ``|value|``. The module, seeds, evidence and rankings that do not read
activities are built from the changes as before.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from medtwin.domain import TwinParams
from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform.gene_evidence import gene_statistics

__all__ = [
    "MAX_STAT_GENES",
    "activity_vectors",
    "capped",
    "input_statistics",
    "stored_activity_stats",
    "t_evidence",
    "twin_statistics",
]

MAX_STAT_GENES = 20000
"""Most genes whose statistic an input keeps for its activities (largest ``|stat|`` first)."""
MAX_EVIDENCE = 40.0
"""``|t|`` cap, as :func:`~medtwin.platform.gene_evidence.change_evidence` caps a z."""


def t_evidence(t: float) -> float:
    """The signed evidence ``gene_statistics`` gives a change with ``zscore = t``.

    Examples
    --------
    >>> t_evidence(-2.5), t_evidence(55.0)
    (-2.5, 40.0)
    """
    return math.copysign(min(abs(t), MAX_EVIDENCE), t)


def capped(stats: Mapping[str, float]) -> dict[str, float]:
    """At most :data:`MAX_STAT_GENES` genes, largest ``|value|`` first, rounded to 3 decimals.

    Examples
    --------
    >>> capped({"2": 0.12345, "1": -3.0})
    {'1': -3.0, '2': 0.123}
    """
    top = sorted(stats, key=lambda g: (-abs(stats[g]), g))[:MAX_STAT_GENES]
    return {g: round(stats[g], 3) for g in sorted(top)}


def activity_vectors(changes: Iterable[GeneChange], statistic: str) -> tuple[ActivityStats, ...]:
    """One capped vector per (layer, time point) of every tested change (variants: none).

    Examples
    --------
    >>> [v.stats for v in activity_vectors(
    ...     [GeneChange(entrez="1", log2fc=1.0, zscore=2.0),
    ...      GeneChange(entrez="1", log2fc=-1.0, zscore=-3.0, cell_type="T"),
    ...      GeneChange(entrez="2", log2fc=0.4)], "de z")]
    [{'1': -3.0, '2': 0.4}]
    """
    groups: dict[tuple[str, str | None], list[GeneChange]] = {}
    for c in changes:
        if c.layer != "variant":
            groups.setdefault((c.layer, c.time_point), []).append(c)
    return tuple(
        ActivityStats(statistic=statistic, layer=layer, time_point=tp, stats=capped(stats))
        for (layer, tp), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        if (stats := gene_statistics(group))
    )


def stored_activity_stats(profile: PatientProfile) -> dict[str, str]:
    """The input node's ``activity_stats_json`` property (empty without vectors)."""
    if not profile.activity_stats:
        return {}
    rows = [s.model_dump(mode="json") for s in profile.activity_stats]
    return {"activity_stats_json": json.dumps(rows, sort_keys=True, separators=(",", ":"))}


def _selected(layer: str, time_point: str | None, params: TwinParams) -> bool:
    return layer in params.layers and (params.time_point is None or time_point == params.time_point)


def input_statistics(inp: Mapping[str, Any], params: TwinParams) -> dict[str, float] | None:
    """One stored input's full-vector statistics for the twin (``None``: the input has none)."""
    raw = inp.get("activity_stats_json")
    if not raw:
        return None
    weights = params.layer_weights or {}
    out: dict[str, float] = {}
    for row in json.loads(raw):
        vec = ActivityStats.model_validate(row)
        if not _selected(vec.layer, vec.time_point, params):
            continue
        w = weights.get(vec.layer, 1.0)
        for g, v in vec.stats.items():
            if g not in out or abs(v * w) > abs(out[g]):
                out[g] = v * w
    return out


def twin_statistics(
    inputs: Sequence[Mapping[str, Any]], params: TwinParams
) -> dict[str, float] | None:
    """The gene statistics of the twin's activities (module docstring).

    ``None`` when no input keeps a vector (or none is selected): the caller uses its changes'
    statistics as before.
    """
    per_input = [input_statistics(i, params) for i in inputs]
    if all(s is None for s in per_input):
        return None
    out: dict[str, float] = {}
    for inp, stats in zip(inputs, per_input, strict=True):
        if stats is None:
            content = json.loads(inp["changes_json"])
            changes = [GeneChange.model_validate(c) for c in content["changes"]]
            chosen = [c for c in changes if _selected(c.layer, c.time_point, params)]
            stats = gene_statistics(chosen, params.layer_weights)
        for g, v in stats.items():
            if g not in out or abs(v) > abs(out[g]):
                out[g] = v
    return out or None
