"""Start, stop and inspect the local Neo4j + GDS server, and wait until it answers.

``start``/``stop``/``status`` drive the distribution's own bootloader
(``org.neo4j.server.startup.Neo4jBoot``, what ``bin/neo4j`` runs), so pid files, JVM flags and
shutdown behave as in a stock install. Both are kept short because ``load --bulk`` and ``db
backup``/``restore`` pay them: the configuration turns off Bolt's 5 s shutdown quiet periods,
:meth:`ServerLifecycle.stop` sends SIGTERM itself and polls for the exit instead of starting a
bootloader JVM for it, the server JVM is started directly (:meth:`ServerLifecycle._direct`), and
it maps a class-data-sharing archive of its classes once one is built
(:mod:`medtwin.store.server_cds`).
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from medtwin.errors import ServerInstallError
from medtwin.store.processes import pid_alive, spawn_detached
from medtwin.store.server_cds import ServerCds
from medtwin.store.server_install import (
    BROWSER_VERSION,
    GDS_VERSION,
    INSTALL_STEPS,
    NEO4J_VERSION,
    Progress,
    ServerInstall,
)

__all__ = ["ServerLifecycle", "ServerStatus"]

_POLL_S = 0.1
_SIZE = re.compile(r"^(\d+)([kKmMgG]?)$")
_STOP_TIMEOUT_S = 180.0


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


def _java_size(size: str) -> str | None:
    """A Neo4j memory setting (``2g``, ``1500m``, ``3G``) as a JVM ``-Xmx`` value, or ``None``."""
    m = _SIZE.match(size.strip())
    return f"{m.group(1)}{m.group(2).lower()}" if m else None


_BLOCKED_S = 1.0
"""Seconds a probe may block before the wait says again that it waits (and then each second)."""


def _probe_into(server: ServerLifecycle, answer: list[str | None]) -> None:
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


class ServerLifecycle(ServerInstall):
    """Start, stop and inspect the installed server (a base of :class:`~.server.LocalServer`).

    Installing is :class:`~medtwin.store.server_install.ServerInstall`'s.
    """

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
