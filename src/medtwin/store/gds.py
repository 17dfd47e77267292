"""Graph Data Science on the server: projections and algorithms via the ``graphdatascience`` client.

Projections are Cypher projections whose query is a ``.cypher`` file of the catalog, so what is
projected is reviewable. They are always dropped by :meth:`Gds.projection`'s context manager, even
when the algorithm fails. Algorithms run with ``concurrency=1`` by default: GDS Louvain and
betweenness are deterministic only single-threaded, and results must be reproducible. They run
with ``log_progress=False``: GDS otherwise writes every run's progress lines to ``neo4j.log``
(hundreds per Louvain call; ~11 % of a 14k-node PageRank's time here, and most of the log).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import neo4j

from medtwin.cypher.catalog import query
from medtwin.errors import GraphStoreError, QueryFailed
from medtwin.store.connection import translate_errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Gds", "NodeScore", "client_class", "projection_name"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NodeScore:
    """One node's algorithm result mapped back to medtwin ids."""

    id: str
    labels: tuple[str, ...]
    value: float


def projection_name(kind: str, key: str, params: dict[str, Any]) -> str:
    """Return ``<kind>_<readable key>_<hash>``, safe as a GDS graph name and unique per input.

    The hash covers the *exact* ``key`` and ``params`` (``p.gx``, ``p_gx`` and ``p-gx`` get
    different names); the readable part is only for people listing graphs.
    """
    exact = json.dumps([kind, key, params], sort_keys=True, default=str)
    digest = hashlib.sha256(exact.encode()).hexdigest()
    safe = re.sub(r"[^A-Za-z0-9_]", "_", key)[:40]
    return f"{kind}_{safe}_{digest[:20]}"


@cache
def client_class() -> Any:
    """The ``graphdatascience`` client class, imported on first use without a notebook warning.

    The client imports pandas (≈ 1–2 s): only commands that run algorithms pay for it. It also
    imports ``tqdm.auto``, which in a Jupyter kernel without ipywidgets warns "IProgress not
    found. Please update jupyter and ipywidgets" (on stderr under the notebook's first twin
    build) and falls back to plain tqdm; its bars are off here (``show_progress=False``), so the
    warning says nothing a user can act on. With ipywidgets, tqdm.auto is the notebook's bar.
    Cached: the warning filter is touched on the first call only.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        from graphdatascience import GraphDataScience

    return GraphDataScience


class Gds:
    """GDS operations on one database.

    Parameters
    ----------
    driver
        The process's Driver.
    database
        Database name.
    uri
        For error messages.
    """

    def __init__(self, driver: neo4j.Driver, database: str, uri: str) -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        GraphDataScience = client_class()
        with translate_errors(uri):
            self.client = GraphDataScience(
                driver, database=database, show_progress=False, arrow=False
            )

    @contextmanager
    def projection(self, name: str, query_name: str, **params: Any) -> Iterator[Any]:
        """Project with the catalog query ``query_name`` as graph ``name``; drop it on exit.

        ``name`` must be unique to the caller's work (see :func:`projection_name`; twin builds
        hold the patient's lock). A graph of that name left by a killed run of the *same* work is
        replaced; no other graph is ever dropped.
        """
        with translate_errors(self.uri):
            dropped = self.client.graph.drop(name, fail_if_missing=False)
            if dropped is not None and len(dropped) > 0:
                log.warning("replaced GDS graph %s left by an interrupted run", name)
            result = self.client.graph.project.cypher(query(query_name), graph_name=name, **params)
        graph = result.graph
        log.debug(
            "projected %s: %d nodes, %d relationships",
            name,
            result.result.node_count,
            result.result.relationship_count,
        )
        try:
            yield graph
        finally:
            try:
                with translate_errors(self.uri):
                    self.client.graph.drop(name, fail_if_missing=False)
            except GraphStoreError:
                log.warning("could not drop GDS projection %s", name)

    def _map(self, frame: pd.DataFrame, column: str) -> list[NodeScore]:
        if frame.empty:
            return []
        ids = [int(x) for x in frame["nodeId"]]
        with translate_errors(self.uri):
            records, _, _ = self.driver.execute_query(
                query("gds/node_ids"), node_ids=ids, database_=self.database
            )
        by_id = {int(r["node_id"]): (str(r["id"]), tuple(r["labels"])) for r in records}
        out = []
        for nid, value in zip(frame["nodeId"], frame[column], strict=True):
            if int(nid) not in by_id:
                raise QueryFailed(f"GDS returned node {nid} that no longer exists")
            node_id, labels = by_id[int(nid)]
            out.append(NodeScore(node_id, labels, float(value)))
        return out

    def internal_ids(self, graph: Any, ids: list[str]) -> list[int]:
        """Return the internal node ids of medtwin ``ids`` (for personalised PageRank sources)."""
        with translate_errors(self.uri):
            records, _, _ = self.driver.execute_query(
                query("gds/internal_ids"), ids=ids, database_=self.database
            )
        return [int(r["node_id"]) for r in records]

    def pagerank(
        self,
        graph: Any,
        *,
        damping: float = 0.85,
        max_iterations: int = 100,
        tolerance: float = 1e-9,
        weight: str | None = None,
        sources: list[int] | None = None,
        concurrency: int = 1,
    ) -> list[NodeScore]:
        """PageRank (Brin & Page 1998); personalised when ``sources`` (internal node ids) is given.

        GDS 2.13 restarts uniformly over the source nodes (weighted sources came later), so the
        |change|-weighted personalisation is computed in ``medtwin.platform.algorithms``.

        GDS computes PR(v) = (1 − d)·s(v) + d·Σ_{u→v} PR(u)·w_uv / Σ_w w_u· without normalising the
        total to 1; callers that compare with networkx divide by the sum.
        """
        kwargs: dict[str, Any] = {
            "damping_factor": damping,
            "max_iterations": max_iterations,
            "tolerance": tolerance,
            "concurrency": concurrency,
            "relationship_weight_property": weight,
            "log_progress": False,  # module docstring
        }
        if sources:
            kwargs["source_nodes"] = sources
        with translate_errors(self.uri):
            frame = self.client.page_rank.stream(graph, **kwargs)
        return self._map(frame, "score")

    def betweenness(self, graph: Any, *, concurrency: int = 1) -> list[NodeScore]:
        """Exact betweenness centrality (Brandes 2001, doi:10.1080/0022250X.2001.9990249)."""
        with translate_errors(self.uri):
            frame = self.client.betweenness.stream(
                graph, concurrency=concurrency, log_progress=False
            )
        return self._map(frame, "score")

    def louvain(
        self, graph: Any, *, weight: str | None = None, concurrency: int = 1
    ) -> list[NodeScore]:
        """Louvain communities (Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008)."""
        with translate_errors(self.uri):
            frame = self.client.louvain.stream(
                graph,
                concurrency=concurrency,
                relationship_weight_property=weight,
                log_progress=False,
            )
        return self._map(frame, "communityId")

    def louvain_modularity(self, graph: Any, *, concurrency: int = 1) -> tuple[float, int]:
        r"""GDS's own modularity of :meth:`louvain`'s partition, and its number of communities.

        The same call at ``concurrency`` 1 (deterministic: the same partition as ``stream``)
        in ``stats`` mode, which reports the final level's modularity
        :math:`Q = \frac{1}{2m}\sum_{ij}(A_{ij} - k_i k_j/2m)\,\delta(c_i, c_j)` (Newman 2006,
        doi:10.1073/pnas.0601602103). Only the oracle check compares it with networkx
        (``tests/integration/test_twin_louvain.py``, ``benchmarks/louvain_oracle.py``).
        """
        with translate_errors(self.uri):
            stats = self.client.louvain.stats(graph, concurrency=concurrency, log_progress=False)
        return float(stats.modularity), int(stats.community_count)
