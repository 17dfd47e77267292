r"""A first pass over a patient input: is it past the size or the row limit, before parsing.

The readers count bytes and rows while they parse (:mod:`medtwin.loaders.limits`), so a file
past a limit was refused only once the parse reached it: the 8.9 M-line, 137 MiB DE table of
``benchmarks/cli_probe.py`` was refused by its 500,001st row after ~15 s of parsing (the CLI's
``patient add`` on a busy machine: not within 180 s), a gzipped one likewise. This pass answers
before any row is parsed:

* a file that is not compressed: its size from ``stat`` (exactly the bytes the reader would
  count), and its rows only when asked;
* a ``.gz`` file: its bytes decompressed in 1 MiB blocks, stopping as soon as the count passes
  the limit (a gzip bomb is never inflated further than one block past it).

Rows are counted as lines whose first byte is printable ASCII other than ``#`` (and not a space):
every such line is a row to every row-limited reader (a table's non-blank, non-comment line, a
VCF record, a symptom file's line), so the count never exceeds the reader's own and a file this
pass refuses would be refused by the read too, only later. Lines it does not count (indented,
non-ASCII first byte, ``\r`` line ends) are left to the read's own count. The pass reads the
bytes once more (on these machines ~0.05 s per 100 MB of a cached plain file, ~0.4 s decompressed
from gzip); it never replaces the counts of the read, which still apply to the bytes parsed.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path
from typing import IO, Literal

__all__ = ["Crossed", "crossed_limit"]

Crossed = Literal["bytes", "rows"]
"""Which limit a file crosses."""

_BLOCK = 1 << 20
_NOT_ROW_AFTER_NEWLINE = re.compile(rb"\n(?=[^\x21\x22\x24-\x7e])")
"""A line end followed by a byte that begins no row (``#``, a space, a line end, non-ASCII);
matched rarely, so faster than matching every row's start."""


def _starts_row(byte: int) -> bool:
    return 0x21 <= byte <= 0x7E and byte != 0x23


def crossed_limit(path: Path, *, max_bytes: int, max_rows: int | None = None) -> Crossed | None:
    r"""Which limit ``path`` crosses: more than ``max_bytes`` bytes, or than ``max_rows`` rows.

    Parameters
    ----------
    path
        A regular file (the caller checked it: a pipe would block here).
    max_bytes
        Most bytes (decompressed, for a ``.gz`` file).
    max_rows
        Most rows (module docstring); ``None``: rows are not counted (a plain file is then
        never opened).

    Returns
    -------
    ``"bytes"``, ``"rows"`` or ``None``
        The first limit crossed, or ``None`` when neither is, or when the file cannot be read
        as it claims (the read proper names what is wrong with it).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "t.tsv"
    ...     _ = path.write_text("gene\n# note\n\nA\nB\n")
    ...     [crossed_limit(path, max_bytes=m, max_rows=r) for m, r in ((99, 3), (99, 2), (5, 9))]
    [None, 'rows', 'bytes']
    """
    gz = path.suffix.lower() == ".gz"
    try:
        if not gz:
            if path.stat().st_size > max_bytes:
                return "bytes"
            if max_rows is None:
                return None
        # lines first (fast), rows only when the lines could be too many (a slower pattern)
        found = _scanned(path, gz, max_bytes, max_rows, exact=False)
        if found == "rows":
            found = _scanned(path, gz, max_bytes, max_rows, exact=True)
        return found
    except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError
        return None


def _scanned(
    path: Path, gz: bool, max_bytes: int, max_rows: int | None, *, exact: bool
) -> Crossed | None:
    """One pass of :func:`_count` over the file's (decompressed) bytes."""
    with path.open("rb") as raw:
        if not gz:
            return _count(raw, max_bytes, max_rows, exact=exact)
        with gzip.GzipFile(fileobj=raw, mode="rb") as inflated:
            return _count(inflated, max_bytes, max_rows, exact=exact)  # type: ignore[arg-type]


def _count(
    stream: IO[bytes], max_bytes: int, max_rows: int | None, *, exact: bool
) -> Crossed | None:
    """Count ``stream``'s bytes and rows block by block; stop at the first limit crossed.

    Not ``exact``: lines stand in for rows (each row is a line, so fewer lines than the limit
    means fewer rows), and ``"rows"`` means only that the lines are too many.
    """
    seen = rows = 0
    line_start = True  # the next byte begins a line
    while block := stream.read(_BLOCK):
        seen += len(block)
        if seen > max_bytes:
            return "bytes"
        if max_rows is None:
            continue
        ends = block.count(b"\n")
        if exact:
            inner = ends - (block[-1] == 0x0A)  # line ends followed by a byte of this block
            rows += inner - len(_NOT_ROW_AFTER_NEWLINE.findall(block))
            rows += line_start and _starts_row(block[0])
        else:
            rows += ends + line_start
        if rows > max_rows:
            return "rows"
        line_start = block[-1] == 0x0A
    return None
