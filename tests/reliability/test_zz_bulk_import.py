"""``medtwin load --bulk`` (neo4j-admin import) builds the same graph as the MERGE path.

In every ``make test``: 20,000 seeded synthetic relationships of every layer's row type, both
ways. With ``make test-reliability`` (``slow``) also the real reference subset below.

A subset of the real reference (DrugBank, Guney 2016, HSDN: drugs, targets, diseases, disease
genes, symptoms and their co-occurrence, ~100k rows) is loaded both ways and every node and
relationship, with all properties, is compared; Dataset nodes match but for load times. The bulk
import is then repeated on an emptied database from its cached CSV files (the importer's output
is kept then), and once more from those kept database files: the same graph each time. The
import replaces the test database and rewinds its transaction log, so the test runs last (``zz``),
copies the database's files in the stop of its first import and puts them back after
(``_SavingServer``/``_restore``: a file copy, where ``db backup``/``restore`` would run two
``neo4j-admin`` JVMs), and uses fresh Drivers.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from benchmarks.bench_synth import SynthGraph
from pydantic import BaseModel

from medtwin.errors import InputError
from medtwin.loaders.fetch import fetch_all
from medtwin.loaders.rows import PerturbationRow
from medtwin.platform import reference
from medtwin.store import graph_counts
from medtwin.store.bulk import LocalBulkImporter
from medtwin.store.bulk_cache import BulkCache
from medtwin.store.bulk_import import empty_database
from medtwin.store.connection import open_driver
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.server import LocalServer
from medtwin.store.testing import wipe_test_database

pytestmark = [pytest.mark.neo4j]

SUBSET = ["drugbank_dhimmel", "guney2016_network_medicine", "hsdn_zhou2014"]
_VOLATILE = {"started_at", "loaded_at", "load_seconds"}


def _snapshot(store: Neo4jStore) -> tuple[list[Any], list[Any]]:
    db = store.database
    nodes = store.driver.execute_query(
        # the kept counts (store/graph_counts.py) are stamped with the load's times
        "MATCH (n) WHERE NOT n:CountCache RETURN labels(n) AS labels, properties(n) AS props",
        database_=db,
    ).records
    rels = store.driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props",
        database_=db,
    ).records
    node_rows = sorted(
        repr(
            (
                sorted(r["labels"]),
                sorted((k, v) for k, v in r["props"].items() if k not in _VOLATILE),
            )
        )
        for r in nodes
    )
    rel_rows = sorted(repr((r["type"], r["a"], r["b"], sorted(r["props"].items()))) for r in rels)
    return node_rows, rel_rows


class _SavingServer(LocalServer):
    """The test server that copies its database files at the first import, while it is stopped.

    The copy is taken in the stop the import needs anyway (one stop/start fewer than a separate
    save). Its transaction log already holds every transaction of the session and of the test
    before the import, so the session's Drivers' bookmarks are valid again after ``_restore``.
    """

    def __init__(self, settings: Any, dest: Path) -> None:
        super().__init__(settings)
        self.dest = dest

    def import_full(
        self, nodes: list[tuple[str, Path]], relationships: list[tuple[str, Path]], **kw: Any
    ) -> float:
        if self.pid() is None and not self.dest.exists():
            self.save_database(self.dest)
        return super().import_full(nodes, relationships, **kw)


def _restore(server: LocalServer, saved: Any, test_settings: Any) -> None:
    server.stop()
    try:
        server.load_database(saved)
    finally:
        server.start()
    fresh = Neo4jStore.open(test_settings)
    try:  # move the log past the bookmarks of the session's Driver (see test_zz_backup)
        for _ in range(300):
            fresh.driver.execute_query("CREATE (n:BookmarkBump) DELETE n")
    finally:
        fresh.close()


def _synth_perturbations(relationships: int) -> tuple[list[list[BaseModel]], dict[str, int]]:
    """The synthetic PERTURBS rows, for the aside process (module level: picklable)."""
    rows = list(SynthGraph(relationships).groups()[-1]())
    return [rows], {"PerturbationRow": len(rows)}


def test_a_small_bulk_import_equals_its_merge_load(clean_db, test_settings, tmp_path):
    """Every `make test` sends rows through the real importer (the full comparison is slow).

    Seeded synthetic rows of every reference layer's type (``benchmarks/bench_synth.py``, no
    data mirror needed): genes and drugs with empty lists, and the four layers a first load
    CREATEs; the bulk import builds the PERTURBS rows in another process, as for LINCS. Loaded
    both ways, every node and relationship and every property must match.
    """
    saved = tmp_path / "before"
    server = _SavingServer(test_settings, saved)
    assert server.pid() is not None, "needs the project-managed test server"
    groups = [list(factory()) for factory in SynthGraph(20_000).groups()]
    dataset = (
        "synthetic",
        {"version": "v1", "url": "file:synth", "sha256": "ab" * 32, "files": ["a/b.tsv"]},
        {"GeneRow": 7, "DrugRow": 3},
        1.25,
    )
    store = Neo4jStore.open(test_settings)
    try:
        store.ensure_schema()
        merged = sum(store.merge_rows(group, fresh=True) for group in groups)
        store.start_dataset(dataset[0], dataset[1])
        store.finish_dataset(dataset[0], dataset[2], dataset[3])
        by_merge = _snapshot(store)
        times_merge = _dataset_times(store)
        wipe_test_database(store.driver, test_settings)
        importer = LocalBulkImporter(store, server)
        # the PERTURBS rows built in another process, as `load --bulk` does with LINCS
        aside = importer.start_aside(partial(_synth_perturbations, 20_000))
        assert isinstance(groups[-1][0], PerturbationRow)
        # the genes as a generator, as `make bench-load SYNTH=10M` streams its rows
        phases = importer.import_rows(
            [(r for r in groups[0]), *groups[1:-1], aside],
            datasets=[dataset],  # its Dataset node imported with the graph
        )
        assert phases["import_seconds"] > 0  # neo4j-admin ran
        assert phases["aside_seconds"] > 0  # and the other process
        by_bulk = _snapshot(store)
        assert merged == sum(map(len, groups))
        assert len(by_bulk[0]) == len(by_merge[0]) > 1_000
        assert len(by_bulk[1]) == len(by_merge[1]) >= 19_990  # 20,000 up to per-type rounding
        assert by_bulk == by_merge  # every node and relationship, every property
        # the Dataset node's times too have the statements' type: a datetime in UTC
        assert _dataset_times(store) == times_merge == [("DateTime", "UTC")] * 2
        # describe's counts from the files' own figures equal a full count of the database
        assert graph_counts.keep(store, phases["counts"], phases["sources"]) is True
        kept = store.counts()
        store.driver.execute_query("MATCH (c:CountCache) DETACH DELETE c", database_=store.database)
        assert kept == store.counts()  # counted in full: no kept figures now
        assert kept["relationships"]["PERTURBS"]["total"] > 0  # the aside process's too
    finally:
        store.close()
        if saved.exists():
            _restore(server, saved, test_settings)


def _dataset_times(store: Neo4jStore) -> list[tuple[str, str]]:
    got = store.driver.execute_query(
        "MATCH (d:Dataset {id: 'synthetic'}) RETURN [d.started_at, d.loaded_at] AS t",
        database_=store.database,
    ).records
    assert len(got) == 1
    return [(type(t).__name__, str(t.tzinfo)) for t in got[0]["t"]]


@pytest.mark.slow
def test_bulk_import_equals_merge_load(clean_db, test_settings, tmp_path):
    saved = tmp_path / "before"
    server = _SavingServer(test_settings, saved)
    assert server.pid() is not None, "needs the project-managed test server"
    fetch_all(test_settings.data_dir, test_settings.data_mirror)
    store = Neo4jStore.open(test_settings)
    try:
        merged = reference.load_reference(store, test_settings.data_dir, only=SUBSET)
        by_merge = _snapshot(store)
        with pytest.raises(InputError, match="empty database"):
            reference.load_reference_bulk(
                store, LocalBulkImporter(store, server), test_settings.data_dir, only=SUBSET
            )
        wipe_test_database(store.driver, test_settings)
        cache = BulkCache(tmp_path / "bulk")
        phases: dict[str, Any] = {}
        imported = reference.load_reference_bulk(
            store,
            LocalBulkImporter(store, server, cache=cache),
            test_settings.data_dir,
            only=SUBSET,
            report=phases,
        )
        by_bulk = _snapshot(store)
        assert store.refresh_counts() is False  # the import kept describe's counts already
        assert phases["cached"] is False
        assert phases["datasets_imported"] is True  # the Dataset nodes came with the import
        assert "keep_seconds" not in phases  # a first import keeps no database files
        assert [d.counts for d in imported] == [d.counts for d in merged]
        assert len(by_bulk[0]) == len(by_merge[0]) > 15_000
        assert len(by_bulk[1]) == len(by_merge[1]) > 80_000
        assert by_bulk == by_merge  # every node and relationship, every property
        constraints = store.driver.execute_query(
            "SHOW CONSTRAINTS YIELD name RETURN count(*) AS n", database_=store.database
        ).records[0]["n"]
        assert constraints > 5  # created after the import

        def reimport() -> list[Any]:
            """The bulk import again, on an emptied database, with the same cache."""
            store.driver.close()
            empty_database(server)
            store.driver = open_driver(test_settings)
            phases.clear()
            return reference.load_reference_bulk(
                store,
                LocalBulkImporter(store, server, cache=cache),
                test_settings.data_dir,
                only=SUBSET,
                report=phases,
            )

        # again on an empty database: neo4j-admin from the cached CSV, its output now kept
        again = reimport()
        assert phases["cached"] is True
        assert "import_seconds" in phases
        assert "keep_seconds" in phases
        assert "restore_seconds" not in phases
        assert phases["datasets_imported"] is True  # with this load's times
        assert [d.counts for d in again] == [d.counts for d in merged]
        assert _snapshot(store) == by_merge
        # and once more: from the kept database files, not neo4j-admin again; the same graph
        reimport()
        assert phases["cached"] is True
        assert "restore_seconds" in phases
        assert "import_seconds" not in phases
        assert phases["datasets_imported"] is False  # the copy's are written again, with new times
        assert _snapshot(store) == by_merge
    finally:
        store.close()
        if saved.exists():
            _restore(server, saved, test_settings)
