"""The kept interactome read without numpy: node ids and CSR lists, for ``explain``'s paths.

:mod:`~medtwin.platform.algorithms.network_file` keeps the built interactome in one ``.npz`` per
database and reads it with numpy (~0.1 s of import, a fifth of ``medtwin explain``, which only
walks it). An ``.npz`` is a zip of ``.npy`` files, each a short text header and the raw array,
so the standard library reads it too (:func:`read_lists`): the zip's CRC-32 of every member is
checked as it is read (a damaged file is refused), and so is what the walk relies on to stay in
bounds: one row pointer per node plus one, non-decreasing from 0 to the number of column
indices, column indices in range, node ids sorted and unique. That the adjacency is symmetric,
each row sorted and free of self-loops is checked by the numpy reader, whose every computing
command reads the same file (and builds it again when it fails); in pure Python that check cost
more than numpy's import (~0.3 s for the demo's 276,712 entries).
"""

from __future__ import annotations

import ast
import hashlib
import logging
import sys
import zipfile
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import le, lt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtwin.atomic import UNREADABLE

if TYPE_CHECKING:
    from medtwin.platform.algorithms.network import Network

__all__ = ["PREFIX", "NetworkLists", "network_file", "read_lists"]

log = logging.getLogger(__name__)

PREFIX = "network-"
"""File name prefix; the rest hashes the database's identity, then ``.npz``."""

_NPY_MAGIC = b"\x93NUMPY"


def network_file(folder: Path, slot: str) -> Path:
    """The file that keeps the network of ``slot`` (e.g. a database identity) in ``folder``."""
    return folder / f"{PREFIX}{hashlib.sha256(slot.encode()).hexdigest()[:16]}.npz"


@dataclass(frozen=True, eq=False)
class NetworkLists:
    """A network as node ids, their index and CSR lists, as :class:`~.network.Network` holds it.

    Node ``i``'s neighbours are ``indices[indptr[i]:indptr[i + 1]]``.
    """

    nodes: tuple[str, ...]
    index: Mapping[str, int]
    indptr: Sequence[int] = field(repr=False)
    indices: Sequence[int] = field(repr=False)

    _arrays: list[Any] = field(default_factory=list, repr=False, compare=False)

    def arrays(self) -> tuple[Any, Any]:
        """``indptr`` and ``indices`` as numpy arrays (int64, int32), made once.

        For a process that imports numpy anyway
        (:func:`~medtwin.platform.explain_paths.shortest_paths`).
        """
        if not self._arrays:
            import numpy as np  # only where numpy is imported already

            self._arrays.extend(
                [
                    np.asarray(self.indptr, dtype=np.int64),
                    np.asarray(self.indices, dtype=np.int64).astype(np.int32),
                ]
            )
        return self._arrays[0], self._arrays[1]

    @classmethod
    def of(cls, network: Network) -> NetworkLists:
        """The lists of a built network."""
        adj = network.adjacency
        return cls(network.nodes, network.index, adj.indptr.tolist(), adj.indices.tolist())


def read_lists(folder: Path, slot: str, key: str) -> NetworkLists | None:
    """The network kept for ``slot`` if it was built for ``key`` and is sound; else ``None``.

    Sound: the checks of the module docstring. ``None`` also for a missing or damaged file, or
    one in a layout this reader does not know (the caller then reads the network otherwise).
    """
    path = network_file(folder, slot)
    if not path.is_file():
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            if _text(archive.read("key.npy")) != [key]:
                log.info("network cache %s was built for another load; reading again", path)
                return None
            nodes = _text(archive.read("nodes.npy"))
            indptr = _integers(archive.read("indptr.npy"), "<i8", "q")
            # unsigned: a negative index reads as one past every node, so max() checks both ends
            indices = _integers(archive.read("indices.npy"), "<i4", "I")
        return _checked(nodes, indptr, indices)
    except (*UNREADABLE, SyntaxError) as exc:  # SyntaxError: a damaged .npy header
        log.warning("ignoring unreadable network cache %s (%s); reading it again", path, exc)
        return None


def _npy(data: bytes) -> tuple[dict[str, Any], memoryview]:
    """The header (``descr``, ``fortran_order``, ``shape``) and raw bytes of one ``.npy`` file."""
    if data[:6] != _NPY_MAGIC or data[6] not in (1, 2, 3):
        raise ValueError("not an .npy array")
    size, start = (2, 8) if data[6] == 1 else (4, 8)
    length = int.from_bytes(data[start : start + size], "little")
    begin = start + size
    header = ast.literal_eval(data[begin : begin + length].decode("latin-1"))
    if not isinstance(header, dict) or header.get("fortran_order") is not False:
        raise ValueError("unexpected .npy header")
    return header, memoryview(data)[begin + length :]


def _integers(data: bytes, descr: str, code: str) -> array[int]:
    """A one-dimensional little-endian integer array (``descr``) as an ``array`` of ``code``."""
    header, raw = _npy(data)
    if header.get("descr") != descr or len(header.get("shape", ())) != 1:
        raise ValueError(f"expected a 1-d {descr} array, got {header}")
    out = array(code)
    if out.itemsize != int(descr[2:]):
        raise ValueError(f"no {descr} array type here")
    out.frombytes(raw)
    if len(out) != header["shape"][0]:
        raise ValueError("array shorter than its header says")
    if sys.byteorder != "little":
        out.byteswap()
    return out


def _text(data: bytes) -> list[str]:
    """A fixed-width unicode array (``<U<width>``, 0-d or 1-d) as its strings."""
    header, raw = _npy(data)
    descr, shape = str(header.get("descr")), header.get("shape")
    if not descr.startswith("<U") or not isinstance(shape, tuple) or len(shape) > 1:
        raise ValueError(f"expected a unicode array, got {header}")
    width = int(descr[2:])
    count = shape[0] if shape else 1
    text = bytes(raw).decode("utf-32-le")
    if len(text) != width * count:
        raise ValueError("array shorter than its header says")
    # numpy pads each string to the width with NUL characters
    return [text[i : i + width].rstrip("\0") for i in range(0, len(text), width)]


def _checked(nodes: list[str], indptr: array[int], indices: array[int]) -> NetworkLists:
    """The lists, checked to keep a walk over them in bounds (``ValueError`` if not)."""
    n = len(nodes)
    if len(indptr) != n + 1 or indptr[0] != 0 or indptr[-1] != len(indices):
        raise ValueError("row pointers do not match the nodes and column indices")
    if not all(map(le, indptr, indptr[1:])):
        raise ValueError("row pointers decrease")
    if indices and max(indices) >= n:
        raise ValueError("column indices out of range")
    if not all(map(lt, nodes, nodes[1:])):
        raise ValueError("node ids are not sorted and unique")
    return NetworkLists(
        nodes=tuple(nodes), index={node: i for i, node in enumerate(nodes)},
        indptr=indptr, indices=indices,
    )  # fmt: skip
