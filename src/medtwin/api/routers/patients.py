"""``/v1/patients``: add (multipart upload), list, show, remove one input, delete; and a
patient's audit trail."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    Path,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)

from medtwin.api.deps import PATIENT_ID_PATTERN, PATIENT_KEY, PatientId, SettingsDep, StoreDep
from medtwin.api.deps import require_scope as scope
from medtwin.api.schemas import (
    BODY_RESPONSES,
    BUSY_RESPONSES,
    ERROR_RESPONSES,
    NOT_FOUND_RESPONSES,
    AuditEventOut,
    ErrorBody,
    location_header,
)
from medtwin.api.uploads import UploadedPatient, checked_form, profiles_from_uploads
from medtwin.loaders.limits import limits_from
from medtwin.loaders.patient_rows import GeneResolver
from medtwin.platform import patients
from medtwin.platform.context import reference_context
from medtwin.platform.models import DeleteReport, InputRemoved, PatientSummary
from medtwin.platform.read_warnings import PatientAdded

router = APIRouter(prefix="/v1/patients", tags=["patients"])

MAX_PAGE = 1000
"""Patients in one page of ``GET /v1/patients`` (also the default)."""


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PatientAdded,
    dependencies=[Depends(scope("write")), Depends(checked_form)],
    responses={
        201: {"headers": {"Location": location_header("The patient: `/v1/patients/{patient_id}`")}},
        **BUSY_RESPONSES,
        **BODY_RESPONSES,
        413: {"model": ErrorBody, "description": "Upload or decompressed input too large"},
        **ERROR_RESPONSES,
    },
    summary="Add a patient's inputs (uploaded files and symptom terms), creating it if new",
)
def add_patient(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    patient_id: Annotated[
        str,
        Form(
            pattern=PATIENT_ID_PATTERN,
            max_length=64,
            description="Patient id ([A-Za-z0-9_.-]{1,64}, not only dots).",
        ),
    ],
    de: Annotated[
        UploadFile | None,
        File(
            description="Differential-expression table (TSV/CSV): a gene column; log2fc "
            "and/or a z column (z, zscore, stat, t, wald; z stands in for a missing log2fc); "
            "padj, or else a raw p column (p, pvalue, P.Value, pval) that is adjusted by "
            "Benjamini-Hochberg over the patient's rows per cell type and time point; with "
            "neither padj nor p every row is kept. Optional cell_type, time_point."
        ),
    ] = None,
    proteins: Annotated[
        UploadFile | None, File(description="Protein table (gene, log2ratio).")
    ] = None,
    variants: Annotated[
        UploadFile | None, File(description="Variant table (gene, variant_id, consequence).")
    ] = None,
    vcf: Annotated[
        UploadFile | None, File(description="SnpEff- or VEP-annotated VCF (variant layer).")
    ] = None,
    mutations: Annotated[
        UploadFile | None,
        File(
            description="Mutation / copy-number calls of this patient (gene, category: "
            "MutKnownFunctional, MutLikelyFunctional, MutNovel, Amp8, Amp5, Del0.8), read as the "
            "variant layer."
        ),
    ] = None,
    fhir: Annotated[
        UploadFile | None, File(description="FHIR R4 Bundle (JSON): Patient, Condition, ...")
    ] = None,
    h5ad: Annotated[
        UploadFile | None, File(description="Single-cell AnnData file (multicellular twin).")
    ] = None,
    symptoms: Annotated[
        str | None,
        Form(max_length=10_000, description="Comma-separated HPO ids, MeSH ids or HPO names."),
    ] = None,
    symptoms_file: Annotated[
        UploadFile | None,
        File(description="A file of symptom terms, one per line (instead of `symptoms`)."),
    ] = None,
    vcf_sample: Annotated[
        str | None,
        Form(
            max_length=200,
            description="VCF: this patient's sample column (needed when it has several).",
        ),
    ] = None,
    padj_max: Annotated[
        float,
        Form(
            ge=0.0, le=1.0, description="DE: keep padj <= this (padj given or computed from raw p)."
        ),
    ] = 0.05,
    cell_type_key: Annotated[
        str, Form(max_length=100, description="h5ad: obs column with cell types.")
    ] = "cell_type",
    condition_key: Annotated[
        str | None, Form(max_length=100, description="h5ad: obs column with the condition.")
    ] = None,
    case: Annotated[str | None, Form(max_length=100, description="h5ad: case value.")] = None,
    control: Annotated[str | None, Form(max_length=100, description="h5ad: control value.")] = None,
    tissue: Annotated[
        str | None,
        Form(
            max_length=100,
            description="h5ad: the tissue of all its cells (multi-tissue twin; upload each "
            "tissue's file in its own request with its tissue).",
        ),
    ] = None,
    tissue_key: Annotated[
        str | None, Form(max_length=100, description="h5ad: obs column naming each cell's tissue.")
    ] = None,
    note: Annotated[
        str | None,
        Form(
            max_length=2_000,
            description="A caveat kept in the patient's metadata as `note` (as `medtwin patient "
            "add --note`): shown above its rankings, stored with each of them, kept through input "
            "removals.",
        ),
    ] = None,
    replace: Annotated[
        bool,
        Form(
            description="Remove, in the same write as these are stored, the patient's earlier "
            "inputs of the same file names (as uploaded; 'symptoms' for symptoms without a "
            "file), or of the same kind and labels as a new one (`slot`: the kind, e.g. de, "
            "vcf, h5ad, symptoms, and the tissues, time points and a table's cell types of its "
            "changes; so a DE table under another name replaces the earlier DE table of that "
            "tissue and time point); the response's `replaced` lists them. False: keep them "
            "beside the new ones."
        ),
    ] = False,
) -> PatientAdded:
    """The patient as stored, with ``warnings``: what the readers did with the files (rows
    skipped, values reinterpreted, genes not resolved), files named as uploaded."""
    request.scope[PATIENT_KEY] = patient_id
    files = {
        k: f
        for k, f in {
            "de": de,
            "proteins": proteins,
            "variants": variants,
            "vcf": vcf,
            "mutations": mutations,
            "fhir": fhir,
            "h5ad": h5ad,
        }.items()
        if f is not None
    }
    upload = UploadedPatient(
        patient_id,
        files=files,
        symptoms=symptoms,
        symptoms_file=symptoms_file,
        padj_max=padj_max,
        vcf_sample=vcf_sample,
        cell_type_key=cell_type_key,
        condition_key=condition_key,
        case=case,
        control=control,
        tissue=tissue,
        tissue_key=tissue_key,
    )

    @functools.cache
    def genes() -> GeneResolver:
        return reference_context().gene_index(store)

    limits = limits_from(
        max_input_mb=settings.max_input_mb,
        max_line_kb=settings.max_line_kb,
        max_input_rows=settings.max_input_rows,
    )
    profiles = profiles_from_uploads(
        upload, genes, max_bytes=settings.max_upload_mb * 1024**2, limits=limits
    )
    added = patients.add_patient_inputs(
        store, patient_id, profiles, replace=replace, metadata={"note": note} if note else {}
    )
    response.headers["Location"] = f"/v1/patients/{patient_id}"
    return added


@router.get(
    "",
    response_model=list[PatientSummary],
    dependencies=[Depends(scope("read"))],
    responses={
        200: {
            "headers": {
                "X-Total-Count": {
                    "description": "Patients in all (a client pages with offset until it has "
                    "that many)",
                    "schema": {"type": "integer", "minimum": 0},
                }
            }
        },
        **ERROR_RESPONSES,
    },
    summary="List patients by id, a page at a time (the total in the X-Total-Count header)",
)
def list_patients(
    store: StoreDep,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[PatientSummary]:
    # A page by id, so that the response stays bounded as patients accumulate; the total is in
    # X-Total-Count (a client pages with offset until it has that many).
    response.headers["X-Total-Count"] = str(patients.count_patients(store))
    return list(patients.list_patients(store, offset=offset, limit=limit))


@router.get(
    "/{patient_id}",
    response_model=PatientSummary,
    dependencies=[Depends(scope("read"))],
    responses=NOT_FOUND_RESPONSES,
    summary="One patient, with its inputs one by one (each with its id)",
)
def get_patient(patient_id: PatientId, store: StoreDep) -> PatientSummary:
    return patients.get_patient(store, patient_id, with_inputs=True)


@router.delete(
    "/{patient_id}/inputs/{input_id}",
    response_model=InputRemoved,
    dependencies=[Depends(scope("write"))],
    responses={
        **ERROR_RESPONSES,
        **BUSY_RESPONSES,
        404: {"model": ErrorBody, "description": "Unknown patient, or no such input of it"},
    },
    summary="Remove one input of a patient (its twins then predate its inputs)",
)
def remove_input(
    patient_id: PatientId,
    input_id: Annotated[
        str,
        Path(
            pattern=r"^[0-9A-Fa-f]+$",
            max_length=64,
            description="The input's id as `GET /v1/patients/{patient_id}` lists it (the hex "
            "part after `<patient>/`), or a prefix of at least 4 characters that starts no "
            "other input's id (422 listing the candidates when it does).",
        ),
    ],
    store: StoreDep,
) -> InputRemoved:
    """Everything the input gave goes with it, in one write (the metadata keys only it gave
    too); the patient keeps its other inputs, its own metadata (`note`) and its twins, whose
    `stale_note` then says they predate its inputs. A second call answers 404 (no such input)."""
    return patients.remove_input(store, patient_id, input_id)


@router.delete(
    "/{patient_id}",
    response_model=DeleteReport,
    dependencies=[Depends(scope("write"))],
    responses={**BUSY_RESPONSES, **NOT_FOUND_RESPONSES},
    summary="Delete a patient with its twins and rankings (the audit trail stays)",
)
def delete_patient(patient_id: PatientId, store: StoreDep) -> DeleteReport:
    return patients.delete_patient(store, patient_id)


@router.get(
    "/{patient_id}/audit",
    response_model=list[AuditEventOut],
    dependencies=[Depends(scope("write"))],
    responses=NOT_FOUND_RESPONSES,  # an id that is no patient and has no event (a typo)
    summary="Who read, changed or deleted this patient's data, newest first, a page at a time "
    "(write scope)",
)
def patient_audit(
    patient_id: PatientId,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[
        int, Query(ge=0, le=10_000_000, description="The newest this many events are skipped.")
    ] = 0,
) -> list[AuditEventOut]:
    events = patients.audit_trail(store, patient_id, limit=limit, offset=offset)
    return [AuditEventOut(**vars(e)) for e in events]
