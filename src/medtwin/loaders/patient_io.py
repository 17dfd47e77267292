"""Delimited-text reading shared by the patient readers: sniffing, columns, numbers, line numbers.

A table is read whole into a :class:`Table` that keeps each data row's 1-based physical line
number, so every error can name ``file:line`` (small files: a sample sheet, a targets file), or
row by row (:func:`stream_table`: the DE, protein, variant and mutation tables and a cohort
matrix, whose rows become numbers or changes as they are read: held whole as text, a table of
500,000 rows cost ~25 times its bytes). Rules:

* encoding UTF-8 (a BOM is ignored); ``.gz`` files are decompressed, under the size, line and
  row limits of :mod:`medtwin.loaders.limits` (checked while reading);
* blank lines and lines starting with ``#`` are skipped (before and after the header);
* delimiter: ``.csv`` → comma, ``.tsv``/``.tab`` → tab, otherwise tab if the header holds a tab,
  else comma if it holds a comma, else tab (a one-column file);
* fields may be quoted (``"a,b"``), as R's ``write.csv`` writes them;
* R row names: when a header has one field fewer than the data rows (R ``write.table``) or its
  first field is empty (R ``write.csv``), the first column is named ``""`` and may serve as the
  gene column;
* every data row must have as many fields as the header;
* a one-column header holding ``;`` (European Excel's CSV), a tab in a ``.csv``, a comma in a
  ``.tsv``, ``|`` or space-aligned words, and numbers with decimal commas are refused with that
  diagnosis (a missing column, a non-number would say less).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.limits import FileDigest, bounded_lines, current_limits, shown, shown_list

__all__ = [
    "LINEAR_SCALE_HINT",
    "MISSING_TOKENS",
    "TABLE_ROWS",
    "Table",
    "TableHeader",
    "TableStream",
    "looks_linear",
    "parse_float",
    "read_table",
    "refuse_other_delimiter",
    "stream_table",
]

TABLE_ROWS = "lines"
"""What a table's row limit counts, as its refusals name them (``more than N lines``)."""

MISSING_TOKENS = frozenset({"", "na", "nan", "n/a", "null", "none", "."})
"""Values (lower-cased) read as "no value" where a column allows it."""

_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+(?:[eE][+-]?[0-9]+)?")

_DASHES = {"\u2212": "the Unicode minus sign", "\u2013": "an en dash", "\u2014": "an em dash"}
"""Characters that read as a minus to the eye but not to a number parser."""


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


LINEAR_SCALE_HINT = 50.0
"""Above this (no value negative) expression is on a linear scale, not log (looks_linear)."""


def looks_linear(minimum: float, maximum: float) -> bool:
    """Whether expression values from ``minimum`` to ``maximum`` look linear-scale (counts, TPM).

    The one rule of ``patient add-cohort --log-transform auto`` and of h5ad inputs: log2 or
    log1p expression stays below ~20 (log2 of a million), while counts, FPKM and TPM of any
    real sample exceed 50; scaled data has negative values.

    Examples
    --------
    >>> looks_linear(0.0, 1971.0), looks_linear(0.7, 6.5), looks_linear(-2.0, 28.4)
    (True, False, False)
    """
    return minimum >= 0 and maximum > LINEAR_SCALE_HINT


@dataclass(frozen=True)
class TableHeader:
    """The header of a delimited file, where it is, and its columns looked up by name.

    Attributes
    ----------
    path
        The file.
    header
        Column names as written (stripped).
    header_line
        1-based line number of the header.
    """

    path: Path
    header: tuple[str, ...]
    header_line: int

    def column(self, field: str, aliases: Sequence[str], *, required: bool = True) -> int | None:
        """Return the index of the one column whose name matches an alias (case-insensitive).

        Parameters
        ----------
        field
            The field's canonical name, for messages.
        aliases
            Accepted column names; the first is the canonical one.
        required
            Raise when no column matches (otherwise return ``None``).

        Returns
        -------
        int or None
            The column index.

        Raises
        ------
        SourceFormatError
            No column matches a required field, or several columns match.
        """
        wanted = {alias.lower() for alias in aliases}
        hits = [i for i, name in enumerate(self.header) if name.lower() in wanted]
        if len(hits) > 1:
            names = shown_list([self.header[i] for i in hits])
            raise SourceFormatError(
                self.path,
                self.header_line,
                f"columns {names} all mean {field!r}; keep one of them",
            )
        if not hits:
            if required:
                refuse_other_delimiter(self.path, self.header_line, self.header)
                raise SourceFormatError(
                    self.path,
                    self.header_line,
                    f"no {field!r} column; name one column {' or '.join(map(repr, aliases))} "
                    f"(header is {shown_list(self.header)})",
                )
            return None
        return hits[0]


@dataclass(frozen=True)
class Table(TableHeader):
    """A small delimited file held in memory (:class:`TableHeader` and its rows).

    Attributes
    ----------
    rows
        ``(line number, fields)`` per data row.
    sha256
        The sha256 (hex) of the file's bytes as read (as stored: a ``.gz`` file's compressed
        bytes), the checksum recorded with the input.
    """

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sha256: str


_NAMED_DELIMITERS = (
    ("\t", "tab", "name it .tsv (or .txt), or save it comma-separated"),
    (",", "comma", "name it .csv, or save it tab-separated"),
)
"""Delimiters a one-column header holds when the file's name chose the other (a .csv of tabs)."""


def refuse_other_delimiter(path: Path, line: int, header: tuple[str, ...]) -> None:
    """Name the delimiter of a file split into one column by another, when a table rule breaks.

    A ';'-separated file is European Excel's CSV; a tab-separated file named ``.csv`` (or a
    comma-separated one named ``.tsv``) is split by its name's delimiter; columns aligned by
    spaces are a copy of a terminal or a PDF. Each was told "no 'gene' column" or a field count.
    """
    if len(header) != 1:
        return
    text = header[0]
    if ";" in text:
        raise SourceFormatError(
            path,
            line,
            f"the file looks ';'-separated (European Excel; header {shown(text)}): save "
            "it as tab- or comma-separated text (Excel: Save As > Text (Tab delimited)), with "
            "decimal points",
        )
    for delimiter, name, fix in _NAMED_DELIMITERS:
        if delimiter in text:
            raise SourceFormatError(
                path,
                line,
                f"the file looks {name}-separated but was split by its name's delimiter into "
                f"one column (header {shown(text)}): {fix}",
            )
    if "|" in text:
        raise SourceFormatError(
            path,
            line,
            f"the file looks '|'-separated (header {shown(text)}), which is not read: save it "
            "as tab- or comma-separated text",
        )
    if len(text.split()) > 1:
        raise SourceFormatError(
            path,
            line,
            f"the header is one column of words separated by spaces ({shown(text)}): columns "
            "aligned by spaces (copied from a terminal or a PDF) are not read; save the table "
            "as tab- or comma-separated text",
        )


def _numbered_lines(path: Path, digest: FileDigest | None = None) -> Iterator[tuple[int, str]]:
    """Non-blank, non-comment lines with their numbers, within the row limit."""
    limits = current_limits()
    count = 0
    for number, line in bounded_lines(path, digest, rows=TABLE_ROWS):
        if line.strip() and not line.lstrip().startswith("#"):
            if count > limits.max_rows:
                raise limits.too_many_rows(path, TABLE_ROWS)
            count += 1
            yield number, line


def _delimiter(path: Path, header: str) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    last = suffixes[-1] if suffixes else ""
    if last == ".csv":
        return ","
    if last in {".tsv", ".tab"}:
        return "\t"
    if "\t" in header:
        return "\t"
    if "," in header:
        return ","
    return "\t"


def _split(path: Path, number: int, line: str, delimiter: str) -> tuple[str, ...]:
    try:
        fields = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as e:
        raise SourceFormatError(path, number, f"cannot split the line into fields ({e})") from e
    return tuple(field.strip() for field in fields)


@dataclass(frozen=True)
class TableStream(TableHeader):
    """A delimited file read row by row: :class:`Table` without holding the rows.

    Attributes
    ----------
    rows
        ``(line number, fields)`` per data row, checked as they are read (iterate once).
    digest
        The sha256 of the file's bytes as read: whole once ``rows`` is exhausted.
    """

    rows: Iterator[tuple[int, tuple[str, ...]]]
    digest: FileDigest


def _checked(
    path: Path,
    header: tuple[str, ...],
    header_line: int,
    line: str,
    row: tuple[int, tuple[str, ...]],
) -> tuple[int, tuple[str, ...]]:
    """``row`` if it has as many fields as the header; else the error naming its cause."""
    number, fields = row
    if len(fields) == len(header):
        return row
    refuse_other_delimiter(path, header_line, header)
    if line.count('"') % 2:
        # one row per line: a cell holding a line break (Excel's Alt+Enter) splits its row
        raise SourceFormatError(
            path,
            number,
            f"a quoted field opens on this line and does not close on it ({len(fields)} "
            f"fields, the header has {len(header)}): a line break inside a cell is not read; "
            "remove the line breaks from the cell, or the stray quote",
        )
    raise SourceFormatError(
        path,
        number,
        f"expected {len(header)} fields like the header (line {header_line}), "
        f"got {len(fields)}; check the delimiter and quoting of this line",
    )


def stream_table(path: Path) -> TableStream:
    """Read the header of a delimited file now and its data rows as they are iterated.

    The rules of :func:`read_table`; for a large file (a cohort matrix) whose rows are turned
    into numbers at once: a row held as text costs ~15 times its bytes.

    Raises
    ------
    SourceFormatError, InputTooLarge
        As :func:`read_table`; those of a row when the iteration reaches it.
    """
    digest = FileDigest()
    return _table_of(path, _numbered_lines(path, digest), digest)


def _table_of(path: Path, numbered: Iterator[tuple[int, str]], digest: FileDigest) -> TableStream:
    """Header now, rows as ``numbered`` yields them (the rules of the module docstring)."""
    first = next(numbered, None)
    if first is None:
        raise SourceFormatError(
            path, None, "no header line; the file is empty: give the table with its header line"
        )
    header_line, header_text = first
    delimiter = _delimiter(path, header_text)
    header = _split(path, header_line, header_text, delimiter)
    row = next(numbered, None)
    first_row = None if row is None else (row[0], _split(path, row[0], row[1], delimiter))
    if first_row is not None and len(first_row[1]) == len(header) + 1:
        header = ("", *header)  # R write.table: no name for the row-name column

    def rows() -> Iterator[tuple[int, tuple[str, ...]]]:
        if row is not None and first_row is not None:
            yield _checked(path, header, header_line, row[1], first_row)
        for number, line in numbered:
            fields = (number, _split(path, number, line, delimiter))
            yield _checked(path, header, header_line, line, fields)

    return TableStream(
        path=path, header=header, header_line=header_line, rows=rows(), digest=digest
    )


def read_table(path: Path) -> Table:
    """Read a delimited file into a :class:`Table` (rules in the module docstring).

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    Table
        Header and data rows with their line numbers.

    Raises
    ------
    SourceFormatError
        The file is missing, not UTF-8, empty, or a row has the wrong number of fields.
    InputTooLarge
        The decompressed file, a line or the number of lines exceeds its limit.
    """
    # every line first, within the row limit: a file past it is refused before any line is split
    # (split rows hold ~3 times the memory of their lines)
    digest = FileDigest()
    stream = _table_of(path, iter(list(_numbered_lines(path, digest))), digest)
    return Table(
        path=path,
        header=stream.header,
        header_line=stream.header_line,
        rows=tuple(stream.rows),
        sha256=digest.hexdigest(),
    )


def parse_float(
    path: Path, line: int, column: str, value: str, *, allow_missing: bool = False
) -> float | None:
    """Parse one numeric field, naming file, line, column and value on failure.

    Parameters
    ----------
    path, line, column
        Where the value is, for messages.
    value
        The text.
    allow_missing
        Return ``None`` for :data:`MISSING_TOKENS` instead of raising.

    Returns
    -------
    float or None
        The number (``None`` only for an allowed missing value).

    Raises
    ------
    SourceFormatError
        The value is not a finite number (or is missing where not allowed).
    """
    if value.lower() in MISSING_TOKENS:
        if allow_missing:
            return None
        raise SourceFormatError(
            path, line, f"{column} must be numeric, got {value!r}; give a number or drop the row"
        )
    if "_" in value:  # float() reads '1_5' as 15: a typo of 1.5 became a value ten times larger
        raise SourceFormatError(
            path,
            line,
            f"{column} must be a number, got {value!r}: '_' is no part of a number in a table; "
            "write it without (1000, 1.5)",
        )
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        dash = next((c for c in value if c in _DASHES), None)
        if dash is not None and _is_number(value.replace(dash, "-")):
            raise SourceFormatError(
                path,
                line,
                f"{column} must be a number, got {value!r}: {dash!r} is {_DASHES[dash]} "
                f"(U+{ord(dash):04X}, as word processors and PDFs write it), not the minus "
                f"sign of numbers; write {value.replace(dash, '-')!r}",
            )
        if _DECIMAL_COMMA.fullmatch(value):
            raise SourceFormatError(
                path,
                line,
                f"{column} must be a number, got {value!r}: the file uses decimal commas "
                "(a European locale); save it with decimal points (e.g. 0.05, not 0,05)",
            )
        raise SourceFormatError(
            path, line, f"{column} must be a finite number, got {value!r}; fix or drop the row"
        )
    return number
