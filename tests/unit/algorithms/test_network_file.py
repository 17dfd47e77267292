"""The interactome kept on disk between processes: round trip, keys, damaged files, the context."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medtwin.platform.algorithms.network import Network
from medtwin.platform.algorithms.network_file import (
    NetworkArrays,
    network_file,
    read_arrays,
    write_network,
)
from medtwin.platform.algorithms.network_lists import read_lists
from medtwin.platform.context import ReferenceContext
from medtwin.store.memory import MemoryStore

EDGES = [("1", "2"), ("2", "3"), ("3", "1"), ("3", "10"), ("7", "8")]


def read_network(folder: Path, slot: str, key: str) -> Network | None:
    """What the context reads: the checked arrays as a network."""
    arrays = read_arrays(folder, slot, key)
    return Network.from_csr(*arrays.csr) if arrays is not None else None


def _same(a: Network, b: Network) -> bool:
    return (
        a.nodes == b.nodes
        and dict(a.index) == dict(b.index)
        and (a.adjacency != b.adjacency).nnz == 0
        and a.adjacency.dtype == b.adjacency.dtype
        and a.degrees.tolist() == b.degrees.tolist()
        and a.checksum == b.checksum
    )


def test_round_trip_is_the_same_network(tmp_path: Path) -> None:
    net = Network.from_edges(EDGES)
    assert read_network(tmp_path, "db", "load-1") is None
    write_network(tmp_path, "db", "load-1", net)
    kept = read_network(tmp_path, "db", "load-1")
    assert kept is not None
    assert _same(kept, net)
    assert kept.largest_component().nodes == ("1", "10", "2", "3")


def test_another_load_or_database_is_not_read(tmp_path: Path) -> None:
    write_network(tmp_path, "db", "load-1", Network.from_edges(EDGES))
    assert read_network(tmp_path, "db", "load-2") is None  # reloaded: another key
    assert read_network(tmp_path, "other-db", "load-1") is None  # another database's slot
    write_network(tmp_path, "db", "load-2", Network.from_edges(EDGES[:2]))
    assert len(list(tmp_path.iterdir())) == 1  # one file per database, replaced
    kept = read_network(tmp_path, "db", "load-2")
    assert kept is not None
    assert kept.nodes == ("1", "2", "3")


def test_a_damaged_file_is_ignored_not_trusted(tmp_path: Path) -> None:
    path = write_network(tmp_path, "db", "k", Network.from_edges(EDGES))
    path.write_bytes(path.read_bytes()[:200])  # cut short
    assert read_network(tmp_path, "db", "k") is None
    path.write_bytes(b"not a zip")
    assert read_network(tmp_path, "db", "k") is None


def _save_adjacency(
    tmp_path: Path, nodes: list[str], indptr: list[int], indices: list[int]
) -> None:
    """A kept network file of key ``k`` for ``db`` holding exactly these arrays (valid or not)."""
    with open(network_file(tmp_path, "db"), "wb") as fh:
        np.savez(fh, key=np.array("k"), nodes=np.array(nodes), indptr=np.array(indptr),
                 indices=np.array(indices, np.int32))  # fmt: skip


@pytest.mark.parametrize(
    ("nodes", "indptr", "indices"),
    [
        (["1", "2"], [0, 1, 2], [1, 5]),  # column out of range
        (["1", "2"], [0, 1, 1], [1]),  # not symmetric: 1-2 without 2-1
        (["1", "2"], [0, 1, 2], [0, 1]),  # self-loops
        (["2", "1"], [0, 1, 2], [1, 0]),  # ids not sorted
        (["1", "2"], [0, 2], [1, 0]),  # row pointers short
        (["1", "2", "3"], [0, 2, 3, 4], [1, 1, 0, 0]),  # duplicate entry in a row
    ],
)
def test_an_invalid_adjacency_is_rejected(
    tmp_path: Path, nodes: list[str], indptr: list[int], indices: list[int]
) -> None:
    _save_adjacency(tmp_path, nodes, indptr, indices)
    assert read_network(tmp_path, "db", "k") is None


class _KeptStore(MemoryStore):
    """A memory store whose reference files are kept in a folder (as a Neo4j store's are)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.edge_reads = 0
        read = self.reference.ppi_edges

        def counted() -> list[tuple[str, str]]:
            self.edge_reads += 1
            return read()

        self.reference.ppi_edges = counted  # type: ignore[method-assign]

    @property
    def cache_dir(self) -> Path:  # type: ignore[override]
        return self.folder


def test_a_new_process_reads_the_kept_interactome_until_a_reload(tmp_path: Path) -> None:
    store = _KeptStore(tmp_path)
    store.add_reference(genes={}, ppi=EDGES, drugs={})
    first = ReferenceContext().interactome(store)
    assert store.edge_reads == 1
    assert first.nodes == ("1", "10", "2", "3")
    again = ReferenceContext().interactome(store)  # a new process: a new context
    assert store.edge_reads == 1
    assert _same(again, first)
    store.add_reference(genes={}, ppi=[*EDGES, ("8", "1")], drugs={})  # reloaded
    reloaded = ReferenceContext().interactome(store)
    assert store.edge_reads == 2
    assert "8" in reloaded.index


def test_a_read_only_cache_folder_still_gives_the_network(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    store = _KeptStore(blocked)
    store.add_reference(genes={}, ppi=EDGES, drugs={})
    assert ReferenceContext().interactome(store).nodes == ("1", "10", "2", "3")


def test_the_arrays_are_the_networks_without_scipy(tmp_path: Path) -> None:
    net = Network.from_edges(EDGES)
    write_network(tmp_path, "db", "k", net)
    kept = read_arrays(tmp_path, "db", "k")
    assert kept is not None
    mine = NetworkArrays.of(net)
    assert kept.nodes == mine.nodes
    assert dict(kept.index) == dict(mine.index)
    assert kept.indptr.tolist() == net.adjacency.indptr.tolist()
    assert kept.indices.tolist() == net.adjacency.indices.tolist()


def test_the_context_gives_the_arrays_of_its_network_or_of_the_kept_file(tmp_path: Path) -> None:
    store = _KeptStore(tmp_path)
    store.add_reference(genes={}, ppi=EDGES, drugs={})
    ctx = ReferenceContext()
    net = ctx.interactome(store)  # read from the database and kept
    assert ctx.interactome_lists(store).indices is not None
    assert ctx.interactome_lists(store).nodes == net.nodes
    fresh = ReferenceContext()  # a new process: the kept file, not the database
    arrays = fresh.interactome_lists(store)
    assert store.edge_reads == 1
    assert arrays.nodes == net.nodes
    assert list(arrays.indices) == net.adjacency.indices.tolist()
    empty = _KeptStore(tmp_path / "nothing-kept")  # nothing kept yet: read, build and keep
    empty.add_reference(genes={}, ppi=EDGES, drugs={})
    assert ReferenceContext().interactome_lists(empty).nodes == net.nodes
    assert empty.edge_reads == 1
    assert ReferenceContext().interactome(empty).nodes == net.nodes
    assert empty.edge_reads == 1  # it was kept


def test_the_lists_read_without_numpy_are_the_networks(tmp_path: Path) -> None:
    net = Network.from_edges(EDGES)
    write_network(tmp_path, "db", "k", net)
    kept = read_lists(tmp_path, "db", "k")
    assert kept is not None
    assert kept.nodes == net.nodes
    assert dict(kept.index) == dict(net.index)
    assert list(kept.indptr) == net.adjacency.indptr.tolist()
    assert list(kept.indices) == net.adjacency.indices.tolist()
    assert read_lists(tmp_path, "db", "another load") is None
    assert read_lists(tmp_path, "another db", "k") is None


def test_the_lists_of_a_damaged_file_are_not_read(tmp_path: Path) -> None:
    path = write_network(tmp_path, "db", "k", Network.from_edges(EDGES))
    whole = path.read_bytes()
    path.write_bytes(whole[:200])  # cut short
    assert read_lists(tmp_path, "db", "k") is None
    at = whole.index(b"\x93NUMPY", whole.index(b"indices.npy")) + 200  # a byte of the indices
    path.write_bytes(whole[:at] + bytes([whole[at] ^ 1]) + whole[at + 1 :])
    assert read_lists(tmp_path, "db", "k") is None  # the zip's CRC-32 no longer matches


@pytest.mark.parametrize(
    ("nodes", "indptr", "indices"),
    [
        (["1", "2"], [0, 1, 2], [1, 5]),  # column out of range
        (["1", "2"], [0, 1, 2], [1, -1]),  # negative column
        (["2", "1"], [0, 1, 2], [1, 0]),  # ids not sorted
        (["1", "2"], [0, 2], [1, 0]),  # row pointers short
        (["1", "2"], [0, 2, 1], [1]),  # row pointers decrease, and miss an index
        (["1", "2"], [1, 1, 2], [1, 0]),  # row pointers not from 0
    ],
)
def test_lists_a_walk_would_leave_are_rejected(
    tmp_path: Path, nodes: list[str], indptr: list[int], indices: list[int]
) -> None:
    _save_adjacency(tmp_path, nodes, indptr, indices)
    assert read_lists(tmp_path, "db", "k") is None


def test_lists_of_other_array_types_are_not_read(tmp_path: Path) -> None:
    with open(network_file(tmp_path, "db"), "wb") as fh:  # int32 row pointers: not ours
        np.savez(fh, key=np.array("k"), nodes=np.array(["1", "2"]),
                 indptr=np.array([0, 1, 2], np.int32),
                 indices=np.array([1, 0], np.int32))  # fmt: skip
    assert read_lists(tmp_path, "db", "k") is None
