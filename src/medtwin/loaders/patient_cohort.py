"""Cohort expression matrix + sample sheet → one patient profile per patient sample.

Method (per gene *g*, per patient *p*)::

    z[p, g]      = (x[p, g] - mean_R(g)) / sd_R(g)
    log2fc[p, g] = x[p, g] - mean_R(g)

``x`` must be on a log2 scale (microarray log2 intensities, DESeq2 rld/vst), so the difference of
a value and a mean of logs is a log2 fold change against the reference's geometric mean.
``sd_R`` is the sample standard deviation (``ddof=1``) of the reference set ``R``:

* **controls** (``control_label`` given): ``R`` = all samples whose group is ``control_label``;
  every other sample is a patient. Example: GSE15573, 18 RA patients against 15 healthy donors.
* **leave-one-out** (``control_label=None``, for cohorts without healthy samples such as PEAC):
  ``R`` = all *other* samples of the cohort, so a patient's changes are what sets him or her apart
  from the rest of the disease cohort (its molecular individuality), not disease-vs-health.

A gene whose reference SD is zero or near zero (``sd_R <= 1e-8 * max(1, |mean_R|)``) has no
defined z and gives no change for that patient; such cases are counted in one WARNING. A change
is kept when ``|z| >= z_min`` and ``|log2fc| >= min_abs_log2fc``. Several matrix rows that map
to one Entrez id (probes, synonyms) are reduced per patient to the row with the largest ``|z|``.

Every profile carries ``metadata``: ``cohort``, ``comparison``, ``reference`` (``controls`` or
``leave_one_out``), ``n_reference``, ``z_min``, and every sample-sheet column of its row with the
column name lower-cased (so PEAC's ``Pathotype`` becomes ``pathotype``).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.patient_io import parse_float, read_table
from medtwin.loaders.patient_rows import (
    GeneChange,
    GeneResolver,
    PatientProfile,
    file_sha256,
    resolve_gene,
    validate_patient_id,
    warn_unmapped,
)

__all__ = ["reference_zscores", "read_cohort"]

logger = logging.getLogger(__name__)

FloatMatrix = npt.NDArray[np.float64]

_SD_EPS = 1e-8
_LINEAR_SCALE_HINT = 50.0


def reference_zscores(
    patient: npt.NDArray[np.float64], reference: FloatMatrix
) -> tuple[FloatMatrix, FloatMatrix]:
    """Return z-scores and differences of patient values against reference samples.

    Parameters
    ----------
    patient
        Shape ``(n_genes,)``: one patient's log-scale values.
    reference
        Shape ``(n_genes, n_ref)`` with ``n_ref >= 2``: the reference samples' values.

    Returns
    -------
    tuple of ndarray
        ``(z, diff)``, each ``(n_genes,)``: ``diff = patient - mean(reference)`` and
        ``z = diff / sd(reference, ddof=1)``; ``z`` is NaN where the SD is (near) zero.

    Raises
    ------
    InputError
        Fewer than two reference samples or mismatched shapes.

    Examples
    --------
    >>> z, d = reference_zscores(np.array([4.0]), np.array([[1.0, 2.0, 3.0]]))
    >>> float(z[0]), float(d[0])
    (2.0, 2.0)
    """
    if reference.ndim != 2 or reference.shape[1] < 2:
        raise InputError(f"need >= 2 reference samples for an SD, got shape {reference.shape}")
    if patient.shape != (reference.shape[0],):
        raise InputError(f"patient shape {patient.shape} does not match {reference.shape}")
    mean = reference.mean(axis=1)
    sd = reference.std(axis=1, ddof=1)
    diff = patient - mean
    defined = sd > _SD_EPS * np.maximum(1.0, np.abs(mean))
    z = np.full_like(diff, np.nan)
    np.divide(diff, sd, out=z, where=defined)
    return z, diff


def _read_samples(
    samples: Path, sample_column: str, group_column: str
) -> tuple[list[str], list[dict[str, str]], dict[str, int]]:
    table = read_table(samples)
    sample_i = table.column("sample", (sample_column,))
    group_i = table.column("group", (group_column,))
    assert sample_i is not None
    assert group_i is not None
    names: list[str] = []
    rows: list[dict[str, str]] = []
    lines: dict[str, int] = {}
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
        lines[name] = line
        names.append(name)
        rows.append(
            {
                key.lower(): value
                for key, value in zip(table.header, fields, strict=True)
                if key and key != table.header[sample_i]
            }
        )
    return names, rows, lines


def read_cohort(
    expression: Path,
    samples: Path,
    genes: GeneResolver,
    *,
    group_column: str = "group",
    control_label: str | None = "healthy",
    sample_column: str = "sample",
    z_min: float = 2.0,
    min_abs_log2fc: float = 0.0,
    cohort: str | None = None,
) -> Iterator[PatientProfile]:
    """Yield one profile per patient of a cohort (method in the module docstring).

    Parameters
    ----------
    expression
        Genes × samples matrix (TSV/CSV): first column gene symbol or Entrez id, then one
        log-scale column per sample.
    samples
        Sample sheet with ``sample_column`` and ``group_column`` (other columns go to metadata).
    genes
        Maps symbols / Entrez ids to Entrez ids.
    group_column
        Sample-sheet column holding the group (``group``, ``Pathotype``).
    control_label
        Group of the reference samples; ``None`` = leave-one-out against all other samples.
    sample_column
        Sample-sheet column holding the sample ids (= matrix column names = patient ids).
    z_min
        Keep genes with ``|z| >= z_min``.
    min_abs_log2fc
        And with ``|log2fc| >= min_abs_log2fc``.
    cohort
        Cohort name for metadata (default: the matrix's parent folder name).

    Yields
    ------
    PatientProfile
        In sample-sheet order, changes in matrix row order.

    Raises
    ------
    InputError
        Bad thresholds, no control samples, too few reference samples, an invalid patient id.
    SourceFormatError
        A non-numeric value, a duplicated sample, or a sample present in only one of the files.
    """
    started = time.perf_counter()
    if not z_min >= 0 or not min_abs_log2fc >= 0:
        raise InputError(f"z_min and min_abs_log2fc must be >= 0, got {z_min}, {min_abs_log2fc}")
    names, sheet_rows, sheet_lines = _read_samples(samples, sample_column, group_column)
    matrix = read_table(expression)
    sample_set = set(names)
    columns = matrix.header[1:]
    for name in columns:
        if name not in sample_set:
            raise SourceFormatError(
                samples,
                None,
                f"matrix column {name!r} of {expression.name} has no row here; add it with its "
                f"{group_column!r}",
            )
    column_of = {name: i for i, name in enumerate(columns)}
    for name in names:
        if name not in column_of:
            raise SourceFormatError(
                samples,
                sheet_lines[name],
                f"sample {name!r} is not a column of {expression.name}; fix the id or drop it",
            )
    groups = [row[group_column.lower()] for row in sheet_rows]
    if control_label is not None and control_label not in groups:
        raise InputError(
            f"no sample of {samples.name} has {group_column} = {control_label!r}; groups are "
            f"{sorted(set(groups))}; pass one of them as control_label, or None for leave-one-out"
        )

    gene_names: list[str] = []
    values = np.empty((len(matrix.rows), len(columns)), dtype=np.float64)
    for r, (line, fields) in enumerate(matrix.rows):
        gene_names.append(fields[0])
        for c, text in enumerate(fields[1:]):
            number = parse_float(expression, line, f"value of {columns[c]}", text)
            assert number is not None
            values[r, c] = number
    if values.size and float(np.nanmax(values)) > _LINEAR_SCALE_HINT:
        logger.warning(
            "%s: values up to %.3g look linear-scale; read_cohort expects log2 values",
            expression.name,
            float(np.nanmax(values)),
        )

    entrez: list[str | None] = []
    symbols: list[str | None] = []
    unmapped: list[str] = []
    for name in gene_names:
        gene_id, symbol = resolve_gene(genes, name)
        entrez.append(gene_id)
        symbols.append(symbol)
        if gene_id is None:
            unmapped.append(name)
    unmapped_names = warn_unmapped(expression.name, unmapped)
    checksums = {expression.name: file_sha256(expression), samples.name: file_sha256(samples)}
    cohort_name = cohort or expression.parent.name
    order = [column_of[name] for name in names]
    ordered = values[:, order]
    is_control = np.array([g == control_label for g in groups])
    undefined = 0
    n_patients = 0
    reference_kind = "controls" if control_label is not None else "leave_one_out"
    for p, name in enumerate(names):
        if is_control[p]:
            continue
        patient_id = validate_patient_id(name)
        if control_label is not None:
            reference = ordered[:, is_control]
            comparison = f"{name} vs {int(is_control.sum())} {control_label} samples"
        else:
            reference = np.delete(ordered, p, axis=1)
            comparison = f"{name} vs the other {reference.shape[1]} samples of the cohort"
        if reference.shape[1] < 2:
            raise InputError(
                f"{samples.name}: {reference.shape[1]} reference sample(s); need at least 2"
            )
        z, diff = reference_zscores(ordered[:, p], reference)
        undefined += int(np.isnan(z).sum())
        best: dict[str, tuple[float, GeneChange]] = {}
        for g, gene_id in enumerate(entrez):
            zg = float(z[g])
            if gene_id is None or math.isnan(zg):
                continue
            if abs(zg) < z_min or abs(float(diff[g])) < min_abs_log2fc:
                continue
            held = best.get(gene_id)
            if held is not None and held[0] >= abs(zg):
                continue
            change = GeneChange(
                entrez=gene_id,
                symbol=symbols[g],
                log2fc=float(diff[g]),
                zscore=zg,
                layer="expression",
            )
            best[gene_id] = (abs(zg), change)
        metadata = {
            "cohort": cohort_name,
            "comparison": comparison,
            "reference": reference_kind,
            "n_reference": str(reference.shape[1]),
            "z_min": f"{z_min:g}",
            **sheet_rows[p],
        }
        n_patients += 1
        yield PatientProfile(
            patient_id=patient_id,
            changes=tuple(change for _, change in best.values()),
            metadata=metadata,
            input_checksums=checksums,
            unmapped=unmapped_names,
        )
    if undefined:
        logger.warning(
            "%s: %d (patient, gene) pair(s) had a zero reference SD and no z; no change given",
            expression.name,
            undefined,
        )
    logger.info(
        "%s: %d patient profile(s) from %d genes x %d samples in %.2f s",
        expression.name,
        n_patients,
        len(gene_names),
        len(columns),
        time.perf_counter() - started,
    )
