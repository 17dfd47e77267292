"""Helpers shared by the CLI commands: settings, JSON output, the store of one command."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from medtwin.cli.json_text import dumps_indented

if TYPE_CHECKING:
    from medtwin.settings import Settings
    from medtwin.store.neo4j import Neo4jStore

__all__ = [
    "audit_action",
    "audit_cli",
    "echo_json",
    "number",
    "open_store",
    "output_path",
    "settings",
    "store_factory",
    "yes_no",
]

log = logging.getLogger(__name__)

MAX_SAMPLES = 100_000
"""Most null samples an option takes (the adaptive proximity null stops there too): a million
allocated 12 GiB in one ranking."""

_READS = {
    "activities",
    "audit",
    "biomarkers",
    "diff",
    "diseases",
    "explain",
    "export",
    "graph",
    "list",
    "regulators",
    "report",
    "show",
    "similar",
    "versions",
}
"""Commands that only read patient data (audited as ``read``): ``twin regulators`` computes
without storing, ``cohort activities`` and ``patient similar`` read stored results. Every other
command naming a patient is a ``write`` (``delete``: a ``delete``);
``tests/unit/cli/test_audit_actions.py`` lists each command's action."""


def settings() -> Settings:
    """The process settings (entry points only)."""
    from medtwin.settings import get_settings  # pydantic-settings: not needed for --help

    return get_settings()


def echo_json(data: Any) -> None:
    """Print ``data`` as stable, sorted JSON (``json.dumps(indent=2, sort_keys=True)``'s text)."""
    click.echo(dumps_indented(data))


def number(value: object, spec: str) -> str:
    """A number formatted with ``spec`` for reading, ``—`` when there is none.

    Text output only: ``--json`` keeps full precision.

    >>> number(1.9618623379600528, "+.2f"), number(None, ".3g")
    ('+1.96', '—')
    """
    return format(value, spec) if isinstance(value, int | float) else "—"


def yes_no(value: object) -> str:
    """``yes`` or ``no`` (text output, where Python's ``True``/``False`` read as code)."""
    return "yes" if value else "no"


def output_path(path: Path | str) -> Path:
    """``path`` (an output file the user named: ``--out new/x.tsv``) with its folder made.

    Every command writing a file the user names calls it just before writing, so that each
    makes missing folders as ``export`` and ``report`` did (``rank --out``, ``screen --out`` and
    ``cohort activities --out`` refused with FileNotFoundError). A folder that cannot be made
    (a file in the way, no permission) is an :class:`OSError` naming it: a user error.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def store_factory() -> Callable[[Settings], Neo4jStore]:
    """What opens a store from settings (the CLI's store: Neo4j), e.g. in a cohort worker."""
    from medtwin.store.neo4j import Neo4jStore

    return Neo4jStore.open


@contextmanager
def open_store(*, lean: bool = False, without_pandas: bool = False) -> Iterator[Neo4jStore]:
    """Open the store for one CLI command and close it after.

    A command that names patients (``patient_id``/``patient_ids`` arguments) is audited like an
    API request: one ``AuditEvent`` per patient, actor ``os:<user>``, route ``cli: <command>``,
    status 0 (done) or 1 (failed).

    ``lean``: the data commands (reads and deletes by id) import the driver without numpy,
    pandas and pyarrow (:mod:`medtwin.store.lean`), which saves most of their start-up.
    ``without_pandas``: only pandas and pyarrow left out (~0.45 s), for the commands that compute
    with numpy but neither pass pandas values nor run the GDS client (explain, report, regulators).
    """
    if lean or without_pandas:
        from medtwin.store.lean import import_driver_lean

        import_driver_lean(numpy=not lean)
    store = store_factory()(settings())
    ok = False
    try:
        yield store
        ok = True
    finally:
        try:
            audit_cli(store, ok=ok)
        finally:
            store.close()


def audit_action(command: str) -> str:
    """The audit action of a CLI command that names a patient (see :data:`_READS`)."""
    return "delete" if command == "delete" else "read" if command in _READS else "write"


def audit_cli(store: Any, *, ok: bool) -> None:
    """Record the current command in the audit log for each patient it names (see open_store)."""
    from medtwin.errors import MedtwinError
    from medtwin.store.audit import AuditWriter

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
    action = audit_action(ctx.command.name or "")
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    writer = AuditWriter(lambda: store)
    try:
        for pid in dict.fromkeys(ids):
            if (action == "delete" and ok) or store.patient_exists(pid):
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
