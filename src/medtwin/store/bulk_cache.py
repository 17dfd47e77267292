"""The CSV files of the last bulk import, kept so that importing the same reference again is fast.

``medtwin load --bulk`` spends most of its Python time parsing the reference files, applying the
load statements' semantics in memory and writing CSV (:mod:`medtwin.store.bulk_graph`). None of
that changes while the source files and the code that reads them stay the same, so the CSV files are
kept under ``<home>/cache/bulk/<entry>/`` with a ``manifest.json``. The entry name is the sha256 of

* the caller's key (the platform's: loader version plus each dataset's name and file checksums),
* :data:`BULK_CACHE_VERSION`, and
* :func:`code_fingerprint`: the source of every module that turns files into rows or rows into
  CSV (``loaders/``, the dataset table, co-occurrence, :mod:`medtwin.store.bulk`,
  :mod:`~medtwin.store.bulk_graph`, :mod:`~medtwin.store.bulk_csv` and
  :mod:`~medtwin.store.bulk_aside`), so editing a loader invalidates the cache even when nobody
  bumps a version.

Beside the CSV files an entry keeps the database files ``neo4j-admin`` made of them
(``database-<Neo4j version>/``, copied before the server's first start on them: a consistent
store with no schema yet), so later re-imports of the same reference only copy them back instead
of running the importer again (:class:`~medtwin.store.bulk.LocalBulkImporter`). They are kept at
the first re-import (from the cached CSV), not at the first import: that copy would slow every
first import for a re-import that may never come.

Only the newest entry is kept (one reference at a time; about 200 MB of CSV and 1 GB of database
files for the full reference). Everything is written under a temporary name and renamed when
complete, so an interrupted write is never read. ``make bench-demo`` removes ``<home>/cache`` for
its fresh runs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from medtwin.store.bulk_csv import BulkFiles

__all__ = ["BULK_CACHE_VERSION", "BulkCache", "code_fingerprint"]

log = logging.getLogger(__name__)

# Bump when the manifest layout changes.
BULK_CACHE_VERSION = "1"
_MANIFEST = "manifest.json"
# Package folders and modules whose source decides what the CSV files hold.
_CODE = (
    "loaders",
    "platform/reference_datasets.py",
    "platform/reference.py",
    "platform/cooccurrence.py",
    "store/bulk.py",
    "store/bulk_graph.py",
    "store/bulk_csv.py",
    "store/bulk_aside.py",
)


@cache
def code_fingerprint() -> str:
    """sha256 over the source of the modules that parse reference files and write the CSV."""
    root = Path(str(resources.files("medtwin")))
    digest = hashlib.sha256()
    for part in _CODE:
        path = root / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


class BulkCache:
    """CSV files of bulk imports under ``root``, one entry per key (the newest only)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def entry(self, key: str) -> Path:
        """The folder of ``key``'s entry (it may not exist)."""
        name = hashlib.sha256(
            f"{BULK_CACHE_VERSION}\n{code_fingerprint()}\n{key}".encode()
        ).hexdigest()
        return self.root / name[:32]

    def get(self, key: str) -> tuple[BulkFiles, dict[str, Any]] | None:
        """The files and metadata stored under ``key``, or ``None`` (also when incomplete)."""
        folder = self.entry(key)
        try:
            manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        files = BulkFiles(
            nodes=[(name, folder / file) for name, file in manifest["nodes"]],
            relationships=[(name, folder / file) for name, file in manifest["relationships"]],
            counts=dict(manifest["counts"]),
            multiline=bool(manifest["multiline"]),
            sources={k: dict(v) for k, v in manifest.get("sources", {}).items()},
        )
        if not all(p.is_file() for _, p in [*files.nodes, *files.relationships]):
            return None
        return files, dict(manifest["meta"])

    def put(self, key: str, write: Callable[[Path], BulkFiles], meta: dict[str, Any]) -> BulkFiles:
        """Write an entry with ``write(folder)`` and ``meta``; remove every other entry."""
        folder = self.entry(key)
        partial = self.root / f".partial-{os.getpid()}-{folder.name}"
        shutil.rmtree(partial, ignore_errors=True)
        files = write(partial)
        manifest = {
            "nodes": [(name, path.name) for name, path in files.nodes],
            "relationships": [(name, path.name) for name, path in files.relationships],
            "counts": files.counts,
            "multiline": files.multiline,
            "sources": files.sources,
            "meta": meta,
        }
        (partial / _MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        for old in self.root.iterdir():
            if old != partial:
                shutil.rmtree(old, ignore_errors=True)
        partial.rename(folder)
        got = self.get(key)
        assert got is not None  # just written
        return got[0]

    def database(self, key: str, version: str) -> Path | None:
        """The database files kept for ``key`` made by Neo4j ``version``, or ``None``."""
        folder = self.entry(key) / f"database-{version}"
        return folder if folder.is_dir() else None

    def put_database(self, key: str, version: str, save: Callable[[Path], None]) -> Path | None:
        """Keep database files, written by ``save(folder)``, beside ``key``'s CSV entry.

        ``None`` (nothing kept) when ``key`` has no complete CSV entry.
        """
        folder = self.entry(key)
        if self.get(key) is None:
            return None
        partial = folder / f".partial-database-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        try:
            save(partial)
        except OSError as e:  # e.g. a full disk: the import itself succeeded, keep nothing
            shutil.rmtree(partial, ignore_errors=True)
            log.warning("database files not kept for the next import (%s)", e)
            return None
        done = folder / f"database-{version}"
        shutil.rmtree(done, ignore_errors=True)
        partial.rename(done)
        return done

    def clear(self) -> None:
        """Remove every entry."""
        shutil.rmtree(self.root, ignore_errors=True)
