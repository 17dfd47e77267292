"""Cohort expression matrix + sample sheet → a genes × samples matrix with groups, parsed.

:func:`read_cohort_matrix` reads the files (rules in :mod:`medtwin.loaders.patient_io`), checks
that matrix columns and sample-sheet rows name the same samples, resolves genes to Entrez ids and
puts the values on a log2 scale. A row whose gene is a missing-value word (``NA``, ``NaN``,
empty, ...: :mod:`medtwin.loaders.gene_names`) has no gene: it gives no change (one WARNING).
Empty / NA value cells are read as missing (NaN, counted in one WARNING): a gene with a missing
value gets no t for the patients whose comparison includes it. Rows that resolve to the gene of
another row (probes, synonyms) are kept, counted in one WARNING; each patient's statistics use
one of them (:mod:`medtwin.platform.cohort_profiles`).
The statistics that turn it into one profile per patient (Crawford–Howell t against controls or
leave-one-out, BH per patient) are in :mod:`medtwin.platform.cohort_profiles`.

``x`` must be on a log2 scale (microarray log2 intensities, DESeq2 rld/vst). With
``log_transform="auto"`` a matrix whose values are all >= 0 and reach above 50 (counts,
FPKM/TPM) is read as ``log2(x + 1)``, said in one WARNING; ``"yes"``/``"no"`` force it.
Every sample-sheet column of a sample's row is kept with the column name lower-cased (so PEAC's
``Pathotype`` becomes ``pathotype``).
"""

from __future__ import annotations

import logging
import math
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.gene_names import MissingGenes, is_missing_gene, warn_mouse_case
from medtwin.loaders.limits import shown
from medtwin.loaders.patient_io import (
    looks_linear,
    parse_float,
    refuse_other_delimiter,
    stream_table,
)
from medtwin.loaders.patient_rows import GeneResolver, resolve_gene, warn_unmapped

__all__ = ["CohortMatrix", "read_cohort_matrix"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CohortMatrix:
    """A parsed cohort.

    Attributes
    ----------
    samples, groups, sheet_rows
        Sample ids in sample-sheet order, their groups, and their sheet rows (lower-cased keys,
        the sample column left out).
    values
        Shape ``(n_genes, n_samples)``: log2 values, columns in ``samples`` order.
    entrez, symbols
        Per matrix row: Entrez id (``None`` when unresolved) and symbol given.
    unmapped
        Gene names that did not resolve.
    checksums
        File name → sha256 of both files.
    cohort
        Cohort name (default: the name of the expression file's folder).
    expression_name, samples_name, group_column
        For messages.
    """

    samples: tuple[str, ...]
    groups: tuple[str, ...]
    sheet_rows: tuple[dict[str, str], ...]
    values: npt.NDArray[np.float64]
    entrez: tuple[str | None, ...]
    symbols: tuple[str | None, ...]
    unmapped: tuple[str, ...]
    checksums: dict[str, str]
    cohort: str
    expression_name: str
    samples_name: str
    group_column: str


def read_cohort_matrix(
    expression: Path,
    samples: Path,
    genes: GeneResolver,
    *,
    group_column: str = "group",
    sample_column: str = "sample",
    cohort: str | None = None,
    log_transform: str = "auto",
) -> CohortMatrix:
    """Read a cohort's matrix and sample sheet (module docstring).

    Raises
    ------
    InputError
        ``log_transform`` not auto/yes/no, or negative values to log-transform.
    SourceFormatError
        A non-numeric value, a duplicated or empty sample (a sample-sheet row or a matrix
        column), or a sample present in only one file.
    """
    if log_transform not in ("auto", "yes", "no"):
        raise InputError(f"log_transform must be auto, yes or no, got {log_transform!r}")
    matrix = stream_table(expression)  # its header now, its rows below
    columns = matrix.header[1:]
    if not columns:  # else each sheet row was "not a column of" the matrix
        refuse_other_delimiter(expression, matrix.header_line, matrix.header)
        raise SourceFormatError(
            expression,
            matrix.header_line,
            f"the header {shown(matrix.header[0])} names no sample column; a cohort matrix is "
            "one gene column, then one column per sample (tab- or comma-separated)",
        )
    gene_column = matrix.header[0]
    if gene_column and gene_column in columns:  # it told the sheet to list it as a sample
        raise SourceFormatError(
            expression,
            matrix.header_line,
            f"column {columns.index(gene_column) + 2} repeats the gene column's name "
            f"{shown(gene_column)}; a cohort matrix is one gene column, then one column per "
            "sample: remove or rename the copy",
        )
    _refuse_repeated_columns(expression, matrix.header_line, columns)
    column_of = {name: i for i, name in enumerate(columns)}
    sheet = _read_samples(samples, sample_column, group_column, column_of)
    names, sheet_rows = sheet.names, sheet.rows
    for name in columns:
        if name not in sheet.lines:
            raise SourceFormatError(
                samples,
                None,
                f"matrix column {name!r} of {expression.name} has no row here; add it with its "
                f"{group_column!r}",
            )
    if sheet.unknown is not None:
        name, line = sheet.unknown
        raise SourceFormatError(
            samples,
            line,
            f"sample {name!r} is not a column of {expression.name}; fix the id or drop it",
        )
    groups = [row[group_column.lower()] for row in sheet_rows]
    gene_names: list[str] = []
    row_lines: list[int] = []
    # numbers as each row is read: the rows held as text cost ~15 times the file (3 GB for a
    # 120 MB matrix); 8 bytes a value here
    flat = array("d")
    for line, fields in matrix.rows:
        gene_names.append(fields[0])
        row_lines.append(line)
        flat.extend(_row_values(expression, line, columns, fields[1:]))
    if not gene_names:  # else every sample "kept no changed gene at the thresholds"
        raise SourceFormatError(
            expression,
            matrix.header_line,
            "no gene rows after the header; a cohort matrix has one row per gene",
        )
    values = np.frombuffer(flat, dtype=np.float64).reshape(len(gene_names), len(columns))
    n_missing = int(np.isnan(values).sum())
    if n_missing:
        log.warning(
            "%s: %d empty/NA value(s); a gene with a missing value has no change for the "
            "patients whose comparison it enters",
            expression.name,
            n_missing,
        )
    linear = values.size > 0 and looks_linear(float(np.nanmin(values)), float(np.nanmax(values)))
    if log_transform == "yes" or (log_transform == "auto" and linear):
        if values.size and float(np.nanmin(values)) < 0:
            raise InputError(
                f"{expression.name}: negative values cannot be log-transformed; pass "
                "log_transform='no' for a matrix already on a log scale"
            )
        log.warning(
            "%s: values up to %.3g read as log2(x + 1) (linear scale%s)",
            expression.name,
            float(np.nanmax(values)) if values.size else 0.0,
            " detected" if log_transform == "auto" else " given",
        )
        values = np.log2(values + 1.0)
    elif linear:
        log.warning(
            "%s: values up to %.3g look linear-scale; read_cohort expects log2 values",
            expression.name,
            float(np.nanmax(values)),
        )

    entrez: list[str | None] = []
    symbols: list[str | None] = []
    unmapped: list[str] = []
    missing = MissingGenes(expression.name)
    for line, name in zip(row_lines, gene_names, strict=True):
        if is_missing_gene(name):
            missing.skip(line, name)  # no gene: never resolved, never listed as unmapped
        gene_id, symbol = resolve_gene(genes, name)
        entrez.append(gene_id)
        symbols.append(symbol)
        if gene_id is None:
            unmapped.append(name)
    missing.report()
    _say_duplicates(expression.name, entrez)
    warn_mouse_case(expression.name, symbols)
    unmapped_names = warn_unmapped(expression.name, unmapped)
    # of the bytes read, not of the files now: they may have been replaced since
    checksums = {expression.name: matrix.digest.hexdigest(), samples.name: sheet.sha256}
    order = [column_of[name] for name in names]
    return CohortMatrix(
        samples=tuple(names),
        groups=tuple(groups),
        sheet_rows=tuple(sheet_rows),
        values=values[:, order],  # a copy, aligned as numpy allocates (sums depend on it)
        entrez=tuple(entrez),
        symbols=tuple(symbols),
        unmapped=unmapped_names,
        checksums=checksums,
        # the folder's name; resolved, or a file named relative to the working folder gave ''
        # (`patient add-cohort --expression expr.tsv` stored patients of cohort '')
        cohort=cohort or expression.resolve().parent.name,
        expression_name=expression.name,
        samples_name=samples.name,
        group_column=group_column,
    )


def _row_values(
    path: Path, line: int, columns: tuple[str, ...], texts: tuple[str, ...]
) -> list[float]:
    """One matrix row's numbers, as :func:`parse_float` reads each (a missing value NaN).

    A row of plain finite numbers (nearly every row) is read by ``float`` alone: what
    ``parse_float`` returns for each, ~5 times faster (a 20,000 x 1,000 matrix 14.6 → 5 s of CPU,
    ``make bench-readers ONLY=cohort_large``). Any other row (a missing value, ``1_5``, ``inf``, a
    decimal comma, a word) is read value by value by ``parse_float``, which names the first
    bad one as before.
    """
    try:
        numbers = list(map(float, texts))
    except ValueError:
        numbers = None
    # float() reads '1_5' as 15 and 'nan'/'inf' as numbers: parse_float's rules decide those
    if numbers is not None and math.isfinite(sum(numbers)) and "_" not in "".join(texts):
        return numbers
    out: list[float] = []
    for c, text in enumerate(texts):
        number = parse_float(path, line, f"value of {columns[c]}", text, allow_missing=True)
        out.append(math.nan if number is None else number)
    return out


def _say_duplicates(name: str, entrez: list[str | None]) -> None:
    """One WARNING counting the rows that name the gene of another row (probes, synonyms).

    Which row a patient's change comes from is :mod:`medtwin.platform.cohort_profiles`' rule.
    """
    rows = Counter(gene_id for gene_id in entrez if gene_id is not None)
    extra = sum(rows.values()) - len(rows)
    if extra:
        log.warning(
            "%s: %d row(s) name the gene of another row (probes, synonyms): %d gene(s) have "
            "several; each patient's change of such a gene comes from its row with the highest "
            "mean in the reference samples, chosen before the p/t/log2fc thresholds",
            name,
            extra,
            sum(1 for n in rows.values() if n > 1),
        )


def _refuse_repeated_columns(path: Path, line: int, columns: tuple[str, ...]) -> None:
    """Refuse a matrix that names a sample twice (before, the last copy was used silently).

    Columns are numbered as a spreadsheet shows them: the gene column is 1.
    """
    seen: dict[str, list[int]] = {}
    for number, name in enumerate(columns, start=2):
        seen.setdefault(name, []).append(number)
    repeated = {name: numbers for name, numbers in seen.items() if len(numbers) > 1}
    if repeated:
        # at most 10 numbers a name: a header ending in a million tabs said 7.9 MB of them
        listed = "; ".join(
            f"{shown(name)} in columns {', '.join(map(str, numbers[:10]))}"
            + (f", … ({len(numbers):,} columns)" if len(numbers) > 10 else "")
            for name, numbers in list(repeated.items())[:5]
        )
        more = f" (and {len(repeated) - 5} more)" if len(repeated) > 5 else ""
        raise SourceFormatError(
            path,
            line,
            f"{len(repeated)} sample column(s) repeated: {listed}{more}; which copy is the sample "
            "cannot be told, so remove or rename the copies (each sample one column)",
        )


class _Sheet(NamedTuple):
    """What a sample sheet gives: its samples that are matrix columns, and the rest in brief.

    Their names, rows (lower-cased keys, the sample column left out) and lines; the sha256 of
    the bytes read; the first sample that is not a matrix column, with its line (or ``None``).
    """

    names: list[str]
    rows: list[dict[str, str]]
    lines: dict[str, int]
    sha256: str
    unknown: tuple[str, int] | None


def _read_samples(
    samples: Path, sample_column: str, group_column: str, column_of: dict[str, int]
) -> _Sheet:
    """Read the sample sheet row by row, keeping the rows of the matrix's columns only.

    So the sheet holds no more rows than the matrix has columns: read whole, a sheet held any
    number of rows before they were checked against the matrix. The first sample that is not a
    column is remembered and refused after the matrix's columns are checked (as before).
    """
    table = stream_table(samples)
    sample_i = table.column("sample", (sample_column,))
    group_i = table.column("group", (group_column,))
    assert sample_i is not None
    assert group_i is not None
    names: list[str] = []
    rows: list[dict[str, str]] = []
    lines: dict[str, int] = {}
    unknown: tuple[str, int] | None = None
    for line, fields in table.rows:
        name = fields[sample_i]
        if not name:
            raise SourceFormatError(samples, line, "empty sample id")
        if name in lines:
            raise SourceFormatError(
                samples, line, f"sample {name!r} repeats line {lines[name]}; list it once"
            )
        if not fields[group_i]:
            raise SourceFormatError(samples, line, f"empty {group_column!r} for sample {name!r}")
        if name not in column_of:
            unknown = unknown or (name, line)
            continue
        lines[name] = line
        names.append(name)
        rows.append(
            {
                key.lower(): value
                for key, value in zip(table.header, fields, strict=True)
                if key and key != table.header[sample_i]
            }
        )
    return _Sheet(names, rows, lines, table.digest.hexdigest(), unknown)
