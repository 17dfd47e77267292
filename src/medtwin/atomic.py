"""Write a file whole or not at all: a temporary file beside it, renamed into place.

A reader (another process, a rerun after a kill) sees the old file or the new one, never half of
one; on any error the temporary file is removed and the old file stays. Shared by every cache and
output the code writes (distance matrices, the regulatory network's edges, ranking tables).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["PATIENT_FILE_MODE", "UNREADABLE", "atomic_output", "read_npz", "umask_mode"]

PATIENT_FILE_MODE = 0o600
"""Permission bits of a file holding patient data (a ranking table, report, twin export, cohort
table, backup): owner only, whatever the umask, because patient data is sensitive (``chmod`` to
share one). They were 0644, readable by every local user."""


def umask_mode() -> int:
    """The bits ``open()`` would give a new file here (0666 less the umask), for other outputs.

    Read from ``/proc/self/status`` where it is (no process-wide ``os.umask`` call, which another
    thread could see half-done); else set and restored at once.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_TEXT: dict[str, Any] = {"encoding": "utf-8", "newline": ""}

UNREADABLE = (OSError, ValueError, KeyError, zipfile.BadZipFile)
"""What :func:`read_npz` raises for a file that is missing, damaged or lacks an array."""


@contextmanager
def atomic_output(
    path: Path, *, text: bool = False, fsync: bool = False, mode: int | None = None
) -> Iterator[IO[Any]]:
    """Yield a handle on a temporary file in ``path``'s folder; on success rename it to ``path``.

    ``text``: UTF-8 text with ``newline=""`` (csv), else binary. ``fsync``: flush to disk before
    the rename (an output a user keeps). ``mode``: permission bits for the file (``mkstemp``
    makes it private, 0600).

    An :class:`OSError` about the temporary file names ``path`` instead (``--out /proc/x.tsv``
    said ``/proc/.x.tsv.030rw7ft.tmp``): the user named ``path``, never the temporary file.

    A ``path`` that exists and is no regular file (``--out /dev/null``, a named pipe) is written
    in place, its mode untouched: renamed over, ``/dev/null`` became a file of the output (run
    as root, every process's /dev/null; ``/dev/full`` took the output instead of refusing it).
    """
    if path.exists() and not path.is_file() and not path.is_dir():
        try:
            with open(path, "w" if text else "wb", **(_TEXT if text else {})) as special:
                yield special
        except OSError as e:
            if e.filename:
                raise
            raise _naming(e, path) from e  # /dev/full: ENOSPC at the flush names no file
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise _naming(e, path) from e
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        opened = os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")
        with opened as handle:
            yield handle
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError) and e.filename == tmp:
            raise _naming(e, path) from e
        raise


def _naming(e: OSError, path: Path) -> OSError:
    """``e``'s errno and reason (so the same subclass: ``PermissionError``, ...) naming ``path``."""
    return OSError(e.errno, e.strerror, str(path))


def read_npz(path: Path, names: Sequence[str]) -> dict[str, npt.NDArray[np.generic]]:
    """The arrays ``names`` of a kept ``.npz`` file (written by :func:`atomic_output`), no pickles.

    Raises one of :data:`UNREADABLE` when the file cannot be read, is not an ``.npz`` archive
    or lacks one of ``names``: a kept file is then computed again, never trusted.
    """
    import numpy as np

    # our own handle: np.load(path) leaks its file when the archive is damaged
    with open(path, "rb") as fh:
        got = np.load(fh, allow_pickle=False)
        if not isinstance(got, np.lib.npyio.NpzFile):
            raise ValueError("not an .npz archive")
        with got:
            return {name: got[name] for name in names}
