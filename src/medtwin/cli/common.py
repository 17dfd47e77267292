"""Helpers shared by the CLI commands: settings, JSON output, the store of one command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from medtwin.settings import Settings
    from medtwin.store.neo4j import Neo4jStore

__all__ = ["echo_json", "open_store", "settings"]


def settings() -> Settings:
    """The process settings (entry points only)."""
    from medtwin.settings import get_settings  # pydantic-settings: not needed for --help

    return get_settings()


def echo_json(data: Any) -> None:
    """Print ``data`` as stable, sorted JSON."""
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))


@contextmanager
def open_store() -> Iterator[Neo4jStore]:
    """Open the store for one CLI command and close it after."""
    from medtwin.store.neo4j import Neo4jStore

    store = Neo4jStore.open(settings())
    try:
        yield store
    finally:
        store.close()
