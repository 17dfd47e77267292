"""The id of a ``(:CohortLoad)`` record, shared by the Neo4j and the in-memory store."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["load_key"]


def load_key(cohort: str, inputs: Sequence[str]) -> str:
    """The id of the record of adding ``inputs`` (file checksums) to ``cohort``.

    >>> load_key("trial", [])
    'cohort:trial'
    >>> load_key("trial", ['{"a.tsv": "ab"}'])
    'cohort:trial:48ecbb3bcf20430c'
    """
    if not inputs:
        return f"cohort:{cohort}"
    digest = hashlib.sha256("\n".join(sorted(set(inputs))).encode()).hexdigest()
    return f"cohort:{cohort}:{digest[:16]}"
