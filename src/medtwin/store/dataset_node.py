"""A ``Dataset`` provenance node's properties, as the load statements write them.

``load/start_dataset`` then ``load/finish_dataset`` write them on the incremental path; a bulk
import writes the same properties as a node file for ``neo4j-admin`` (:func:`dataset_node`), so
that no transaction is needed on the just-started server. Both take the row counts from
:func:`count_lines`: one ``kind=rows`` line per row kind, sorted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = ["count_lines", "dataset_node"]


def count_lines(counts: Mapping[str, int]) -> list[str]:
    """``["DrugRow=8030", ...]``: a dataset's rows per kind, sorted by kind.

    Sorted in Python: Cypher's ``keys($map)`` gives Java's hash order, which no other writer
    could reproduce.
    """
    return [f"{kind}={n}" for kind, n in sorted(counts.items())]


def dataset_node(
    name: str,
    props: Mapping[str, Any],
    counts: Mapping[str, int],
    seconds: float,
    *,
    started: datetime,
    loaded: datetime,
) -> dict[str, Any]:
    """The properties ``load/start_dataset`` + ``load/finish_dataset`` give a new Dataset node.

    ``props``: version, url, licence, sha256, files, loader (as for ``start_dataset``);
    ``started``/``loaded``: timezone-aware times (the statements use ``datetime()``).
    """
    return {
        **props,
        "id": name,
        "name": name,
        "status": "complete",
        "started_at": started,
        "loaded_at": loaded,
        "load_seconds": float(seconds),
        "counts": count_lines(counts),
        "rows": sum(counts.values()),
    }
