"""Helpers shared by the CLI commands: settings, JSON output, progress bars."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
from tqdm import tqdm

from medtwin.settings import Settings, get_settings

__all__ = ["echo_json", "progress_bar", "settings"]


def settings() -> Settings:
    """The process settings (entry points only)."""
    return get_settings()


def echo_json(data: Any) -> None:
    """Print ``data`` as stable, sorted JSON."""
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))


def progress_bar(desc: str, total: int | None = None) -> tuple[tqdm[Any], Callable[[int], None]]:
    """Return a tqdm bar and a ``progress(n)`` callback advancing it by ``n``."""
    bar: tqdm[Any] = tqdm(total=total, desc=desc, unit="rows", leave=False, dynamic_ncols=True)

    def advance(n: int) -> None:
        bar.update(n)

    return bar, advance
