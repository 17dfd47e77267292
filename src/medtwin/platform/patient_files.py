"""A patient's files (or a DE DataFrame) read the way ``medtwin patient add`` reads them.

``medtwin patient add`` and notebooks call :func:`read_patient_files` (and
:func:`medtwin.platform.patients.add_patient_files` stores what it read), so both accept the
same files with the same checks and errors: :func:`medtwin.platform.inputs.read_inputs` reads
them, genes are resolved with the reference context's gene index. The API reads its uploads with
``read_inputs`` itself: it never takes a symptom *file name* from a client (see ``symptoms``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.limits import refuse_past_limits, require_regular_file
from medtwin.loaders.patient_io import TABLE_ROWS
from medtwin.loaders.patient_rows import PatientProfile, validate_patient_id
from medtwin.loaders.patient_singlecell import check_h5ad
from medtwin.loaders.patient_symptoms import SYMPTOM_ROWS
from medtwin.loaders.patient_vcf import VCF_ROWS
from medtwin.platform.arguments import as_path, callback, id_list, names_file, params_of
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.inputs import InputOptions, read_inputs
from medtwin.platform.read_warnings import renamed
from medtwin.platform.step_times import StepProgress, lap, reporting
from medtwin.store.base import GraphStore

__all__ = [
    "DE_FRAME_NAME",
    "READ_STEP",
    "FilePath",
    "Symptoms",
    "Table",
    "read_patient_files",
    "refuse_files_past_limits",
    "symptoms_source",
]

FilePath = str | os.PathLike[str]
"""A file given by name: ``"p1.tsv"`` or ``Path("p1.tsv")``."""
Symptoms = str | os.PathLike[str] | Sequence[str]
"""Symptoms: ``"HP:0001369,HP:0002829"``, a list of terms, or a file of terms."""

READ_STEP = "reading the files"
"""The one step :func:`read_patient_files` reports (its files are tallied as they are read)."""

DE_FRAME_NAME = "de-dataframe.tsv"
"""The name a DE DataFrame's input is stored under (what ``patient show`` lists)."""


class Table(Protocol):
    """A pandas DataFrame, as far as it is used here (pandas is not imported for the check)."""

    def to_csv(self, *args: Any, **kwargs: Any) -> Any:
        """Write the table as delimited text."""
        ...


def read_patient_files(
    store: GraphStore,
    patient_id: str,
    *,
    de: FilePath | Table | None = None,
    proteins: FilePath | None = None,
    variants: FilePath | None = None,
    vcf: FilePath | None = None,
    mutations: FilePath | None = None,
    h5ad: FilePath | Sequence[FilePath] = (),
    fhir: FilePath | None = None,
    symptoms: Symptoms | None = None,
    tissues: Sequence[str] = (),
    options: InputOptions | Mapping[str, Any] | None = None,
    ctx: ReferenceContext | None = None,
    progress: StepProgress | None = None,
) -> list[tuple[str, PatientProfile]]:
    """Read one patient's files into ``(kind, profile)`` pairs; nothing is stored.

    Parameters
    ----------
    store
        The graph store (its gene index resolves gene symbols to Entrez ids).
    patient_id
        The patient.
    de, proteins, variants, vcf, mutations, fhir
        Files of each kind (``str`` or :class:`~pathlib.Path`; columns as in
        docs/patients.md). ``de`` may also be a pandas DataFrame with the DE file's columns
        (``gene``, ``log2fc``, ``padj``, ...; a named index, e.g. ``set_index("gene")``, is a
        column): it is read as that file, so its errors name
        ``de DataFrame`` and a line (line 1 being the column names).
    h5ad
        One AnnData file, or several (one per tissue, with ``tissues``).
    symptoms
        A list of HPO/MeSH ids or HPO names, one comma-separated string of them, or a file of
        them (a :class:`~pathlib.Path`, or a string naming an existing file, as the CLI reads
        ``--symptoms``).
    tissues
        The tissue of each h5ad file, in order.
    options
        Reader options (:class:`~medtwin.platform.inputs.InputOptions`: ``padj_max``,
        ``vcf_sample``, the h5ad keys, ``metadata``).
    ctx
        The reference context (the process's one by default).
    progress
        ``progress(step, done, total)``: each file as it is read (``reading p1.tsv``, files
        done of all), an h5ad file's comparison of its cell types, then :data:`READ_STEP` ends.

    Raises
    ------
    InputError
        Nothing given, a file that does not exist, a wrong type, an unknown symptom, a reader's
        error (file, line, value and fix), or a file that contributes nothing.
    """
    validate_patient_id(patient_id)
    options = params_of(options, InputOptions, "options")
    frame, de_file = (None, de) if de is None or isinstance(de, str | os.PathLike) else (de, None)
    named = {"de": de_file, "proteins": proteins, "variants": variants, "vcf": vcf}
    named |= {"mutations": mutations, "fhir": fhir}
    files: dict[str, Path | list[Path]] = {
        kind: _file(value, kind) for kind, value in named.items() if value is not None
    }
    many = [h5ad] if isinstance(h5ad, str | os.PathLike) else list(h5ad)
    if many:
        files["h5ad"] = [_file(p, "h5ad") for p in many]
    terms = symptoms_source(symptoms)
    ctx = ctx or reference_context()
    progress = callback(progress, "progress")
    with _frame_file(frame) as frame_path, reporting(progress, (READ_STEP,)):
        if frame_path is not None:
            files["de"] = frame_path
        try:
            got = read_inputs(
                patient_id,
                files,
                terms,
                lambda: ctx.gene_index(store),
                options,
                rename=lambda kind, path: "de DataFrame" if path == frame_path else str(path),
                tissues=id_list(tissues, "tissues"),
            )
            lap(READ_STEP)
            if frame_path is None:
                return got
            shown = "de DataFrame"
            return [(k, renamed(p, DE_FRAME_NAME, shown) if k == "de" else p) for k, p in got]
        except SourceFormatError as e:
            if frame_path is None or e.path != frame_path:
                raise
            raise SourceFormatError("de DataFrame", e.line, e.reason) from None


ROWS_OF = {
    "de": TABLE_ROWS,
    "proteins": TABLE_ROWS,
    "variants": TABLE_ROWS,
    "mutations": TABLE_ROWS,
    "cohort": TABLE_ROWS,
    "vcf": VCF_ROWS,
    "symptoms": SYMPTOM_ROWS,
}
"""Kinds whose readers limit their rows (MEDTWIN_MAX_INPUT_ROWS), each with what its reader calls
them in a refusal (a VCF's "VCF records"); the other kinds' readers limit only their bytes."""


def refuse_files_past_limits(files: Mapping[str, FilePath | Sequence[FilePath] | None]) -> None:
    """Refuse, before anything else is done, a file past the input limits.

    ``medtwin patient add`` and ``add-cohort`` call it before they open the store: the driver's
    import, the connection and the gene index took ~7 s before the reader refused a 137 MiB
    table (stop 60). Each file is checked by :func:`~medtwin.loaders.limits.refuse_past_limits`
    (its size, or its rows for the kinds of :data:`ROWS_OF`, refused in its reader's words); an
    ``.h5ad`` by :func:`~medtwin.loaders.patient_singlecell.check_h5ad`, its reader's check of
    its arrays' ``shape x dtype`` from the HDF5 metadata (h5py only: anndata and scanpy are
    imported by the read). A file that cannot be read is left to the command's own checks,
    which say so in their words.

    Raises
    ------
    InputTooLarge
        A file past the size or row limit, named with the limit and its setting.
    """
    for kind, given in files.items():
        many = [given] if isinstance(given, str | os.PathLike) else list(given or ())
        for value in many:
            try:
                if kind == "h5ad":
                    check_h5ad(Path(value))
                else:
                    refuse_past_limits(Path(value), rows=ROWS_OF.get(kind))
            except SourceFormatError:
                continue


def _file(value: FilePath, kind: str) -> Path:
    """The file of ``kind`` as a Path; missing, a folder or no regular file: an InputError."""
    path = as_path(value, kind)
    try:
        # the readers' own check (a pipe such as bash's <(zcat de.tsv.gz) would be opened more
        # than once), said before any file is read
        require_regular_file(path)
    except SourceFormatError as e:
        raise InputError(f"{kind} file {path}: {e.reason}") from None
    return path


def symptoms_source(value: Symptoms | None) -> str | Path | list[str] | None:
    """What :func:`~medtwin.platform.inputs.read_inputs` reads the symptoms from.

    A string naming an existing file is that file, as ``medtwin patient add --symptoms`` reads it.
    The API does not do this: a client's text must never open a file on the server.
    """
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        return _file(value, "symptoms")
    if isinstance(value, str):
        if names_file(value):
            return Path(value)
        if "/" in value and (names_file(value, or_other=True) or os.path.islink(value)):
            # a folder, a pipe or a broken link: said so, not read as a term
            return _file(value, "symptoms")
        return value
    return id_list(value, "symptoms")


@contextmanager
def _frame_file(frame: Table | None) -> Iterator[Path | None]:
    """A DE DataFrame written as the tab-separated file the DE reader reads (None: no frame)."""
    if frame is None:
        yield None
        return
    if not callable(getattr(frame, "to_csv", None)):
        raise InputError(
            f"de must be a file path (str or pathlib.Path) or a pandas DataFrame, "
            f"got {type(frame).__name__}"
        )
    frame = _named_index_as_columns(frame)
    with tempfile.TemporaryDirectory(prefix="medtwin-de-") as folder:
        path = Path(folder) / DE_FRAME_NAME
        # NA as DESeq2 writes it: the reader's rules for a missing padj apply unchanged.
        frame.to_csv(path, sep="\t", index=False, na_rep="NA")
        yield path


def _named_index_as_columns(frame: Table) -> Table:
    """``frame`` with each named index level as a column (``df.set_index("gene")`` keeps its genes).

    The frame is written without its index, so that a default ``RangeIndex`` (0, 1, 2, ...)
    is no column; a named level is data (the genes of ``set_index("gene")``, which failed with
    "no 'gene' column"). A level named as an existing column is that column again: dropped.
    """
    names = getattr(getattr(frame, "index", None), "names", None) or ()
    columns = set(getattr(frame, "columns", ()))
    named = [n for n in names if n is not None and n not in columns]
    if not named:
        return frame
    return frame.reset_index(level=named)  # type: ignore[attr-defined, no-any-return]
