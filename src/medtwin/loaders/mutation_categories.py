"""The evidence weight of each mutation / copy-number category (Gao et al. 2015).

The categories, their weights and why: :mod:`medtwin.loaders.patient_mutations` (``medtwin
patient add P --mutations FILE``), which reads them. They live apart from that reader because a
twin's driver evidence (:mod:`medtwin.platform.gene_evidence`) weighs stored changes by them, and
every command that words a driver (``twin regulators``, ``explain``) imported the mutation reader,
and with it the table readers (``patient_io``, ``patient_tables``, ``patient_symptoms``), for
this table.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["CATEGORY_EVIDENCE", "CATEGORY_SPELLING", "mutation_evidence"]

CATEGORY_EVIDENCE = MappingProxyType(
    {
        "MutKnownFunctional": 3.0,
        "MutLikelyFunctional": 2.0,
        "MutNovel": 1.0,
        "Amp8": 3.0,
        "Amp5": 2.0,
        "Del0.8": 3.0,
    }
)
"""Category -> evidence weight (:mod:`medtwin.loaders.patient_mutations`' docstring)."""

CATEGORY_SPELLING = MappingProxyType({c.lower(): c for c in CATEGORY_EVIDENCE})
"""A category in lower case -> its spelling in :data:`CATEGORY_EVIDENCE`."""


def mutation_evidence(category: str | None) -> float | None:
    """Evidence weight of a mutation/copy-number category, ``None`` for another consequence.

    Category names are matched case-insensitively.

    Examples
    --------
    >>> mutation_evidence("Amp8"), mutation_evidence("MutNovel"), mutation_evidence("missense")
    (3.0, 1.0, None)
    >>> mutation_evidence("amp8"), mutation_evidence(None)
    (3.0, None)
    """
    if category is None:
        return None
    return CATEGORY_EVIDENCE.get(CATEGORY_SPELLING.get(category.lower(), ""), None)
