"""An edge list kept on disk between processes: node ids once, edges as int32 index pairs.

The shared regulatory projection's edge list (~150k pairs, :meth:`RegulatorNetworkStore.edges`)
costs 1-8 s to stream out of GDS and map back to Entrez ids in every new process (8.4 s on the
first read after a server start, 1.1 s after), while the projection only changes with a reload.
A file named after the projection (whose name hashes the reference's sha256 and load time) holds
it for every later process in ~0.05 s. ``.npz`` without pickles: the ids are a fixed-width
unicode array, the pairs two int32 arrays; written to a temporary file and renamed into place, so
a reader never sees half a file, and a file that cannot be read is recomputed, never trusted.
"""

from __future__ import annotations

import logging
from pathlib import Path

from medtwin.atomic import UNREADABLE, atomic_output, read_npz

__all__ = ["PREFIX", "edge_file", "read_edges", "write_edges"]

log = logging.getLogger(__name__)

PREFIX = "regnet-edges-"
"""File name prefix; the rest is the projection's name and ``.npz``."""


def edge_file(folder: Path, name: str) -> Path:
    """The file that keeps projection ``name``'s edges in ``folder``."""
    return folder / f"{PREFIX}{name}.npz"


def read_edges(folder: Path, name: str) -> tuple[list[str], list[str]] | None:
    """The edges kept for projection ``name``, or ``None`` when there is no readable file."""
    path = edge_file(folder, name)
    if not path.is_file():
        return None
    try:
        got = read_npz(path, ("ids", "source", "target"))
        ids, source, target = got["ids"], got["source"], got["target"]
        top = max(source.max(initial=-1), target.max(initial=-1))
        low = min(source.min(initial=0), target.min(initial=0))
        if source.shape != target.shape or source.ndim != 1 or low < 0 or top >= len(ids):
            raise ValueError("edge indices do not match the ids")
        names = ids.tolist()
        return [names[i] for i in source.tolist()], [names[i] for i in target.tolist()]
    except UNREADABLE as exc:
        log.warning("ignoring unreadable edge cache %s (%s); reading the edges again", path, exc)
        return None


def write_edges(folder: Path, name: str, source: list[str], target: list[str]) -> Path:
    """Keep ``source``/``target`` for projection ``name``; other projections' files are removed.

    Atomic (:func:`~medtwin.atomic.atomic_output`). Returns the file's path.
    """
    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(set(source) | set(target))
    index = {n: i for i, n in enumerate(names)}
    path = edge_file(folder, name)
    with atomic_output(path) as fh:
        np.savez(
            fh,
            ids=np.array(names, dtype=str),
            source=np.array([index[s] for s in source], dtype=np.int32),
            target=np.array([index[t] for t in target], dtype=np.int32),
        )
    for old in folder.glob(f"{PREFIX}*.npz"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
