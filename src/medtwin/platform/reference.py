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

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from medtwin.errors import InputError
from medtwin.gc_pause import paused_gc
from medtwin.platform.arguments import as_path, id_list
from medtwin.platform.load_targets import AsideRows, BulkImporter, BulkLoadTarget, LoadTarget
from medtwin.platform.reference_datasets import (
    DATASETS,
    Dataset,
    DatasetFiles,
    RowGroups,
    dataset_checksum,
    dataset_names,
    require_loadable,
)

__all__ = [
    "BulkImporter",
    "BulkLoadTarget",
    "DatasetLoad",
    "LoadTarget",
    "load_reference",
    "load_reference_bulk",
]

BULK_PARSE = "parsing datasets"
BULK_IMPORT = "neo4j-admin import"
BULK_UNITS = {BULK_PARSE: "datasets", BULK_IMPORT: "steps"}
"""The steps :func:`load_reference_bulk` reports to ``progress``, and what each counts."""

log = logging.getLogger(__name__)

# Bump when a loader or load statement changes what it writes: complete datasets reload.
LOADER_VERSION = "4"  # 2: DrugCentral by DrugBank name; 3: Drug.other_names; 4: Drug.name_key(s)


@dataclass(frozen=True)
class DatasetLoad:
    """What happened to one dataset in :func:`load_reference`."""

    name: str
    action: str  # "loaded" | "skipped" | "resumed" | "imported" (bulk)
    counts: dict[str, int]
    seconds: float


def load_reference(
    store: LoadTarget,
    data_dir: Path | str,
    *,
    only: Sequence[str] | None = None,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[DatasetLoad]:
    """Load the reference datasets (all, or ``only`` these) into the store.

    Parameters
    ----------
    store
        The graph store (a MemoryStore is refused: ``UnsupportedByStore``).
    data_dir
        Folder of fetched files (``<data_dir>/<source>/<file>``).
    only
        Dataset names; unknown names raise :class:`~medtwin.errors.InputError` listing the valid.
    force
        Reload datasets that are already complete with the same checksums.
    progress
        ``progress(dataset, rows_done, rows_total)`` after each batch.

    Returns
    -------
    list[DatasetLoad]
        One entry per selected dataset, in load order.
    """
    selected = _selected(None if only is None else id_list(only, "only"))
    ctx = DatasetFiles(as_path(data_dir, "data_dir"))
    require_loadable(store)  # after the arguments' checks: they name what the caller wrote
    store.ensure_schema()
    results = [_load_one(store, ds, ctx, force, progress) for ds in selected]
    store.refresh_counts()  # only a load changes the reference: count its sources once, here
    return results


def _selected(only: Sequence[str] | None) -> list[Dataset]:
    """The datasets named in ``only`` (all when empty), in load order; unknown names refused."""
    names = dataset_names()
    if unknown := sorted(set(only or ()) - set(names)):
        raise InputError(f"unknown dataset(s) {', '.join(unknown)}; valid: {', '.join(names)}")
    return [d for d in DATASETS if not only or d.name in only]


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
    before = store.start_dataset(ds.name, _dataset_props(ds, checksum))
    resumed = before.get("previous_status") == "loading"
    fresh = before.get("previous_status") is None  # never loaded: edges can be CREATEd
    counts: dict[str, int] = {}
    done = 0
    for group in groups:
        if not group:
            continue
        kind = _kind(group)

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


def load_reference_bulk(
    store: LoadTarget,
    importer: BulkImporter,
    data_dir: Path,
    *,
    only: Sequence[str] | None = None,
    use_cache: bool = True,
    report: dict[str, Any] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[DatasetLoad]:
    """Fill an *empty* database with Neo4j's bulk importer from the same parsed rows.

    Every selected dataset is parsed as by :func:`load_reference`; the rows are applied in load
    order to an in-memory graph with the load statements' MERGE semantics
    (:class:`medtwin.store.bulk_graph.BulkGraph`), written as CSV and imported with
    ``neo4j-admin database import full`` (server stopped: the stop begins while the files are
    parsed); constraints and indexes are created after it. Each ``Dataset`` node is imported
    with the graph, with the properties the incremental path's statements give it (its
    ``load_seconds`` is the dataset's parse time), also when the importer runs on cached CSV
    files; a copy of kept database files gets them from those statements, in one transaction.
    A database that holds any node is refused: :func:`load_reference` (``MERGE``) updates it.

    With ``use_cache`` the importer keeps the CSV files keyed by :data:`LOADER_VERSION` and the
    datasets' names and file checksums (its cache adds the code's fingerprint), and a later
    import of the same reference skips parsing (datasets then report 0 s). ``report``, when
    given, receives the seconds of each phase (``parse_seconds``, the importer's figures).
    ``progress(step, done, total)`` hears each dataset parsed (:data:`BULK_PARSE`, counted in
    datasets) and the import's start and end (:data:`BULK_IMPORT`, 0 then 1 of 1): the import
    and the server's restart are most of a cold load (minutes on a busy machine), and were silent.
    """
    say = progress or (lambda step, done, total: None)
    selected = _selected(only)
    if not importer.is_empty():
        raise InputError(
            "`load --bulk` fills an empty database and this one holds data",
            hint="run `medtwin load` (incremental MERGE) to update it, or start from an empty "
            "database (e.g. `medtwin db restore` of an empty dump, or a new MEDTWIN_HOME)",
        )
    ctx = DatasetFiles(data_dir)
    t_start = time.perf_counter()
    started = datetime.now(UTC)
    props = {ds.name: _dataset_props(ds, dataset_checksum(ds, ctx)) for ds in selected}
    key = json.dumps([LOADER_VERSION, [[n, p["sha256"]] for n, p in props.items()]])
    parse_s = time.perf_counter() - t_start  # the checksums; parsing below adds to it

    def records(
        counts: Mapping[str, dict[str, int]], seconds: Mapping[str, float]
    ) -> list[tuple[str, dict[str, Any], dict[str, int], float]]:
        """The Dataset nodes' records; a dataset imported from cached files took 0 s to parse."""
        return [(name, p, counts[name], seconds.get(name, 0.0)) for name, p in props.items()]

    figures = (
        importer.import_cached(
            key, datasets=lambda meta: records(meta["counts"], {}), started=started
        )
        if use_cache
        else None
    )

    if figures is not None:
        say(BULK_IMPORT, 1, 1)  # from the cached files: nothing was parsed
        counts_of: dict[str, dict[str, int]] = figures["meta"]["counts"]
        seconds_of = dict.fromkeys(props, 0.0)
    else:
        importer.begin()  # the server stops while the files are parsed
        try:
            aside = {
                ds.name: importer.start_aside(partial(dataset_rows, ds.name, data_dir))
                for ds in selected
                if ds.aside
            }
            with paused_gc():  # ~2 M row models kept alive: see medtwin.gc_pause
                groups, counts_of, seconds_of = _parse(selected, ctx, aside, say)
        except BaseException:
            importer.abort()
            raise
        parse_s = time.perf_counter() - t_start
        say(BULK_IMPORT, 0, 1)
        # the Dataset nodes go into the import: no write waits for the just-started server
        figures = importer.import_rows(
            groups,
            cache_key=key if use_cache else None,
            meta={"counts": counts_of},
            datasets=records(counts_of, seconds_of),
            started=started,
        )
        # Free the ~2 M parsed rows now, by reference count. The server's start leaves reference
        # cycles (the driver's connection errors, with their tracebacks) that hold this frame,
        # which would keep them until a full collection: 1.3-2 s at the interpreter's exit.
        del groups, ctx
        say(BULK_IMPORT, 1, 1)
    log.info("bulk import of %d datasets: %s", len(props), figures)
    t0 = time.perf_counter()
    if not figures["datasets_imported"]:  # copied database files hold an earlier load's
        importer.write_datasets(records(counts_of, seconds_of))
    t1 = time.perf_counter()
    importer.refresh_counts(figures)
    results = [DatasetLoad(name, "imported", counts_of[name], seconds_of[name]) for name in props]
    if report is not None:  # counts: describe's, once per load (store/graph_counts.py)
        report.update(figures, parse_seconds=parse_s, datasets_seconds=t1 - t0)
        report.update(counts_seconds=time.perf_counter() - t1)
    return results


def _dataset_props(ds: Dataset, checksum: str) -> dict[str, Any]:
    return {
        "version": ds.info.version,
        "url": ds.info.url,
        "licence": ds.info.licence,
        "citation": ds.info.citation,
        "sha256": checksum,
        "files": [f"{s}/{n}" for s, n in ds.files],
        "loader": LOADER_VERSION,
    }


def dataset_rows(name: str, data_dir: Path) -> tuple[RowGroups, dict[str, int]]:
    """Parse one dataset alone: its row groups in load order and its row count per kind.

    What a bulk import's other process runs (:meth:`BulkImporter.start_aside`): a module-level
    function of picklable arguments.
    """
    (ds,) = [d for d in DATASETS if d.name == name]
    return _rows_of(ds, DatasetFiles(data_dir))


def _kind(group: Sequence[BaseModel]) -> str:
    """The row kind a non-empty group counts as (co-occurrence rows by their label)."""
    kind = type(group[0]).__name__
    if kind == "CoOccurrenceRow":
        kind = f"{group[0].label}CoOccurrenceRow"  # type: ignore[attr-defined]
    return kind


def _rows_of(ds: Dataset, ctx: DatasetFiles) -> tuple[RowGroups, dict[str, int]]:
    """One dataset's non-empty row groups and the row count per kind."""
    groups = [group for group in ds.build(ctx) if group]
    return groups, {_kind(group): len(group) for group in groups}


def _parse(
    selected: Sequence[Dataset],
    ctx: DatasetFiles,
    aside: Mapping[str, AsideRows],
    progress: Callable[[str, int, int], None],
) -> tuple[list[Sequence[BaseModel] | AsideRows], dict[str, dict[str, int]], dict[str, float]]:
    """Row groups in load order, row counts and parse seconds per dataset.

    A dataset in ``aside`` is parsed by another process: its handle stands in its groups' place,
    and its counts and seconds are those it reports (read here, so its parse is waited for).
    ``progress(BULK_PARSE, done, total)`` hears each dataset parsed, the other process's last.
    """
    groups: list[Sequence[BaseModel] | AsideRows] = []
    counts_of: dict[str, dict[str, int]] = {}
    seconds_of: dict[str, float] = {}
    for ds in selected:
        if ds.name in aside:
            groups.append(aside[ds.name])
            continue
        t0 = time.perf_counter()
        own, counts_of[ds.name] = _rows_of(ds, ctx)
        groups.extend(own)
        seconds_of[ds.name] = time.perf_counter() - t0
        progress(BULK_PARSE, len(seconds_of), len(selected))
    for name, rows in aside.items():
        seconds_of[name] = rows.seconds
        progress(BULK_PARSE, len(seconds_of), len(selected))
    # in load order, as before (the bulk cache's manifest keeps them)
    counts_of = {
        ds.name: aside[ds.name].counts if ds.name in aside else counts_of[ds.name]
        for ds in selected
    }
    return groups, counts_of, seconds_of


def _parse_counts(props: dict[str, Any]) -> dict[str, int]:
    out = {}
    for item in props.get("counts") or []:
        key, _, value = str(item).partition("=")
        out[key] = int(value)
    return out
