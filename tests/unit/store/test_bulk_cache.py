"""The bulk import's CSV cache: keyed entries, only the newest kept, incomplete ones never read."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtwin.loaders.rows import InteractionRow
from medtwin.store.bulk_cache import BulkCache, code_fingerprint
from medtwin.store.bulk_csv import BulkFiles
from medtwin.store.bulk_graph import BulkGraph


def _graph() -> BulkGraph:
    g = BulkGraph()
    g.add_rows([InteractionRow(a="1", b="2", evidence=(), source="s", source_version="1")])
    return g


def test_put_then_get_returns_the_same_files_and_meta(tmp_path):
    cache = BulkCache(tmp_path / "bulk")
    assert cache.get("k1") is None
    files = cache.put("k1", _graph().write_csv, {"counts": {"x": {"InteractionRow": 1}}})
    got = cache.get("k1")
    assert got is not None
    again, meta = got
    assert again == files
    assert meta == {"counts": {"x": {"InteractionRow": 1}}}
    assert {name for name, _ in again.nodes} == {"Protein"}
    assert all(p.parent == cache.entry("k1") for _, p in [*again.nodes, *again.relationships])


def test_another_key_misses_and_replaces_the_old_entry(tmp_path):
    cache = BulkCache(tmp_path / "bulk")
    cache.put("k1", _graph().write_csv, {})
    assert cache.get("k2") is None
    cache.put("k2", _graph().write_csv, {})
    assert cache.get("k1") is None  # only the newest entry is kept
    assert cache.get("k2") is not None
    assert [p.name for p in (tmp_path / "bulk").iterdir()] == [cache.entry("k2").name]


def test_an_interrupted_write_is_never_read(tmp_path):
    cache = BulkCache(tmp_path / "bulk")

    def fails(folder: Path) -> BulkFiles:
        _graph().write_csv(folder)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cache.put("k1", fails, {})
    assert cache.get("k1") is None
    files = cache.put("k1", _graph().write_csv, {})
    (files.relationships[0][1]).unlink()  # a file gone: the entry is not used
    assert cache.get("k1") is None


def test_the_code_fingerprint_changes_the_entry(tmp_path, monkeypatch):
    cache = BulkCache(tmp_path / "bulk")
    before = cache.entry("k")
    assert len(code_fingerprint()) == 64
    monkeypatch.setattr("medtwin.store.bulk_cache.code_fingerprint", lambda: "0" * 64)
    assert cache.entry("k") != before


def _save(folder: Path) -> None:
    (folder / "databases").mkdir(parents=True)
    (folder / "databases" / "neostore").write_bytes(b"store")


def test_database_files_are_kept_beside_their_csv_entry(tmp_path):
    cache = BulkCache(tmp_path / "bulk")
    assert cache.put_database("k1", "5.26.12", _save) is None  # no CSV entry: nothing kept
    cache.put("k1", _graph().write_csv, {})
    assert cache.database("k1", "5.26.12") is None
    kept = cache.put_database("k1", "5.26.12", _save)
    assert kept == cache.database("k1", "5.26.12") == cache.entry("k1") / "database-5.26.12"
    assert (kept / "databases" / "neostore").read_bytes() == b"store"
    assert cache.database("k1", "5.27.0") is None  # another Neo4j version: not used
    assert cache.get("k1") is not None  # the CSV entry still reads
    cache.put("k2", _graph().write_csv, {})
    assert cache.database("k1", "5.26.12") is None  # gone with its entry


def test_an_interrupted_or_failed_database_copy_is_never_read(tmp_path):
    cache = BulkCache(tmp_path / "bulk")
    cache.put("k1", _graph().write_csv, {})

    def interrupted(folder: Path) -> None:
        _save(folder)
        raise KeyboardInterrupt

    def disk_full(folder: Path) -> None:
        _save(folder)
        raise OSError(28, "No space left on device")

    with pytest.raises(KeyboardInterrupt):
        cache.put_database("k1", "v", interrupted)
    assert cache.database("k1", "v") is None
    assert cache.put_database("k1", "v", disk_full) is None  # logged, the import goes on
    assert cache.database("k1", "v") is None
    assert not [p for p in cache.entry("k1").iterdir() if p.name.startswith(".partial")]
