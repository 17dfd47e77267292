"""Direction of a drug's effect on its target, derived from DrugBank / DrugCentral action words.

Each action word is normalised (lower case, blanks collapsed, text after a comma dropped, so
``"Inhibitor, competitive"`` → ``inhibitor``) and looked up in :data:`INHIBIT` or
:data:`ACTIVATE`:

========== ==========================================================================
inhibit    inhibitor, antagonist, blocker, negative (allosteric) modulator, inhibitory
           allosteric modulator, inverse agonist, partial antagonist, allosteric
           antagonist, suppressor, antibody, antibody binding, inactivator, neutralizer,
           desensitize the target, conversion inhibitor
activate   agonist, partial agonist, activator, positive (allosteric) modulator, inducer,
           potentiator, stimulator, opener
unknown    everything else (substrate, binder, ligand, cofactor, modulator, allosteric
           modulator, releasing agent, other, unknown, none …)
========== ==========================================================================

A target whose words fall in both classes (e.g. ``agonist|antagonist``) is ``unknown``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

__all__ = ["ACTIVATE", "INHIBIT", "direction_of", "normalise_action", "with_fallback"]

INHIBIT: frozenset[str] = frozenset(
    {
        "inhibitor",
        "antagonist",
        "blocker",
        "negative modulator",
        "negative allosteric modulator",
        "inhibitory allosteric modulator",
        "inverse agonist",
        "partial antagonist",
        "allosteric antagonist",
        "suppressor",
        "antibody",
        "antibody binding",
        "inactivator",
        "neutralizer",
        "desensitize the target",
        "conversion inhibitor",
    }
)

ACTIVATE: frozenset[str] = frozenset(
    {
        "agonist",
        "partial agonist",
        "activator",
        "positive modulator",
        "positive allosteric modulator",
        "inducer",
        "potentiator",
        "stimulator",
        "opener",
    }
)


def normalise_action(word: str) -> str:
    """Return an action word in lower case with blanks collapsed and any ``, qualifier`` removed.

    >>> normalise_action("  Inhibitor, competitive ")
    'inhibitor'
    """
    return " ".join(word.split(",")[0].lower().split())


def direction_of(actions: Iterable[str]) -> Literal["inhibit", "activate", "unknown"]:
    """Return ``"inhibit"``, ``"activate"`` or ``"unknown"`` for a target's action words.

    >>> direction_of(["inhibitor"]), direction_of(["POSITIVE ALLOSTERIC MODULATOR"])
    ('inhibit', 'activate')
    >>> direction_of(["substrate"]), direction_of(["agonist", "antagonist"]), direction_of([])
    ('unknown', 'unknown', 'unknown')
    """
    words = {normalise_action(a) for a in actions}
    inhibit, activate = bool(words & INHIBIT), bool(words & ACTIVATE)
    if inhibit and not activate:
        return "inhibit"
    if activate and not inhibit:
        return "activate"
    return "unknown"


def with_fallback(direction: str | None, fallback: Iterable[str | None]) -> str | None:
    """Return ``direction``, or the one inhibit/activate direction a second source gives instead.

    Where the primary source names no direction for a (drug, target) pair (``None`` or
    ``"unknown"``) and the fallback source's edges of the same pair carry exactly one known
    direction, that one is used (``cypher/query/drug_targets.cypher`` does the same in the
    database). DrugBank 4.2 lists, e.g., ipilimumab → CTLA4 with no action; DrugCentral's
    mechanism-of-action record says "antibody binding" (→ inhibit).

    >>> with_fallback("unknown", ["inhibit"]), with_fallback("activate", ["inhibit"])
    ('inhibit', 'activate')
    >>> with_fallback(None, ["unknown"]), with_fallback("unknown", [])
    (None, 'unknown')
    """
    if direction not in (None, "unknown"):
        return direction
    known = [f for f in fallback if f in ("inhibit", "activate")]
    return known[0] if len(known) == 1 else direction
