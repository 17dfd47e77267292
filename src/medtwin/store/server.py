"""The project-managed local Neo4j Community server with the open-source GDS plugin.

:class:`LocalServer` is built in layers, one concern per module:

- :mod:`medtwin.store.server_install` — the pinned versions, the Maven runs that resolve the
  server's jars, ``neo4j.conf`` and the log configurations, the initial password;
- :mod:`medtwin.store.server_plugins` — which GDS jars stay in ``plugins/`` (Neo4j loads every
  class of every jar there at each start to look for procedures);
- :mod:`medtwin.store.server_lifecycle` — start, stop, wait until it answers, status;
- here — the database's files: ``db backup``/``restore`` (``neo4j-admin database dump``/``load``)
  and the offline import of ``load --bulk``, each with the server stopped for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from medtwin.atomic import PATIENT_FILE_MODE
from medtwin.errors import ServerInstallError
from medtwin.store.server_install import Progress, step_marker
from medtwin.store.server_lifecycle import ServerLifecycle

__all__ = ["BACKUP_STEPS", "RESTORE_STEPS", "LocalServer"]

BACKUP_STEPS = ("stopping the server", "dumping the database", "starting the server")
"""The steps :meth:`LocalServer.backup` reports; a step with nothing to do ends at once."""
RESTORE_STEPS = (
    "stopping the server",
    "loading the backup",
    "starting the restored database",
    "stopping the server again",
)


class LocalServer(ServerLifecycle):
    """Install, start, stop and inspect the loopback Neo4j + GDS server under ``settings.home``.

    Installing (:class:`~medtwin.store.server_install.ServerInstall`) and the lifecycle
    (:class:`~medtwin.store.server_lifecycle.ServerLifecycle`) are its bases; here: the
    database's files (backup, restore, the offline import).

    Parameters
    ----------
    settings
        Uses ``home``, ``bolt_port``, ``http_port``, ``heap_size``, ``pagecache_size``,
        ``start_timeout_s`` and the password settings.
    """

    def _admin(self, *args: str, timeout: float = 3600.0, gc: str | None = None) -> None:
        """``neo4j-admin args``: its JVM started directly (:meth:`_direct`) where possible."""
        cmd = self._direct("org.neo4j.cli.AdminTool", *args, gc=gc)
        if cmd is None:
            proc = self._java("org.neo4j.server.startup.Neo4jAdminBoot", *args, timeout=timeout)
        else:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, env=self._env(), timeout=timeout, check=False
            )
        if proc.returncode != 0:
            raise ServerInstallError(
                f"neo4j-admin {' '.join(args[:2])} failed: "
                f"{(proc.stdout + proc.stderr).strip()[-800:]}",
                hint=f"see {self.root / 'logs'}",
            )

    def database_dirs(self) -> list[Path]:
        """The database's store and transaction-log folders (under ``server.directories.data``)."""
        data, db = self.root / "data", self.settings.neo4j_database
        return [data / "databases" / db, data / "transactions" / db]

    def save_database(self, dest: Path) -> None:
        """Copy the *stopped* server's database files (store and transaction log) to ``dest``.

        What :meth:`load_database` puts back: a byte copy of a consistent store, e.g. the
        importer's output before the first start (:mod:`medtwin.store.bulk` keeps one per cached
        import, so a re-import skips ``neo4j-admin``).
        """
        if self.pid() is not None:
            raise ServerInstallError("the server must be stopped to copy its database files")
        for folder in self.database_dirs():
            shutil.copytree(folder, dest / folder.parent.name)

    def load_database(self, src: Path) -> None:
        """Replace the *stopped* server's database files by a copy from :meth:`save_database`.

        Each folder is copied beside the live one under a temporary name and swapped in by
        rename, so an interrupted copy leaves the old database in place.
        """
        if self.pid() is not None:
            raise ServerInstallError("the server must be stopped to replace its database files")
        for folder in self.database_dirs():
            incoming = folder.with_name(f".{folder.name}-incoming")
            retired = folder.with_name(f".{folder.name}-retired")
            for tmp in (incoming, retired):
                shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(src / folder.parent.name, incoming)
            if folder.exists():
                os.replace(folder, retired)
            os.replace(incoming, folder)
            shutil.rmtree(retired, ignore_errors=True)

    def backup(self, file: Path, *, force: bool = False, progress: Progress | None = None) -> int:
        """Dump the database to ``file`` with ``neo4j-admin database dump``; returns its size.

        Neo4j Community dumps only a stopped database, so a running server is stopped first and
        started again afterwards (also when the dump fails). ``progress`` hears each of
        :data:`BACKUP_STEPS` end.
        """
        mark = step_marker(progress, BACKUP_STEPS)
        file = file.resolve()
        if file.exists() and not force:
            raise ServerInstallError(f"{file} exists", hint="pass --force to overwrite it")
        if not self.is_installed():
            raise ServerInstallError("the local server is not installed", hint="medtwin db start")
        db = self.settings.neo4j_database
        was_running = self.stop()
        mark("stopping the server")
        try:
            with tempfile.TemporaryDirectory(dir=file.parent, prefix=".medtwin-dump-") as tmp:
                self._admin("database", "dump", db, f"--to-path={tmp}", "--overwrite-destination")
                produced = Path(tmp) / f"{db}.dump"
                if not produced.exists():
                    raise ServerInstallError(f"neo4j-admin wrote no {produced.name}")
                # the whole database, patients included: owner only, whatever the umask
                produced.chmod(PATIENT_FILE_MODE)
                os.replace(produced, file)
            mark("dumping the database")
        finally:
            if was_running:
                self.start()
        mark("starting the server")
        return file.stat().st_size

    def restore(self, file: Path, *, progress: Progress | None = None) -> None:
        """Replace the database with the dump ``file`` (``neo4j-admin database load``).

        The server is stopped for the load, then started to check the restored database, and
        left running only if it was. The database before the restore is moved aside (a rename)
        and put back when the load fails (not a dump: the load used to delete the database
        first) or the restored database does not start (a truncated dump); it is deleted once
        the restored one answers. ``progress`` hears each of :data:`RESTORE_STEPS` end.
        """
        mark = step_marker(progress, RESTORE_STEPS)
        file = file.resolve()
        if not file.is_file():
            raise ServerInstallError(f"no backup file {file}")
        db = self.settings.neo4j_database
        was_running = self.stop()
        mark("stopping the server")
        kept = self._move_database_aside()
        try:
            with tempfile.TemporaryDirectory(prefix="medtwin-load-") as tmp:
                # neo4j-admin reads <database>.dump from a folder.
                link = Path(tmp) / f"{db}.dump"
                link.symlink_to(file)
                self._admin(
                    "database", "load", db, f"--from-path={tmp}", "--overwrite-destination=true"
                )
            mark("loading the backup")
            self.start()
            mark("starting the restored database")
        except BaseException as exc:  # KeyboardInterrupt too: never leave the database gone
            self.stop()
            self._put_database_back(kept)
            if was_running:
                self.start()
            if isinstance(exc, ServerInstallError):
                raise ServerInstallError(
                    f"{exc.message}; the database was left as it was before the restore",
                    hint=exc.hint,
                ) from None
            raise
        for folder in kept:
            shutil.rmtree(folder, ignore_errors=True)
        if not was_running:
            self.stop()
        mark("stopping the server again")

    def _move_database_aside(self) -> list[Path]:
        """Rename the stopped database's folders to hidden names; returns the new paths."""
        kept = []
        for folder in self.database_dirs():
            aside = folder.with_name(f".{folder.name}-before-restore")
            shutil.rmtree(aside, ignore_errors=True)
            if folder.exists():
                os.replace(folder, aside)
                kept.append(aside)
        return kept

    def _put_database_back(self, kept: list[Path]) -> None:
        """Undo :meth:`_move_database_aside`: drop what the load wrote, rename the old back."""
        for folder in self.database_dirs():
            aside = folder.with_name(f".{folder.name}-before-restore")
            if aside in kept:
                shutil.rmtree(folder, ignore_errors=True)
                os.replace(aside, folder)

    def import_full(
        self,
        nodes: list[tuple[str, Path]],
        relationships: list[tuple[str, Path]],
        *,
        multiline: bool = False,
    ) -> float:
        """Replace the database with CSV files (``neo4j-admin database import full``).

        The importer writes store files offline, so the server is stopped for it and started
        again if it was running (also when the import fails). ``nodes`` are ``(label, csv)``,
        ``relationships`` ``(type, csv)``; values are quoted, arrays joined by U+001F (see
        :mod:`medtwin.store.bulk`). Returns the importer's seconds.
        """
        if not self.is_installed():
            raise ServerInstallError("the local server is not installed", hint="medtwin db start")
        db = self.settings.neo4j_database
        args = [
            "database",
            "import",
            "full",
            db,
            "--overwrite-destination=true",
            "--array-delimiter=U+001F",
            "--id-type=string",
            "--bad-tolerance=0",
            "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false",
            f"--multiline-fields={'true' if multiline else 'false'}",
            "--threads=2",
        ]
        args += [f"--nodes={label}={path}" for label, path in nodes]
        args += [f"--relationships={rel}={path}" for rel, path in relationships]
        was_running = self.stop()
        t0 = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory(prefix="medtwin-import-") as tmp:
                # The serial collector: the importer keeps its data off the heap, and on two
                # cores G1's concurrent threads compete with its two workers. Measured on the
                # full reference's CSV, the importer alone, 8 alternating pairs: 14.39 -> 13.35 s
                # mean (faster in 7 of 8).
                self._admin(
                    *args, f"--report-file={Path(tmp) / 'import.report'}", gc="-XX:+UseSerialGC"
                )
            seconds = time.perf_counter() - t0
        finally:
            if was_running:
                self.start()
        return seconds
