"""Use case: add a cohort from its expression matrix and sample sheet (``patient add-cohort``).

:func:`add_cohort_files` is what ``medtwin patient add-cohort`` runs, and what a notebook calls:
the matrix and sheet read by :func:`~medtwin.platform.cohort_profiles.read_cohort` against the
store's gene index, then one patient per case sample stored by
:func:`~medtwin.platform.patients.add_cohort`. Before it, a notebook had to fetch the gene index
from the reference context and pass the profiles on itself (the CLI did both).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from medtwin.errors import InputError
from medtwin.platform import cohort_profiles
from medtwin.platform.arguments import as_path
from medtwin.platform.cohort_options import add_options
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.inputs import symptom_terms
from medtwin.platform.patient_files import FilePath, Symptoms, symptoms_source
from medtwin.platform.patients import CohortAdded, add_cohort
from medtwin.store.base import GraphStore

__all__ = ["add_cohort_files"]

log = logging.getLogger(__name__)


def add_cohort_files(
    store: GraphStore,
    expression: FilePath,
    samples: FilePath,
    *,
    group_column: str = "group",
    control_label: str | None = "healthy",
    sample_column: str = "sample",
    z_min: float = 0.0,
    p_max: float = 0.05,
    log_transform: str = "auto",
    cohort: str | None = None,
    symptoms: Symptoms | None = None,
    progress: Callable[[int, int], None] | None = None,
    command: str | None = None,
    thresholds: str | None = None,
    wait: float = 0.0,
    waiting: Callable[[str], None] | None = None,
    ctx: ReferenceContext | None = None,
    replace: bool = False,
) -> CohortAdded:
    """Add one patient per case sample of a cohort (Crawford–Howell t against the controls).

    Parameters
    ----------
    store
        The store.
    expression, samples
        Genes × samples matrix and sample sheet (``str`` or ``Path``), as ``patient add-cohort
        --expression --sample-sheet`` reads them.
    group_column, control_label, sample_column, z_min, p_max, log_transform, cohort
        As :func:`~medtwin.platform.cohort_profiles.read_cohort`; ``control_label=None``
        compares each sample with all the others.
    symptoms
        Symptoms of every patient: ``"HP:0001370,HP:0002829"``, a list of terms, or a file.
    progress
        ``progress(patients_added, patients_total)`` after each patient.
    command
        What a refusal of the cohort as incomplete tells the user to run again (the CLI's
        command line; by default the call is named).
    thresholds
        How the thresholds are named when no sample kept a gene (the CLI: its options).
    wait
        Seconds to wait for another process's add of the same cohort to finish (0: stop at
        once, ConflictError); ``waiting(status)`` is called at each look meanwhile.
    ctx
        The reference context (the process's by default).
    replace
        Replace the inputs these files (by name: matrix and sheet) gave the samples' patients
        before, other thresholds or an edited matrix, in the write that stores each new one
        (``patient add-cohort --replace``; see :func:`~medtwin.platform.patients.add_cohort`).

    Returns
    -------
    CohortAdded
        The patients added, and the samples that kept no changed gene (``no_gene_kept``).

    Raises
    ------
    InputError
        A missing file, bad thresholds, a blank cohort name, no control samples, no sample kept
        a gene.
    ConflictError
        Another process adds the same cohort, still after ``wait`` seconds: nothing was added.
    SourceFormatError
        A malformed matrix or sheet (file and line named).

    Example (needs a store with a reference, so not a doctest; the function is re-exported by
    :mod:`medtwin.platform.cohort`)::

        added = cohort.add_cohort_files(store, "expr.tsv", "samples.tsv", cohort="t7")
        [p.id for p in added.added]  # ['S1', 'S3']
    """
    expression, samples = as_path(expression, "expression"), as_path(samples, "samples")
    if cohort is not None and not cohort.strip():  # `--cohort "$NAME"` with the variable unset
        raise InputError(
            f"the cohort name {cohort!r} is blank: give a name, or none for the matrix's folder "
            f"name ({expression.resolve().parent.name!r})"
        )
    terms = symptom_terms(given) if (given := symptoms_source(symptoms)) is not None else ()
    genes = (ctx or reference_context()).gene_index(store)
    profiles = list(
        cohort_profiles.read_cohort(
            expression,
            samples,
            genes,
            group_column=group_column,
            control_label=control_label,
            sample_column=sample_column,
            z_min=z_min,
            p_max=p_max,
            log_transform=log_transform,
            cohort=cohort,
        )
    )
    # What changes the stored changes (the cohort's name is the record's already): the same
    # files added with other thresholds are another add, recorded apart and said so.
    options = add_options(
        group_column=group_column, control_label=control_label, sample_column=sample_column,
        z_min=z_min, p_max=p_max, log_transform=log_transform,
    )  # fmt: skip
    return add_cohort(
        store,
        profiles,
        symptoms=terms,
        thresholds=thresholds or f"p_max {p_max}, z_min {z_min}",
        progress=progress,
        command=command or f"cohort.add_cohort_files(store, {str(expression)!r}, ...)",
        options=options,
        wait=wait,
        waiting=waiting,
        replace=replace,
    )
