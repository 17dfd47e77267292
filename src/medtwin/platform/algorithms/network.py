"""An undirected, unweighted molecular network held as a CSR adjacency matrix.

Every algorithm in :mod:`medtwin.platform.algorithms` works on a :class:`Network`: node ids are
strings (Entrez gene ids for the interactome), node ``i`` is row ``i`` of a symmetric
``scipy.sparse`` CSR matrix without self-loops, and :attr:`Network.checksum` identifies the edge
set, so derived arrays (the all-pairs distance matrix) can be cached under it.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from medtwin.errors import InputError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MissingNodesWarning", "Network", "warn_missing"]

log = logging.getLogger(__name__)


class MissingNodesWarning(UserWarning):
    """Some requested nodes (genes, drug targets) are not in the network and were dropped."""


@dataclass(frozen=True, eq=False)
class Network:
    """Undirected simple graph: node ids, their index, CSR adjacency and degrees.

    Build it with :meth:`from_edges`; the constructor does not re-validate its arguments.

    Attributes
    ----------
    nodes
        Node ids, sorted; node ``i`` is row ``i`` of :attr:`adjacency`.
    index
        ``nodes[i] -> i``.
    adjacency
        Symmetric ``(n, n)`` CSR matrix of ``int8`` ones, no self-loops, sorted indices.
    degrees
        ``int64`` degree of every node.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "c"), ("x", "y")])
    >>> net.nodes, net.n_edges, net.degrees.tolist()
    (('a', 'b', 'c', 'x', 'y'), 3, [1, 2, 1, 1, 1])
    >>> net.largest_component().nodes
    ('a', 'b', 'c')
    """

    nodes: tuple[str, ...]
    index: Mapping[str, int]
    adjacency: sp.csr_array = field(repr=False)
    degrees: npt.NDArray[np.int64] = field(repr=False)

    @classmethod
    def from_csr(
        cls,
        nodes: tuple[str, ...],
        index: Mapping[str, int],
        indptr: npt.NDArray[np.int64],
        indices: npt.NDArray[np.int32],
    ) -> Network:
        """The network of checked CSR arrays (:func:`~.network_file.read_arrays`), not copied."""
        n = len(nodes)
        data = np.ones(indices.size, dtype=np.int8)
        adj = sp.csr_array((data, indices.astype(np.int32), indptr.astype(np.int32)), shape=(n, n))
        return cls(nodes, index, adj, np.diff(adj.indptr).astype(np.int64))

    @classmethod
    def from_edges(cls, pairs: Iterable[tuple[str, str]]) -> Network:
        """Build a network from node-id pairs.

        Pairs are undirected; duplicates (in either orientation) collapse to one edge and
        self-loops are dropped (a node seen only in a self-loop is not added).

        Parameters
        ----------
        pairs
            ``(u, v)`` node ids.

        Returns
        -------
        Network

        Raises
        ------
        InputError
            If no edge remains after dropping self-loops.
        """
        left: list[str] = []
        right: list[str] = []
        n_loops = 0
        for u, v in pairs:
            su, sv = str(u), str(v)
            if su == sv:
                n_loops += 1
                continue
            left.append(su)
            right.append(sv)
        if not left:
            raise InputError("network has no edges (after dropping self-loops); pass >= 1 pair")
        if n_loops:
            log.info("dropped %d self-loops", n_loops)
        nodes, inverse = np.unique(np.asarray(left + right, dtype=object), return_inverse=True)
        m = len(left)
        rows = np.asarray(inverse[:m], dtype=np.int64)
        cols = np.asarray(inverse[m:], dtype=np.int64)
        return cls._from_index_pairs(tuple(str(x) for x in nodes), rows, cols)

    def with_edges(self, pairs: Iterable[tuple[str, str]]) -> Network:
        """The network with ``pairs`` added: equal to :meth:`from_edges` of its edges and ``pairs``.

        The same rules as :meth:`from_edges` (undirected, duplicates collapse, self-loops and
        nodes without an edge left out, nodes sorted), without turning this network's edges
        back into id pairs: joining the regulon edges to the interactome that way cost ~0.4 s
        of every ``twin regulators --by cell-type`` (``make bench-views``).

        Examples
        --------
        >>> net = Network.from_edges([("b", "c"), ("c", "d")]).with_edges([("a", "b"), ("d", "d")])
        >>> net.nodes, net.n_edges
        (('a', 'b', 'c', 'd'), 3)
        """
        extra = [(su, sv) for su, sv in ((str(u), str(v)) for u, v in pairs) if su != sv]
        upper = sp.triu(self.adjacency, k=1, format="coo")
        own = np.flatnonzero(self.degrees > 0)
        names = {self.nodes[i] for i in own.tolist()} | {x for pair in extra for x in pair}
        if not names:
            raise InputError("network has no edges (after dropping self-loops); pass >= 1 pair")
        nodes = tuple(sorted(names))
        index = {node: i for i, node in enumerate(nodes)}
        moved = np.full(self.n_nodes, -1, dtype=np.int64)
        moved[own] = [index[self.nodes[i]] for i in own.tolist()]
        rows = np.concatenate([moved[upper.row], [index[u] for u, _ in extra]]).astype(np.int64)
        cols = np.concatenate([moved[upper.col], [index[v] for _, v in extra]]).astype(np.int64)
        return Network._from_index_pairs(nodes, rows, cols)

    @classmethod
    def _from_index_pairs(
        cls, nodes: tuple[str, ...], rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64]
    ) -> Network:
        n = len(nodes)
        both_r = np.concatenate([rows, cols])
        both_c = np.concatenate([cols, rows])
        adj = sp.csr_array((np.ones(both_r.size, dtype=np.int8), (both_r, both_c)), shape=(n, n))
        adj.sum_duplicates()
        adj.data[:] = 1
        adj.sort_indices()
        degrees = np.diff(adj.indptr).astype(np.int64)
        return cls(
            nodes=nodes,
            index={node: i for i, node in enumerate(nodes)},
            adjacency=adj,
            degrees=degrees,
        )

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """Number of undirected edges."""
        return int(self.adjacency.nnz // 2)

    @cached_property
    def component_labels(self) -> npt.NDArray[np.int32]:
        """Connected-component label of every node."""
        # csgraph imports scipy.sparse.linalg and scipy.linalg (~0.08 s): a network read from
        # its kept file (network_file) needs no components, so the views that read one do without
        from scipy.sparse import csgraph

        _, labels = csgraph.connected_components(self.adjacency, directed=False)
        return np.asarray(labels, dtype=np.int32)

    @property
    def is_connected(self) -> bool:
        """Whether the network has a single connected component."""
        return bool(self.component_labels.max(initial=0) == 0)

    def largest_component(self) -> Network:
        """Return the largest connected component (LCC) as a new network.

        Ties between equally large components go to the one holding the smallest node id.
        """
        labels = self.component_labels
        keep = np.flatnonzero(labels == np.argmax(np.bincount(labels)))
        if keep.size == self.n_nodes:
            return self
        return self.subnetwork(keep)

    def subnetwork(self, keep: npt.NDArray[np.intp]) -> Network:
        """Induced subgraph on the node indices ``keep`` (isolated nodes included)."""
        keep = np.sort(np.asarray(keep, dtype=np.intp))
        sub = self.adjacency[keep][:, keep].tocoo()
        nodes = tuple(self.nodes[i] for i in keep)
        upper = sub.row < sub.col
        net = Network._from_index_pairs(
            nodes, sub.row[upper].astype(np.int64), sub.col[upper].astype(np.int64)
        )
        return net

    def indices_of(self, ids: Iterable[str]) -> tuple[npt.NDArray[np.intp], list[str]]:
        """Map ids to sorted unique node indices; also return the ids not in the network."""
        found: set[int] = set()
        missing: list[str] = []
        for node in dict.fromkeys(str(x) for x in ids):
            i = self.index.get(node)
            if i is None:
                missing.append(node)
            else:
                found.add(i)
        return np.asarray(sorted(found), dtype=np.intp), missing

    def neighbours(self, i: int) -> npt.NDArray[np.int32]:
        """Return the indices of the neighbours of node index ``i``."""
        adj = self.adjacency
        return np.asarray(adj.indices[adj.indptr[i] : adj.indptr[i + 1]], dtype=np.int32)

    @cached_property
    def checksum(self) -> str:
        """sha256 (hex) of the sorted edge list, one ``u<TAB>v`` line per edge with ``u < v``."""
        coo = self.adjacency.tocoo()
        names = self.nodes
        lines = sorted(
            (names[a], names[b]) if names[a] < names[b] else (names[b], names[a])
            for a, b in zip(coo.row.tolist(), coo.col.tolist(), strict=True)
            if a < b
        )
        digest = hashlib.sha256()
        for u, v in lines:
            digest.update(f"{u}\t{v}\n".encode())
        return digest.hexdigest()

    def to_networkx(self) -> nx.Graph:
        """Return a :class:`networkx.Graph` with the same node ids and edges."""
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(self.nodes)
        coo = self.adjacency.tocoo()
        names = self.nodes
        graph.add_edges_from(
            (names[a], names[b])
            for a, b in zip(coo.row.tolist(), coo.col.tolist(), strict=True)
            if a < b
        )
        return graph


def warn_missing(what: str, missing: Sequence[str], total: int, *, stacklevel: int = 3) -> None:
    """Emit one :class:`MissingNodesWarning` naming up to five ids not in the network."""
    if not missing:
        return
    shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
    warnings.warn(
        f"{len(missing)} of {total} {what} not in the network and ignored: {shown}",
        MissingNodesWarning,
        stacklevel=stacklevel,
    )
