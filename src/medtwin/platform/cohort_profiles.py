r"""Cohort patients against a reference set: Crawford–Howell t, BH per patient, one profile each.

The matrix and sample sheet are parsed by :func:`medtwin.loaders.patient_cohort.read_cohort_matrix`
(files in, numbers out); the statistics are here.

Method (per gene *g*, per patient *p*, against a reference set *R* of *n* samples):

.. math::

    \mathrm{log2fc}[p, g] = x[p, g] - \bar x_R(g), \qquad
    t[p, g] = \frac{x[p, g] - \bar x_R(g)}{s_R(g) \sqrt{(n + 1) / n}}

``t`` is the Crawford–Howell single-case t (Crawford & Howell 1998, doi:10.1076/clin.12.4.482.7241):
one patient against a small control sample, t-distributed with :math:`n - 1` degrees of freedom
under the null that the patient comes from the controls' population (a plain z against ``n``
controls is anti-conservative: with 15 controls about 7 % of genes pass |z| ≥ 2 by chance).
The two-sided p-values are adjusted by Benjamini–Hochberg **per patient** (over that patient's
genes with a defined t, one row per gene: the row chosen below) into ``padj``;
:func:`medtwin.platform.twin.build_twin_spec` picks seeds
by ``padj`` and evidence ``|t|``. The reader keeps changes with a nominal ``p <= p_max`` (so
the twin can fill up its seeds when few pass the FDR), ``|t| >= z_min`` and
``|log2fc| >= min_abs_log2fc``; every tested gene's t is kept besides for the twin's activities
(``activity_stats``, :mod:`medtwin.platform.activity_inputs`).

``x`` must be on a log2 scale (microarray log2 intensities, DESeq2 rld/vst). With
``log_transform="auto"`` a matrix whose values are all >= 0 and reach above 50 (counts,
FPKM/TPM) is read as ``log2(x + 1)``, said in one WARNING; ``"yes"``/``"no"`` force it.
``s_R`` is the sample standard deviation (``ddof=1``) of the reference set:

* **controls** (``control_label`` given): ``R`` = all samples whose group is ``control_label``;
  every other sample is a patient. Example: GSE15573, 18 RA patients against 15 healthy donors.
* **leave-one-out** (``control_label=None``, for cohorts without healthy samples such as PEAC or
  tumour panels): ``R`` = all *other* samples of the cohort, so a patient's changes are what sets
  him or her apart from the rest of the cohort (its molecular individuality).

A gene whose reference SD is zero or near zero (``sd_R <= 1e-8 * max(1, |mean_R|)``) has no
defined t and gives no change for that patient; such cases are counted in one WARNING. Several
matrix rows that map to one Entrez id (probes, synonyms) are reduced to the row with the highest
mean in the patient's reference set (of the rows with a defined t; ties: the first row) — chosen
from the reference samples only, never by the patient's own value (which would select the most
extreme probe and inflate the evidence), and **before** the ``p_max``/``z_min``/
``min_abs_log2fc`` thresholds, which then keep or drop that row; such rows are counted in one
WARNING. Before stop 48 the thresholds came first: a gene whose highest-mean probe did not pass
took its change from another probe that did (at ``p_max`` 0.05 a probe 5 log2 units below the
gene's main one gave the change, at ``p_max`` 1 the main one), BH counted every probe, and the
gene's change and its entry in the vector of every tested gene could come from different probes.
Choosing the row from the reference alone, independently of the patient's statistic, is what
keeps the BH over the chosen rows valid (independent filtering, Bourgon et al. 2010,
doi:10.1073/pnas.0914005107).

Every profile carries ``metadata``: ``cohort``, ``comparison``, ``reference`` (``controls`` or
``leave_one_out``), ``n_reference``, ``statistic`` and every sample-sheet column of its row with
the column name lower-cased (so PEAC's ``Pathotype`` becomes ``pathotype``).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt

from medtwin.errors import InputError
from medtwin.loaders.patient_cohort import CohortMatrix, read_cohort_matrix
from medtwin.loaders.patient_rows import (
    ActivityStats,
    GeneChange,
    GeneResolver,
    PatientProfile,
    validate_patient_id,
)
from medtwin.loaders.patient_tables import bh_adjust as bh
from medtwin.platform.activity_inputs import capped, t_evidence
from medtwin.platform.read_warnings import collected_warnings, with_warnings

__all__ = ["bh_adjust", "cohort_profiles", "crawford_howell", "read_cohort", "reference_zscores"]

log = logging.getLogger(__name__)

FloatMatrix = npt.NDArray[np.float64]

_SD_EPS = 1e-8


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


def crawford_howell(
    patient: npt.NDArray[np.float64], reference: FloatMatrix
) -> tuple[FloatMatrix, FloatMatrix]:
    """Crawford–Howell t of one patient against ``n`` reference samples, and two-sided p.

    Parameters
    ----------
    patient
        Shape ``(n_genes,)``.
    reference
        Shape ``(n_genes, n)`` with ``n >= 2``.

    Returns
    -------
    tuple of ndarray
        ``(t, p)``; NaN where the reference SD is (near) zero.

    References
    ----------
    Crawford J.R., Howell D.C. Comparing an individual's test score against norms derived from
    small samples. Clin Neuropsychol 12, 482-486 (1998). doi:10.1076/clin.12.4.482.7241

    Examples
    --------
    Reference 1, 2, 3 (mean 2, sd 1, n = 3): patient 6 gives t = 4 / sqrt(4/3) = 3.4641 and,
    with 2 degrees of freedom, p = 0.0742.

    >>> t, p = crawford_howell(np.array([6.0]), np.array([[1.0, 2.0, 3.0]]))
    >>> round(float(t[0]), 4), round(float(p[0]), 4)
    (3.4641, 0.0742)
    """
    from scipy.stats import t as t_dist  # local: keeps `import medtwin.platform` light

    z, _ = reference_zscores(patient, reference)
    n = reference.shape[1]
    t = z / math.sqrt((n + 1) / n)
    p = 2.0 * t_dist.sf(np.abs(t), n - 1)
    return t, p


def bh_adjust(pvalues: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Benjamini–Hochberg over the non-NaN p-values (:func:`patient_tables.bh_adjust`).

    Examples
    --------
    >>> bh_adjust(np.array([0.01, 0.04, np.nan, 0.03, 0.20])).round(4).tolist()
    [0.04, 0.0533, nan, 0.0533, 0.2]
    """
    out = np.full(pvalues.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(pvalues))
    if ok.size:
        out[ok] = bh(pvalues[ok].tolist())
    return out


def read_cohort(
    expression: Path,
    samples: Path,
    genes: GeneResolver,
    *,
    group_column: str = "group",
    control_label: str | None = "healthy",
    sample_column: str = "sample",
    z_min: float = 0.0,
    min_abs_log2fc: float = 0.0,
    cohort: str | None = None,
    p_max: float = 0.05,
    log_transform: str = "auto",
) -> list[PatientProfile]:
    """One profile per patient of a cohort (method in the module docstring).

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
        Keep genes with ``|t| >= z_min`` (Crawford–Howell t).
    min_abs_log2fc
        And with ``|log2fc| >= min_abs_log2fc``.
    cohort
        Cohort name for metadata (default: the matrix's parent folder name).
    p_max
        And with a nominal two-sided ``p <= p_max`` (1 keeps every gene with a defined t).
    log_transform
        ``"auto"``, ``"yes"`` or ``"no"``: read values as ``log2(x + 1)``
        (:func:`~medtwin.loaders.patient_cohort.read_cohort_matrix`).

    Returns
    -------
    list of PatientProfile
        In sample-sheet order, changes in matrix row order. Each carries, in ``warnings``, the
        WARNINGs logged while the cohort was read (about the files, so the same on every
        profile; ``add_cohort`` says them once).

    Raises
    ------
    InputError
        Bad thresholds, no control samples, too few reference samples, an invalid patient id.
    SourceFormatError
        A non-numeric value, a duplicated sample, or a sample present in only one of the files.
    """
    if not z_min >= 0 or not min_abs_log2fc >= 0:
        raise InputError(f"z_min and min_abs_log2fc must be >= 0, got {z_min}, {min_abs_log2fc}")
    if not 0 < p_max <= 1:
        raise InputError(f"p_max must be in (0, 1], got {p_max}")
    with collected_warnings() as said:
        matrix = read_cohort_matrix(
            expression,
            samples,
            genes,
            group_column=group_column,
            sample_column=sample_column,
            cohort=cohort,
            log_transform=log_transform,
        )
        profiles = list(
            cohort_profiles(
                matrix,
                control_label=control_label,
                z_min=z_min,
                min_abs_log2fc=min_abs_log2fc,
                p_max=p_max,
            )
        )
    return [with_warnings(p, said) for p in profiles]


def _row_per_gene(
    entrez: tuple[str | None, ...],
    reference_mean: npt.NDArray[np.float64],
    tested: npt.NDArray[np.bool_],
) -> dict[str, int]:
    """Each gene's matrix row: the highest reference mean of its tested rows, ties the first.

    Chosen from the reference samples only and before any threshold (module docstring), so the
    patient's own values never pick the row.

    >>> _row_per_gene(("1", "1", None, "2"), np.array([5.0, 9.0, 7.0, 3.0]),
    ...               np.array([True, True, True, False]))
    {'1': 1}
    """
    chosen: dict[str, int] = {}
    for g in np.flatnonzero(tested):
        gene_id = entrez[g]
        if gene_id is None:
            continue
        held = chosen.get(gene_id)
        if held is None or reference_mean[held] < reference_mean[g]:
            chosen[gene_id] = int(g)
    return chosen


def cohort_profiles(
    matrix: CohortMatrix,
    *,
    control_label: str | None = "healthy",
    z_min: float = 0.0,
    min_abs_log2fc: float = 0.0,
    p_max: float = 0.05,
) -> Iterator[PatientProfile]:
    """One profile per patient sample of a parsed cohort (parameters as in :func:`read_cohort`).

    Raises
    ------
    InputError
        No control samples, too few reference samples, an invalid patient id.
    """
    started = time.perf_counter()
    names, groups, sheet_rows = matrix.samples, matrix.groups, matrix.sheet_rows
    if control_label is not None and control_label not in groups:
        raise InputError(
            f"no sample of {matrix.samples_name} has {matrix.group_column} = {control_label!r}; "
            f"groups are {sorted(set(groups))}; pass one of them as control_label, or None for "
            "leave-one-out"
        )
    ordered, entrez, symbols = matrix.values, matrix.entrez, matrix.symbols
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
                f"{matrix.samples_name}: {reference.shape[1]} reference sample(s); need at least 2"
            )
        t, pvalue = crawford_howell(ordered[:, p], reference)
        reference_mean = reference.mean(axis=1)
        diff = ordered[:, p] - reference_mean
        undefined += int(np.isnan(t).sum())
        chosen = _row_per_gene(entrez, reference_mean, ~np.isnan(t))
        rows = np.fromiter(chosen.values(), dtype=np.intp, count=len(chosen))
        padj = np.full(len(entrez), np.nan)
        padj[rows] = bh_adjust(pvalue[rows])  # one test per gene (module docstring)
        changes: list[GeneChange] = []
        for gene_id, g in chosen.items():
            tg = float(t[g])
            if pvalue[g] > p_max or abs(tg) < z_min or abs(float(diff[g])) < min_abs_log2fc:
                continue
            changes.append(
                GeneChange(
                    entrez=gene_id,
                    symbol=symbols[g],
                    log2fc=float(diff[g]),
                    zscore=tg,
                    padj=float(padj[g]),
                    layer="expression",
                )
            )
        metadata = {
            "cohort": matrix.cohort,
            "comparison": comparison,
            "reference": reference_kind,
            "n_reference": str(reference.shape[1]),
            "z_min": f"{z_min:g}",
            "p_max": f"{p_max:g}",
            "statistic": "crawford_howell_t",
            **sheet_rows[p],
        }
        n_patients += 1
        yield PatientProfile(
            patient_id=patient_id,
            changes=tuple(changes),
            metadata=metadata,
            input_checksums=dict(matrix.checksums),
            unmapped=matrix.unmapped,
            activity_stats=(
                ActivityStats(
                    statistic="crawford_howell_t",
                    stats=capped({k: t_evidence(float(t[g])) for k, g in chosen.items()}),
                ),
            ),
        )
    if undefined:
        log.warning(
            "%s: %d (patient, gene) pair(s) had a zero reference SD and no z; no change given",
            matrix.expression_name,
            undefined,
        )
    log.info(
        "%s: %d patient profile(s) from %d genes x %d samples in %.2f s",
        matrix.expression_name,
        n_patients,
        len(entrez),
        len(names),
        time.perf_counter() - started,
    )
