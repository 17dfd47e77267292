r"""Action direction: score whether a drug pushes its targets against the patient's changes.

For a target :math:`t` with drug action :math:`a_t \in \{-1, +1\}` (inhibit, activate) and
patient change :math:`\ell_t` (log2 fold change):

.. math:: s_t = -a_t \operatorname{sign}(\ell_t), \qquad
          \text{score} = \frac{1}{|K|} \sum_{t \in K} s_t

so :math:`s_t = +1` when the drug inhibits an up-regulated gene or activates a down-regulated
one, :math:`-1` for the reverse. :math:`K` holds the targets where both the action and a
non-zero change are known; the score is ``None`` when :math:`K` is empty. This is the
"pharmacological action" filter of scDrugPrio (Genome Med 2024, doi:10.1186/s13073-024-01314-7),
reduced to a score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from medtwin.errors import InputError
from medtwin.loaders.actions import ACTIVATE, INHIBIT, normalise_action

__all__ = [
    "ACTION_SIGNS",
    "DIRECTION_SIGNS",
    "NOT_COMPUTED",
    "DirectionResult",
    "action_direction",
    "direction_word",
]

NOT_COMPUTED = "not computed (add --method direction)"
"""The direction word of a ranking that did not run the ``direction`` method: "unknown" would say
that no target had both a known action and a change, which the ranking never looked at."""

ACTION_SIGNS: Mapping[str, int] = MappingProxyType(
    {**dict.fromkeys(sorted(INHIBIT), -1), **dict.fromkeys(sorted(ACTIVATE), 1)}
)
"""Action word -> sign, derived from the one vocabulary of :mod:`medtwin.loaders.actions` (the
loaders use it to store ``TARGETS.direction``)."""

DIRECTION_SIGNS: Mapping[str, int] = MappingProxyType({"inhibit": -1, "activate": 1, "unknown": 0})
"""Stored direction word (``(:Drug)-[:TARGETS {direction}]``, ``DrugTargets.directions``) -> sign:
the one conversion, used by the direction ranking and by :func:`action_direction`."""


@dataclass(frozen=True)
class DirectionResult:
    r"""Action-direction score of one drug for one patient.

    Attributes
    ----------
    score
        Mean of :math:`s_t` over targets with both a known action and a non-zero change, in
        [-1, 1]; ``None`` when there is no such target.
    n_counteracting, n_aggravating
        Targets with :math:`s_t = +1` and :math:`s_t = -1`.
    n_known
        ``n_counteracting + n_aggravating``.
    n_targets
        Targets given.
    weighted
        :math:`\frac{\sum_K s_t |\ell_t|}{\sum_K |\ell_t|} \cdot \frac{|K|}{|K| + 1}`: the
        mean weighted by the size of each target's change, shrunk towards 0 when few targets
        are informative (one counteracted target: 0.5; three: 0.75); ``None`` when :math:`K`
        is empty. The ranking uses this value.
    """

    score: float | None
    n_counteracting: int
    n_aggravating: int
    n_known: int
    n_targets: int
    weighted: float | None = None


def _sign_of_action(target: str, action: int | str) -> int:
    if isinstance(action, str):
        if action in DIRECTION_SIGNS:
            return DIRECTION_SIGNS[action]
        # the loaders' one rule: a word in neither vocabulary (substrate, binder, a typo) is
        # stored as "unknown", so it counts 0 here as it does in the ranking
        return ACTION_SIGNS.get(normalise_action(action), 0)
    if action not in (-1, 0, 1):
        raise InputError(f"action of target {target!r} must be -1, 0, 1 or a term, got {action}")
    return int(action)


def action_direction(
    actions: Mapping[str, int | str], log2fc: Mapping[str, float]
) -> DirectionResult:
    """Score whether a drug's actions oppose the patient's expression changes.

    Parameters
    ----------
    actions
        Target id -> action: -1/+1/0, a stored direction word of :data:`DIRECTION_SIGNS`
        (``inhibit``, ``activate``, ``unknown``) or an action word of :data:`ACTION_SIGNS`
        (``inhibitor``, ``agonist`` …).
    log2fc
        Gene id -> log2 fold change in the patient (NaN or 0 = unknown).

    Returns
    -------
    DirectionResult

    Raises
    ------
    InputError
        If an integer action is not -1, 0 or 1.

    References
    ----------
    scDrugPrio: a framework for the analysis of single-cell transcriptomics to address multiple
    problems in precision medicine in immune-mediated inflammatory diseases. Genome Med (2024).
    doi:10.1186/s13073-024-01314-7

    Examples
    --------
    TNF inhibited while up (+1, weight 2), IL10 activated while up (-1, weight 1.5):
    weighted = (2 - 1.5) / 3.5 * 2/3 = 0.0952.

    >>> r = action_direction({"TNF": "inhibitor", "IL10": "agonist", "X": 0},
    ...                      {"TNF": 2.0, "IL10": 1.5, "X": -1.0})
    >>> r.score, r.n_counteracting, r.n_aggravating, r.n_known, r.n_targets, round(r.weighted, 4)
    (0.0, 1, 1, 2, 3, 0.0952)
    """
    up = down = 0
    signed = total = 0.0
    for target, action in actions.items():
        a = _sign_of_action(target, action)
        change = log2fc.get(target)
        if a == 0 or change is None or math.isnan(change) or change == 0:
            continue
        s_t = -a * math.copysign(1.0, change)
        if s_t > 0:
            up += 1
        else:
            down += 1
        signed += s_t * abs(change)
        total += abs(change)
    known = up + down
    return DirectionResult(
        score=(up - down) / known if known else None,
        n_counteracting=up,
        n_aggravating=down,
        n_known=known,
        n_targets=len(actions),
        weighted=signed / total * known / (known + 1) if known else None,
    )


def direction_word(score: float | None, *, computed: bool = True) -> str:
    """The word for a direction score, used by the CLI, API, report and viewer alike.

    ``+`` means the drug pushes its targets against the patient's change (it inhibits an
    up-regulated gene or activates a down-regulated one): **counteracts**; ``-`` the reverse:
    **aggravates**. ``computed`` false (the ranking did not run ``direction``):
    :data:`NOT_COMPUTED`.

    Examples
    --------
    >>> direction_word(1.0), direction_word(-0.5), direction_word(0.0), direction_word(None)
    ('counteracts', 'aggravates', 'mixed', 'unknown')
    >>> direction_word(None, computed=False)
    'not computed (add --method direction)'
    """
    if not computed:
        return NOT_COMPUTED
    if score is None or math.isnan(score):
        return "unknown"
    if score > 0:
        return "counteracts"
    if score < 0:
        return "aggravates"
    return "mixed"
