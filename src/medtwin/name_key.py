"""The form in which a typed name is compared with a stored one (explain's drug-name hint).

Users type "methotrexate" for "Méthotrexate" and "ASPIRIN" for "Aspirin": a name's key folds
compatibility forms (NFKD), drops the combining marks that the decomposition splits accents
into, and case-folds (``ß`` -> ``ss``, which ``lower()`` keeps). Computed in Python on every
path, so the memory store and Neo4j (which stores the keys at load: ``load/merge_drugs``)
compare the same strings; Cypher's ``toLower`` has no accent fold.
"""

from __future__ import annotations

import unicodedata

__all__ = ["name_key"]


def name_key(name: str) -> str:
    """``name`` without accents, case-folded.

    >>> name_key("Méthotrexate"), name_key("STRAßE"), name_key("ﬁlgrastim")
    ('methotrexate', 'strasse', 'filgrastim')
    """
    split = unicodedata.normalize("NFKD", name)
    return "".join(c for c in split if not unicodedata.combining(c)).casefold()
