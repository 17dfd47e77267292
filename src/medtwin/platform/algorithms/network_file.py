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

This module needs numpy only: :func:`read_arrays` gives the checked arrays
(:class:`NetworkArrays`), from which :meth:`Network.from_csr
<medtwin.platform.algorithms.network.Network.from_csr>` builds the scipy matrix the algorithms
use. ``explain``, which only walks the network, reads the same file without numpy
(:mod:`~medtwin.platform.algorithms.network_lists`, which names the file).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from medtwin.atomic import UNREADABLE, atomic_output, read_npz
from medtwin.platform.algorithms.network_lists import PREFIX, network_file

if TYPE_CHECKING:  # scipy: not for ``explain``, which walks the kept arrays (NetworkArrays)
    from medtwin.platform.algorithms.network import Network

__all__ = ["PREFIX", "NetworkArrays", "network_file", "read_arrays", "write_network"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class NetworkArrays:
    """A network as its kept arrays: node ids, their index, CSR row pointers and column indices.

    What :class:`~medtwin.platform.algorithms.network.Network` holds, without scipy: node ``i``'s
    neighbours are ``indices[indptr[i]:indptr[i + 1]]``, sorted, symmetric, no self-loops
    (:func:`read_arrays` checks this; :meth:`Network.from_csr` builds the scipy matrix).
    """

    nodes: tuple[str, ...]
    index: Mapping[str, int]
    indptr: npt.NDArray[np.int64] = field(repr=False)
    indices: npt.NDArray[np.int32] = field(repr=False)

    @property
    def csr(
        self,
    ) -> tuple[tuple[str, ...], Mapping[str, int], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """``(nodes, index, indptr, indices)``, the arguments of ``Network.from_csr``."""
        return self.nodes, self.index, self.indptr, self.indices

    @classmethod
    def of(cls, network: Network) -> NetworkArrays:
        """The arrays of a built network (no copy)."""
        adj = network.adjacency
        return cls(
            network.nodes,
            network.index,
            np.asarray(adj.indptr, dtype=np.int64),
            np.asarray(adj.indices, dtype=np.int32),
        )


def read_arrays(folder: Path, slot: str, key: str) -> NetworkArrays | None:
    """The network kept for ``slot`` if it was built for ``key`` and is valid; else ``None``."""
    path = network_file(folder, slot)
    if not path.is_file():
        return None
    try:
        got = read_npz(path, ("key", "nodes", "indptr", "indices"))
        if str(got["key"]) != key:
            log.info("network cache %s was built for another load; reading again", path)
            return None
        return _checked(got["nodes"].tolist(), got["indptr"], got["indices"])
    except UNREADABLE as exc:
        log.warning("ignoring unreadable network cache %s (%s); reading it again", path, exc)
        return None


def write_network(folder: Path, slot: str, key: str, network: Network) -> Path:
    """Keep ``network`` for ``slot``, built for ``key`` (replaces the slot's earlier file)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = network_file(folder, slot)
    arrays = NetworkArrays.of(network)
    with atomic_output(path) as fh:
        np.savez(
            fh,
            key=np.array(key),
            nodes=np.array(network.nodes, dtype=str),
            indptr=arrays.indptr,
            indices=arrays.indices,
        )
    return path


def _checked(
    nodes: list[str], indptr: npt.NDArray[np.generic], indices: npt.NDArray[np.generic]
) -> NetworkArrays:
    """Kept arrays, checked to be what ``Network.from_edges`` builds (``ValueError`` if not).

    With ``key = row * n + column`` per entry: strictly increasing keys mean sorted rows without
    duplicates; the adjacency is symmetric when the transposed keys sort to the same array.
    """
    n = len(nodes)
    if indptr.ndim != 1 or indices.ndim != 1 or indptr.size != n + 1 or indptr[0] != 0:
        raise ValueError("row pointers do not match the nodes")
    if indptr[-1] != indices.size or np.any(np.diff(indptr) < 0):
        raise ValueError("row pointers do not match the column indices")
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise ValueError("column indices out of range")
    if any(a >= b for a, b in zip(nodes, nodes[1:], strict=False)):
        raise ValueError("node ids are not sorted and unique")
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    cols = indices.astype(np.int64)
    keys = rows * n + cols
    if (
        np.any(np.diff(keys) <= 0)
        or np.any(rows == cols)
        or not np.array_equal(np.sort(cols * n + rows), keys)
    ):
        raise ValueError("adjacency is not symmetric, sorted and free of self-loops")
    return NetworkArrays(
        nodes=tuple(nodes),
        index={node: i for i, node in enumerate(nodes)},
        indptr=indptr.astype(np.int64),
        indices=indices.astype(np.int32),
    )
