"""The regulatory network's edge list kept on disk: round trip, replacement, damaged files."""

from __future__ import annotations

from pathlib import Path

from medtwin.store.edge_cache import PREFIX, read_edges, write_edges

SOURCE = ["7157", "1956", "7157", "2"]
TARGET = ["1956", "2064", "4193", "7157"]


def test_round_trip_keeps_every_pair_in_order(tmp_path: Path) -> None:
    assert read_edges(tmp_path, "regnet_a") is None
    path = write_edges(tmp_path, "regnet_a", SOURCE, TARGET)
    assert path.name == f"{PREFIX}regnet_a.npz"
    assert read_edges(tmp_path, "regnet_a") == (SOURCE, TARGET)
    assert read_edges(tmp_path, "regnet_b") is None  # another projection's name


def test_a_new_projection_replaces_the_old_file(tmp_path: Path) -> None:
    write_edges(tmp_path, "regnet_a", SOURCE, TARGET)
    write_edges(tmp_path, "regnet_b", SOURCE[:1], TARGET[:1])
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{PREFIX}regnet_b.npz"]
    assert read_edges(tmp_path, "regnet_b") == (["7157"], ["1956"])


def test_empty_edge_list(tmp_path: Path) -> None:
    write_edges(tmp_path, "regnet_a", [], [])
    assert read_edges(tmp_path, "regnet_a") == ([], [])


def test_a_damaged_file_is_ignored_not_trusted(tmp_path: Path) -> None:
    path = write_edges(tmp_path, "regnet_a", SOURCE, TARGET)
    path.write_bytes(path.read_bytes()[:100])  # cut short
    assert read_edges(tmp_path, "regnet_a") is None
    path.write_bytes(b"not a zip")
    assert read_edges(tmp_path, "regnet_a") is None


def test_out_of_range_indices_are_rejected(tmp_path: Path) -> None:
    import numpy as np

    with open(tmp_path / f"{PREFIX}regnet_a.npz", "wb") as fh:
        np.savez(fh, ids=np.array(["1"]), source=np.array([0], np.int32),
                 target=np.array([5], np.int32))  # fmt: skip
    assert read_edges(tmp_path, "regnet_a") is None


def test_negative_indices_are_rejected(tmp_path: Path) -> None:
    import numpy as np

    with open(tmp_path / f"{PREFIX}regnet_a.npz", "wb") as fh:
        np.savez(fh, ids=np.array(["1", "2"]), source=np.array([-1], np.int32),
                 target=np.array([1], np.int32))  # fmt: skip
    assert read_edges(tmp_path, "regnet_a") is None
