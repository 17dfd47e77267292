"""An output file the user names (``--out new/x.tsv``, ``export_ranking(…, "new/x.tsv")``).

One rule for the CLI and the Python use cases, so that both make a missing folder and both name
what is in the way: ``medtwin rank --out new/x.tsv`` made ``new/`` while
``rankings.export_ranking(store, "P1", "new/x.tsv")`` refused it. It lives below both (the CLI
imports it, the use cases and the store's backup call it) and imports nothing heavy.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

__all__ = ["output_path"]


def output_path(path: Path | str) -> Path:
    """``path`` (an output file the user named) with its folder made.

    Every command and use case writing a file the user names calls it (``rank`` before it
    ranks, the others just before writing), so that each makes missing folders (``rank --out``,
    ``screen --out`` and ``cohort activities --out`` once refused with FileNotFoundError). A
    folder that cannot be made or written is an :class:`OSError` naming ``path`` (a user error
    in the CLI): a file in the way says which one (``mkdir`` said ``FileExistsError:
    /etc/passwd: File exists`` for ``--out /etc/passwd/x.tsv``); a folder that takes no file
    (no permission, ``/proc``) is found by writing a probe file, removed at once, so that
    ``rank`` does not compute a ranking it cannot write.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as e:
        in_the_way = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if in_the_way is None:
            raise
        raise NotADirectoryError(
            errno.ENOTDIR, f"{in_the_way} is a file, not a folder", str(path)
        ) from e
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
    except OSError as e:
        reason = f"cannot write a file in {path.parent} ({e.strerror or e})"
        raise OSError(e.errno, reason, str(path)) from e
    os.close(fd)
    os.unlink(probe)
    return path
