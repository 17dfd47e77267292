"""Install the local Neo4j + GDS server: the pinned versions, the Maven runs, the configuration.

Neo4j does not publish its distribution tarball on Maven Central, but it publishes every jar of
it: the ``org.neo4j.assembly:neo4j-community-standalone`` pom lists them.
:meth:`ServerInstall.install` resolves that pom (and the OpenGDS modules, and Neo4j Browser) with
Maven into ``<home>/neo4j/{lib,plugins}`` and writes ``neo4j.conf`` and the log configurations.
Maven's local repository (``~/.m2``) caches the downloads, so a second install is fast and works
offline.

Versions are pinned here and nowhere else.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from medtwin.errors import ServerInstallError
from medtwin.store.password import read_or_create_password
from medtwin.store.server_cds import ServerCds
from medtwin.store.server_plugins import PLUGINS_LAYOUT, copy_plugin_jars, slim_plugin_jars

if TYPE_CHECKING:  # pydantic-settings: not imported for `medtwin db --help`
    from medtwin.settings import Settings

__all__ = [
    "BROWSER_VERSION",
    "GDS_STEP_REGEX",
    "GDS_VERSION",
    "INSTALL_STEPS",
    "LOG_CONFIGS",
    "NEO4J_VERSION",
    "Progress",
    "ServerInstall",
    "check_java",
    "step_marker",
]

NEO4J_VERSION = "5.26.12"
GDS_VERSION = "2.13.9"
BROWSER_VERSION = "5.24.0"

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], object]
"""``progress(step, done, total)`` as each step ends (the platform's ``step_times`` signature)."""
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


def step_marker(progress: Progress | None, steps: tuple[str, ...]) -> Callable[[str], None]:
    """``mark(step)``: tell ``progress`` that ``step`` of ``steps`` ended (nothing if ``None``)."""

    def mark(step: str) -> None:
        if progress is not None:
            progress(step, steps.index(step) + 1, len(steps))

    return mark


_JAVA_FIX = (
    "install Java 17 (Debian: apt-get install openjdk-17-jre-headless) and put `java` on PATH"
)
_MAVEN_FIX = "install Maven (Debian: apt-get install maven)"


# GDS logs every step of every algorithm run (a PageRank of 100 iterations: 402 lines, to
# neo4j.log and again to debug.log): during `make test` the seven 20 MB debug.log files turned
# over in under 30 minutes. The log configurations (LOG_CONFIGS) drop, by this Java regex on
# the message, sub-task lines (two or more " :: ") that only start or finish, and percentage
# lines; each run's own "<algorithm> :: Start"/"Finished" and every "Failed" line stay.
GDS_STEP_REGEX = r".+ :: .+ :: (Start|Finished)|.+ :: .*\d+%"
LOG_CONFIGS = ("server-logs.xml", "user-logs.xml")


def _template(name: str) -> str:
    return (resources.files("medtwin.store") / "server_files" / name).read_text()


class ServerInstall:
    """Install and configure the loopback Neo4j + GDS server under ``settings.home``.

    The base of :class:`medtwin.store.server.LocalServer` (its paths, jars, configuration and
    password).

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
        check_java()
        self.root.mkdir(parents=True, exist_ok=True)
        changed = False
        mark = step_marker(progress, INSTALL_STEPS)
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
            copy_plugin_jars(gds, lib, plugins)
            slim_plugin_jars(plugins, lib)
            for name, src in (("lib", lib), ("plugins", plugins)):
                dest = self.root / name
                shutil.rmtree(dest, ignore_errors=True)
                src.rename(dest)
            shutil.rmtree(gds, ignore_errors=True)
            mark(INSTALL_STEPS[2])
            self.marker.write_text(json.dumps(self._pins()))
            self._plugins_marker.write_text(json.dumps({"layout": PLUGINS_LAYOUT, "moved": []}))
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
            done = json.loads(self._plugins_marker.read_text()).get("layout") == PLUGINS_LAYOUT
        except (OSError, ValueError, AttributeError):
            done = False
        if done:
            return 0
        moved = slim_plugin_jars(plugins, lib)
        self._plugins_marker.write_text(json.dumps({"layout": PLUGINS_LAYOUT, "moved": moved}))
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


def check_java() -> None:
    """Raise :class:`~medtwin.errors.ServerInstallError` unless Java 17 or later is on PATH."""
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
