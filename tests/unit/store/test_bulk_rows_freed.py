"""A bulk import does not keep its parsed rows alive through the import.

The server's start leaves reference cycles that hold the frames below it (the driver's connection
errors, their tracebacks); rows still referenced from a caller's frame then wait for a full
collection, which took 1.3-2 s at the end of every cold `load --bulk` (2.2 M objects).
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path
from typing import Any

from medtwin.loaders.rows import GeneRow
from medtwin.platform import reference

DATA = Path(__file__).resolve().parents[2] / "data"


class _CyclingImporter:
    """Takes the rows, then keeps an exception whose traceback holds its own frame: a cycle."""

    def __init__(self) -> None:
        self.rows = 0

    def is_empty(self) -> bool:
        return True

    def begin(self) -> None:
        pass

    def abort(self) -> None:
        pass

    def import_cached(self, cache_key: str, **kw: Any) -> None:
        return None

    def write_datasets(self, datasets: Any) -> None:
        raise AssertionError("a cold import writes its Dataset nodes in the import")

    def refresh_counts(self, figures: Any = None) -> bool:
        return True  # describe's counts: nothing to count here

    def import_rows(self, groups: Any, **kw: Any) -> dict[str, Any]:
        self.rows = sum(len(g) for g in groups)
        del groups  # as LocalBulkImporter.import_rows does once its graph is built
        last: Exception | None = None
        for _ in range(2):  # as a server start's polling: the kept error holds this frame
            try:
                raise ConnectionRefusedError("not ready yet")
            except ConnectionRefusedError as e:
                last = e
        assert last is not None
        return {"cached": False, "datasets_imported": True}


def _alive(kind: type) -> int:
    return sum(1 for o in gc.get_objects() if type(o) is kind)


def test_the_parsed_rows_are_freed_by_reference_count(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "ncbi_gene_info", data / "ncbi_gene_info")
    importer = _CyclingImporter()
    gc.collect()
    gc.disable()  # only reference counting frees anything now
    before = _alive(GeneRow)  # other tests' rows
    try:
        loads = reference.load_reference_bulk(
            None,  # type: ignore[arg-type]  # the bulk path writes through the importer only
            importer,  # type: ignore[arg-type]
            data,
            only=["ncbi_gene_info"],
            use_cache=False,
        )
        alive = _alive(GeneRow)
    finally:
        gc.enable()
    assert importer.rows == sum(loads[0].counts.values()) > 10
    assert alive == before
