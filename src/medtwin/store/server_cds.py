"""Class-data sharing for the server JVM: the local server starts ~3 s sooner from an archive.

Why: each start of Neo4j + GDS loads and verifies ~16,500 classes before Bolt answers, and
``load --bulk``, ``db backup``/``restore`` and the test suite restart the server. With a
class-data-sharing archive of those classes the JVM maps them instead (JDK 17 application CDS,
JEP 310). Measured on this 2-core machine, the test server (3 GB heap) from stopped to ready:
8.6-10.6 s without, 5.4-6.0 s with the archive.

How, without a start that waits for it:

1. a start with no archive lists the classes the server loads (``-XX:DumpLoadedClassList``);
2. once the next start answers, that list goes to ``java -Xshare:dump`` in the background
   (``nice 19``, about 35 s of one core), which writes the archive under a temporary name and
   renames it;
3. later starts map it (``-XX:SharedArchiveFile``).

Files live in ``<server root>/cds``, named by a fingerprint of the ``java`` executable and of
every jar on the class path (name, size, modification time): a new Java or jar set starts over
and older files are removed. A JVM that cannot use an archive writes a warning to
``logs/neo4j.log`` and starts without it (``-Xshare:auto``); a failed dump is not retried for the
same fingerprint (``dump.log`` says why). ``MEDTWIN_NEO4J_CDS=false`` turns all of it off.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from medtwin.store.processes import pid_alive, spawn_detached

__all__ = ["ServerCds", "usable_class_list"]

log = logging.getLogger(__name__)

Spawn = Callable[[list[str], Path], int]
"""Starts a command detached with its output to a log file; returns its pid."""


def usable_class_list(text: str) -> str:
    r"""The class names of a ``DumpLoadedClassList`` file that ``-Xshare:dump`` accepts.

    The server is stopped with SIGTERM while it writes the list, so the last line may be cut;
    lambda-form and proxy entries (``@...``) are dropped, since JDK 17 refuses the file when one
    of them is incomplete.

    >>> usable_class_list("java/lang/Object id: 0\n@lambda-proxy x\norg/a/B\norg/a/C")
    'java/lang/Object id: 0\norg/a/B\n'
    """
    lines = text.split("\n")
    if not text.endswith("\n"):
        lines = lines[:-1]  # cut by the stop
    kept = [line for line in lines if line and not line.startswith(("@", "#"))]
    return "\n".join(kept) + "\n" if kept else ""


def _spawn(cmd: list[str], out: Path) -> int:
    """Start ``cmd`` detached, as the server is (:func:`.processes.spawn_detached`)."""
    pid = spawn_detached(cmd, out)
    if pid is None:
        raise OSError(f"the shell gave no pid for {cmd[0]}")
    return pid


class ServerCds:
    """The class-data-sharing files of one server install (module docstring).

    Parameters
    ----------
    root
        The server's home (``<home>/neo4j``): jars in ``plugins/`` and ``lib/``.
    enabled
        ``False``: :meth:`command` returns the command unchanged.
    spawn
        Starts the background dump (tests pass their own).
    """

    def __init__(self, root: Path, *, enabled: bool = True, spawn: Spawn = _spawn) -> None:
        self.root = root
        self.dir = root / "cds"
        self.enabled = enabled
        self._spawn = spawn
        self._pending: tuple[list[str], str, Path, Path] | None = None

    def fingerprint(self) -> str:
        """Hash of the ``java`` executable and of every jar on the server's class path."""
        java = shutil.which("java")
        if java is None:
            raise OSError("java is not on PATH")
        real = Path(java).resolve()
        st = real.stat()
        parts = [f"{real}:{st.st_size}:{st.st_mtime_ns}"]
        for sub in ("plugins", "lib"):
            for jar in sorted((self.root / sub).glob("*.jar")):
                js = jar.stat()
                parts.append(f"{sub}/{jar.name}:{js.st_size}:{js.st_mtime_ns}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def command(self, cmd: Sequence[str]) -> list[str]:
        """The server's JVM command ``cmd`` (``java`` first) with this start's CDS flag."""
        out = list(cmd)
        if not self.enabled:
            return out
        try:
            key = self.fingerprint()
            archive = self.dir / f"server-{key}.jsa"
            if archive.is_file():
                return [out[0], f"-XX:SharedArchiveFile={archive}", "-Xshare:auto", *out[1:]]
            listed = self.dir / f"server-{key}.lst"
            if listed.is_file():
                self._pending = (out, key, listed, archive)  # dumped once the server is up
                return out
            self.dir.mkdir(parents=True, exist_ok=True)
            for old in self.dir.iterdir():  # another Java or jar set: its files are no use
                if not old.name.startswith(f"server-{key}") and old.name != "dump.log":
                    old.unlink(missing_ok=True)
            return [out[0], f"-XX:DumpLoadedClassList={listed}", *out[1:]]
        except OSError as e:  # CDS is an optimisation: never the reason a start fails
            log.warning("class-data sharing skipped for this start: %s", e)
            return out

    def dump_pending(self) -> None:
        """Start the dump :meth:`command` found due (call it once the server answers).

        Not before: beside a starting server, even at ``nice 19``, the dump made that start
        ~7 s slower (the JVM's start uses both cores); once the server is up it takes what the
        machine leaves free.
        """
        if self._pending is not None:
            pending, self._pending = self._pending, None
            try:
                self._dump(*pending)
            except (OSError, subprocess.SubprocessError, ValueError) as e:
                log.warning("class-data-sharing archive not built: %s", e)

    def _dump(self, cmd: list[str], key: str, listed: Path, archive: Path) -> None:
        """Start ``java -Xshare:dump`` of ``listed`` in the background, once per fingerprint."""
        running = self.dir / f"server-{key}.dumping"
        failed = self.dir / f"server-{key}.failed"
        if failed.exists():
            return
        if running.exists():
            try:
                if pid_alive(int(running.read_text().strip())):
                    return
            except ValueError:
                pass
            failed.touch()  # the dump ended without its archive
            return
        classes = self.dir / f"server-{key}.classes"
        text = usable_class_list(listed.read_text(encoding="utf-8", errors="replace"))
        if not text:
            failed.touch()
            return
        classes.write_text(text, encoding="utf-8")
        cp = cmd.index("-cp")
        vm_flags = [f for f in cmd[cp + 2 :] if f.startswith(("-XX:", "--add-"))]
        tmp = archive.with_name(archive.name + ".tmp")
        dump = [
            cmd[0],
            "-Xshare:dump",
            f"-XX:SharedClassListFile={classes}",
            f"-XX:SharedArchiveFile={tmp}",
            "-cp",
            cmd[cp + 1],
            *vm_flags,
        ]
        script = (
            'if "$@"; then mv -f "$TMP" "$ARCHIVE"; else rm -f "$TMP"; touch "$FAILED"; fi; '
            'rm -f "$RUNNING"'
        )
        env_cmd = [
            "env",
            f"TMP={tmp}",
            f"ARCHIVE={archive}",
            f"RUNNING={running}",
            f"FAILED={failed}",
            *["nice", "-n", "19", "sh", "-c", script, "sh", *dump],
        ]
        pid = self._spawn(env_cmd, self.dir / "dump.log")
        running.write_text(f"{pid}\n")
        log.info("building the server's class-data-sharing archive in the background (pid %d)", pid)
