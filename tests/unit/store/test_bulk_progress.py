"""A bulk import says what it does: each dataset parsed, then the import under way and done.

`medtwin load --bulk` and a first `medtwin demo` (which fills an empty local database this way)
showed nothing from the last loader warning to the end of the import and the server's restart:
minutes on a busy machine (a walk of the docs at load 25: 3 min of silence in `medtwin demo`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from medtwin.platform import reference
from medtwin.platform.demo import load_for_demo
from medtwin.platform.reference import BULK_IMPORT, BULK_PARSE, BULK_UNITS

DATA = Path(__file__).resolve().parents[2] / "data"


class _Importer:
    """Records what it is asked to do, in order, among the progress calls it is given."""

    def __init__(self, said: list[Any], cached: bool = False) -> None:
        self.said = said
        self.cached = cached

    def is_available(self) -> bool:
        return True

    def is_empty(self) -> bool:
        return True

    def begin(self) -> None:
        pass

    def abort(self) -> None:
        pass

    def import_cached(self, cache_key: str, **kw: Any) -> dict[str, Any] | None:
        if not self.cached:
            return None
        self.said.append("import_cached")
        return {
            "meta": {
                "counts": dict.fromkeys(("ncbi_gene_info", "menche2015_interactome"), {"Row": 3})
            },
            "datasets_imported": True,
        }

    def write_datasets(self, datasets: Any) -> None:
        pass

    def refresh_counts(self, figures: Any = None) -> bool:
        return True

    def import_rows(self, groups: Any, **kw: Any) -> dict[str, Any]:
        self.said.append("import_rows")
        return {"cached": False, "datasets_imported": True}


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for source in ("ncbi_gene_info", "menche2015_interactome"):
        shutil.copytree(DATA / source, data / source)
    return data


def _load(importer: _Importer, data: Path, said: list[Any]) -> None:
    reference.load_reference_bulk(
        None,  # type: ignore[arg-type]  # the bulk path writes through the importer only
        importer,  # type: ignore[arg-type]
        data,
        only=["ncbi_gene_info", "menche2015_interactome"],
        use_cache=importer.cached,
        progress=lambda step, done, total: said.append((step, done, total)),
    )


def test_each_dataset_parsed_and_the_import_are_reported_in_order(tmp_path):
    said: list[Any] = []
    _load(_Importer(said), _data(tmp_path), said)
    assert said == [
        (BULK_PARSE, 1, 2),
        (BULK_PARSE, 2, 2),
        (BULK_IMPORT, 0, 1),  # before the long part: a bar or a line says it is under way
        "import_rows",
        (BULK_IMPORT, 1, 1),
    ]


def test_an_import_of_cached_files_reports_its_end(tmp_path):
    said: list[Any] = []
    _load(_Importer(said, cached=True), _data(tmp_path), said)
    assert said == ["import_cached", (BULK_IMPORT, 1, 1)]


def test_every_step_has_a_unit():
    assert set(BULK_UNITS) == {BULK_PARSE, BULK_IMPORT}


def test_the_demo_passes_its_progress_to_the_bulk_import(monkeypatch):
    given: dict[str, Any] = {}

    def bulk(store: Any, importer: Any, data_dir: Path, **kw: Any) -> list[Any]:
        given.update(kw)
        return []

    monkeypatch.setattr(reference, "load_reference_bulk", bulk)
    store = SimpleNamespace(bulk_importer=lambda: _Importer([]))
    settings = SimpleNamespace(is_local=True, data_dir=Path("data"))

    def progress(step: str, done: int, total: int) -> None:
        pass

    load_for_demo(store, settings, progress)  # type: ignore[arg-type]
    assert given["progress"] is progress
