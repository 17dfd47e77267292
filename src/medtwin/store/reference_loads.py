"""Reference loads into Neo4j: rows written in batches, ``Dataset`` nodes, ``describe``'s counts.

Writes are batched ``UNWIND $rows`` statements in managed write transactions (retried by the
driver on transient errors) of ``settings.batch_size`` rows; every statement ``MERGE``s on the
constrained ``id``, so reruns change nothing. :class:`ReferenceLoads` is the base of
:class:`~medtwin.store.neo4j.Neo4jStore`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, LiteralString

from pydantic import BaseModel

from medtwin.cypher.catalog import query
from medtwin.store import graph_counts
from medtwin.store.dataset_node import count_lines
from medtwin.store.row_queries import query_for_row, row_params
from medtwin.store.runner import CypherRunner, iso, to_plain

__all__ = ["Progress", "ReferenceLoads"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


def _batches(rows: Iterable[BaseModel], size: int) -> Iterator[list[BaseModel]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


class ReferenceLoads(CypherRunner):
    """Schema and reference loads, datasets and counts on a :class:`CypherRunner`."""

    def merge_rows(
        self, rows: Iterable[BaseModel], progress: Progress | None = None, *, fresh: bool = False
    ) -> int:
        """Write rows of one type in batches; returns the number of rows written.

        ``fresh=True`` promises that the rows' dataset was never loaded (``row_queries``).
        """
        total = 0
        text: LiteralString | None = None
        for batch in _batches(rows, self.settings.batch_size):
            if text is None:
                text = query(query_for_row(batch[0], fresh=fresh))
            self._write_batch(text, row_params(batch))
            total += len(batch)
            log.debug("wrote %d %s rows", len(batch), type(batch[0]).__name__)
            if progress is not None:
                progress(len(batch))
        return total

    def start_dataset(self, dataset_id: str, props: dict[str, Any]) -> dict[str, Any]:
        """Mark ``dataset_id`` as loading; return its previous status, sha256 and loader."""
        return self.write("load/start_dataset", id=dataset_id, props=props)[0]

    def finish_dataset(self, dataset_id: str, counts: dict[str, int], seconds: float) -> None:
        """Mark ``dataset_id`` complete with its row counts."""
        self.write(
            "load/finish_dataset",
            id=dataset_id,
            counts=count_lines(counts),
            rows=sum(counts.values()),
            seconds=seconds,
        )

    def dataset(self, dataset_id: str) -> dict[str, Any] | None:
        """Properties of one Dataset node, or ``None``."""
        got = self._read_data("load/get_dataset", {"id": dataset_id})
        return {k: iso(v) for k, v in got[0]["dataset"].items()} if got else None

    def datasets(self) -> list[dict[str, Any]]:
        """Properties of every Dataset node (temporal values as ISO 8601 text)."""
        return [
            {k: iso(v) for k, v in r["dataset"].items()}
            for r in self._read_data("query/list_datasets", {})
        ]

    def counts(self) -> dict[str, Any]:
        """Count nodes per label and relationships per type, each with a ``by_source`` breakdown.

        A node named by two sources counts once in ``total`` and once under each source. Totals
        come from the count store and the reference relationships' sources from the table the
        last load kept, when still valid (:mod:`medtwin.store.graph_counts`).
        """
        return self.counts_and_datasets()[0]

    def counts_and_datasets(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """:meth:`counts` and :meth:`datasets` with the Dataset nodes read once, for both.

        ``describe`` read them twice: the counts check their kept table against the datasets'
        load times, and then list the datasets.
        """
        raw = [r["dataset"] for r in self._read_data("query/list_datasets", {})]
        # the layer figures come with the counts (kept by the load, or counted with the rest):
        # reading them again here was one more statement for the same figures
        got = graph_counts.counts(self, [to_plain(d) for d in raw])
        return got, [{k: iso(v) for k, v in d.items()} for d in raw]

    def refresh_counts(self) -> bool:
        """Count the reference relationships by source for ``describe`` (end of a load)."""
        return graph_counts.refresh(self)
