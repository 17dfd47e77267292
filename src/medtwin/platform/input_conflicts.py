"""Genes whose inputs disagree on the direction of change: the twin build's warning.

A twin keeps one value per gene: the value of its change with the most evidence (× the layer's
weight) over all the patient's inputs; on equal evidence, the older input's
(:mod:`medtwin.platform.twin`, step 1). Two inputs that measured the same gene in opposite
directions (TLX1 −2.19 in one DE table, +2.53 in another) therefore end as one direction with
nothing said; the build now says how many genes that concerns, with examples and what was kept.
Within one input, cell types may differ in direction (up in T cells, down in B cells): that is a
finding, not a conflict, and is not reported.

A twin built without ``--time-point`` pools every time point of the inputs too (week 0 and
week 12 of one table): the build says so, and each time point counts as an input of its own
here, so a gene that turned from up to down over time is reported rather than averaged away.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from medtwin.command_lines import patient_command
from medtwin.domain import TwinParams
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.gene_evidence import change_evidence
from medtwin.platform.time_points import order_time_points
from medtwin.store.base import GraphStore

__all__ = [
    "SignConflict",
    "conflicts_note",
    "input_conflicts_note",
    "pooled_time_points_note",
    "sign_conflicts",
]

log = logging.getLogger(__name__)

_EXAMPLES = 3


@dataclass(frozen=True)
class SignConflict:
    """One gene whose inputs disagree in sign: each input's value, and the value kept."""

    entrez: str
    values: tuple[tuple[str, float], ...]  # (input name, its strongest log2fc), in input order
    kept: float


def sign_conflicts(
    per_input: Sequence[tuple[str, Sequence[GeneChange]]], params: TwinParams
) -> list[SignConflict]:
    """Genes measured up in one input and down in another (of ``params``' layers and time point).

    ``per_input``: each input's name and changes, oldest input first (the build's order). Each
    input speaks for a gene with its strongest non-variant change (a variant has no direction of
    expression); the kept value is the one with the most evidence over the inputs, the older on
    a tie, as the twin's aggregation keeps it. By entrez id.
    """
    strongest: dict[str, list[tuple[str, float, float]]] = {}
    for name, changes in per_input:
        best: dict[str, tuple[float, float]] = {}
        for c in changes:
            if c.layer == "variant" or c.layer not in params.layers or not c.log2fc:
                continue
            if params.time_point is not None and c.time_point != params.time_point:
                continue
            e = change_evidence(c) * params.layer_weights.get(c.layer, 1.0)
            if c.entrez not in best or e > best[c.entrez][0]:
                best[c.entrez] = (e, c.log2fc)
        for g, (e, fc) in best.items():
            strongest.setdefault(g, []).append((name, e, fc))
    out = []
    for g in sorted(strongest):
        got = strongest[g]
        if any(fc > 0 for _, _, fc in got) and any(fc < 0 for _, _, fc in got):
            kept = max(got, key=lambda r: r[1])  # the first of equal ones: the older input
            out.append(SignConflict(g, tuple((n, fc) for n, _, fc in got), kept[2]))
    return out


def conflicts_note(conflicts: Sequence[SignConflict], symbols: Mapping[str, str]) -> str | None:
    """The build's warning: how many genes changed sign across inputs, a few examples, the rule."""
    if not conflicts:
        return None
    shown = []
    for c in conflicts[:_EXAMPLES]:
        values = ", ".join(f"{fc:+.3g} in {name}" for name, fc in c.values)
        shown.append(f"{symbols.get(c.entrez, c.entrez)} {values}: kept {c.kept:+.3g}")
    n = len(conflicts)
    more = f"; and {n - _EXAMPLES} more" if n > _EXAMPLES else ""
    return (
        f"{n} gene{'s' * (n != 1)} changed sign across the patient's inputs "
        f"({'; '.join(shown)}{more}); each keeps the value of its change with the most "
        "evidence, so check that the inputs compare the same conditions in the same direction"
    )


def input_conflicts_note(
    store: GraphStore,
    patient_id: str,
    per_input: Sequence[tuple[str, Sequence[GeneChange]]],
    params: TwinParams,
) -> str | None:
    """:func:`conflicts_note` of a patient's inputs, logged as a WARNING (the twin build's).

    The examples' symbols are read only when there is a conflict (one small query).
    """
    split = _by_time_point(per_input, params)
    found = sign_conflicts(split, params) if len(split) > 1 else []
    notes = [pooled_time_points_note(patient_id, per_input, params)]
    if found:
        symbols = store.reference.protein_symbols(sorted({c.entrez for c in found[:_EXAMPLES]}))
        notes.append(conflicts_note(found, symbols))
    note = "; ".join(n for n in notes if n) or None
    if note:
        log.warning("patient %s: %s", patient_id, note)
    return note


def _gene_rows(changes: Sequence[GeneChange], params: TwinParams) -> list[GeneChange]:
    return [c for c in changes if c.layer in params.layers and c.layer != "variant"]


def _by_time_point(
    per_input: Sequence[tuple[str, Sequence[GeneChange]]], params: TwinParams
) -> list[tuple[str, Sequence[GeneChange]]]:
    """Each input split by time point (``"a.tsv at week12"``) when the twin pools them."""
    if params.time_point is not None:
        return list(per_input)
    out: list[tuple[str, Sequence[GeneChange]]] = []
    for name, changes in per_input:
        labels = dict.fromkeys(c.time_point for c in _gene_rows(changes, params))
        if len(labels) < 2:
            out.append((name, changes))
            continue
        timed = order_time_points([t for t in labels if t])
        for tp in [*timed, *([None] if None in labels else [])]:
            part = [c for c in changes if c.time_point == tp]
            out.append((f"{name} at {tp}" if tp else f"{name} (no time point)", part))
    return out


def pooled_time_points_note(
    patient_id: str,
    per_input: Sequence[tuple[str, Sequence[GeneChange]]],
    params: TwinParams,
) -> str | None:
    """The build's note when a twin without ``time_point`` pools several time points.

    >>> rows = [GeneChange(entrez="1", log2fc=1.0, time_point=t) for t in ("w12", "w0")]
    >>> print(pooled_time_points_note("P1", [("a.tsv", rows)], TwinParams()))
    ... # doctest: +NORMALIZE_WHITESPACE
    this twin pools 2 time points (w0, w12) into one; build one per time point (`medtwin
    twin build P1 --time-point w0`) or compare them (`medtwin twin trajectory P1`)
    >>> print(pooled_time_points_note("-P1", [("a.tsv", rows)], TwinParams()))
    ... # doctest: +NORMALIZE_WHITESPACE
    this twin pools 2 time points (w0, w12) into one; build one per time point (`medtwin
    twin build --time-point w0 -- -P1`) or compare them (`medtwin twin trajectory -- -P1`)
    >>> pooled_time_points_note("P1", [("a.tsv", rows)], TwinParams(time_point="w0")) is None
    True
    """
    if params.time_point is not None:
        return None
    rows = [c for _, changes in per_input for c in _gene_rows(changes, params)]
    labels = order_time_points([c.time_point for c in rows if c.time_point])
    if len(labels) < 2:
        return None
    untimed = " and rows without one" if any(c.time_point is None for c in rows) else ""
    # stored on the twin in the CLI's words: its readers word the commands for their caller
    # (twins.twin_summary, command_lines.in_callers_words)
    per_point = patient_command("twin build", patient_id, f"--time-point {shlex.quote(labels[0])}")
    return (
        f"this twin pools {len(labels)} time points ({', '.join(labels)}){untimed} into one; "
        f"build one per time point (`{per_point}`) or compare them "
        f"(`{patient_command('twin trajectory', patient_id)}`)"
    )
