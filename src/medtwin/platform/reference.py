"""Loading the reference datasets (:mod:`medtwin.platform.reference_datasets`) into a store.

Each dataset is loaded all-or-nothing *as far as the user can tell*: its files are parsed
completely before anything is written (a malformed file stops with ``file:line`` and leaves the
database as it was for that dataset); then its ``(:Dataset)`` node is set to ``status='loading'``,
the rows are merged in batches, and the node is set to ``'complete'`` with its counts. A crash in
between leaves ``'loading'`` visible in ``medtwin describe``, and rerunning completes it, because
every write is a ``MERGE`` on a constrained id. A dataset already complete with the same file
checksums and loader version is skipped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from medtwin.errors import InputError
from medtwin.platform.reference_datasets import (
    DATASETS,
    Dataset,
    DatasetFiles,
    dataset_checksum,
    dataset_names,
)

__all__ = [
    "BulkImporter",
    "BulkLoadTarget",
    "DatasetLoad",
    "LoadTarget",
    "load_reference",
    "load_reference_bulk",
]

log = logging.getLogger(__name__)

# Bump when a loader or load statement changes what it writes: complete datasets reload.
LOADER_VERSION = "1"


class LoadTarget(Protocol):
    """What :func:`load_reference` needs from a graph store (the store it loads into)."""

    def ensure_schema(self) -> None: ...  # noqa: D102

    def dataset(self, dataset_id: str) -> dict[str, Any] | None: ...  # noqa: D102

    def start_dataset(self, dataset_id: str, props: dict[str, Any]) -> dict[str, Any]: ...  # noqa: D102

    def merge_rows(  # noqa: D102
        self,
        rows: Iterable[BaseModel],
        progress: Callable[[int], None] | None = None,
        *,
        fresh: bool = False,
    ) -> int: ...

    def finish_dataset(self, dataset_id: str, counts: dict[str, int], seconds: float) -> None: ...  # noqa: D102


@dataclass(frozen=True)
class DatasetLoad:
    """What happened to one dataset in :func:`load_reference`."""

    name: str
    action: str  # "loaded" | "skipped" | "resumed" | "imported" (bulk)
    counts: dict[str, int]
    seconds: float


def load_reference(
    store: LoadTarget,
    data_dir: Path,
    *,
    only: Sequence[str] | None = None,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[DatasetLoad]:
    """Load the reference datasets (all, or ``only`` these) into the store.

    Parameters
    ----------
    store
        The graph store.
    data_dir
        Folder of fetched files (``<data_dir>/<source>/<file>``).
    only
        Dataset names; unknown names raise :class:`~medtwin.errors.InputError` listing
        the valid ones.
    force
        Reload datasets that are already complete with the same checksums.
    progress
        ``progress(dataset, rows_done, rows_total)`` after each batch.

    Returns
    -------
    list[DatasetLoad]
        One entry per selected dataset, in load order.
    """
    names = dataset_names()
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise InputError(f"unknown dataset(s) {', '.join(unknown)}; valid: {', '.join(names)}")
    selected = [d for d in DATASETS if not only or d.name in only]
    ctx = DatasetFiles(data_dir)
    store.ensure_schema()
    results = []
    for ds in selected:
        results.append(_load_one(store, ds, ctx, force, progress))
    return results


def _load_one(
    store: LoadTarget,
    ds: Dataset,
    ctx: DatasetFiles,
    force: bool,
    progress: Callable[[str, int, int], None] | None,
) -> DatasetLoad:
    t0 = time.perf_counter()
    checksum = dataset_checksum(ds, ctx)
    previous = store.dataset(ds.name)
    if (
        not force
        and previous is not None
        and previous.get("status") == "complete"
        and previous.get("sha256") == checksum
        and previous.get("loader") == LOADER_VERSION
    ):
        log.info("%s: already loaded (sha256 %s), skipped", ds.name, checksum[:12])
        return DatasetLoad(ds.name, "skipped", _parse_counts(previous), 0.0)
    groups = ds.build(ctx)  # parse everything first: a bad file leaves the database untouched
    total = sum(len(g) for g in groups)
    props = {
        "version": ds.info.version,
        "url": ds.info.url,
        "licence": ds.info.licence,
        "citation": ds.info.citation,
        "sha256": checksum,
        "files": [f"{s}/{n}" for s, n in ds.files],
        "loader": LOADER_VERSION,
    }
    before = store.start_dataset(ds.name, props)
    resumed = before.get("previous_status") == "loading"
    fresh = before.get("previous_status") is None  # never loaded: edges can be CREATEd
    counts: dict[str, int] = {}
    done = 0
    for group in groups:
        if not group:
            continue
        kind = type(group[0]).__name__
        if kind == "CoOccurrenceRow":
            kind = f"{group[0].label}CoOccurrenceRow"  # type: ignore[attr-defined]

        def advance(n: int, _name: str = ds.name) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(_name, done, total)

        counts[kind] = store.merge_rows(group, advance, fresh=fresh)
    seconds = time.perf_counter() - t0
    store.finish_dataset(ds.name, counts, seconds)
    log.info("%s: %d rows in %.1f s", ds.name, total, seconds)
    return DatasetLoad(ds.name, "resumed" if resumed else "loaded", counts, seconds)


class BulkImporter(Protocol):
    """What :func:`load_reference_bulk` needs: the offline importer of an empty database."""

    def is_empty(self) -> bool: ...  # noqa: D102

    def import_rows(self, groups: Sequence[Sequence[BaseModel]]) -> dict[str, Any]: ...  # noqa: D102


class BulkLoadTarget(LoadTarget, Protocol):
    """A store that can also be filled offline (``Neo4jStore.bulk_importer``)."""

    def bulk_importer(self) -> BulkImporter: ...  # noqa: D102


def load_reference_bulk(
    store: LoadTarget,
    importer: BulkImporter,
    data_dir: Path,
    *,
    only: Sequence[str] | None = None,
) -> list[DatasetLoad]:
    """Fill an *empty* database with Neo4j's bulk importer from the same parsed rows.

    Every selected dataset is parsed as by :func:`load_reference`; the rows are applied in load
    order to an in-memory graph with the load statements' MERGE semantics
    (:class:`medtwin.store.bulk.BulkGraph`), written as CSV and imported with
    ``neo4j-admin database import full`` (server stopped); constraints and indexes are created
    after it and each ``Dataset`` node is written by the same statements as the incremental path
    (its ``load_seconds`` is the dataset's parse time; the import's time is logged). A database
    that holds any node is refused: :func:`load_reference` (``MERGE``) updates it.
    """
    names = dataset_names()
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise InputError(f"unknown dataset(s) {', '.join(unknown)}; valid: {', '.join(names)}")
    if not importer.is_empty():
        raise InputError(
            "`load --bulk` fills an empty database and this one holds data",
            hint="run `medtwin load` (incremental MERGE) to update it, or start from an empty "
            "database (e.g. `medtwin db restore` of an empty dump, or a new MEDTWIN_HOME)",
        )
    selected = [d for d in DATASETS if not only or d.name in only]
    ctx = DatasetFiles(data_dir)
    groups: list[Sequence[BaseModel]] = []
    plans = []
    for ds in selected:
        t0 = time.perf_counter()
        checksum = dataset_checksum(ds, ctx)
        built = ds.build(ctx)
        counts: dict[str, int] = {}
        for group in built:
            if not group:
                continue
            kind = type(group[0]).__name__
            if kind == "CoOccurrenceRow":
                kind = f"{group[0].label}CoOccurrenceRow"  # type: ignore[attr-defined]
            counts[kind] = len(group)
            groups.append(group)
        props = {
            "version": ds.info.version,
            "url": ds.info.url,
            "licence": ds.info.licence,
            "citation": ds.info.citation,
            "sha256": checksum,
            "files": [f"{s}/{n}" for s, n in ds.files],
            "loader": LOADER_VERSION,
        }
        plans.append((ds.name, props, counts, time.perf_counter() - t0))
    figures = importer.import_rows(groups)
    log.info("bulk import of %d datasets: %s", len(plans), figures)
    results = []
    for name, props, counts, seconds in plans:
        store.start_dataset(name, props)
        store.finish_dataset(name, counts, seconds)
        results.append(DatasetLoad(name, "imported", counts, seconds))
    return results


def _parse_counts(props: dict[str, Any]) -> dict[str, int]:
    out = {}
    for item in props.get("counts") or []:
        key, _, value = str(item).partition("=")
        out[key] = int(value)
    return out
