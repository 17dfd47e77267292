"""The first screen of a ranking: one line per distinct target set, and what placed each drug.

Pure: rows and target sets in, lines out (the CLI, the demo and the report print them).

**Same targets, one line.** Drugs whose targets *used for ranking* (DrugBank category
``target``, after the Fc/complement filter; :func:`medtwin.platform.treatment.candidate_drugs`)
are identical get identical network scores, so they are shown as one line: the first of them in
the ranking, then ``+6 with the same targets: …``. Which drug leads is the ranking's own order,
whose tie rule is documented in :mod:`medtwin.platform.ranking.combine` (combined score, then
proximity z, then drug id); so among drugs with the same targets (equal scores) an approved drug
comes before a non-approved one when the tier is on, then the lowest DrugBank id.

**What placed it.** Each line says which evidence put the drug there, in words that keep
priors apart from findings:

- ``approval tier (prior)``: the ``approved`` tier put it above every non-approved drug; the
  same for every patient, a filter, not a finding about this patient;
- ``proximity z -2.39 (q 1, not significant)``: the network proximity of its targets to this
  patient's module (q from Benjamini–Hochberg across drugs; ``significant`` only at q < 0.05);
- every other ``order`` method with its value (e.g. ``direction +0.50``), so methods added later
  appear by themselves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from medtwin.errors import NotFoundError
from medtwin.platform.models import DrugExplanation, DrugScore, RankingResult, RankParams
from medtwin.platform.target_sets import ranked_target_sets
from medtwin.store.base import GraphStore

__all__ = [
    "METHOD_VALUE_FIELD",
    "ScreenLine",
    "evidence_words",
    "first_screen",
    "scope_note",
    "screen_of",
    "why_line",
]

Q_SIGNIFICANT = 0.05


@dataclass(frozen=True)
class ScreenLine:
    """One line of the first screen: a drug, the drugs with the same targets, and its evidence."""

    drug: DrugScore
    same_targets: tuple[DrugScore, ...]
    evidence: str

    @property
    def same_targets_text(self) -> str:
        """``"+6 with the same targets: Dyclonine, …"`` or ``""``.

        At most :data:`SAME_TARGET_NAMES` names, each cut at :data:`NAME_WIDTH` characters (a
        systematic chemical name can run to 150): one screen line, not a paragraph. Every drug
        stays in ``rank --json`` and ``rank --out``.

        Examples
        --------
        >>> d = DrugScore(rank=1, drug_id="DB1", drug_name="a", n_targets=1,
        ...               n_targets_in_network=1, combined=1.0)
        >>> same = tuple(d.model_copy(update={"drug_name": n}) for n in "bcdefgh")
        >>> ScreenLine(d, same, "").same_targets_text
        '+7 with the same targets: b, c, d, e, f and 2 more'
        >>> long = d.model_copy(update={"drug_name": "(2S)-2-" + "x" * 60})
        >>> ScreenLine(d, (long,), "").same_targets_text
        '+1 with the same targets: (2S)-2-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
        """
        if not self.same_targets:
            return ""
        names = [_short(d.drug_name or d.drug_id) for d in self.same_targets]
        shown = ", ".join(names[:SAME_TARGET_NAMES])
        more = len(names) - SAME_TARGET_NAMES
        tail = f" and {more} more" if more > 0 else ""
        return f"+{len(names)} with the same targets: {shown}{tail}"


SAME_TARGET_NAMES = 5
"""Names a first-screen line lists of the drugs with the same targets (the rest are counted)."""
NAME_WIDTH = 40
"""Characters of a drug name a first-screen line shows (longer names end in ``…``)."""


def _short(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"


def evidence_words(
    drug: DrugScore, params: RankParams, no_score: Mapping[str, str] | None = None
) -> str:
    """Which evidence placed ``drug`` (module docstring).

    ``no_score``: method -> why it scored no drug of this twin (the ranking's ``no_score``); a
    method without a value then says ``no score (`` its reason's first clause ``)``.

    Examples
    --------
    >>> d = DrugScore(rank=1, drug_id="DB1", drug_name="x", n_targets=1, n_targets_in_network=1,
    ...               approved=True, z=-2.39, q=1.0, combined=0.9, degree_baseline_rank=12)
    >>> evidence_words(d, RankParams())  # doctest: +NORMALIZE_WHITESPACE
    'approval tier (prior); target degree rank 12 (prior); proximity z -2.39 (q 1, not
     significant); target_expression: no score'
    >>> p = RankParams(methods=("proximity", "target_expression"))
    >>> evidence_words(d.model_copy(update={"q": 0.01, "target_expression": 2.5}), p)
    'approval tier (prior); proximity z -2.39 (q 0.01, significant); target_expression +2.50'
    >>> evidence_words(d, p, {"target_expression": "no vector of every measured gene: input x"})
    ... # doctest: +NORMALIZE_WHITESPACE
    'approval tier (prior); proximity z -2.39 (q 1, not significant); target_expression: no
     score (no vector of every measured gene)'
    """
    why = {m: " (" + r.split(":")[0] + ")" for m, r in (no_score or {}).items()}
    words = []
    scored = False  # whether an order method scored the drug (then it is ranked by it)
    if params.tier == "approved" and drug.approved is True and not params.approved_only:
        words.append("approval tier (prior)")
    for method in params.order:
        if method == "proximity":
            if _missing(drug.z):
                words.append("proximity: no score")
                continue
            q_value = None if _missing(drug.q) else drug.q
            sig = (
                "significant"
                if q_value is not None and q_value < Q_SIGNIFICANT
                else ("not significant")
            )
            q = f"q {q_value:.2g}, " if q_value is not None else ""
            words.append(f"proximity z {drug.z:+.2f} ({q}{sig})".replace("z +", "z "))
            scored = True
        elif method == "degree":  # a population prior, named as such
            rank = drug.degree_baseline_rank
            words.append(f"target degree rank {rank} (prior)" if rank else "degree: no score")
            scored = scored or bool(rank)
        else:
            value = _method_value(drug, method)
            words.append(
                f"{method} {value:+.2f}"
                if value is not None
                else f"{method}: no score{why.get(method, '')}"
            )
            scored = scored or value is not None
    if drug.n_targets_in_network == 0:
        # a method that reads no network (activity_reversal) still places it (combine, step 3)
        words.append("no target in the network" + ("" if scored else " (unranked)"))
    return "; ".join(words)


METHOD_VALUE_FIELD: Mapping[str, str] = {
    "centrality": "centrality",
    "direction": "direction",
    "disruption": "disruption_z",
    "driver": "driver",
    "pathway": "pathway",
    "pathway_proximity": "pathway_proximity",
    "target_expression": "target_expression",
    "proximity": "z",
    "regulator": "regulator",
    "regulator_network": "regulator_network",
    "reversal": "reversal",
    "activity_reversal": "activity_reversal",
}
"""The :class:`DrugScore` field holding each method's value (its ``columns`` entry ``"value"``;
``degree`` has none). Kept here so that the first screen of a stored ranking imports no ranking
code; a unit test keeps it equal to :data:`medtwin.platform.ranking.REGISTRY`."""


def _method_value(drug: DrugScore, method: str) -> float | None:
    field = METHOD_VALUE_FIELD.get(method)
    if field is None:
        return None
    value = getattr(drug, field, None)
    return None if not isinstance(value, int | float) or _missing(value) else float(value)


def _missing(value: float | None) -> bool:
    """``value`` is no score: ``None``, or NaN (it printed "proximity z nan (q nan, …)")."""
    return value is None or math.isnan(value)


def first_screen(
    drugs: Sequence[DrugScore],
    targets: Mapping[str, Sequence[str]] | None,
    params: RankParams,
    *,
    lines: int = 10,
) -> list[ScreenLine]:
    """Group a ranking page into at most ``lines`` lines (module docstring).

    Parameters
    ----------
    drugs
        Rows in ranking order (a page long enough to fill ``lines`` after grouping).
    targets
        Drug id -> its targets used for ranking; ``None`` or a missing drug: no grouping for it
        (e.g. a ranking from a ``--targets`` file, whose targets the database does not hold).
    params
        The ranking's parameters (tier and order, for the evidence words).
    lines
        Lines to return (0: all).

    Examples
    --------
    >>> row = lambda r, i, z: DrugScore(rank=r, drug_id=i, drug_name=i, n_targets=1,
    ...     n_targets_in_network=1, approved=True, z=z, q=1.0, combined=0.5)
    >>> page = [row(1, "A", -3.0), row(2, "B", -2.0), row(3, "C", -2.0), row(4, "D", -1.0)]
    >>> out = first_screen(page, {"A": ["1"], "B": ["2"], "C": ["2"], "D": ["2", "3"]},
    ...                    RankParams())
    >>> [(x.drug.drug_id, x.same_targets_text) for x in out]
    [('A', ''), ('B', '+1 with the same targets: C'), ('D', '')]
    """
    out: list[ScreenLine] = []
    index: dict[frozenset[str], int] = {}
    grouped: dict[int, list[DrugScore]] = {}
    for d in drugs:
        key = frozenset(targets[d.drug_id]) if targets and targets.get(d.drug_id) else None
        if key is not None and key in index:
            grouped[index[key]].append(d)
            continue
        if lines and len(out) >= lines:
            continue  # keep scanning: later drugs may join a shown line
        if key is not None:
            index[key] = len(out)
        grouped[len(out)] = []
        # a stored ranking's row already carries its words (with the ranking's no_score)
        out.append(ScreenLine(d, (), d.placed_by or evidence_words(d, params)))
    return [ScreenLine(x.drug, tuple(grouped[i]), x.evidence) for i, x in enumerate(out)]


def screen_of(store: GraphStore, ranking: RankingResult, *, lines: int = 10) -> list[ScreenLine]:
    """The first screen of a stored ranking (its page grouped with the targets it used).

    Only the page's drugs' targets are read: grouping joins drugs of the page, and reading every
    drug's targets took ~0.35 s of a stored ranking's 0.8 s on the full reference.
    """
    try:
        targets = ranked_target_sets(store, ranking.params, [d.drug_id for d in ranking.drugs])
    except NotFoundError:  # targets not loaded: every drug its own line
        targets = None
    return first_screen(ranking.drugs, targets, ranking.params, lines=lines)


def scope_note(params: RankParams) -> str:
    """What the order is made of, said as filters and priors vs the patient's evidence.

    >>> scope_note(RankParams(methods=("regulator",), order=("regulator",), tier="none"))
    "ordered by regulator on this patient's twin"
    >>> scope_note(RankParams(methods=("proximity",), order=("proximity",)))
    ... # doctest: +NORMALIZE_WHITESPACE
    "approved drugs first (the approval tier: a prior, the same for every patient); then ordered
     by proximity on this patient's twin"
    """
    parts = []
    if params.approved_only:
        parts.append("approved DrugBank drugs only (a filter, the same for every patient)")
    elif params.tier == "approved":
        parts.append(
            "approved drugs first (the approval tier: a prior, the same for every patient)"
        )
    then = "then " if parts else ""
    parts.append(f"{then}ordered by {' + '.join(params.order)} on this patient's twin")
    return "; ".join(parts)


def why_line(e: DrugExplanation) -> str:
    """One line on why a drug is listed: pharmacological targets first, then what is not used.

    Enzymes, transporters and carriers (DrugBank categories) and Fc-receptor / complement
    effector binding are named apart and said not to be used for ranking.

    Examples
    --------
    >>> from medtwin.platform.models import DrugExplanation
    >>> e = DrugExplanation(patient_id="P", twin_id="T", drug_id="DB1", drug_name="Dexa",
    ...     score=None, targets=({"symbol": "NR3C1", "role": "target"},
    ...     {"symbol": "CYP3A4", "role": "enzyme"}, {"symbol": "ABCB1", "role": "transporter"}),
    ...     central_genes_reached=("CREB1",), paths=(), cell_types=(), cypher="")
    >>> why_line(e).split("; not used for ranking: ")
    ['why Dexa: targets NR3C1; reaches CREB1; paths —', 'enzymes CYP3A4, transporters ABCB1']
    """
    by_role: dict[str, list[str]] = {}
    for t in e.targets:
        role = str(t.get("role") or t.get("category") or "target")
        by_role.setdefault(role, []).append(str(t.get("symbol") or t.get("entrez")))
    paths = "; ".join(
        " – ".join(s or n for n, s in zip(p.nodes, p.symbols, strict=True)) for p in e.paths[:2]
    )
    text = (
        f"why {e.drug_name or e.drug_id}: targets {', '.join(by_role.pop('target', [])) or '—'}; "
        f"reaches {', '.join(e.central_genes_reached[:5]) or '—'}; paths {paths or '—'}"
    )
    if e.cell_types:
        text += f"; targets changed in {', '.join(e.cell_types[:4])}"
    other = [
        f"{label} {', '.join(by_role[role])}"
        for role, label in (
            ("enzyme", "enzymes"),
            ("transporter", "transporters"),
            ("carrier", "carriers"),
            ("fc/complement", "Fc/complement (effector binding)"),
        )
        if by_role.get(role)
    ]
    if other:
        text += "; not used for ranking: " + ", ".join(other)
    return text
