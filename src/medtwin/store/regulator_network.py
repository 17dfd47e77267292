r"""Upstream-regulator centrality in GDS on one regulatory + PPI projection shared by all twins.

The projection (``gds/project_regulator_network``: every ``INTERACTS_WITH`` and ``REGULATES``
edge between two proteins, undirected, each pair once) is kept in the GDS graph catalog under a
name derived from the reference it was built from (the interactome's and the regulons' sha256 and
load time, passed in as ``reference_key``): the first twin after a (re)load projects it and runs
Louvain on it once (Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008; ``concurrency 1``,
GDS defaults ``maxLevels 10``, ``tolerance 1e-4``; GDS Louvain has no random seed: it is
deterministic single-threaded), written into the in-memory graph as node property ``community``.
Every later twin reuses both. A projection of another reference key is dropped when a new one is
made (a reload made it stale).

Per twin, :meth:`RegulatorNetworkStore.centrality` runs personalised PageRank with the restart
vector :math:`w` (Haveliwala 2002, doi:10.1145/511446.511513)

.. math:: PR_w = (1 - d)\, w + d\, P^\top PR_w, \qquad \textstyle\sum_s w_s = 1

GDS 2.13.9 takes ``sourceNodes`` only as nodes or ids with a *uniform* restart over them (a list
of ``[node, weight]`` pairs is rejected: "Failed to parse `sourceNodes` as a List of node IDs"),
so the weighted vector is computed by linearity, :math:`PR_w = \sum_s w_s PR_{e_s}`: the
PageRank restarting at one seed (a column of the PageRank matrix) is computed once with
``gds.pageRank.mutate`` and kept in the projection as node property ``ppr700_<entrez>``; a twin
sums the cached columns at its seeds (``gds.util.nodeProperty``), so a regulator seen by an earlier
twin costs a look-up (each column: one double per node, ~0.1 MB on the 14k-node network).

A column is one GDS PageRank run (0.09-0.25 s here, whatever the round trips and the mode), and
GDS cannot restart from a weighted vector in one run (a source node with weighted edges to the
seeds would do it, but a catalog graph cannot gain a node, and a per-twin projection took
1.5-3.8 s), so missing columns are computed in :data:`SESSIONS` sessions at once, one round
trip each (10 new TFs ~0.9 s, 20 ~1.8 s at load 4-5). :meth:`RegulatorNetworkStore.prefill_columns`
computes the column of every TF of the regulon layer (271 TFs, ~30 MB, 18-26 s) so that the
upstream regulators of any later twin are look-ups; ``cohort run`` calls it before a large batch,
where most columns would be needed anyway. Twins built one at a time do not: ~20 s for the first
twin after each server start would cost an interactive user more than the columns save. With
``column_budget`` (the platform passes
:data:`~medtwin.platform.regulator_centrality.COLUMN_BUDGET`), a twin missing more columns than
that gets no scores but its seeds in ``pending``, and :meth:`RegulatorNetworkStore.edges` hands
the projection's own edge list over (``gds.graph.relationships.stream`` once per reload, then
kept on disk for every later process: :mod:`medtwin.store.edge_cache`), on
which the platform evaluates the weighted PageRank in one pass (~0.1 s whatever the number of
new TFs, equal to the columns' sum within the PageRank tolerance). Every
column is the same GDS call (``concurrency 1``), so the numbers are those
of one call at a time, bit for bit (``tests/integration/test_regulator_gds.py``).
:math:`PR_w` equals the random walk with restart :math:`r = 1 - d`
(:func:`medtwin.platform.algorithms.propagation.random_walk_with_restart`), the in-process path.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from medtwin.errors import GraphStoreError
from medtwin.store.edge_cache import edge_file, read_edges, write_edges

if TYPE_CHECKING:  # the driver: not for modules that only name RegulatorCentrality (store/lean.py)
    from medtwin.store.runner import CypherRunner

__all__ = [
    "PROJECTION_VERSION",
    "SESSIONS",
    "RegulatorCentrality",
    "RegulatorNetworkStore",
    "column_prefix",
    "graph_name",
]

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_SIZES: dict[str, dict[int, int]] = {}  # projection name -> nodes per community (the last one)

SESSIONS = 2
"""GDS PageRank calls run at once when several columns are missing (the machine's 2 cores)."""


@dataclass(frozen=True)
class RegulatorCentrality:
    """Centrality of a twin's seeds on the shared network.

    ``scores``: seed -> personalised PageRank (sums to 1 over *all* nodes, so comparable with the
    random walk with restart); ``communities``: seed -> Louvain community id of the projection;
    ``community_sizes``: community id -> its nodes, ``network_nodes``: nodes of the network the
    communities partition (both empty / 0 when not known);
    ``missing``: seeds that are no node of the network; ``pending``: seeds whose scores were not
    computed because more of their PageRank columns were missing than the caller's
    ``column_budget`` (``scores`` is then empty; the caller evaluates the PageRank itself on
    :meth:`RegulatorNetworkStore.edges`); ``louvain_seed``: the seed of networkx's Louvain when
    the communities were drawn in process, ``None`` for GDS (deterministic at concurrency 1).
    """

    scores: dict[str, float]
    communities: dict[str, int]
    engine: str
    graph: str
    missing: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)
    pending: tuple[str, ...] = ()
    community_sizes: dict[int, int] = field(default_factory=dict)
    network_nodes: int = 0
    louvain_seed: int | None = None


def column_prefix(damping: float) -> str:
    """``ppr<1000 d>_``: the node property of a seed's column is this prefix + its Entrez id."""
    return f"ppr{round(damping * 1000)}_"


PROJECTION_VERSION = 2
"""Version of ``gds/project_regulator_network``, hashed into :func:`graph_name`. 2: rows in id
order, each pair as (lower id, higher id) (1: storage order). A server's catalog keeps a projection
until it restarts, and its edge list is kept on disk by name: a new version gets a new name, so no
process reuses a projection (and its Louvain groups) made the old way."""


def graph_name(reference_key: str) -> str:
    """``regnet_<hash of the reference key>``: one catalog graph per loaded reference."""
    named = f"{reference_key}|projection {PROJECTION_VERSION}"
    return "regnet_" + hashlib.sha256(named.encode()).hexdigest()[:20]


class RegulatorNetworkStore:
    """The shared projection and the per-twin PageRank on a :class:`CypherRunner`."""

    def __init__(self, store: CypherRunner) -> None:
        self.store = store

    def ensure_projection(self, reference_key: str) -> tuple[str, bool]:
        """Return the catalog graph of ``reference_key``, projecting it (and Louvain) if absent.

        Returns ``(name, created)``. Other ``regnet_*`` graphs are dropped when one is created.
        """
        name = graph_name(reference_key)
        with _LOCK:
            present = {r["name"] for r in self.store.read("gds/list_regulator_graphs")}
            if name in present:
                return name, False
            t0 = time.perf_counter()
            try:
                self.store.write("gds/project_regulator_network", graph_name=name)
            except GraphStoreError:
                # Another process may have projected it between our look and our projection.
                if name in {r["name"] for r in self.store.read("gds/list_regulator_graphs")}:
                    return name, False
                raise
            got = self.store.write("gds/regulator_communities", graph_name=name)[0]
            for old in present:
                self.store.write("gds/drop_graph", graph_name=old)
            log.info(
                "regulatory network %s projected with %d Louvain communities (modularity %.3f) "
                "in %.1f s; %d stale projection(s) dropped",
                name,
                got["community_count"],
                got["modularity"],
                time.perf_counter() - t0,
                len(present),
            )
            return name, True

    def community_sizes(self, name: str) -> dict[int, int]:
        """Nodes per Louvain community of the projection ``name`` (read once per process)."""
        with _LOCK:
            if name in _SIZES:
                return _SIZES[name]
        got = self.store.read("gds/regulator_community_sizes", graph_name=name)
        sizes = {int(r["community"]): int(r["size"]) for r in got}
        with _LOCK:
            _SIZES.clear()
            _SIZES[name] = sizes
        return sizes

    def _columns(self, name: str) -> set[str]:
        got = self.store.read("gds/regulator_graph_properties", graph_name=name)
        return {p for r in got for props in (r["nodes"] or {}).values() for p in props}

    def _missing_columns(self, name: str, ids: list[str], *, damping: float) -> list[str]:
        """The ids of ``ids`` whose PageRank column the projection lacks, by id."""
        prefix = column_prefix(damping)
        present = self._columns(name)
        return sorted(g for g in ids if prefix + g not in present)

    def _compute_columns(
        self, name: str, ids: list[str], *, damping: float, tolerance: float, max_iterations: int
    ) -> None:
        """Compute the columns of ``ids`` (none present yet): one round trip per session.

        With several, :data:`SESSIONS` sessions run at once (each GDS call ``concurrency 1``,
        so each column is the same computation, bit for bit, as one at a time).
        """
        prefix = column_prefix(damping)
        params = {"damping": damping, "tolerance": tolerance, "max_iterations": max_iterations}

        def run(part: list[str]) -> None:
            try:
                self.store.write(
                    "gds/regulator_pagerank_columns",
                    graph_name=name,
                    ids=part,
                    prefix=prefix,
                    **params,
                )
            except GraphStoreError:
                # another process may have written some of them meanwhile: one by one
                for gid in part:
                    prop = prefix + gid
                    if prop in self._columns(name):
                        continue
                    try:
                        self.store.write(
                            "gds/regulator_pagerank_column",
                            graph_name=name,
                            id=gid,
                            property=prop,
                            **params,
                        )
                    except GraphStoreError:
                        if prop not in self._columns(name):
                            raise

        parts = [ids[i::SESSIONS] for i in range(min(SESSIONS, len(ids)))]
        if len(parts) == 1:
            run(parts[0])
            return
        with ThreadPoolExecutor(len(parts), thread_name_prefix="gds-columns") as pool:
            for _ in pool.map(run, parts):  # re-raises a session's error
                pass

    def prefill_columns(
        self,
        reference_key: str,
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
    ) -> tuple[int, float]:
        """Compute the PageRank column of every TF of the regulon layer that lacks one.

        Returns ``(columns computed, seconds)``. Called before a large batch of twins (``cohort
        run``), so that no twin of it computes a column for a TF (the upstream regulators); a
        driver that is no TF still gets its column when first needed.
        """
        t0 = time.perf_counter()
        name, _ = self.ensure_projection(reference_key)
        tfs = [str(r["id"]) for r in self.store.read("gds/regulator_tf_ids")]
        prefix = column_prefix(damping)
        present = self._columns(name)
        missing = [t for t in tfs if prefix + t not in present]
        if missing:
            self._compute_columns(
                name, missing, damping=damping, tolerance=tolerance, max_iterations=max_iterations
            )
        seconds = time.perf_counter() - t0
        log.info(
            "regulatory network %s: PageRank columns of %d of %d TFs computed in %.1f s",
            name,
            len(missing),
            len(tfs),
            seconds,
        )
        return len(missing), seconds

    def centrality(
        self,
        reference_key: str,
        seeds: Mapping[str, float],
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
        column_budget: int | None = None,
    ) -> RegulatorCentrality:
        """Personalised PageRank of ``seeds`` (id -> restart weight > 0) and their communities.

        Weights are scaled to sum to 1 over the seeds that are network nodes. Each seed's
        PageRank column is computed once per projection and kept in it (``times['columns']``
        counts the new ones' seconds), so a TF seen by an earlier twin costs a look-up. With
        ``column_budget``, no column is computed when more than that many are missing: the
        result has no scores and lists the seeds in ``pending`` (a caller that can evaluate the
        PageRank in one pass on :meth:`edges` does so rather than paying ~0.1-0.2 s per column).
        """
        times: dict[str, float] = {}
        t0 = time.perf_counter()
        name, created = self.ensure_projection(reference_key)
        times["projection"] = round(time.perf_counter() - t0, 4) if created else 0.0
        t1 = time.perf_counter()
        found = self.store.read("gds/regulator_seeds", graph_name=name, ids=sorted(seeds))
        communities = {str(r["id"]): int(r["community"]) for r in found}
        present = sorted(g for g in communities if seeds[g] > 0)
        total = sum(seeds[g] for g in present)
        scores: dict[str, float] = {}
        pending: tuple[str, ...] = ()
        missing = self._missing_columns(name, present, damping=damping) if total > 0 else []
        if column_budget is not None and len(missing) > column_budget:
            pending, total = tuple(present), 0.0
        elif missing:
            self._compute_columns(
                name, missing, damping=damping, tolerance=tolerance, max_iterations=max_iterations
            )
        if total > 0:
            times["columns"] = round(time.perf_counter() - t1, 4)
            prefix = column_prefix(damping)
            columns = [{"property": prefix + g, "weight": seeds[g] / total} for g in present]
            got = self.store.read(
                "gds/regulator_pagerank", graph_name=name, ids=present, columns=columns
            )
            scores = {str(r["id"]): float(r["score"]) for r in got}
        times["pagerank"] = round(time.perf_counter() - t1, 4)
        sizes = self.community_sizes(name) if communities else {}
        return RegulatorCentrality(
            scores=scores,
            communities=communities,
            engine="gds",
            graph=name,
            missing=tuple(sorted(set(seeds) - set(communities))),
            seconds=times,
            pending=pending,
            community_sizes={c: sizes[c] for c in set(communities.values()) if c in sizes},
            network_nodes=sum(sizes.values()),
        )

    def edges(self, reference_key: str) -> tuple[list[str], list[str]]:
        """The projection's edges as two lists of Entrez ids (each undirected pair once).

        ~150k pairs: 1-8 s to stream from GDS and map to ids (8.4 s on the first read after a
        server start), so they are kept in ``settings.cache_dir`` under the projection's name
        (:mod:`medtwin.store.edge_cache`) and a later process reads the file (~0.1 s). The name
        changes with every reload, so a kept list is never stale.
        """
        name = graph_name(reference_key)
        folder = self.store.settings.cache_dir
        kept = read_edges(folder, name)
        if kept is not None:
            return kept
        self.ensure_projection(reference_key)  # the same name; projected if absent
        got = self.store.read("gds/regulator_network_edges", graph_name=name)[0]
        source, target = list(got["source"] or []), list(got["target"] or [])
        found = self.store.read(
            "gds/regulator_node_ids", node_ids=sorted(set(source) | set(target))
        )[0]
        ids = dict(zip(found["node_id"] or [], found["id"] or [], strict=True))
        # Each pair as (lower id, higher id), in id order: the stream names the nodes by their
        # store ids, so its order and each pair's direction followed the order the graph was
        # written in, and so did the node order of the network a twin's PageRank is evaluated on.
        ordered = sorted(
            (a, b) if a < b else (b, a)
            for a, b in ((str(ids[i]), str(ids[j])) for i, j in zip(source, target, strict=True))
        )
        pairs = [a for a, _ in ordered], [b for _, b in ordered]
        try:
            write_edges(folder, name, *pairs)
        except OSError as exc:  # a read-only home still gets its edges
            log.warning("could not keep the regulatory network's edges in %s: %s", folder, exc)
        return pairs

    def edges_kept(self, reference_key: str) -> bool:
        """Whether :meth:`edges` of ``reference_key`` is kept on disk (a ~0.03 s read)."""
        return edge_file(self.store.settings.cache_dir, graph_name(reference_key)).is_file()

    def drop_projections(self) -> int:
        """Drop every shared regulatory projection (tests, ``db`` maintenance); how many."""
        names = [r["name"] for r in self.store.read("gds/list_regulator_graphs")]
        for n in names:
            self.store.write("gds/drop_graph", graph_name=n)
        return len(names)
