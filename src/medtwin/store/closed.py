"""A store used after ``close()``: one clear :class:`~medtwin.errors.StoreClosed`, both stores.

Before, a notebook that called a use case with a closed :func:`medtwin.connect` store got
``GraphStoreError: driver error talking to bolt://…: Driver closed``, and a closed
:class:`~medtwin.store.memory.MemoryStore` went on answering as if open, so code tested on it
failed only on the real database. Now both raise the same error with the way out.
"""

from __future__ import annotations

from typing import NoReturn

from medtwin.errors import StoreClosed

__all__ = ["ClosedDriver", "store_closed"]


def store_closed(store: str, reopen: str) -> StoreClosed:
    """The error for a call on the closed store ``store``, naming how to open a new one.

    >>> print(store_closed("<MemoryStore memory://x>", "MemoryStore()"))
    the store <MemoryStore memory://x> is closed; open a new one with `MemoryStore()`
    """
    return StoreClosed(
        f"the store {store} is closed; open a new one with `{reopen}`",
        hint=f"`with {reopen} as store:` keeps it open for the block's calls",
    )


class ClosedDriver:
    """What a closed :class:`~medtwin.store.neo4j.Neo4jStore` holds instead of its Driver.

    Every use of it (a read, a write, a session, the GDS client) raises :func:`store_closed`;
    closing it again does nothing.
    """

    def __init__(self, store: str) -> None:
        self._store = store

    def close(self) -> None:
        """Already closed: nothing to do."""

    def __getattr__(self, name: str) -> NoReturn:
        raise store_closed(self._store, "medtwin.connect()")
