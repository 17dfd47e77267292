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
not change and re-adding a file fills it in.

**When a twin has a vector of every measured gene** (:func:`full_statistics`): when every input
with a selected non-variant change (a change of the twin's layers and time point) keeps a vector
for each (layer, time point) of those changes, and the vectors selected hold at least one gene.
Then the vector is, per gene, the largest ``|value|`` of the inputs' selected vectors, each
times its layer weight. Inputs of variants only (VCF, mutations, variant tables) need none: a
variant is driver evidence, not a statistic. Which readers keep vectors: a DE table
(``patient add --de``) and a cohort patient (``patient add-cohort``; the demo's GSE15573 PBMC
and PEAC synovium patients). Which do not: a protein table, a FHIR bundle, an ``.h5ad`` file
(its Wilcoxon z of every gene is kept *per cell type*, ``cell_type_stats_json``, not for the
whole patient: a marker programme compares each cell type with the other cells of the same
sample, so no twin-level contrast exists to take a statistic from), a profile built in Python
without ``activity_stats`` (the demo's multi-tissue patient), and an input added before vectors
were kept (re-adding the file fills it in).

Without such a vector the twin's changes are only the genes that passed a threshold (e.g. the
PBMC 68k donor: 288 up-regulated markers, all positive): a footprint regression or a
degree-matched null over them compares the changes with each other, not with the unchanged
genes, so the twin-level TF/pathway activities, the upstream regulators and the ranking methods
that read the statistics (:data:`STATISTIC_METHODS`) are not computed and each says why
(:func:`full_statistics` gives the reason). Per-cell-type activities
(:mod:`medtwin.platform.cell_regulators`) read the per-cell-type vectors and stay. The module,
seeds, evidence and the rankings that do not read statistics are built from the changes.
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
    "NO_VECTOR",
    "STATISTIC_METHODS",
    "activity_vectors",
    "capped",
    "full_statistics",
    "input_statistics",
    "stored_activity_stats",
    "t_evidence",
    "tissue_statistics",
    "twin_statistics",
]

MAX_STAT_GENES = 20000
"""Most genes whose statistic an input keeps for its activities (largest ``|stat|`` first)."""
MAX_EVIDENCE = 40.0
"""``|t|`` cap, as :func:`~medtwin.platform.gene_evidence.change_evidence` caps a z."""
NO_VECTOR = "no vector of every measured gene"
"""Why, in a few words, a statistic method or the twin-level activities were not computed."""
STATISTIC_METHODS = frozenset(
    {"regulator", "regulator_network", "pathway", "reversal", "pathway_proximity",
     "target_expression", "activity_reversal"}
)  # fmt: skip
"""Ranking methods that read the twin's vector of every measured gene (``RankContext.gene_stats``;
``regulator_network`` keeps its driver part without it)."""


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
    # an untagged vector is stored as before tissues were named (no "tissue" key)
    rows = [
        s.model_dump(mode="json", exclude=None if s.tissue else {"tissue"})
        for s in profile.activity_stats
    ]
    return {"activity_stats_json": json.dumps(rows, sort_keys=True, separators=(",", ":"))}


def _selected(layer: str, time_point: str | None, params: TwinParams) -> bool:
    return layer in params.layers and (params.time_point is None or time_point == params.time_point)


def _vectors(inp: Mapping[str, Any]) -> list[ActivityStats]:
    raw = inp.get("activity_stats_json")
    return [ActivityStats.model_validate(r) for r in json.loads(raw)] if raw else []


def input_statistics(inp: Mapping[str, Any], params: TwinParams) -> dict[str, float] | None:
    """One stored input's full-vector statistics for the twin (``None``: the input has none)."""
    vectors = _vectors(inp)
    if not vectors:
        return None
    weights = params.layer_weights or {}
    out: dict[str, float] = {}
    for vec in vectors:
        if not _selected(vec.layer, vec.time_point, params):
            continue
        w = weights.get(vec.layer, 1.0)
        for g, v in vec.stats.items():
            if g not in out or abs(v * w) > abs(out[g]):
                out[g] = v * w
    return out


def _measured(inp: Mapping[str, Any], params: TwinParams) -> list[GeneChange]:
    """The input's selected non-variant changes (those a vector must stand behind)."""
    raw = inp.get("changes_json")
    changes = [GeneChange.model_validate(c) for c in json.loads(raw)["changes"]] if raw else []
    return [c for c in changes if c.layer != "variant" and _selected(c.layer, c.time_point, params)]


def _uncovered(inp: Mapping[str, Any], params: TwinParams) -> bool:
    """A selected non-variant change of the input has no vector of its (layer, time point).

    A vector naming a tissue stands behind that tissue's changes only.
    """
    have = {(v.layer, v.time_point, v.tissue) for v in _vectors(inp)}
    return any(
        (c.layer, c.time_point, None) not in have and (c.layer, c.time_point, c.tissue) not in have
        for c in _measured(inp, params)
    )


def full_statistics(
    inputs: Sequence[Mapping[str, Any]], params: TwinParams
) -> tuple[dict[str, float] | None, str | None]:
    """``(vector, None)``: the twin's vector of every measured gene; ``(None, reason)`` without.

    The rule is the module docstring's. The reason names the inputs that keep only thresholded
    changes and what to do.

    Examples
    --------
    >>> de = {"changes_json": '{"changes": [{"entrez": "1", "log2fc": 1.0}]}',
    ...       "activity_stats_json": '[{"statistic": "z", "stats": {"1": 3.0, "2": -0.5}}]'}
    >>> full_statistics([de], TwinParams())
    ({'1': 3.0, '2': -0.5}, None)
    >>> h5ad = {"name": "x.h5ad", "kind": "h5ad",
    ...         "changes_json": '{"changes": [{"entrez": "1", "log2fc": 1.0}]}'}
    >>> print(full_statistics([de, h5ad], TwinParams())[1])  # doctest: +ELLIPSIS
    no vector of every measured gene: input x.h5ad (h5ad) keeps only its thresholded changes (...)
    """
    lacking = [f"{i.get('name') or i.get('id')} ({i.get('kind')})" for i in inputs
               if _uncovered(i, params)]  # fmt: skip
    if lacking:
        return None, (
            f"{NO_VECTOR}: input{'s' if len(lacking) > 1 else ''} {', '.join(lacking)} "
            f"keep{'' if len(lacking) > 1 else 's'} only {'their' if len(lacking) > 1 else 'its'} "
            "thresholded changes (a DE table or `patient add-cohort` keeps every gene's "
            "statistic; an input added before vectors were kept: add the file again)"
        )
    out: dict[str, float] = {}
    for stats in (input_statistics(i, params) for i in inputs):
        for g, v in (stats or {}).items():
            if g not in out or abs(v) > abs(out[g]):
                out[g] = v
    if not out:
        return None, f"{NO_VECTOR}: the twin's inputs measure no gene in its layers"
    return out, None


def twin_statistics(
    inputs: Sequence[Mapping[str, Any]], params: TwinParams
) -> dict[str, float] | None:
    """The twin's vector of every measured gene, or ``None`` (:func:`full_statistics`)."""
    return full_statistics(inputs, params)[0]


def tissue_statistics(
    inputs: Sequence[Mapping[str, Any]], params: TwinParams
) -> dict[str, tuple[dict[str, float] | None, str | None]]:
    """Per tissue of a multi-tissue twin: ``(vector, None)``, or ``(None, reason)`` without one.

    The rule of :func:`full_statistics`, applied to each tissue's changes: a tissue has a vector
    of every measured gene when each input with a selected non-variant change in it keeps a vector
    for each (layer, time point) of those changes, naming the tissue (``ActivityStats.tissue``),
    or not naming one when all of the input's changes are of that tissue. Without, a footprint
    regression over the tissue's thresholded changes compares them with each other (the
    multi-tissue demo's blood: 288 up-regulated markers), so the tissue gets no activities and the
    reason says what would give them. An ``.h5ad`` keeps each cell type's statistics, not the
    tissue's: its cell types have activities (``--by cell-type``).

    Examples
    --------
    >>> blood = {"name": "b.h5ad", "kind": "h5ad", "changes_json": json.dumps({"changes": [
    ...     {"entrez": "1", "log2fc": 1.0, "tissue": "blood", "cell_type": "T"}]})}
    >>> joint = {"name": "j.tsv", "kind": "de", "changes_json": json.dumps({"changes": [
    ...     {"entrez": "2", "log2fc": 1.0, "tissue": "synovium"}]}),
    ...     "activity_stats_json": '[{"statistic": "t", "stats": {"2": 3.0, "3": -0.2}}]'}
    >>> got = tissue_statistics([blood, joint], TwinParams())
    >>> got["synovium"]
    ({'2': 3.0, '3': -0.2}, None)
    >>> print(got["blood"][1])  # doctest: +ELLIPSIS
    no vector of every measured gene in tissue blood: input b.h5ad (h5ad) keeps only its ...
    """
    per: dict[str, list[tuple[Mapping[str, Any], list[ActivityStats], bool]]] = {}
    for inp in inputs:
        measured = _measured(inp, params)
        tissues = {c.tissue for c in measured}
        vectors = [v for v in _vectors(inp) if _selected(v.layer, v.time_point, params)]
        for tissue in sorted(t for t in tissues if t is not None):
            own = [
                v
                for v in vectors
                if v.tissue == tissue or (v.tissue is None and tissues == {tissue})
            ]
            needed = {(c.layer, c.time_point) for c in measured if c.tissue == tissue}
            covered = not needed - {(v.layer, v.time_point) for v in own}
            per.setdefault(tissue, []).append((inp, own, covered))
    weights = params.layer_weights or {}
    out: dict[str, tuple[dict[str, float] | None, str | None]] = {}
    for tissue, parts in per.items():
        lacking = [f"{i.get('name') or i.get('id')} ({i.get('kind')})" for i, _, ok in parts
                   if not ok]  # fmt: skip
        if lacking:
            n = len(lacking)
            out[tissue] = (
                None,
                (
                    f"{NO_VECTOR} in tissue {tissue}: input{'s' * (n > 1)} {', '.join(lacking)} "
                    f"keep{'' if n > 1 else 's'} only {'their' if n > 1 else 'its'} thresholded "
                    "changes there (an .h5ad keeps each cell type's statistics: `twin "
                    "regulators --by cell-type`; a tissue's own activities need every measured "
                    "gene's statistic in it: inputs whose activity_stats name the tissue)"
                ),
            )
            continue
        stats: dict[str, float] = {}
        for _, own, _ in parts:
            for vec in own:
                w = weights.get(vec.layer, 1.0)
                for g, v in vec.stats.items():
                    if g not in stats or abs(v * w) > abs(stats[g]):
                        stats[g] = v * w
        out[tissue] = (stats, None) if stats else (None, f"{NO_VECTOR} in tissue {tissue}")
    return dict(sorted(out.items()))
