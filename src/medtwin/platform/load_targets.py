"""What loading the reference needs from a store (the protocols of `platform.reference`).

:class:`LoadTarget` is what the incremental ``MERGE`` load writes through; :class:`BulkImporter`
the offline importer that fills an empty database (``Neo4jStore.bulk_importer``), and
:class:`AsideRows` a dataset it has parsed in another process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from medtwin.platform.reference_datasets import RowGroups

__all__ = ["AsideRows", "BulkImporter", "BulkLoadTarget", "LoadTarget"]


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

    def refresh_counts(self) -> bool: ...  # noqa: D102 - describe's counts, once per load


class AsideRows(Protocol):
    """A dataset parsed in another process in a bulk import (:meth:`BulkImporter.start_aside`)."""

    @property
    def counts(self) -> dict[str, int]: ...  # noqa: D102 - rows per kind (waits for the parse)

    @property
    def seconds(self) -> float: ...  # noqa: D102 - its parse seconds (waits for the parse)


class BulkImporter(Protocol):
    """What :func:`load_reference_bulk` needs: the offline importer of an empty database."""

    def is_available(self) -> bool: ...  # noqa: D102

    def is_empty(self) -> bool: ...  # noqa: D102

    def write_datasets(  # noqa: D102
        self, datasets: Sequence[tuple[str, dict[str, Any], dict[str, int], float]]
    ) -> None: ...

    def refresh_counts(self, figures: dict[str, Any] | None = None) -> bool: ...  # noqa: D102

    def begin(self) -> None: ...  # noqa: D102

    def start_aside(  # noqa: D102
        self, build: Callable[[], tuple[RowGroups, dict[str, int]]]
    ) -> AsideRows: ...

    def abort(self) -> None: ...  # noqa: D102

    def import_cached(  # noqa: D102
        self,
        cache_key: str,
        *,
        datasets: Callable[
            [dict[str, Any]], Sequence[tuple[str, dict[str, Any], dict[str, int], float]]
        ]
        | None = None,
        started: datetime | None = None,
    ) -> dict[str, Any] | None: ...

    def import_rows(  # noqa: D102
        self,
        groups: Sequence[Sequence[BaseModel] | AsideRows],
        *,
        cache_key: str | None = None,
        meta: dict[str, Any] | None = None,
        datasets: Sequence[tuple[str, dict[str, Any], dict[str, int], float]] = (),
        started: datetime | None = None,
    ) -> dict[str, Any]: ...


class BulkLoadTarget(LoadTarget, Protocol):
    """A store that can also be filled offline (``Neo4jStore.bulk_importer``)."""

    def bulk_importer(self, *, cache: bool = True) -> BulkImporter: ...  # noqa: D102
