"""Antibody effector "targets": Fc receptors and complement are not a drug's mechanism.

DrugBank lists, for many therapeutic antibodies (rituximab, muromonab, natalizumab, ...), the
Fc-gamma receptors and complement components their Fc part binds — effector functions shared by
every IgG, not what the drug acts on. Used for network proximity they make all such antibodies
look close to any immune module (FCGR3A is on NK cells and monocytes). Rule (a documented filter,
:attr:`medtwin.platform.models.RankParams.effector_filter`): a drug–target pair whose gene is an
Fc receptor or a complement component (:func:`is_effector`) is not used for ranking **unless**
DrugBank marks it as the drug's known action (``known_action = yes``: e.g. omalizumab on
FCER1A, an anti-IgE). The drug keeps its other targets; a drug left with none is not ranked.
``make validate-twins`` reports the ranking with and without the filter.

Genes (HGNC symbols): ``FCGR*`` (FCGR1A … FCGR3B, FCGRT = FcRn), ``FCER*``, ``FCAR``, ``FCRN``,
``FCAMR``, ``FCMR``; complement ``C1QA/B/C``, ``C1R``, ``C1S``, ``C2`` … ``C9`` with ``C4A/B``,
``C8A/B/G``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["is_effector", "keep_targets"]

_EFFECTOR = re.compile(
    r"^(FCGR\w*|FCER\w*|FCAR|FCRN|FCAMR|FCMR|C1Q[ABC]|C1R|C1S|C[2-9]|C4[AB]|C8[ABG])$"
)


def is_effector(symbol: str | None) -> bool:
    """Whether a gene symbol is an Fc receptor or a complement component.

    Examples
    --------
    >>> [is_effector(s) for s in ("FCGR3A", "FCGRT", "FCER1A", "C1QB", "C5", "C5AR1", "CD20")]
    [True, True, True, True, True, False, False]
    >>> is_effector(None), is_effector("C10orf90"), is_effector("CD3E")
    (False, False, False)
    """
    return symbol is not None and _EFFECTOR.match(symbol.upper()) is not None


def keep_targets(symbols: Sequence[str | None], known_actions: Sequence[str | None]) -> list[bool]:
    """Which targets of one drug are used for ranking (module docstring).

    Examples
    --------
    >>> keep_targets(["MS4A1", "FCGR3A", "C1QA"], ["yes", "unknown", None])
    [True, False, False]
    >>> keep_targets(["FCER1A", "MS4A2"], ["yes", "yes"])  # omalizumab: the known action
    [True, True]
    """
    return [
        not is_effector(s) or (k or "").lower() == "yes"
        for s, k in zip(symbols, known_actions, strict=True)
    ]
