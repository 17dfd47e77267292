"""A :class:`~medtwin.platform.algorithms.network.Network` kept on disk between processes.

Every command that needs the interactome (``explain``, ``report``, ``twin regulators``, ``rank``)
read its 138k edges from Neo4j and rebuilt the largest component: ~1.3-1.8 s of a 2-3 s command,
while the interactome only changes with a reload. The built network is kept in one ``.npz`` per
database (node ids as a fixed-width unicode array, the CSR row pointers and column indices; no
pickles), together with the key it was built for (the dataset's sha256 and load time, see
:meth:`~medtwin.platform.context.ReferenceContext.interactome`). A later process whose key is
the same reads it in ~0.02 s; a different key, or a file that cannot be read or does not hold a
valid symmetric adjacency, means the network is read from the database again, never trusted.
Written to a temporary file and renamed into place (:func:`~medtwin.atomic.atomic_output`), so
concurrent processes see the old file or the new one.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from medtwin.atomic import UNREADABLE, atomic_output, read_npz
from medtwin.platform.algorithms.network import Network

__all__ = ["PREFIX", "network_file", "read_network", "write_network"]

log = logging.getLogger(__name__)

PREFIX = "network-"
"""File name prefix; the rest hashes the database's identity, then ``.npz``."""


def network_file(folder: Path, slot: str) -> Path:
    """The file that keeps the network of ``slot`` (e.g. a database identity) in ``folder``."""
    return folder / f"{PREFIX}{hashlib.sha256(slot.encode()).hexdigest()[:16]}.npz"


def read_network(folder: Path, slot: str, key: str) -> Network | None:
    """The network kept for ``slot`` if it was built for ``key``; else ``None``."""
    path = network_file(folder, slot)
    if not path.is_file():
        return None
    try:
        got = read_npz(path, ("key", "nodes", "indptr", "indices"))
        if str(got["key"]) != key:
            log.info("network cache %s was built for another load; reading again", path)
            return None
        return _network(got["nodes"].tolist(), got["indptr"], got["indices"])
    except UNREADABLE as exc:
        log.warning("ignoring unreadable network cache %s (%s); reading it again", path, exc)
        return None


def write_network(folder: Path, slot: str, key: str, network: Network) -> Path:
    """Keep ``network`` for ``slot``, built for ``key`` (replaces the slot's earlier file)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = network_file(folder, slot)
    adj = network.adjacency
    with atomic_output(path) as fh:
        np.savez(
            fh,
            key=np.array(key),
            nodes=np.array(network.nodes, dtype=str),
            indptr=np.asarray(adj.indptr, dtype=np.int64),
            indices=np.asarray(adj.indices, dtype=np.int32),
        )
    return path


def _network(
    nodes: list[str], indptr: npt.NDArray[np.generic], indices: npt.NDArray[np.generic]
) -> Network:
    """A :class:`Network` of a kept CSR adjacency, checked to be what ``from_edges`` builds."""
    n = len(nodes)
    if indptr.ndim != 1 or indices.ndim != 1 or indptr.size != n + 1 or indptr[0] != 0:
        raise ValueError("row pointers do not match the nodes")
    if indptr[-1] != indices.size or np.any(np.diff(indptr) < 0):
        raise ValueError("row pointers do not match the column indices")
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise ValueError("column indices out of range")
    if any(a >= b for a, b in zip(nodes, nodes[1:], strict=False)):
        raise ValueError("node ids are not sorted and unique")
    adj = sp.csr_array(
        (np.ones(indices.size, dtype=np.int8), indices.astype(np.int32), indptr.astype(np.int32)),
        shape=(n, n),
    )
    if not adj.has_canonical_format or (adj != adj.T).nnz or adj.diagonal().any():
        raise ValueError("adjacency is not symmetric, sorted and free of self-loops")
    return Network(
        nodes=tuple(nodes),
        index={node: i for i, node in enumerate(nodes)},
        adjacency=adj,
        degrees=np.diff(adj.indptr).astype(np.int64),
    )
