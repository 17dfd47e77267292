"""Fixtures of the CLI unit tests: the ``patient`` commands on an in-memory store."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest

from medtwin.cli import patient_delete, patients
from medtwin.store.memory import MemoryStore


@pytest.fixture
def memory_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], MemoryStore]:
    """``memory_cli(genes)``: a memory store with those genes (Entrez -> symbol) that the
    ``medtwin patient`` commands open instead of Neo4j."""

    def use(genes: dict[str, str]) -> MemoryStore:
        store = MemoryStore()
        store.add_reference(genes=genes)

        @contextlib.contextmanager
        def memory(**_: object) -> Iterator[MemoryStore]:
            yield store

        monkeypatch.setattr(patients, "open_store", memory)
        monkeypatch.setattr(patient_delete, "open_store", memory)
        return store

    return use
