r"""Upstream-regulator centrality: personalised PageRank and Louvain groups, in GDS or in process.

The upstream regulators (URs) of a twin are its TFs with activity :math:`q \le q_{max}` and its
driver genes. They seed a personalised PageRank (Haveliwala 2002, doi:10.1145/511446.511513) on
the regulatory + PPI network (interactome and DoRothEA regulon edges, undirected): restart
weight :math:`|a_u|` for a UR with activity :math:`a_u` and :math:`3|g|` for a driver of weight
:math:`g`, scaled to sum 1, restart probability 0.3 (damping 0.7),

.. math:: PR = 0.3\, w + 0.7\, P^\top PR .

The most central UR is the one the others' activity flows to. URs are grouped by the Louvain
community (Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008) of the whole network
they sit in, computed once per loaded reference; groups are numbered 1, 2, ... in the order of
their most central UR.

Two engines compute the same quantities:

- ``gds`` (:class:`medtwin.store.regulator_network.RegulatorNetworkStore`): one projection of all
  ``INTERACTS_WITH`` + ``REGULATES`` edges in the GDS catalog, reused by every twin and re-made
  when the reference is reloaded (keyed on :func:`reference_key`); the weighted restart by
  linearity over per-seed PageRank columns cached in that projection (GDS 2.13 has only uniform
  ``sourceNodes``) and GDS Louvain
  (``concurrency 1``: deterministic). A column costs one GDS PageRank run (33 iterations,
  0.06-0.25 s of GDS compute whatever the mode: ``stats``, ``mutate`` and a ``stream`` filtered
  to three nodes alike, so neither the transfer nor Python is the cost), so a twin with
  :math:`k` TFs no earlier twin had would pay ~0.1 k s. When more than :data:`COLUMN_BUDGET`
  columns are missing (:data:`KEPT_COLUMN_BUDGET` once the edges are kept on disk), or the
  projection's graph is already in this process, the weighted
  PageRank is instead evaluated in one pass in process (the random walk with restart below) on
  the projection's own edges (read once per process, :func:`projection_network`; the first read
  after a load streams them from GDS and keeps them in ``cache_dir``), with the
  projection's Louvain communities: the same graph and the same fixed point, equal to the
  columns' sum within the PageRank tolerance (``tests/integration/test_regulator_gds.py``);
- ``in_process`` (the in-memory store, and the oracle of the GDS path): random walk with restart
  (:func:`~medtwin.platform.algorithms.propagation.random_walk_with_restart`) on the interactome's
  largest component plus the regulon edges, and networkx ``louvain_communities`` with
  :data:`LOUVAIN_SEED`. The GDS projection also holds PPI edges outside the largest component, so
  scores can differ for a seed there; on a connected interactome they are equal
  (``tests/integration/test_regulator_gds.py``).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

from medtwin.errors import UnsupportedByStore
from medtwin.platform.algorithms.footprint import Activity
from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.propagation import random_walk_with_restart
from medtwin.platform.context import INTERACTOME, REGULONS, ReferenceContext
from medtwin.platform.regulators import RegulatorReference
from medtwin.store.base import GraphStore
from medtwin.store.regulator_network import RegulatorCentrality, graph_name

__all__ = [
    "COLUMN_BUDGET",
    "KEPT_COLUMN_BUDGET",
    "DRIVER_WEIGHT",
    "LOUVAIN_SEED",
    "RESTART",
    "Engine",
    "centrality",
    "in_process_centrality",
    "prefill",
    "projection_network",
    "rank_rows",
    "reference_key",
    "regulatory_network",
    "seed_pagerank",
    "upstream_seeds",
]

RESTART = 0.3
"""Restart probability of the personalised PageRank (damping 0.7)."""
DRIVER_WEIGHT = 3.0
"""Restart weight of a driver per unit of driver evidence (a UR weighs its |activity|)."""
LOUVAIN_SEED = 18
"""networkx Louvain seed of the in-process path (GDS Louvain is deterministic at concurrency 1)."""

COLUMN_BUDGET = 20
"""Missing GDS PageRank columns a twin computes itself (~0.08-0.2 s each) while the projection's
edges have never been read; with more, its PageRank is evaluated in process on those edges (the
first read streams them from GDS, 1.2-8 s, and keeps them on disk). 20 columns cost about that
read, so the first twin after a load never pays more than the column path would."""
KEPT_COLUMN_BUDGET = 2
"""The budget once the edges are kept on disk: a fresh process reads them and builds the network
in ~0.3 s (0.02-0.03 s the file, ~0.25 s the adjacency), about two columns' time at 2 sessions;
a process that has the network pays ~0.05 s for any twin (budget 0)."""

Engine = Literal["auto", "gds", "in_process"]

_COMMUNITIES: dict[str, dict[str, int]] = {}
_PROJECTION: dict[str, Network] = {}  # GDS graph name -> its edges as a Network (the last one)
_NETWORK: list[Any] = []  # [the interactome, the RegulatorReference, the joined Network]
_LOCK = threading.Lock()


def reference_key(store: GraphStore) -> str:
    """Interactome + regulon datasets' sha256 and load time: names the shared GDS projection."""
    parts = []
    for name in (INTERACTOME, REGULONS):
        ds = store.dataset(name) or {}
        parts.append(f"{name}:{ds.get('sha256')}:{ds.get('loaded_at')}")
    return f"{store.identity}|" + "|".join(parts)


def regulatory_network(network: Network, ref: RegulatorReference) -> Network:
    """The interactome joined with the regulon edges (TF - target, undirected, self-loops off).

    The last one built is kept (for this ``network``, or one with the same edges, and this
    ``ref`` object). The edge checksum is compared only when another network was kept: in a
    process that builds one (a CLI command) it would cost ~0.2 s for nothing.
    """
    with _LOCK:
        if _NETWORK and _NETWORK[1] is ref:
            kept: Network = _NETWORK[0]
            if kept is network or kept.checksum == network.checksum:
                cached: Network = _NETWORK[2]
                return cached
    joined = network.with_edges(
        (tf, t) for tf, targets in ref.regulons.items() for t in targets if tf != t
    )
    with _LOCK:
        _NETWORK[:] = [network, ref, joined]
    return joined


def upstream_seeds(urs: Mapping[str, Activity], drivers: Mapping[str, float]) -> dict[str, float]:
    """Restart weights: :math:`|a_u|` per UR plus :data:`DRIVER_WEIGHT` :math:`|g|` per driver.

    >>> a = Activity(score=-4.0, p=0.001, q=0.01, n_targets=8, method="ulm")
    >>> upstream_seeds({"2": a}, {"2": 0.5, "7": -1.0, "9": 0.0})
    {'2': 5.5, '7': 3.0}
    """
    seeds = {u: abs(a.score) for u, a in urs.items() if a.score}
    for g, w in drivers.items():
        if w:
            seeds[g] = seeds.get(g, 0.0) + DRIVER_WEIGHT * abs(w)
    return seeds


def _communities(network: Network) -> dict[str, int]:
    # networkx only here (the in-process oracle's Louvain): `twin regulators --by` does without
    import networkx as nx

    key = network.checksum
    with _LOCK:
        if key not in _COMMUNITIES:
            graph = nx.Graph()
            rows, cols = network.adjacency.nonzero()
            graph.add_edges_from(
                (network.nodes[i], network.nodes[j])
                for i, j in zip(rows, cols, strict=True)
                if i < j
            )
            parts = nx.community.louvain_communities(graph, seed=LOUVAIN_SEED)
            ordered = sorted((sorted(p) for p in parts), key=lambda p: p[0])
            _COMMUNITIES.clear()
            _COMMUNITIES[key] = {g: c for c, part in enumerate(ordered) for g in part}
        return _COMMUNITIES[key]


def seed_pagerank(network: Network, seeds: Mapping[str, float]) -> dict[str, float]:
    r"""Score at each seed of the random walk with restart :data:`RESTART` from ``seeds``.

    :math:`PR = r\, w + (1 - r)\, A D^{-1} PR` with :math:`r` = :data:`RESTART` and :math:`w`
    the seed weights scaled to sum 1: ``networkx.pagerank(G, alpha=1 - r, personalization=w)``
    (``tests/unit/twin/test_regulator_centrality_oracles.py``). Seeds outside ``network`` or with
    weight ≤ 0 are left out (no walk without any).

    References
    ----------
    Haveliwala T.H. Topic-sensitive PageRank. WWW 2002, 517-526. doi:10.1145/511446.511513
    """
    present = {g: w for g, w in seeds.items() if g in network.index and w > 0}
    if not present:
        return {}
    walk = random_walk_with_restart(network, present, restart=RESTART)
    return {g: float(walk.scores[network.index[g]]) for g in present}


def in_process_centrality(network: Network, seeds: Mapping[str, float]) -> RegulatorCentrality:
    """Random walk with restart :data:`RESTART` from ``seeds`` + networkx Louvain (the oracle).

    The Louvain seed is :data:`LOUVAIN_SEED`, recorded in the result's ``louvain_seed``.
    """
    scores = seed_pagerank(network, seeds)
    present = {g: w for g, w in seeds.items() if g in scores}
    groups = _communities(network) if present else {}
    mine = {g: groups[g] for g in present}
    sizes = Counter(groups.values())
    return RegulatorCentrality(
        scores=scores,
        communities=mine,
        community_sizes={c: sizes[c] for c in set(mine.values())},
        network_nodes=len(groups),
        engine="in_process",
        graph=f"in-process:{network.checksum[:12]}",
        missing=tuple(sorted(set(seeds) - set(present))),
        louvain_seed=LOUVAIN_SEED,
    )


def centrality(
    store: GraphStore,
    ctx: ReferenceContext,
    seeds: Mapping[str, float],
    ref: RegulatorReference,
    *,
    engine: Engine = "auto",
) -> RegulatorCentrality:
    """Centrality of ``seeds`` in GDS when the store has it (``auto``), else in process.

    No seeds: nothing to rank, engine ``none`` (no projection or network is built).
    """
    if not seeds:
        return RegulatorCentrality(scores={}, communities={}, engine="none", graph="")
    if engine != "in_process":
        key = reference_key(store)
        with _LOCK:
            known = _PROJECTION.get(graph_name(key))
        try:
            cent = store.regulator_network.centrality(
                key,
                seeds,
                damping=1.0 - RESTART,
                column_budget=_budget(store, key, known),
            )
        except UnsupportedByStore:
            if engine == "gds":
                raise
        else:
            if not cent.pending:
                return cent
            t0 = time.perf_counter()
            net = known if known is not None else projection_network(store, key)
            scores = seed_pagerank(net, {g: seeds[g] for g in cent.pending})
            seconds = dict(cent.seconds, pagerank_in_process=round(time.perf_counter() - t0, 4))
            return replace(cent, scores=scores, pending=(), seconds=seconds)
    network = regulatory_network(ctx.interactome(store), ref)
    return in_process_centrality(network, seeds)


def _budget(store: GraphStore, key: str, known: Network | None) -> int:
    """Missing columns a twin computes in GDS before the in-process pass is cheaper."""
    if known is not None:
        return 0
    return KEPT_COLUMN_BUDGET if store.regulator_network.edges_kept(key) else COLUMN_BUDGET


def projection_network(store: GraphStore, key: str) -> Network:
    """The shared GDS projection's graph as a :class:`Network`, read once per process.

    The same nodes and edges as the projection (every PPI and regulon pair, not only the
    interactome's largest component), so a random walk on it reaches the PageRank fixed point
    that GDS's columns approximate.
    """
    name = graph_name(key)
    with _LOCK:
        if name in _PROJECTION:
            return _PROJECTION[name]
    source, target = store.regulator_network.edges(key)
    net = Network.from_edges(zip(source, target, strict=True))
    with _LOCK:
        _PROJECTION.clear()
        _PROJECTION[name] = net
    return net


def prefill(store: GraphStore) -> tuple[int, float] | None:
    """Compute every TF's GDS PageRank column before a batch of twins; ``None`` without GDS.

    Returns ``(columns computed, seconds)``. Only for batches (``cohort run``): a twin computes
    the columns it lacks itself, and a single twin should not wait for all 271.
    """
    try:
        return store.regulator_network.prefill_columns(reference_key(store), damping=1.0 - RESTART)
    except UnsupportedByStore:
        return None


def rank_rows(
    urs: Mapping[str, Activity],
    drivers: Mapping[str, float],
    cent: RegulatorCentrality,
    *,
    q_max: float,
    calls: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """URs most central first, with rank, centrality and group (1 = the top UR's community).

    Ties in centrality go by id. The rows are what ``UPSTREAM_REGULATOR`` edges store, with the
    size of each UR's community and of the network it partitions (``community_size``,
    ``network_size``: the words give a group with its size, not as a finding of itself).
    ``calls``: the call behind each driver weight
    (:func:`~medtwin.platform.gene_evidence.driver_calls`), kept as ``driver_call``.
    """
    calls = calls or {}
    order = sorted(cent.scores, key=lambda g: (-cent.scores[g], g))
    groups: dict[int, int] = {}
    rows = []
    for rank, g in enumerate(order, start=1):
        community = cent.communities.get(g)
        group = None
        if community is not None:
            group = groups.setdefault(community, len(groups) + 1)
        a = urs.get(g)
        rows.append(
            {
                "id": g,
                "rank": rank,
                "centrality": cent.scores[g],
                "community": group,
                "community_size": cent.community_sizes.get(community)
                if community is not None
                else None,
                "network_size": cent.network_nodes or None,
                "activity": a.score if a else None,
                "q": a.q if a else None,
                "driver": drivers.get(g),
                "driver_call": calls.get(g) if g in drivers else None,
                "engine": cent.engine,
                "network": cent.graph,
                "louvain_seed": LOUVAIN_SEED if cent.engine == "in_process" else None,
                "q_max": q_max,
                "restart": RESTART,
            }
        )
    return rows
