"""Helpers shared by the CLI commands: settings, JSON output, the store of one command."""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from medtwin.cli.json_text import dumps_indented
from medtwin.command_lines import MAX_TWIN_VERSION, patient_command, twin_version_refusal
from medtwin.errors import names_patient
from medtwin.outputs import output_path  # re-exported: every command writing a file calls it
from medtwin.random_seed import MAX_SEED, SEED_RULE, seed_or_value_error

if TYPE_CHECKING:
    from medtwin.errors import MedtwinError
    from medtwin.settings import Settings
    from medtwin.store.neo4j import Neo4jStore

__all__ = [
    "SEED",
    "TWIN_VERSION",
    "BatchFailure",
    "audit_action",
    "audit_cli",
    "audit_patients",
    "audit_wrote",
    "confirm_or_keep",
    "echo_batch_json",
    "echo_error",
    "echo_json",
    "end_batch",
    "number",
    "open_store",
    "output_path",
    "settings",
    "start_collecting",
    "store_factory",
    "yes_no",
]


class TwinVersionRange(click.IntRange):
    """A twin version, 1 to :data:`~medtwin.command_lines.MAX_TWIN_VERSION`, in the CLI's words.

    A value that is not one is a usage error naming the option, the value, the range (the words
    of :func:`~medtwin.command_lines.twin_version_refusal`, which the Python use cases say too)
    and where the patient's versions are listed. Before, it said the API's 422 words
    (``'abc': Input should be a valid integer, unable to parse string as an integer``), which
    name neither the range nor a fix.

    >>> TWIN_VERSION.convert("3", None, None)
    3
    >>> TWIN_VERSION.convert("1.5", None, None)
    Traceback (most recent call last):
    medtwin.cli.UsageLine: medtwin: invalid value for '--version': '1.5' is not a whole number: \
a twin version is a whole number from 1 to 1000000 — run `medtwin twin list PATIENT` to list \
the patient's versions
    """

    def __init__(self) -> None:
        super().__init__(1, MAX_TWIN_VERSION)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from medtwin.cli import UsageLine

        try:
            number: int | None = value if isinstance(value, int) else int(str(value), 10)
        except ValueError:  # "1.5", "1e9", "abc": int() reads none of them
            number = None
        why = twin_version_refusal(repr(str(value)), number)
        if why is None:
            return number
        option = "'--version'" if param is None or ctx is None else param.get_error_hint(ctx)
        what = f"{ctx.command_path if ctx else 'medtwin'}: invalid value for {option}"
        step = patient_command("twin list", _one_patient(ctx) or "PATIENT")
        fix = f"run `{step}` to list the patient's versions"
        raise UsageLine(f"{what}: {why} — {fix}", ctx, what=f"{what}: {why}", fix=fix)


def _one_patient(ctx: click.Context | None) -> str | None:
    """The one patient the command line names, if it names one (anywhere in the line)."""
    from medtwin.cli import GIVEN

    if ctx is None:
        return None
    given = ctx.meta.get(GIVEN) or {}
    named = given.get("patient_id") or given.get("patient_ids")
    if isinstance(named, list | tuple):
        named = named[0] if len(named) == 1 else None
    return named if isinstance(named, str) else None


TWIN_VERSION = TwinVersionRange()
"""The type of every ``--version``/``--from``/``--to`` option naming a twin version."""


class SeedRange(click.IntRange):
    """A seed, 0 to :data:`~medtwin.random_seed.MAX_SEED`, refused in the API's and Python's words.

    >>> SEED.convert(str(MAX_SEED), None, None) == MAX_SEED
    True
    >>> SEED.convert(str(MAX_SEED + 1), None, None)
    Traceback (most recent call last):
    click.exceptions.BadParameter: must be a whole number from 0 to 2**53 - 1 \
(9007199254740991, what JSON carries exactly), got 9007199254740992
    """

    def __init__(self) -> None:
        super().__init__(0, MAX_SEED)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return seed_or_value_error(value if isinstance(value, int) else int(value))
        except ValueError:
            self.fail(f"{SEED_RULE}, got {value}", param, ctx)


SEED = SeedRange()
"""The type of every ``--seed`` option."""

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
    "summary",
    "versions",
}
"""Commands that only read patient data (audited as ``read``): ``twin regulators`` computes
without storing, ``cohort activities``, ``cohort summary`` and ``patient similar`` read stored
results. Every other command naming or listing a patient is a ``write`` (``delete`` and
``remove-input``: a ``delete``); ``tests/unit/cli/test_audit_actions.py`` lists each command's
action.
``twin diseases`` and ``biomarkers`` read what is stored and, when nothing is, compute and
store it: that run calls :func:`audit_wrote` (when the use case computes) and is a ``write``."""


def settings() -> Settings:
    """The process settings (entry points only)."""
    from medtwin.settings import get_settings  # pydantic-settings: not needed for --help

    return get_settings()


def echo_json(data: Any) -> None:
    """Print ``data`` as stable, sorted JSON (``json.dumps(indent=2, sort_keys=True)``'s text)."""
    click.echo(dumps_indented(data))


def echo_batch_json(data: Any, *, done: int, failed: int) -> None:
    """Print a batch's results under ``--json`` (:func:`echo_json`), unless all of it failed.

    A batch whose every patient failed prints only its errors, one JSON line each on stderr
    (:func:`end_batch`), as every other failing command prints one: ``twin build BAD --json``
    printed ``[]`` beside its error line. An empty batch that did not fail (``rank --all`` before
    any twin) still prints its empty result.
    """
    if done or not failed:
        echo_json(data)


def echo_error(
    error: str, message: str, hint: str | None, *, as_json: bool, patient_id: str | None = None
) -> None:
    """Print a user error on stderr: ``Name: message`` and ``hint: ...``.

    ``as_json`` (the command was given ``--json``): one JSON line ``{"error", "hint",
    "message"}`` instead, so that a script reads the error as it reads the command's output.
    ``patient_id``: one patient of a batch (``rank A B``): the JSON line has ``"patient_id"``,
    and the text starts with ``patient A: `` unless the message names the patient already
    (``InputError: patient A: none of 12 changed genes …``, not ``patient A: InputError:
    patient A: …``).
    """
    if as_json:
        line = {"error": error, "message": message, "hint": hint}
        if patient_id is not None:
            line["patient_id"] = patient_id
        click.echo(json.dumps(line, sort_keys=True), err=True)
        return
    named = patient_id is None or names_patient(message, patient_id)
    prefix = "" if named else f"patient {patient_id}: "
    click.echo(f"{prefix}{error}: {message}", err=True)
    if hint:
        click.echo(f"hint: {hint}", err=True)


def confirm_or_keep(question: str, *, declined: str) -> None:
    """Ask ``question`` (y/N) on stderr; return on yes, else raise ``InputError(declined)``.

    A "no", and no answer at all (stdin at its end: ``< /dev/null``, a script without input),
    is a user error like any other: one line in text, one JSON line on stderr under ``--json``.
    click's ``abort=True`` printed ``Aborted!`` as text instead, also under ``--json``.
    ``declined`` says what was kept and how to skip the question (``--yes``). Ctrl-C at the
    prompt counts as a "no" (click does not tell the two apart).
    """
    from medtwin.errors import InputError

    answered = True
    try:
        yes = click.confirm(question, default=False, err=True)
    except click.Abort:
        yes = answered = False
    if not answered or not sys.stdin.isatty():
        # The prompt's line is ended by the user's Enter only when it was typed on a terminal;
        # otherwise end it here, so that the error (or the --json error line) has its own line.
        click.echo(err=True)
    if not yes:
        raise InputError(declined)


class BatchFailure(NamedTuple):
    """One patient of a batch (``twin build A B``, ``rank --all``) that failed with a user error."""

    patient_id: str
    error: str
    """The error's class name (``NotFoundError``)."""
    message: str
    hint: str | None

    @classmethod
    def of(cls, patient_id: str, e: MedtwinError) -> BatchFailure:
        """The failure of ``patient_id`` raising ``e``."""
        return cls(patient_id, type(e).__name__, e.message, e.hint or None)


def end_batch(
    failures: Sequence[BatchFailure], total: int, not_done: str, *, as_json: bool
) -> None:
    """Report a batch's failures on stderr and exit 1 if there is one; nothing when none failed.

    With several patients (``total`` > 1) each failure is named by its patient
    (:func:`echo_error`) and a last line says ``N of M <not_done>`` (``rankings not made``; not
    under ``--json``, whose stderr is one JSON line per failure). A batch of one patient prints
    its error as the top-level handler does (``medtwin.cli``), so that ``rank A`` reads as it did.
    """
    for f in failures:
        echo_error(
            f.error, f.message, f.hint, as_json=as_json,
            patient_id=f.patient_id if total > 1 else None,
        )  # fmt: skip
    if not failures:
        return
    if total > 1 and not as_json:
        click.echo(f"{len(failures)} of {total} {not_done}", err=True)
    raise click.exceptions.Exit(1)


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


def store_factory() -> Callable[[Settings], Neo4jStore]:
    """What opens a store from settings (the CLI's store: Neo4j), e.g. in a cohort worker."""
    from medtwin.store.neo4j import Neo4jStore

    return Neo4jStore.open


def start_collecting() -> None:
    """Turn the garbage collector back on after start-up (:func:`medtwin.cli.main` turned it off).

    What start-up made (modules, classes, the driver's tables) is frozen first, so that the
    collector's full walks of a long command skip it (:func:`gc.freeze`).
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


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
    # a data command's reads are few and small: one round trip each (CypherRunner.read_once)
    store.one_trip_reads = lean
    if not lean:  # a command that computes or writes: its start-up is over (cli.main)
        start_collecting()
    ok = False
    try:
        yield store
        ok = True
    finally:
        try:
            audit_cli(store, ok=ok)
        finally:
            store.close()


_LISTED = "medtwin.audit.listed"
_FAILED = "medtwin.audit.failed"
_WROTE = "medtwin.audit.wrote"


def audit_patients(listed: Iterable[str] = (), *, failed: Iterable[str] = ()) -> None:
    """Tell the audit (:func:`open_store`) about patients beyond the command's arguments.

    ``listed``: patients the command worked on that its arguments do not name, read from the
    store (``--all``, ``--cohort``, the samples of ``add-cohort``): each gets an event too (a
    ``twin build --all`` wrote every twin unaudited). ``failed``: patients of a batch that
    failed (``rank A B``): their event has status 1 although the command ran. Call it inside
    the ``open_store`` block.
    """
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return
    ctx.meta.setdefault(_LISTED, []).extend(listed)
    ctx.meta.setdefault(_FAILED, []).extend(failed)


def audit_wrote() -> None:
    """Audit the current command as a ``write``: this run of a read command stores a result.

    For the commands that show a stored result and compute and store it when there is none
    (``twin diseases``, ``biomarkers``): the use case calls it through
    :func:`medtwin.platform.python_audit.on_writes` when it computes (inside the patient's lock,
    after looking for a stored result again), inside the ``open_store`` block, so that a compute
    that fails is a failed write and a result another process stored meanwhile is a read.
    Before, such a run was a ``read``.
    """
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_WROTE] = True


def audit_action(command: str) -> str:
    """The audit action of a CLI command that names a patient (see :data:`_READS`)."""
    if command in ("delete", "remove-input"):
        return "delete"
    return "read" if command in _READS else "write"


def audit_cli(store: Any, *, ok: bool) -> None:
    """Record the current command in the audit log for each patient it names (see open_store)."""
    from medtwin.errors import MedtwinError
    from medtwin.store.audit import os_user
    from medtwin.store.audit_writer import stamped

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
    listed = set(ctx.meta.get(_LISTED, ()))
    failed = set(ctx.meta.get(_FAILED, ()))
    ids.extend(ctx.meta.get(_LISTED, ()))
    if not ids:
        return
    action = "write" if ctx.meta.get(_WROTE) else audit_action(ctx.command.name or "")
    user = os_user()
    try:
        # written here, in one transaction: the API's AuditWriter thread (which batches the
        # events of many requests) cost a command its start and a wait polled every 10 ms. An
        # event of a named patient is kept only if the patient exists, which the write checks
        # itself: a read per patient first cost each command a round trip to the server.
        events = [
            stamped(
                {
                    "actor": f"os:{user}",
                    "action": action,
                    "patient_id": pid,
                    "route": f"cli: {ctx.command_path}",
                    "status": 0 if ok and pid not in failed else 1,
                    "if_patient_exists": not ((action == "delete" and ok) or pid in listed),
                }
            )
            for pid in dict.fromkeys(ids)
        ]
        store.write_audit_events(events)
    except MedtwinError as e:
        log.error("CLI action not audited: %s", e)
