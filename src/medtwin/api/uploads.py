"""Turn an uploaded patient (multipart files and fields) into ``PatientProfile`` inputs.

Files are copied, size-checked, into a private temporary folder under a sanitised name (the
name is kept because each profile records its inputs' sha256 by file name) and read with the
same dispatch (:func:`medtwin.platform.inputs.read_inputs`) as ``medtwin patient add``. A table
keeps its name's suffix, whatever it is, so that it is read as the CLI reads the same file (the
delimiter sniffed unless the name ends in ``.csv``/``.tsv``); errors name the client's file,
and each profile records its file by the client's name (:func:`client_file_name`), as a custom
ranking records its targets file.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import HTTPException, Request, UploadFile

from medtwin.api.deps import repeated_names
from medtwin.errors import InputError, MedtwinError
from medtwin.loaders.limits import InputLimits, input_limits
from medtwin.loaders.patient_rows import GeneResolver, PatientProfile
from medtwin.platform.inputs import InputOptions, read_inputs
from medtwin.platform.safe_text import shortened

__all__ = [
    "MAX_FILE_NAME",
    "UploadedPatient",
    "checked_file_name",
    "checked_form",
    "client_file_name",
    "profiles_from_uploads",
    "saved_targets_file",
    "targets_warnings",
]

log = logging.getLogger(__name__)


async def checked_form(request: Request) -> None:
    """Refuse a form that repeats a field or names one the route does not take.

    Otherwise the last of a repeated field would silently win, and a misspelt field (``protiens``
    for ``proteins``) would be ignored: the patient added without that file (201).
    """
    form = await request.form()
    repeated = repeated_names(form)
    if repeated:
        raise HTTPException(
            422, f"form field(s) {', '.join(repeated)} given more than once; send each once"
        )
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = [p.alias for p in dependant.body_params]
    unknown = sorted(set(form) - set(known))
    if unknown:
        raise HTTPException(
            422,
            f"unknown form field(s) {', '.join(unknown)}; this route takes {', '.join(known)}",
        )


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_MAX_SAFE = 100
"""Longest name of the server's copy (the client's name is recorded whole)."""
_TABLES = frozenset({"de", "proteins", "variants", "mutations", "targets", "symptoms"})
"""Kinds read as delimited text: their readers choose the delimiter by the name's suffix."""
_SUFFIX = {
    "de": (".tsv", ".csv", ".txt", ".gz"),
    "proteins": (".tsv", ".csv", ".txt", ".gz"),
    "variants": (".tsv", ".csv", ".txt", ".gz"),
    "vcf": (".vcf", ".gz"),
    "mutations": (".tsv", ".csv", ".txt", ".gz"),
    "fhir": (".json", ".gz"),  # the CLI reads a bundle.json.gz; `.json` appended hid the .gz
    "h5ad": (".h5ad",),
    "targets": (".tsv", ".csv", ".txt", ".gz"),
    "symptoms": (".txt", ".tsv", ".csv"),
}


@dataclass
class UploadedPatient:
    """The fields of ``POST /v1/patients``."""

    patient_id: str
    files: dict[str, UploadFile] = field(default_factory=dict)
    symptoms: str | None = None
    symptoms_file: UploadFile | None = None
    padj_max: float = 0.05
    vcf_sample: str | None = None
    cell_type_key: str = "cell_type"
    condition_key: str | None = None
    case: str | None = None
    control: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    tissue: str | None = None
    tissue_key: str | None = None


MAX_FILE_NAME = 255
"""Longest client file name taken, in characters (folders not counted): most file systems' own
limit, so no real file is refused. Past it a name is refused, not cut: the input is recorded by
its name, and two long names cut alike would be recorded as one."""


def checked_file_name(kind: str, upload: UploadFile) -> None:
    """Refuse an upload whose file name is longer than :data:`MAX_FILE_NAME` characters.

    Raises
    ------
    InputError
        The name is too long (API 422); the message shows the name shortened.
    """
    name = client_file_name(upload) or ""
    if len(name) > MAX_FILE_NAME:
        raise InputError(
            f"{kind}: the file name has {len(name):,} characters ({shortened(name)}); at most "
            f"{MAX_FILE_NAME} are taken: rename the file and upload it again"
        )


def _safe_name(kind: str, upload: UploadFile) -> str:
    """The upload's name made safe for a file name.

    A table keeps its suffix as it is: appending ``.tsv`` to ``de_comma.dat`` made the reader
    split a comma-separated file on tabs, and its error name ``de_comma.dat.tsv``, a file the
    user never had (the CLI sniffs the delimiter of a ``.dat``).
    """
    name = _UNSAFE.sub("_", Path(upload.filename or "").name).strip("._")
    if len(name) > _MAX_SAFE:
        # cut before the suffixes, which say how to read the file (before: ``[:100]`` cut a
        # 120-character ``….csv`` to no suffix, and the reader sniffed it instead)
        end = "".join(Path(name).suffixes[-2:])[-20:]
        name = name[: _MAX_SAFE - len(end)] + end
    suffixes = _SUFFIX[kind]
    if not name:
        name = kind
    if kind not in _TABLES and not name.lower().endswith(suffixes):
        name += suffixes[0]
    return name


def _client_name(upload: UploadFile) -> str:
    """The client's own file name without folders, control or bidirectional characters.

    Whole (at most :data:`MAX_FILE_NAME` characters once checked): it is what the input is
    recorded by. Messages show it :func:`~medtwin.platform.safe_text.shortened`; before, it was
    cut at 100 characters, and a name of 101-255 characters was recorded cut, without a mark.
    """
    name = Path(upload.filename or "").name
    return "".join(c for c in name if c.isprintable())


def client_file_name(upload: UploadFile) -> str | None:
    """The client's file name as a result may record it (no folder, printable), or None.

    A custom ranking records its targets file by this name (``"my drugs (1).tsv sha256:…"``),
    not by the sanitised name of the server's copy (``my_drugs_1_.tsv``); a Windows path's
    folders are dropped too. None when nothing is left (the copy's name is recorded then).
    """
    name = _client_name(upload).rsplit("\\", 1)[-1]
    return name if name.strip() and name not in (".", "..") else None


def _save(upload: UploadFile, dest: Path, max_bytes: int) -> None:
    # Named as the client named the file: the saved copy may carry a suffix it never had
    # (``p.vcf`` of an upload named ``p``) or sanitised characters (``_`` for ``ü``).
    shown = shortened(_client_name(upload) or dest.name)
    written = 0
    upload.file.seek(0)
    with dest.open("wb") as out:
        while chunk := upload.file.read(1 << 20):
            written += len(chunk)
            if written > max_bytes:
                raise HTTPException(
                    413,
                    f"{shown}: file exceeds the upload limit of "
                    f"{max_bytes // (1024 * 1024)} MiB (MEDTWIN_MAX_UPLOAD_MB)",
                )
            out.write(chunk)
    if written == 0:
        raise InputError(f"{shown}: the uploaded file is empty")


@dataclass(frozen=True)
class _ClientNames:
    """Messages about the saved copies rewritten to name the client's files, never the server's.

    Loader messages (errors and warnings alike) start with the file's path or name: the
    temporary folder is taken out and a sanitised name (``my_de.tsv``) put back as the client
    wrote it (``my de.tsv``).
    """

    folder: Path
    uploads: Mapping[str, UploadFile]
    saved: Mapping[str, Path]

    def text(self, message: str) -> str:
        for kind, file in self.uploads.items():
            message = message.replace(f"{self.folder / kind}/", "")
            message = message.replace(f"{self.folder}/", "")
            own, safe = shortened(_client_name(file)), self.saved.get(kind, Path()).name
            if own and safe and own != safe and message.startswith(safe):
                message = own + message[len(safe) :]
            if own and safe and own != safe:  # a fix naming the file ("rename it to my_de.dat.gz")
                message = message.replace(f" {safe}", f" {own}")
        return message.replace(str(self.folder), "<upload>")

    def profile(self, kind: str, profile: PatientProfile) -> PatientProfile:
        """``profile`` with its warnings and its recorded file name naming the client's file."""
        update: dict[str, object] = {}
        if profile.warnings:
            update["warnings"] = tuple(self.text(m) for m in profile.warnings)
        upload, safe = self.uploads.get(kind), self.saved.get(kind, Path()).name
        own = client_file_name(upload) if upload is not None else None
        if own and own != safe and safe in profile.input_checksums:
            # the input's provenance: the file as the client knows it, not the server's copy
            checksums = profile.input_checksums
            update["input_checksums"] = {own if k == safe else k: v for k, v in checksums.items()}
        return profile.model_copy(update=update) if update else profile


def profiles_from_uploads(
    upload: UploadedPatient,
    genes: Callable[[], GeneResolver],
    *,
    max_bytes: int,
    limits: InputLimits | None = None,
) -> list[tuple[str, PatientProfile]]:
    """Read every uploaded input of one patient, as ``(kind, profile)`` pairs.

    The files are saved first; then the one dispatch of the CLI,
    :func:`medtwin.platform.inputs.read_inputs`, reads them. Each profile's ``warnings`` (its
    reader's) name the client's file as the client named it, never the temporary copy, and so
    do their ``input_checksums`` (the input's recorded file name).

    Parameters
    ----------
    upload
        The request's files and fields.
    genes
        Returns the gene resolver (called only when a file needs it).
    max_bytes
        Per-file size limit; a larger file raises HTTP 413.
    limits
        Decompressed size, line and row limits (default: the settings' defaults).

    Raises
    ------
    InputError
        No input at all, symptoms given twice, an empty file, an unknown symptom, a file that
        contributes nothing (no gene mapped), or a loader's ``SourceFormatError`` (messages name
        the uploaded file's name and line, never the temporary folder). Nothing is stored before
        every file is read.
    InputTooLarge
        A decompressed input, a line or a table exceeds its limit.
    """
    limits = limits or InputLimits()
    if upload.symptoms_file is not None and (upload.symptoms or "").strip():
        raise InputError("give symptoms as a list or as symptoms_file, not both")
    options = InputOptions(
        padj_max=upload.padj_max,
        vcf_sample=upload.vcf_sample,
        cell_type_key=upload.cell_type_key,
        condition_key=upload.condition_key,
        case=upload.case,
        control=upload.control,
        tissue=upload.tissue,
        tissue_key=upload.tissue_key,
        metadata=dict(upload.metadata),
    )
    with (
        tempfile.TemporaryDirectory(prefix="medtwin-upload-") as tmp,
        input_limits(limits),
    ):
        saved: dict[str, Path] = {}
        uploads = dict(upload.files)
        if upload.symptoms_file is not None:
            uploads["symptoms"] = upload.symptoms_file
        for kind, file in uploads.items():
            checked_file_name(kind, file)  # every name, before any file is saved
        for kind, file in uploads.items():
            # One folder per input, so two uploads with the same name cannot collide.
            folder = Path(tmp) / kind
            folder.mkdir()
            path = folder / _safe_name(kind, file)
            _save(file, path, max_bytes)
            saved[kind] = path
        # Before the symptoms file leaves ``saved``: its messages name the client's file too.
        shown = _ClientNames(Path(tmp), uploads, dict(saved))
        symptoms: str | Path | None = saved.pop("symptoms", None) or upload.symptoms
        try:
            read = read_inputs(
                upload.patient_id,
                saved,
                symptoms,
                genes,
                options,
                rename=lambda _, path: path.name,
            )
            return [(kind, shown.profile(kind, profile)) for kind, profile in read]
        except InputError as e:
            e.message = shown.text(e.message)
            e.args = (e.message,)
            raise
        except MedtwinError:
            raise
        except Exception as e:  # noqa: BLE001 - entry point: odd input is the client's 422
            # A reader tripping over a file it cannot parse is a bad upload, not a server fault;
            # its text is internal, so the client gets the kinds and the log the traceback.
            log.error("patient %s: reading the uploads failed", upload.patient_id, exc_info=e)
            raise InputError(
                f"cannot read the uploaded {', '.join(sorted(uploads))} file(s): unexpected "
                "content for the format; check each file (the server log has the details)"
            ) from e


@contextmanager
def saved_targets_file(upload: UploadFile, *, max_bytes: int) -> Iterator[Path]:
    """An uploaded drug–target TSV saved, size-checked, in a private temporary folder.

    The file keeps its (sanitised) name, which the ranking records with its sha256. Errors of the
    block name the client's file only, never the temporary folder; the folder is removed on exit.

    Raises
    ------
    InputError
        An empty file (and the block's own input errors, with the folder removed from them).
    HTTPException
        413 when the file exceeds ``max_bytes``.
    """
    checked_file_name("targets", upload)
    with tempfile.TemporaryDirectory(prefix="medtwin-targets-") as tmp:
        path = Path(tmp) / _safe_name("targets", upload)
        shown = _ClientNames(Path(tmp), {"targets": upload}, {"targets": path})
        try:
            _save(upload, path, max_bytes)
            yield path
        except InputError as e:
            e.message = shown.text(e.message)
            e.args = (e.message,)
            raise


def targets_warnings(messages: Sequence[str], path: Path, upload: UploadFile) -> tuple[str, ...]:
    """The warnings about the saved targets file ``path``, naming the client's ``upload``."""
    shown = _ClientNames(path.parent, {"targets": upload}, {"targets": path})
    return tuple(shown.text(m) for m in messages)
