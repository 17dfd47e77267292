"""``medtwin db``: install, start, stop and inspect the project-managed Neo4j + GDS server."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from medtwin.cli import Group
from medtwin.cli.common import confirm_or_keep, echo_json, output_path, settings, yes_no
from medtwin.cli.progress import StepProgress
from medtwin.errors import ServerInstallError
from medtwin.store.server import BACKUP_STEPS, LocalServer
from medtwin.store.server_install import GDS_VERSION, INSTALL_STEPS, NEO4J_VERSION


def _local() -> LocalServer:
    s = settings()
    if not s.is_local:
        raise ServerInstallError(
            f"MEDTWIN_NEO4J_URI is {s.neo4j_uri}, not the project-managed server",
            hint="`medtwin db` manages only the local server; unset MEDTWIN_NEO4J_URI to use it",
        )
    return LocalServer(s)


@click.group(cls=Group)
def db() -> None:
    """Manage the local Neo4j 5.26 + GDS 2.13 server (loopback only, authentication on)."""


_JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _install_steps(progress: StepProgress) -> Callable[[str, int, int], None]:
    """The install's ``progress(step, done, total)``: a line as each step ends, with its time.

    An install printed one line, then nothing for the ~80 s of its two Maven runs; each line
    now says what ended, how long it took and what runs next (a bar names the step under way,
    with its elapsed time, on a terminal). Nothing when ``progress`` is quiet (``--json``).
    """
    bar = progress.steps("db install", INSTALL_STEPS)
    last = time.monotonic()

    def report(step: str, done: int, total: int) -> None:
        nonlocal last
        bar(step, done, total)
        now, took = time.monotonic(), time.monotonic() - last
        last = now
        then = f"; next: {INSTALL_STEPS[done]}" if done < total else ""
        progress.status(f"install step {done}/{total} done: {step} in {took:.1f} s{then}", every=0)

    return report


@db.command()
@click.option("--force", is_flag=True, help="Resolve the jars again even if installed.")
@_JSON
def install(force: bool, as_json: bool) -> None:
    """Install Neo4j Community and OpenGDS from Maven Central into <home>/neo4j."""
    server = _local()
    t0 = time.perf_counter()
    with StepProgress(quiet=as_json) as progress:
        if force or not server.is_installed():
            progress.status(
                f"installing Neo4j {NEO4J_VERSION} + GDS {GDS_VERSION} from Maven Central "
                f"(step 1/{len(INSTALL_STEPS)}: {INSTALL_STEPS[0]})"
            )
        changed = server.install(force=force, progress=_install_steps(progress))
    seconds = time.perf_counter() - t0
    if as_json:  # the one db command that had no --json (its errors were text)
        echo_json(
            {
                "neo4j_version": NEO4J_VERSION,
                "gds_version": GDS_VERSION,
                "installed_now": changed,
                "home": str(server.root),
                "seconds": round(seconds, 3),
            }
        )
        return
    what = "installed" if changed else "already installed"
    click.echo(
        f"Neo4j {NEO4J_VERSION} + GDS {GDS_VERSION} {what} in {server.root} ({seconds:.1f} s)"
    )


@db.command()
@_JSON
def start(as_json: bool) -> None:
    """Start the server (installing it first if needed) and wait until GDS answers."""
    server = _local()
    # a start takes 15-50 s (and an install minutes), which were silent: a line every 10 s,
    # and one per install step
    with StepProgress(quiet=as_json) as progress:

        def status(text: str) -> None:
            # the spawn's line at once (it followed an install step's line within 10 s and was
            # dropped), the wait's every 10 s
            progress.status(text, every=10.0 if text.startswith("waiting") else 0.0)

        waited = server.start(status=status, progress=_install_steps(progress))
    st = server.status()
    if as_json:  # db status's object, with the wait and where the password is
        echo_json(
            {
                **st.as_dict(),
                "ready_after_seconds": round(waited, 3),
                "password_file": str(server.settings.home / "neo4j-password"),
            }
        )
        return
    click.echo(
        f"Neo4j {st.neo4j_version} + GDS {st.gds_version} running at {st.uri} "
        f"(ready after {waited:.1f} s)"
    )
    if st.browser_url:
        click.echo(
            f"Neo4j Browser: {st.browser_url} (user neo4j, password in "
            f"{server.settings.home / 'neo4j-password'})"
        )


@db.command()
@_JSON
def stop(as_json: bool) -> None:
    """Stop the server cleanly."""
    server = _local()
    was_running = server.stop()
    if as_json:  # db status's keys for what changed; "was_running": false = nothing to stop
        echo_json({"running": False, "was_running": was_running, "home": str(server.root)})
        return
    click.echo("stopped" if was_running else "not running")


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json: bool) -> None:
    """Show whether the server runs, its versions and URIs (exit 3 when not running)."""
    s = settings()
    st: dict[str, object]
    if s.is_local:
        st = LocalServer(s).status().as_dict()
    else:
        from medtwin.store.connection import password_for, probe

        try:
            v, g = probe(s.neo4j_uri, s.neo4j_user, password_for(s))
            st = {"running": True, "neo4j_version": v, "gds_version": g, "uri": s.neo4j_uri}
        except Exception as e:  # noqa: BLE001 - status reports, never fails
            st = {"running": False, "uri": s.neo4j_uri, "error": str(e)}
    if as_json:
        echo_json(st)
    else:
        for key, value in st.items():
            shown = yes_no(value) if isinstance(value, bool) else "—" if value is None else value
            click.echo(f"{key:>14}: {shown}")
    if not st["running"]:
        raise SystemExit(3)


@db.command()
@click.option(
    "--remove-stray-audit",
    is_flag=True,
    help="Also remove the audit trails listed as stray (ids that name no patient and never had "
    "a write or delete: mistyped ids whose trail medtwin stored when it was read, until 7 Dec "
    "2026); each removal is recorded in the audit trail.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def repair(remove_stray_audit: bool, as_json: bool) -> None:
    """Remove what interrupted builds and rankings left, and locks of dead processes.

    Also lists audit trails of ids that name no patient (stray trails); they are removed only
    with --remove-stray-audit.
    """
    from medtwin.cli.common import open_store
    from medtwin.platform import datasets
    from medtwin.store.audit import os_user

    route = f"cli: {click.get_current_context().command_path} --remove-stray-audit"
    with open_store() as store:
        report = datasets.repair(
            store, remove_stray_audit=remove_stray_audit, actor=f"os:{os_user()}", route=route
        )
    if as_json:
        echo_json(report)
        return
    stray = report.pop("stray_audit_trails")
    for key, value in report.items():
        click.echo(f"{key:>28}: {value}")
    gone = sum(1 for t in stray if t["removed_events"])
    said = f" ({gone} removed)" if remove_stray_audit else ""
    click.echo(f"{'stray_audit_trails':>28}: {len(stray)}{said}")
    for t in stray:
        like = f"; {', '.join(t['same_but_case'])} exists" if t["same_but_case"] else ""
        # with the flag each line says what became of its trail (the count alone did not)
        done = "" if not remove_stray_audit else "removed " if t["removed_events"] else "kept "
        if remove_stray_audit and not t["removed_events"]:
            like += " (a patient's id by the removal: its trail stays)"
        click.echo(
            f"{'':>30}{t['patient_id']}: {done}{t['events']} event(s) {t['first_at']} to "
            f"{t['last_at']}, e.g. {t['routes'][0]}{like}"
        )
    if stray and not remove_stray_audit:
        click.echo(
            "An audit trail is a record: these are kept. Remove them with `medtwin db repair "
            "--remove-stray-audit` (each removal is recorded in the audit trail)."
        )


@db.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option(
    "--interrupt-writes",
    is_flag=True,
    help="Stop the server even if writes are running (they are rolled back); without it a "
    "backup under running writes is refused, with each one named.",
)
@_JSON
def backup(file: Path, force: bool, interrupt_writes: bool, as_json: bool) -> None:
    """Dump the database to FILE (neo4j-admin database dump; the server is stopped meanwhile).

    A running server is first asked for running writes (transactions, twin builds, rankings,
    uploads, cohort adds); if there are any the backup is refused, naming them: wait for them,
    or pass --interrupt-writes. It never prompts, so scripts neither hang nor interrupt a write
    unless told to.

    \b
    Example: medtwin db backup medtwin.dump
    """
    server = _local()
    t0 = time.perf_counter()
    # 20-80 s with the server stopped, which were silent: one bar naming the step under way
    # (on a terminal; the dump is one neo4j-admin call: its bar shows the seconds, not a count)
    checking = "checking for running writes"
    with StepProgress(quiet=as_json) as progress:
        bar = progress.steps("db backup", (checking, *BACKUP_STEPS))
        if not interrupt_writes and server.pid() is not None:
            _refuse_running_writes()
        bar(checking, 1, 1)
        size = server.backup(output_path(file), force=force, progress=bar)
    if as_json:  # "path" and "bytes" as report and export name their file
        seconds = round(time.perf_counter() - t0, 3)
        echo_json({"path": str(file.resolve()), "bytes": size, "seconds": seconds})
        return
    click.echo(f"backed up to {file} ({size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s)")


def _refuse_running_writes() -> None:
    """ConflictError naming the writes running on the local server (none: return)."""
    from medtwin.cli.common import open_store
    from medtwin.errors import ConflictError, GraphStoreError
    from medtwin.platform import datasets

    try:
        with open_store(lean=True) as store:
            datasets.refuse_running_writes(store)
    except GraphStoreError as e:  # a server process that does not answer: nothing to ask
        raise ConflictError(
            f"could not check the server for running writes before stopping it: {e.message}",
            hint="pass --interrupt-writes to back up anyway",
        ) from e


# Existence and readability are the readers' one check (require_regular_file: a missing file, a
# folder, a pipe, no permission, each with its fix, exit 1), as every other file argument says
# them; click's exists=True said "does not exist" in its own words (exit 2).
@db.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_JSON
def restore(file: Path, yes: bool, as_json: bool) -> None:
    """Replace the database with the dump FILE (neo4j-admin database load; server restarted).

    Patients added and changes made since the backup are lost. With the server running, the
    audit trail is kept (written back after the restore) and patients deleted since the
    backup are deleted again, each with an audit event.

    \b
    Example: medtwin db restore medtwin.dump --yes
    """
    from medtwin.cli.db_restore import RESTORE_ORDER, restore_keeping_audit
    from medtwin.loaders.limits import require_regular_file

    require_regular_file(file)  # before the question: a dump that cannot be read is not asked of
    if not yes:
        # click.confirmation_option would ask on stdout; prompts go to stderr (patient delete)
        written = time.strftime("%Y-%m-%d %H:%M", time.localtime(file.stat().st_mtime))
        confirm_or_keep(
            f"Replace the whole database with the backup written {written}? Patients added "
            "and changes made since then are lost (deletions since are applied again and the "
            "audit trail is kept).",
            declined="not confirmed: the database was not replaced; pass --yes to restore "
            "without asking",
        )
    server = _local()
    t0 = time.perf_counter()
    # 20-60 s, silent before: one bar naming the step under way (on a terminal)
    with StepProgress(quiet=as_json) as progress:
        kept = restore_keeping_audit(
            server, file, progress=progress.steps("db restore", RESTORE_ORDER)
        )
    seconds = round(time.perf_counter() - t0, 3)
    if as_json:
        echo_json(
            {
                "path": str(file.resolve()),
                "bytes": file.stat().st_size,
                "seconds": seconds,
                "audit_kept": kept.saved,
                "audit_events": kept.events,
                "deleted_again": kept.redeleted,
            }
        )
        return
    click.echo(f"restored from {file} ({seconds:.1f} s)")
    if not kept.saved:
        click.echo(
            "the server was stopped, so the audit trail since the backup could not be kept and "
            "deletions made since were not applied again (start it before a restore)",
            err=True,
        )
        return
    click.echo(f"audit trail kept: {kept.events} events written back")
    if kept.redeleted:
        click.echo(
            f"deleted again (deleted after the backup was written): {', '.join(kept.redeleted)}"
        )
