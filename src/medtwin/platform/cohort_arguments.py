"""What :func:`~medtwin.platform.cohort.run_cohort` takes from a notebook: settings, a store.

The CLI passes both explicitly; a notebook has a store from :func:`medtwin.connect`, which keeps
its settings and whose class opens another one in a Dask worker process.
"""

from __future__ import annotations

from collections.abc import Callable

from medtwin.errors import InputError
from medtwin.settings import Settings
from medtwin.store.base import GraphStore

__all__ = ["StoreFactory", "settings_of", "store_opener"]

StoreFactory = Callable[[Settings], GraphStore]
"""Opens a store from settings in a worker process (picklable, e.g. ``Neo4jStore.open``)."""


def settings_of(store: GraphStore, settings: Settings | None) -> Settings:
    """``settings``, else the store's (a store from :func:`medtwin.connect` keeps them)."""
    got = settings if settings is not None else getattr(store, "settings", None)
    if not isinstance(got, Settings):
        raise InputError(
            "settings must be a medtwin.settings.Settings"
            + (
                f", got {type(settings).__name__}"
                if settings is not None
                else "; this store has none"
            ),
            hint="pass None with a store from medtwin.connect() (its settings are used)",
        )
    return got


def store_opener(store: GraphStore) -> StoreFactory:
    """What opens a worker's store like ``store``: its class's ``open(settings)``."""
    opener = getattr(type(store), "open", None)
    if not callable(opener):
        raise InputError(
            f"a {type(store).__name__} cannot be opened in a Dask worker process",
            hint="run in this process (workers=0), or pass open_store=",
        )
    return opener  # type: ignore[no-any-return]
