"""The project-managed local Neo4j Community server with the open-source GDS plugin.

Neo4j does not publish its distribution tarball on Maven Central, but it publishes every jar of
it: the ``org.neo4j.assembly:neo4j-community-standalone`` pom lists them. ``install`` resolves that
pom (and the OpenGDS modules, and Neo4j Browser) with Maven into ``<home>/neo4j/{lib,plugins}``;
``start``/``stop``/``status`` drive the distribution's own bootloader
(``org.neo4j.server.startup.Neo4jBoot``, what ``bin/neo4j`` runs), so pid files, JVM flags and
shutdown behave as in a stock install. Maven's local repository (``~/.m2``) caches the downloads,
so a second install is fast and works offline.

Start and stop are kept short because ``load --bulk`` and ``db backup``/``restore`` pay both:
``plugins/`` holds only the jars that declare procedures or functions (Neo4j loads every class of
every jar there at each start to look for them; the other GDS jars go to ``lib/``, on the same
class path — installs made before are moved over once, see :func:`_slim_plugins`), the
configuration turns off Bolt's 5 s shutdown quiet periods, and :meth:`LocalServer.stop` sends
SIGTERM itself and polls for the exit instead of starting a bootloader JVM for it, and the
server JVM maps a class-data-sharing archive of its classes once one is built
(:mod:`medtwin.store.server_cds`).

Versions are pinned here and nowhere else.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from medtwin.atomic import PATIENT_FILE_MODE
from medtwin.errors import ServerInstallError
from medtwin.store.password import read_or_create_password
from medtwin.store.processes import pid_alive, spawn_detached
from medtwin.store.server_cds import ServerCds

if TYPE_CHECKING:  # pydantic-settings: not imported for `medtwin db --help`
    from medtwin.settings import Settings

__all__ = [
    "BACKUP_STEPS",
    "BROWSER_VERSION",
    "GDS_VERSION",
    "NEO4J_VERSION",
    "RESTORE_STEPS",
    "LocalServer",
    "ServerStatus",
    "read_or_create_password",
]

NEO4J_VERSION = "5.26.12"
GDS_VERSION = "2.13.9"
BROWSER_VERSION = "5.24.0"

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], object]
"""``progress(step, done, total)`` as each step ends (the platform's ``step_times`` signature)."""

BACKUP_STEPS = ("stopping the server", "dumping the database", "starting the server")
"""The steps :meth:`LocalServer.backup` reports; a step with nothing to do ends at once."""
RESTORE_STEPS = (
    "stopping the server",
    "loading the backup",
    "starting the restored database",
    "stopping the server again",
)
"""The steps :meth:`LocalServer.restore` reports (the last: only when it was not running)."""
INSTALL_STEPS = (
    "resolving the Neo4j server jars",
    "resolving the GDS plugin jars",
    "arranging the plugins",
    "setting the initial password",
)
"""The steps :meth:`LocalServer.install` reports: the two Maven runs are its 1-2 minutes, silent
(``mvn -q``) and uneven, so a step's end is the progress there is to show. The password is set
by a ``neo4j-admin`` JVM (5-17 s measured under load), which followed the last step's line
unannounced until stop 60."""


def _marker(progress: Progress | None, steps: tuple[str, ...]) -> Callable[[str], None]:
    """``mark(step)``: tell ``progress`` that ``step`` of ``steps`` ended (nothing if ``None``)."""

    def mark(step: str) -> None:
        if progress is not None:
            progress(step, steps.index(step) + 1, len(steps))

    return mark


_JAVA_FIX = (
    "install Java 17 (Debian: apt-get install openjdk-17-jre-headless) and put `java` on PATH"
)
_MAVEN_FIX = "install Maven (Debian: apt-get install maven)"


@dataclass(frozen=True)
class ServerStatus:
    """What ``medtwin db status`` reports."""

    installed: bool
    running: bool
    pid: int | None
    uri: str
    browser_url: str | None
    neo4j_version: str | None
    gds_version: str | None
    home: str

    def as_dict(self) -> dict[str, object]:
        """Return the status as a JSON-ready dict."""
        return asdict(self)


# GDS logs every step of every algorithm run (a PageRank of 100 iterations: 402 lines, to
# neo4j.log and again to debug.log): during `make test` the seven 20 MB debug.log files turned
# over in under 30 minutes. The log configurations (LOG_CONFIGS) drop, by this Java regex on
# the message, sub-task lines (two or more " :: ") that only start or finish, and percentage
# lines; each run's own "<algorithm> :: Start"/"Finished" and every "Failed" line stay.
GDS_STEP_REGEX = r".+ :: .+ :: (Start|Finished)|.+ :: .*\d+%"
LOG_CONFIGS = ("server-logs.xml", "user-logs.xml")


def _template(name: str) -> str:
    return (resources.files("medtwin.store") / "server_files" / name).read_text()


class LocalServer:
    """Install, start, stop and inspect the loopback Neo4j + GDS server under ``settings.home``.

    Parameters
    ----------
    settings
        Uses ``home``, ``bolt_port``, ``http_port``, ``heap_size``, ``pagecache_size``,
        ``start_timeout_s`` and the password settings.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.home.resolve() / "neo4j"
        self._cds: ServerCds | None = None  # set by a start that spawns the JVM itself

    # -- paths -----------------------------------------------------------------------------
    @property
    def marker(self) -> Path:
        """File recording what is installed."""
        return self.root / "installed.json"

    @property
    def password(self) -> str:
        """The password clients use for the local server."""
        if self.settings.neo4j_password is not None:
            return self.settings.neo4j_password.get_secret_value()
        return read_or_create_password(self.settings.home.resolve())

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.root)
        env["NEO4J_CONF"] = str(self.root / "conf")
        env.pop("JAVA_OPTS", None)
        return env

    # -- install ---------------------------------------------------------------------------
    def is_installed(self) -> bool:
        """Whether the pinned versions are installed."""
        if not self.marker.exists():
            return False
        try:
            got = json.loads(self.marker.read_text())
        except json.JSONDecodeError:
            return False
        return bool(got == self._pins())

    @staticmethod
    def _pins() -> dict[str, str]:
        return {"neo4j": NEO4J_VERSION, "gds": GDS_VERSION, "browser": BROWSER_VERSION}

    def install(self, *, force: bool = False, progress: Progress | None = None) -> bool:
        """Resolve the server and plugin jars from Maven Central and write the configuration.

        Returns ``True`` when something was installed, ``False`` when already up to date (the
        configuration is rewritten either way so that setting changes take effect).
        ``progress(step, done, total)`` hears each of :data:`INSTALL_STEPS` end (nothing when
        already installed).
        """
        _check_java()
        self.root.mkdir(parents=True, exist_ok=True)
        changed = False
        mark = _marker(progress, INSTALL_STEPS)
        if force or not self.is_installed():
            if shutil.which("mvn") is None:
                raise ServerInstallError("Maven (`mvn`) is not on PATH.", hint=_MAVEN_FIX)
            t0 = time.perf_counter()
            build = self.root / "build"
            build.mkdir(exist_ok=True)
            lib = self._resolve("neo4j-server.pom.xml", build, "lib")
            mark(INSTALL_STEPS[0])
            gds = self._resolve("gds-plugin.pom.xml", build, "gds")
            mark(INSTALL_STEPS[1])
            plugins = build / "plugins"
            shutil.rmtree(plugins, ignore_errors=True)
            plugins.mkdir()
            _copy_plugin_jars(gds, lib, plugins)
            _slim_plugins(plugins, lib)
            for name, src in (("lib", lib), ("plugins", plugins)):
                dest = self.root / name
                shutil.rmtree(dest, ignore_errors=True)
                src.rename(dest)
            shutil.rmtree(gds, ignore_errors=True)
            mark(INSTALL_STEPS[2])
            self.marker.write_text(json.dumps(self._pins()))
            self._plugins_marker.write_text(json.dumps({"layout": _PLUGINS_LAYOUT, "moved": []}))
            log.info(
                "installed Neo4j %s + GDS %s in %.1f s",
                NEO4J_VERSION,
                GDS_VERSION,
                time.perf_counter() - t0,
            )
            changed = True
        self._write_conf()
        self.slim_plugins()
        if not (self.root / "data" / "dbms").exists():
            self._set_initial_password()
        if changed:  # a step with nothing to do (a password set before) ends at once
            mark(INSTALL_STEPS[3])
        self.protect_auth_files()
        return changed

    @property
    def _plugins_marker(self) -> Path:
        return self.root / "plugins.json"

    def slim_plugins(self) -> int:
        """Move the jars of ``plugins/`` that declare no procedure to ``lib/`` (once per install).

        Installs made before the split kept every GDS jar in ``plugins/``. Done only while the
        server is stopped; returns the number of jars moved.
        """
        plugins, lib = self.root / "plugins", self.root / "lib"
        if not plugins.is_dir() or self.pid() is not None:
            return 0
        try:
            done = json.loads(self._plugins_marker.read_text()).get("layout") == _PLUGINS_LAYOUT
        except (OSError, ValueError, AttributeError):
            done = False
        if done:
            return 0
        moved = _slim_plugins(plugins, lib)
        self._plugins_marker.write_text(json.dumps({"layout": _PLUGINS_LAYOUT, "moved": moved}))
        if moved:
            log.info("moved %d jars without procedures from plugins/ to lib/", len(moved))
        return len(moved)

    def protect_auth_files(self) -> int:
        """Make ``data`` (the database, its transaction logs) and ``data/dbms`` owner-only.

        ``neo4j-admin dbms set-initial-password`` writes ``auth.ini`` with the umask (0644);
        the folder becomes 0700 and its files 0600. Neo4j writes the store and transaction
        files 0644 in 0755 folders, so patient data (and what a deletion leaves in the logs) was
        readable by every local user: ``data`` itself becomes 0700, which closes all of it.
        Returns the number of files changed.
        """
        data = self.root / "data"
        if data.is_dir():
            data.chmod(0o700)
        folder = data / "dbms"
        if not folder.is_dir():
            return 0
        folder.chmod(0o700)
        changed = 0
        for path in folder.iterdir():
            if path.is_file() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
                changed += 1
        return changed

    def _resolve(self, pom_name: str, build: Path, out: str) -> Path:
        pom = build / pom_name
        text = (
            _template(pom_name)
            .replace("@NEO4J_VERSION@", NEO4J_VERSION)
            .replace("@GDS_VERSION@", GDS_VERSION)
            .replace("@BROWSER_VERSION@", BROWSER_VERSION)
        )
        pom.write_text(text)
        dest = build / out
        shutil.rmtree(dest, ignore_errors=True)
        cmd = [
            "mvn",
            "-B",
            "-q",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={dest}",
            "-DincludeScope=runtime",
            "-Dmdep.prependGroupId=true",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-8:])
            raise ServerInstallError(
                f"Maven could not resolve {pom_name} (Neo4j {NEO4J_VERSION}, GDS {GDS_VERSION}) "
                f"from Maven Central:\n{tail}",
                hint="check that Maven Central is reachable (a proxy goes in ~/.m2/settings.xml), "
                "then rerun `medtwin db install`",
            )
        return dest

    def _write_conf(self) -> None:
        conf = self.root / "conf"
        conf.mkdir(exist_ok=True)
        s = self.settings
        text = (
            _template("neo4j.conf")
            .replace("@BOLT_PORT@", str(s.bolt_port))
            .replace("@HTTP_PORT@", str(s.http_port))
            .replace("@HEAP@", s.heap_size)
            .replace("@PAGECACHE@", s.pagecache_size)
            .replace("@HOME@", str(self.root))
        )
        (conf / "neo4j.conf").write_text(text)
        for name in LOG_CONFIGS:
            (conf / name).write_text(_template(name).replace("@GDS_STEP_REGEX@", GDS_STEP_REGEX))
        for sub in ("data", "logs", "run", "import"):
            (self.root / sub).mkdir(exist_ok=True)

    def _set_initial_password(self) -> None:
        # ``--`` ends the options: a password may start with "-" (one generated password in 64
        # did before stop 35, and a user's own may), which neo4j-admin took for an option.
        proc = self._java(
            "org.neo4j.server.startup.Neo4jAdminBoot",
            "dbms",
            "set-initial-password",
            "--",
            self.password,
        )
        if proc.returncode != 0:
            raise ServerInstallError(f"could not set the initial password: {proc.stderr.strip()}")

    def _java(
        self, main: str, *args: str, timeout: float = 120.0
    ) -> subprocess.CompletedProcess[str]:
        cmd = ["java", "-cp", str(self.root / "lib" / "*"), main, *args]
        return subprocess.run(
            cmd, capture_output=True, text=True, env=self._env(), timeout=timeout, check=False
        )

    def _direct(
        self, main: str, *args: str, server: bool = False, gc: str | None = None
    ) -> list[str] | None:
        """The JVM command line the bootloader would run for ``main`` (``None``: let it).

        ``bin/neo4j`` and ``bin/neo4j-admin`` start a bootloader JVM that reads ``neo4j.conf``
        and starts a second JVM with ``plugins/*:conf/*:lib/*``, the ``server.jvm.additional``
        flags and the heap (``--verbose`` prints it). Written here from the configuration this
        class writes, that saves the first JVM (about 2 s) per start or import. ``None`` when
        the heap setting is not a plain ``<n>[kmg]`` size. ``gc``: a collector flag (e.g.
        ``-XX:+UseSerialGC``) in place of the configuration's.
        """
        heap = _java_size(self.settings.heap_size)
        conf = self.root / "conf" / "neo4j.conf"
        if heap is None or not conf.is_file():
            return None
        flags = [
            line.split("=", 1)[1].strip()
            for line in conf.read_text().splitlines()
            if line.startswith("server.jvm.additional=")
        ]
        if gc is not None:
            flags = [f for f in flags if not re.fullmatch(r"-XX:\+Use\w+GC", f)] + [gc]
        path = os.pathsep.join(str(self.root / d / "*") for d in ("plugins", "conf", "lib"))
        heap_flags = [f"-Xms{heap}", f"-Xmx{heap}"] if server else [f"-Xmx{heap}"]
        return [
            "java",
            "-cp",
            path,
            *flags,
            "-Dfile.encoding=UTF-8",
            *heap_flags,
            main,
            *args,
        ]

    def _spawn_server(self) -> bool:
        """Start the server JVM detached, as ``Neo4jBoot start`` does; False: use the bootloader.

        A shell puts it in the background (so it is not this process's child) and prints its
        pid, which goes to ``run/neo4j.pid``; its output goes to ``logs/neo4j.log``.
        """
        cmd = self._direct(
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={self.root}",
            f"--config-dir={self.root / 'conf'}",
            server=True,
        )
        if cmd is None:
            return False
        self._cds = ServerCds(self.root, enabled=self.settings.neo4j_cds)
        cmd = self._cds.command(cmd)
        (self.root / "logs").mkdir(exist_ok=True)
        (self.root / "run").mkdir(exist_ok=True)
        pid = spawn_detached(cmd, self.root / "logs" / "neo4j.log", self._env())
        if pid is None:
            return False
        (self.root / "run" / "neo4j.pid").write_text(f"{pid}\n")
        return True

    # -- lifecycle -------------------------------------------------------------------------
    def pid(self) -> int | None:
        """Pid of the running server, or ``None``."""
        pidfile = self.root / "run" / "neo4j.pid"
        if not pidfile.exists():
            return None
        try:
            pid = int(pidfile.read_text().strip())
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError, PermissionError):
            return None
        return pid

    def start(
        self,
        *,
        status: Callable[[str], None] | None = None,
        progress: Progress | None = None,
    ) -> float:
        """Start the server (installing it first if needed) and wait until GDS answers.

        Returns the seconds from the spawn of the server until it answered (``0.0``-ish when it
        was already running): the moment the wait's status lines count from too.
        ``status(text)``, when given, hears what the start is doing while it waits (an install
        from Maven Central, then the wait for the server, called at each poll);
        ``progress`` hears the install's steps (:meth:`install`).
        """
        if not self.is_installed():
            if status is not None:
                status(
                    f"installing Neo4j {NEO4J_VERSION} + GDS {GDS_VERSION} from Maven Central "
                    f"(step 1/{len(INSTALL_STEPS)}: {INSTALL_STEPS[0]})"
                )
            self.install(progress=progress)
        else:
            self._write_conf()
            self.slim_plugins()  # installs made before the split
        self.protect_auth_files()  # installs made before this check was added, too
        t0 = time.monotonic()
        if self.pid() is None:
            if not self._spawn_server():
                proc = self._java("org.neo4j.server.startup.Neo4jBoot", "start")
                if proc.returncode != 0:
                    raise ServerInstallError(
                        f"Neo4j did not start: {(proc.stdout + proc.stderr).strip()[-800:]}",
                        hint=f"see {self.root / 'logs' / 'neo4j.log'}",
                    )
            if status is not None:  # the JVM's start was silent until the first refused poll
                status(
                    f"started Neo4j {NEO4J_VERSION} + GDS {GDS_VERSION} (pid {self.pid()}, heap "
                    f"{self.settings.heap_size}); waiting for Bolt at {self.settings.neo4j_uri} "
                    f"and GDS to answer (gives up at {self.settings.start_timeout_s:.0f} s)"
                )
        self.wait_ready(status=status, since=t0)
        if self._cds is not None:
            self._cds.dump_pending()
        return time.monotonic() - t0

    def wait_ready(
        self, *, status: Callable[[str], None] | None = None, since: float | None = None
    ) -> None:
        """Wait until Bolt answers and ``gds.version()`` works, or raise with the log's path.

        ``status(text)`` is called at each poll with the seconds since ``since`` (a
        ``time.monotonic()`` moment; default: this call) and the second, on the same clock, at
        which the wait gives up (``start_timeout_s`` after this call). :meth:`start` passes the
        spawn's moment, which its "ready after" counts from: a status of "100 s of at most
        120 s" followed by "ready after 147.3 s" read as a contradiction (the 47 s the spawn
        took were in one figure only).
        """
        started = time.monotonic()
        since = started if since is None else since
        deadline = started + self.settings.start_timeout_s
        last: str | None = None

        def waiting() -> None:
            if status is not None:  # not before a first refusal: a running server says nothing
                status(
                    f"waiting for Neo4j at {self.settings.neo4j_uri} to answer "
                    f"({time.monotonic() - since:.0f} s since the start; gives up at "
                    f"{deadline - since:.0f} s)"
                )

        while time.monotonic() < deadline:
            if self.pid() is None and last is not None:
                break
            # in a thread: once Bolt listens, one probe blocked for 28 s while the database
            # started (measured at load 19), and the wait said nothing meanwhile
            answer: list[str | None] = []
            worker = threading.Thread(target=_probe_into, args=(self, answer), daemon=True)
            worker.start()
            worker.join(_BLOCKED_S)
            while worker.is_alive() and time.monotonic() < deadline:
                waiting()
                worker.join(_BLOCKED_S)
            if not answer:  # still blocked at the deadline
                break
            if answer[0] is None:
                return
            last = answer[0]
            waiting()
            time.sleep(_POLL_S)
        raise ServerInstallError(
            f"Neo4j at {self.settings.neo4j_uri} was not ready within "
            f"{self.settings.start_timeout_s:.0f} s (last error: {last})",
            hint=f"read {self.root / 'logs' / 'neo4j.log'} and {self.root / 'logs' / 'debug.log'}",
        )

    def stop(self) -> bool:
        """Stop the server cleanly; returns whether it was running.

        SIGTERM starts Neo4j's own clean shutdown (what ``neo4j stop`` sends); the process is
        polled every 0.1 s until it has exited (checkpoints written), without the bootloader
        JVM's start-up. Where the signal cannot be sent, the bootloader stops it.
        """
        pid = self.pid()
        if pid is None:
            return False
        try:
            os.kill(pid, signal.SIGTERM)
        except PermissionError:
            return self._boot_stop()
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + _STOP_TIMEOUT_S
        while pid_alive(pid):  # a zombie (exited, not reaped) counts as gone
            if time.monotonic() > deadline:
                raise ServerInstallError(
                    f"Neo4j (pid {pid}) did not stop within {_STOP_TIMEOUT_S:.0f} s of SIGTERM",
                    hint=f"see {self.root / 'logs' / 'neo4j.log'}; `kill {pid}` again or wait",
                )
            time.sleep(_POLL_S)
        (self.root / "run" / "neo4j.pid").unlink(missing_ok=True)
        return True

    def _boot_stop(self) -> bool:
        proc = self._java("org.neo4j.server.startup.Neo4jBoot", "stop", timeout=_STOP_TIMEOUT_S)
        if proc.returncode != 0:
            raise ServerInstallError(f"Neo4j did not stop: {proc.stdout + proc.stderr}")
        return True

    # -- backup and restore ------------------------------------------------------------------
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
        mark = _marker(progress, BACKUP_STEPS)
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
        mark = _marker(progress, RESTORE_STEPS)
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

    def status(self) -> ServerStatus:
        """Report installation, process and versions (versions only when the server answers)."""
        from medtwin.store.http import probe_http  # HTTP: answers without importing the driver

        pid = self.pid()
        neo4j_version = gds_version = None
        running = False
        if pid is not None:
            try:
                neo4j_version, gds_version = probe_http(
                    self.settings.http_port,
                    self.settings.neo4j_user,
                    self.password,
                    database=self.settings.neo4j_database,
                )
                running = True
            except Exception:  # noqa: BLE001 - status must not fail
                running = False
        browser = self.root / "lib" / f"org.neo4j.client.neo4j-browser-{BROWSER_VERSION}.jar"
        return ServerStatus(
            installed=self.is_installed(),
            running=running,
            pid=pid,
            uri=self.settings.neo4j_uri,
            browser_url=f"http://127.0.0.1:{self.settings.http_port}/browser/"
            if browser.exists()
            else None,
            neo4j_version=neo4j_version,
            gds_version=gds_version,
            home=str(self.root),
        )


def _check_java() -> None:
    java = shutil.which("java")
    if java is None:
        raise ServerInstallError(
            "Java is not on PATH; Neo4j 5.26 needs Java 17 or 21.", hint=_JAVA_FIX
        )
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    m = re.search(r'version "(\d+)', proc.stderr + proc.stdout)
    if m is None or int(m.group(1)) < 17:
        said = (proc.stderr or proc.stdout).strip().splitlines()
        raise ServerInstallError(
            f"Neo4j 5.26 needs Java 17 or 21; `java -version` says: {said[0] if said else '?'}",
            hint=_JAVA_FIX,
        )


_POLL_S = 0.1
_BLOCKED_S = 1.0
"""Seconds a probe may block before the wait says again that it waits (and then each second)."""


def _probe_into(server: LocalServer, answer: list[str | None]) -> None:
    """Probe ``server``'s Bolt and GDS; append ``None`` (it answers) or the failure's text.

    The text only: a kept exception would hold its traceback, which holds this frame, which
    holds the exception: a cycle that keeps the callers' frames (a bulk import's parsed rows)
    until a full collection.
    """
    from medtwin.store.connection import probe  # local: avoids a driver import for install

    try:
        probe(server.settings.neo4j_uri, server.settings.neo4j_user, server.password)
    except Exception as e:  # noqa: BLE001 - any failure means "not ready yet"
        answer.append(str(e))
    else:
        answer.append(None)


_SIZE = re.compile(r"^(\d+)([kKmMgG]?)$")


def _java_size(size: str) -> str | None:
    """A Neo4j memory setting (``2g``, ``1500m``, ``3G``) as a JVM ``-Xmx`` value, or ``None``."""
    m = _SIZE.match(size.strip())
    return f"{m.group(1)}{m.group(2).lower()}" if m else None


_STOP_TIMEOUT_S = 180.0


_JAR = re.compile(r"^(?P<ga>.+)-(?P<version>\d[^-]*(?:-[A-Za-z0-9._]+)*)\.jar$")


def _copy_plugin_jars(gds: Path, lib: Path, plugins: Path) -> None:
    """Copy GDS jars into ``plugins`` except libraries the server already ships.

    Jar names are ``<groupId>.<artifactId>-<version>.jar``; one ``groupId:artifactId`` on the
    class path twice (e.g. two Jackson versions) breaks class loading, so the server's copy wins.
    """
    in_lib = {m.group("ga") for p in lib.glob("*.jar") if (m := _JAR.match(p.name))}
    for jar in sorted(gds.glob("*.jar")):
        m = _JAR.match(jar.name)
        if m is not None and m.group("ga") in in_lib:
            continue
        shutil.copy2(jar, plugins / jar.name)


# Bump when the rule of what stays in plugins/ changes (``plugins.json`` records it).
_PLUGINS_LAYOUT = "procedures-only-1"
# Annotation descriptors in a class file's constant pool: the class declares procedures.
_PROCEDURE_MARKS = (
    b"Lorg/neo4j/procedure/Procedure;",
    b"Lorg/neo4j/procedure/UserFunction;",
    b"Lorg/neo4j/procedure/UserAggregationFunction;",
)


def declares_procedures(jar: Path) -> bool:
    """Whether ``jar`` declares Neo4j procedures or functions (or cannot be read: kept).

    Neo4j looks for them only in ``plugins/``: a class annotated ``@Procedure``,
    ``@UserFunction`` or ``@UserAggregationFunction`` names the annotation's descriptor in its
    constant pool, and GDS also lists them in ``META-INF/services/org.neo4j.procedure.*``.
    """
    try:
        with zipfile.ZipFile(jar) as z:
            for info in z.infolist():
                name = info.filename
                if name.startswith("META-INF/services/org.neo4j.procedure."):
                    return True
                if name.endswith(".class"):
                    data = z.read(info)
                    if any(mark in data for mark in _PROCEDURE_MARKS):
                        return True
    except (OSError, zipfile.BadZipFile):
        return True
    return False


def _slim_plugins(plugins: Path, lib: Path) -> list[str]:
    """Move the jars of ``plugins`` that declare no procedure to ``lib``; returns their names.

    At every start Neo4j loads each class of each jar in ``plugins/`` to find procedures (about
    3 s for the 130 GDS jars, of which 12 declare any); the server's class path holds
    ``plugins/*`` and ``lib/*`` alike, so the other jars load from ``lib/`` just the same
    (extensions and settings are found through ``META-INF/services`` on the class path).
    """
    moved = []
    for jar in sorted(plugins.glob("*.jar")):
        if not declares_procedures(jar):
            os.replace(jar, lib / jar.name)
            moved.append(jar.name)
    return moved
