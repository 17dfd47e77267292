"""Helpers shared by the CLI commands: settings, JSON output, progress bars."""

from __future__ import annotations

import getpass
import json
import logging
from collections.abc import Callable
from typing import Any

import click
from tqdm import tqdm

from medtwin.settings import Settings, get_settings

__all__ = ["audit_cli", "echo_json", "progress_bar", "settings"]

log = logging.getLogger(__name__)

_READS = {"list", "show", "versions", "diff", "explain", "report", "export", "graph"}


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


def audit_cli(store: Any, *, ok: bool) -> None:
    """Record the current command in the audit log for each patient it names (see open_store)."""
    from medtwin.errors import MedtwinError
    from medtwin.store.audit import AuditWriter, patient_exists

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return
    ids: list[str] = []
    for key in ("patient_id", "patient_ids"):
        value = ctx.params.get(key)
        if isinstance(value, str):
            ids.append(value)
        elif isinstance(value, list | tuple):
            ids.extend(str(v) for v in value)
    if not ids:
        return
    name = ctx.command.name or ""
    action = "delete" if name == "delete" else "read" if name in _READS else "write"
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    writer = AuditWriter(lambda: store)
    try:
        for pid in dict.fromkeys(ids):
            if (action == "delete" and ok) or patient_exists(store, pid):
                writer.submit(
                    {
                        "actor": f"os:{user}",
                        "action": action,
                        "patient_id": pid,
                        "route": f"cli: {ctx.command_path}",
                        "status": 0 if ok else 1,
                    }
                )
        writer.start()
        writer.close(timeout=10.0)
    except MedtwinError as e:
        log.error("CLI action not audited: %s", e)
