"""Size limits on patient inputs, enforced while reading (never after).

A compressed upload can expand a thousandfold, so the upload limit on the *compressed* body is
not enough. Every patient reader opens text through :func:`open_bounded_text`, which counts the
*decompressed* bytes as they stream and stops at the limit, and reads lines with
:func:`bounded_lines`, which refuses a line longer than the line limit before holding it whole.
The h5ad reader checks ``shape x itemsize`` of the matrix with :func:`check_matrix_size` before
anndata loads it.

Every opener takes an optional :class:`FileDigest`, which hashes the file's bytes (as stored,
before decompression) as the reader reads them, so the sha256 recorded with an input is of the
bytes parsed: a checksum taken in a pass of its own recorded another file's when the file was
replaced between that pass and the read (an editor's save, a sync tool).

The limits come from settings (``MEDTWIN_MAX_INPUT_MB``, ``MEDTWIN_MAX_LINE_KB``,
``MEDTWIN_MAX_INPUT_ROWS``); entry points set them for a block with :func:`input_limits`, and
readers called outside such a block use the settings' defaults. Each refusal is an
:class:`~medtwin.errors.InputTooLarge` naming the limit and the setting that raises it.
"""

from __future__ import annotations

import codecs
import contextvars
import errno
import gzip
import hashlib
import io
import os
import re
import stat
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from medtwin.errors import InputTooLarge, SourceFormatError
from medtwin.loaders.limit_scan import crossed_limit

__all__ = [
    "FileDigest",
    "InputLimits",
    "bounded_bytes",
    "bounded_lines",
    "check_matrix_size",
    "current_limits",
    "input_limits",
    "limits_from",
    "open_bounded_text",
    "refuse_past_limits",
    "require_regular_file",
    "set_process_limits",
    "shown",
    "shown_list",
    "unreadable",
]

_MIB = 1024 * 1024
SHOWN_CHARS = 200
"""Most characters of an offending value repeated in an error message."""


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``repr`` of ``value`` for an error message, cut to ``limit`` characters of the value.

    An error must name the value that failed without echoing a 40 MB line back to the client.

    Examples
    --------
    >>> shown("fever")
    "'fever'"
    >>> shown("x" * 1000, limit=5)
    "'xxxxx' (… 995 more characters)"
    """
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r} (… {len(text) - limit} more characters)"


def shown_list(values: Sequence[object], first: int = 10) -> str:
    """The first ``first`` of ``values`` for an error message, each cut by :func:`shown`.

    A header of a million columns is one line within the line limit: an error listing all of
    them was megabytes long.

    >>> shown_list(["gene"]), shown_list([f"S{i}" for i in range(12)], first=2)
    ("'gene'", "'S0', 'S1' and 10 more")
    """
    more = f" and {len(values) - first:,} more" if len(values) > first else ""
    return ", ".join(shown(x) for x in values[:first]) + more


@dataclass(frozen=True)
class InputLimits:
    """Limits on one patient input.

    Attributes
    ----------
    max_bytes
        Decompressed bytes of one file (``MEDTWIN_MAX_INPUT_MB``).
    max_line
        Characters of one line (``MEDTWIN_MAX_LINE_KB``).
    max_rows
        Lines of one table read whole (``MEDTWIN_MAX_INPUT_ROWS``).
    """

    max_bytes: int = 128 * _MIB
    max_line: int = 1024 * 1024
    max_rows: int = 500_000

    def too_many_rows(self, path: Path | str, what: str = "rows") -> InputTooLarge:
        """The refusal for a file with more than :attr:`max_rows` ``what``."""
        return InputTooLarge(
            f"{Path(path).name}: more than {self.max_rows:,} {what}, the input limit "
            "(MEDTWIN_MAX_INPUT_ROWS)"
        )

    def too_large(self, path: Path | str, what: str) -> InputTooLarge:
        """The refusal for ``what`` exceeding :attr:`max_bytes`."""
        return InputTooLarge(
            f"{Path(path).name}: {what} exceeds the input limit of "
            f"{self.max_bytes / _MIB:g} MiB (MEDTWIN_MAX_INPUT_MB)"
        )


_DEFAULT = InputLimits()
_LIMITS: contextvars.ContextVar[InputLimits] = contextvars.ContextVar("medtwin_input_limits")


def current_limits() -> InputLimits:
    """The limits in force (set by :func:`input_limits`, else the defaults)."""
    return _LIMITS.get(_DEFAULT)


@contextmanager
def input_limits(limits: InputLimits) -> Iterator[InputLimits]:
    """Apply ``limits`` to every reader called inside the block (this thread/task only)."""
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


def limits_from(*, max_input_mb: int, max_line_kb: int, max_input_rows: int) -> InputLimits:
    """Limits from the settings' units (MiB, KiB, lines)."""
    return InputLimits(max_input_mb * _MIB, max_line_kb * 1024, max_input_rows)


def set_process_limits(limits: InputLimits) -> None:
    """Make ``limits`` the default of this context (the CLI sets them once from settings)."""
    _LIMITS.set(limits)


class FileDigest:
    r"""The sha256 of the bytes a reader read from one file, taken while it reads them.

    Give one to :func:`bounded_lines`, :func:`open_bounded_text` or :func:`bounded_bytes`
    (or :func:`~medtwin.loaders.patient_io.read_table`); once the read reached the end of the
    file, :meth:`hexdigest` is the sha256 of exactly those bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "x.txt"
    ...     _ = path.write_text("a\\n")
    ...     digest = FileDigest()
    ...     lines = list(bounded_lines(path, digest))
    ...     digest.hexdigest() == hashlib.sha256(b"a\\n").hexdigest()
    True
    """

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self._complete = False

    def update(self, data: bytes | memoryview) -> None:
        """Hash the next bytes read."""
        self._sha.update(data)

    def reached_end(self) -> None:
        """Mark the file as read to its end (its digest is then whole)."""
        self._complete = True

    def hexdigest(self) -> str:
        """The sha256 (hex) of every byte read.

        Raises
        ------
        RuntimeError
            The file was not read to its end (a bug of the caller: the digest would be of a part).
        """
        if not self._complete:
            raise RuntimeError("the file was not read to its end; its digest would be of a part")
        return self._sha.hexdigest()


class _Passing(io.RawIOBase):
    """A readable binary stream over ``self._inner`` that closes it when closed."""

    _inner: IO[bytes]

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class _Hashing(_Passing):
    """The stored bytes of a file as read, each hashed into a :class:`FileDigest` on its way."""

    def __init__(self, inner: IO[bytes], digest: FileDigest) -> None:
        self._inner = inner
        self._digest = digest

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        if not data and len(buffer):
            self._digest.reached_end()
        self._digest.update(data)
        buffer[: len(data)] = data
        return len(data)


class _OwnGzip(gzip.GzipFile):
    """A :class:`gzip.GzipFile` that closes the stream it decompresses (it leaves a given one)."""

    def __init__(self, source: IO[bytes]) -> None:
        super().__init__(fileobj=source, mode="rb")
        self._source = source

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._source.close()


class _Bounded(_Passing):
    """A binary stream that raises :class:`InputTooLarge` once more than ``limit`` bytes passed."""

    def __init__(self, inner: IO[bytes], path: Path, limits: InputLimits) -> None:
        self._inner = inner
        self._path = path
        self._limits = limits
        self._seen = 0

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # Never ask for more than one byte past the limit, so a bomb cannot inflate a big block.
        room = self._limits.max_bytes + 1 - self._seen
        want = max(1, min(len(buffer), room))
        data = self._inner.read(want)
        self._seen += len(data)
        if self._seen > self._limits.max_bytes:
            raise self._limits.too_large(self._path, "the decompressed file")
        buffer[: len(data)] = data
        return len(data)


_NOT_TEXT = (
    (
        b"PK\x03\x04",
        "is a zip archive (an Excel .xlsx workbook is one), not text: save the sheet as "
        "tab-separated text or CSV UTF-8 (Excel: File > Save As), or unzip it",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "is an Excel 97-2003 workbook (.xls), not text: save the sheet as tab-separated text "
        "or CSV UTF-8 (Excel: File > Save As)",
    ),
    (
        b"\xff\xfe",
        "is UTF-16 text (Excel's 'Unicode Text'), not UTF-8: save it as UTF-8 (Excel: CSV "
        "UTF-8; or `iconv -f UTF-16 -t UTF-8`)",
    ),
    (
        b"\xfe\xff",
        "is UTF-16 text (big-endian), not UTF-8: save it as UTF-8 (`iconv -f UTF-16 -t UTF-8`)",
    ),
)
"""Leading bytes of files that are not text, and what to do with them."""


UTF16_WITHOUT_BOM = (
    "is UTF-16 text without a byte-order mark, not UTF-8: save it as UTF-8 (Excel: CSV UTF-8; "
    "or `iconv -f UTF-16LE -t UTF-8`)"
)


def _refuse_not_text(path: Path, head: bytes) -> None:
    """Name what a file is when its first bytes say it is not text (zip, xls, UTF-16, gzip)."""
    for magic, what in _NOT_TEXT:
        if head.startswith(magic):
            raise SourceFormatError(path, None, what)
    if head.startswith(b"\x1f\x8b"):
        raise SourceFormatError(
            path,
            None,
            f"is gzip-compressed but its name does not end in .gz: rename it to "
            f"{path.name}.gz (or decompress it with gunzip)",
        )


_WHY_NOT = {
    errno.EACCES: "no permission to read it: `chmod u+r` it (or ask its owner), or copy it to a "
    "file you may read",
    errno.EPERM: "no permission to read it: `chmod u+r` it (or ask its owner), or copy it to a "
    "file you may read",
    errno.ENOTDIR: "a part of the path before the file's name is a file, not a folder; check "
    "the path",
    errno.ENAMETOOLONG: "the path, or a name in it, is longer than the file system allows; "
    "rename the file or give a shorter path",
    errno.ELOOP: "symbolic links that point at each other, in a loop; point the link at the file",
}
"""Why a file cannot be opened, by ``errno``, and the fix (the rest: the system's words)."""


def unreadable(path: Path, error: OSError) -> SourceFormatError:
    """The error naming ``path``, why it cannot be opened and the fix, from ``open``'s ``error``.

    Every reader of user input says it this way (:func:`require_regular_file`, which they call
    first), so a path nothing can read gets one line, never a traceback.

    >>> print(unreadable(Path("a.tsv/x"), NotADirectoryError(errno.ENOTDIR, "Not a directory")))
    a.tsv/x: a part of the path before the file's name is a file, not a folder; check the path
    """
    if isinstance(error, FileNotFoundError):
        if path.is_symlink():
            return SourceFormatError(
                path,
                None,
                f"is a symbolic link to {os.readlink(path)}, which does not exist; point the "
                "link at the file, or give the file itself",
            )
        return SourceFormatError(path, None, "file not found; check the path")
    why = _WHY_NOT.get(error.errno or 0)
    return SourceFormatError(path, None, why or f"cannot read: {error}")


def require_regular_file(path: Path) -> None:
    """Refuse a path that is not a regular file one may read, before anything reads it.

    Opening a pipe (``mkfifo``, bash's ``<(zcat de.tsv.gz)``) blocks until a writer comes, and a
    reader may open its file more than once (checksum, then content), so such a path would hang
    the command or be read half; a folder or a device is no input either. The file is then
    opened once without blocking (a pipe put in its place meanwhile does not hang it), so a file
    without read permission is said so here, for every reader alike (h5py's own open would call
    it "not an HDF5 file").
    """
    try:
        mode = path.stat().st_mode
    except OSError as e:
        raise unreadable(path, e) from e
    if stat.S_ISDIR(mode):
        raise SourceFormatError(path, None, "is a folder, not a file; give the file in it")
    if not stat.S_ISREG(mode):
        raise SourceFormatError(
            path, None, "is a pipe or device, not a regular file; save it to a file and give that"
        )
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except OSError as e:
        raise unreadable(path, e) from e


def _open_binary(path: Path, digest: FileDigest | None = None) -> IO[bytes]:
    """The file's bytes (``.gz`` decompressed); ``digest`` hashes them as stored, as read."""
    require_regular_file(path)
    try:
        raw = path.open("rb")
    except OSError as e:
        raise unreadable(path, e) from e
    source: IO[bytes] = raw
    if digest is not None:
        source = io.BufferedReader(_Hashing(raw, digest), buffer_size=64 * 1024)
    if path.suffix.lower() == ".gz":
        return _OwnGzip(source)  # type: ignore[return-value]
    try:
        _refuse_not_text(path, raw.peek(4)[:4])
    except BaseException:
        source.close()
        raise
    return source


def open_bounded_text(
    path: Path,
    *,
    encoding: str = "utf-8-sig",
    errors: str = "strict",
    digest: FileDigest | None = None,
) -> IO[str]:
    """Open a patient text input (``.gz`` decompressed) under the decompressed-size limit.

    Decoding and gzip errors surface while reading; :func:`bounded_lines` turns them into
    :class:`~medtwin.errors.SourceFormatError`. ``digest`` hashes the file as it is read.
    """
    limits = current_limits()
    stream = io.BufferedReader(
        _Bounded(_open_binary(path, digest), path, limits), buffer_size=64 * 1024
    )
    return io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")


_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""A byte that is no UTF-8, as ``surrogateescape`` decodes it (U+DC00 + the byte)."""

_ESCAPED_BYTE = re.compile(r"\\udc([89a-f][0-9a-f])")
"""Such a byte as ``repr`` writes it."""


def _refuse_not_utf8(path: Path, number: int, text: str) -> None:
    """Name the line, column and bytes of text that is not UTF-8 (Latin-1, Windows-1252).

    The strict decoder failed on the 8 KiB block holding the byte, so its error named the line
    the block began in (line 1 of any small file), and not the value.
    """
    if text.isascii():
        return
    bad = _NOT_UTF8.search(text)
    if bad is None:
        return
    at = bad.start()
    # repr escapes tabs and control characters; each undecodable byte is then written as \xNN
    near = _ESCAPED_BYTE.sub(r"\\x\1", repr(text[max(0, at - 30) : at + 30]))
    raise SourceFormatError(
        path,
        number,
        f"not UTF-8 text at column {at + 1}: {near} (byte 0x{ord(bad.group()) - 0xDC00:02x}); "
        "save it as UTF-8 (Excel: CSV UTF-8; a Latin-1 or Windows-1252 file: "
        "`iconv -f WINDOWS-1252 -t UTF-8 in.tsv > out.tsv`)",
    )


@contextmanager
def bounded_bytes(path: Path, digest: FileDigest | None = None) -> Iterator[IO[bytes]]:
    """The (decompressed) bytes of a patient input as a stream, refused past the size limit.

    For a reader that parses as it reads (the FHIR bundle's JSON, entry by entry): the file is
    never held whole. A leading UTF-8 byte-order mark is skipped (Windows editors write one; it
    is no JSON), and UTF-16 text without one is named as such. Errors of reading inside the
    block (a broken gzip stream, an I/O error) become :class:`~medtwin.errors.SourceFormatError`;
    ``digest`` hashes the file's bytes as they are read (whole once the stream is read to its end).
    """
    limits = current_limits()
    try:
        stream = io.BufferedReader(_Bounded(_open_binary(path, digest), path, limits), 64 * 1024)
        with stream:
            head = stream.peek(256)[:256]
            if b"\x00" in head and _looks_utf16(head.decode("latin-1")):
                raise SourceFormatError(path, None, UTF16_WITHOUT_BOM)  # JSON said "key must be…"
            if head.startswith(codecs.BOM_UTF8):
                stream.read(len(codecs.BOM_UTF8))
            yield stream
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise SourceFormatError(path, None, f"not a valid gzip file ({e})") from e
    except OSError as e:  # an I/O error while reading (the open's are said by _open_binary)
        raise SourceFormatError(path, None, f"cannot read: {e}") from e


def _looks_utf16(text: str) -> bool:
    """Whether a line read as UTF-8 is ASCII written as UTF-16 (a NUL beside every character)."""
    pairs = text.lstrip("\x00")[: 2 * 64]
    return len(pairs) >= 4 and all(c == "\x00" for c in pairs[1::2]) and "\x00" not in pairs[::2]


_PASSED: set[tuple[object, ...]] = set()
"""Files (by path and identity) found within the limits in force: not scanned again. Only the
early refusal depends on it; the read still counts what it parses."""


def refuse_past_limits(path: Path, *, rows: str | None = None) -> None:
    """Refuse a file past the size limit (with ``rows``, the row limit too) before it is parsed.

    A first pass (:func:`~medtwin.loaders.limit_scan.crossed_limit`): ``stat`` for a file that
    is not compressed, a count of the decompressed bytes for a ``.gz`` one; with ``rows``, a
    count of its rows against the row limit plus a header line. Only what the read would refuse
    anyway is refused here, sooner: the 137 MiB table of ``benchmarks/cli_probe.py`` in
    milliseconds instead of after ~15 s of parsing its first 500,000 rows.

    ``rows`` is what the reader calls its rows (``"lines"``, ``"VCF records"``), so that a file
    is refused in the same words whichever pass refuses it; ``None``: rows are not counted.

    Raises
    ------
    InputTooLarge
        Naming the file, its size (or "more than N <rows>"), the limit and the setting.
    SourceFormatError
        Not a regular file one may read (:func:`require_regular_file`).
    """
    limits = current_limits()
    require_regular_file(path)
    st = path.stat()
    key = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, limits, rows)
    if key in _PASSED:  # checked before the store was opened (CLI), read now: one pass is enough
        return
    most_rows = None if rows is None else limits.max_rows + 1
    found = crossed_limit(path, max_bytes=limits.max_bytes, max_rows=most_rows)
    if found is None:
        if len(_PASSED) >= 64:
            _PASSED.clear()
        _PASSED.add(key)
    if found == "bytes":
        if path.suffix.lower() == ".gz":
            raise limits.too_large(path, "the decompressed file")
        raise limits.too_large(path, f"the file ({path.stat().st_size / _MIB:,.1f} MiB)")
    if found == "rows" and rows is not None:
        raise limits.too_many_rows(path, rows)


def bounded_lines(
    path: Path, digest: FileDigest | None = None, *, rows: str | None = None
) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line without its end)`` of a patient text input, within the limits.

    ``digest``, when given, hashes the file's bytes as they are read (whole once the last line
    is yielded). Before the first line, :func:`refuse_past_limits` refuses a file past the size
    limit, and with ``rows`` (a reader that limits its rows: what it calls them) one past the
    row limit.

    Raises
    ------
    InputTooLarge
        The decompressed file or one line exceeds its limit.
    SourceFormatError
        Not UTF-8 (the line, column and bytes named), a broken gzip stream, or a NUL byte
        (binary data, not text).
    """
    refuse_past_limits(path, rows=rows)
    limits = current_limits()
    number = 0
    try:
        with open_bounded_text(path, errors="surrogateescape", digest=digest) as handle:
            while True:
                line = handle.readline(limits.max_line + 2)
                if not line:
                    return
                number += 1
                text = line.rstrip("\r\n")
                if len(text) > limits.max_line:
                    raise InputTooLarge(
                        f"{path.name}:{number}: line longer than the limit of "
                        f"{limits.max_line // 1024} KiB (MEDTWIN_MAX_LINE_KB)"
                    )
                if "\x00" in text:
                    if _looks_utf16(text):
                        raise SourceFormatError(path, None, UTF16_WITHOUT_BOM)
                    raise SourceFormatError(
                        path,
                        number,
                        "NUL byte in the text; the file is binary or corrupt: give the table as "
                        "text (tab- or comma-separated; .gz allowed)",
                    )
                _refuse_not_utf8(path, number, text)
                yield number, text
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise SourceFormatError(path, None, f"not a valid gzip file ({e})") from e
    except OSError as e:
        raise SourceFormatError(path, None, f"cannot read: {e}") from e


def check_matrix_size(path: Path, what: str, shape: tuple[int, ...], itemsize: int) -> None:
    """Refuse a matrix whose dense size (``prod(shape) * itemsize``) exceeds the input limit."""
    limits = current_limits()
    size = itemsize
    for n in shape:
        size *= int(n)
    if size > limits.max_bytes:
        raise limits.too_large(
            path, f"{what} ({' x '.join(str(int(n)) for n in shape)}, {size / _MIB:.0f} MiB)"
        )
