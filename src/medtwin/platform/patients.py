"""Patients: add inputs, list, show, remove one input, delete, and who touched their data.

Use cases (the public Python API, called by the CLI and the API): each takes a
:class:`~medtwin.store.base.GraphStore` (the Neo4j store, or :class:`~medtwin.store.memory.
MemoryStore` in tests and notebooks) and returns a typed result from
:mod:`medtwin.platform.models`. They log; they never print.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from medtwin.errors import InputError
from medtwin.loaders.patient_rows import PatientProfile, require_contribution
from medtwin.platform.activity_inputs import stored_activity_stats
from medtwin.platform.arguments import id_list, params_of, utf8_only
from medtwin.platform.cohort_loads import cohort_add_recorded, refuse_clashing_samples
from medtwin.platform.cohort_options import options_of_profiles
from medtwin.platform.context import ReferenceContext
from medtwin.platform.inputs import InputOptions
from medtwin.platform.patient_deletion import delete_patient, delete_patients
from medtwin.platform.patient_files import FilePath, Symptoms, Table, read_patient_files
from medtwin.platform.patient_inputs import input_slot, remove_input, unslotted_matches
from medtwin.platform.patient_models import (
    InputSummary,
    PatientStored,
    PatientSummary,
)
from medtwin.platform.patient_reads import (
    audit_trail,
    count_patients,
    get_patient,
    list_patients,
    new_or_known_id,
)
from medtwin.platform.python_audit import audited
from medtwin.platform.read_warnings import (
    CohortAdded,
    PatientAdded,
    collected_warnings,
    merged_warnings,
    patient_added,
    summary_only,
)
from medtwin.store.base import GraphStore

__all__ = [
    "CohortAdded",
    "InputOptions",
    "PatientAdded",
    "add_cohort",
    "add_patient",
    "add_patient_files",
    "add_patient_inputs",
    "audit_trail",
    "count_patients",
    "delete_patient",
    "delete_patients",
    "get_patient",
    "list_patients",
    "read_patient_files",
    "remove_input",
]

log = logging.getLogger(__name__)


@audited("write")
def add_patient(
    store: GraphStore, profile: PatientProfile, *, kind: str = "profile", replace: bool = False
) -> PatientAdded:
    """Store one patient input (creating the patient if new); re-adding an input is a no-op.

    Except for the per-cell-type statistic vectors of an h5ad input, which it refreshes. The
    result's ``warnings`` are the profile's (what its reader said about the file). ``replace``:
    the patient's earlier inputs of the same name, or of the same kind and labels, go in the
    same write (see :func:`add_patient_inputs`; the default kind ``profile`` has no slot, so a
    profile replaces by name only).

    Raises
    ------
    InputError
        The profile contributes nothing (no gene mapped, no symptom).
    ConflictError
        Another operation on the patient is running.
    """
    return add_patient_inputs(store, profile.patient_id, [(kind, profile)], replace=replace)


@audited("write")
def add_patient_files(
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
    replace: bool = False,
) -> PatientAdded:
    """Read a patient's files as ``medtwin patient add`` does and store them as its inputs.

    ``patients.add_patient_files(store, "P1", de="p1_de.tsv", symptoms=["HP:0001369"])``.
    The arguments are :func:`~medtwin.platform.patient_files.read_patient_files`'s (``de`` may
    be a pandas DataFrame with the DE file's columns; reader options in ``options``, e.g.
    ``InputOptions(padj_max=0.1)`` or ``{"padj_max": 0.1}``); each reader names the genes that
    do not resolve in one WARNING. Re-adding the same files is a no-op; re-adding a file whose
    content (or whose reading) changed keeps both inputs, unless ``replace`` (the earlier inputs
    of the same file names, or of the same kind and labels, go in the same write, see
    :func:`add_patient_inputs`; the result's ``replaced`` names them). The readers'
    WARNINGs (rows skipped, values reinterpreted, genes not resolved) are also in the result's
    ``warnings``, so a notebook sees them without setting up logging. ``options.metadata``
    (e.g. ``{"note": "…"}``) are kept with the patient, not with any of these inputs (see
    :func:`add_patient_inputs`).

    Raises
    ------
    InputError
        Nothing given, a missing file, a reader's error, a file that contributes nothing (then
        nothing is stored).
    ConflictError
        Another operation on the patient is running.
    """
    opts = params_of(options, InputOptions, "options") or InputOptions()
    got = read_patient_files(
        store, patient_id, de=de, proteins=proteins, variants=variants, vcf=vcf,
        mutations=mutations, h5ad=h5ad, fhir=fhir, symptoms=symptoms, tissues=tissues,
        options=opts, ctx=ctx,
    )  # fmt: skip
    return add_patient_inputs(store, patient_id, got, replace=replace, metadata=dict(opts.metadata))


@audited("write")
def add_cohort(
    store: GraphStore,
    profiles: Sequence[PatientProfile],
    *,
    symptoms: Sequence[str] = (),
    thresholds: str = "the thresholds",
    progress: Callable[[int, int], None] | None = None,
    command: str | None = None,
    options: Mapping[str, object] | None = None,
    wait: float = 0.0,
    waiting: Callable[[str], None] | None = None,
    replace: bool = False,
) -> CohortAdded:
    """Store one patient per cohort sample, each as a ``cohort`` input with ``symptoms``.

    ``profiles`` are :func:`medtwin.platform.cohort_profiles.read_cohort`'s. A sample that kept no
    changed gene contributes nothing without symptoms: it is skipped and named in
    ``no_gene_kept`` (with symptoms it is added with them only, and named too), where
    :func:`add_patient` would refuse it and leave the cohort half added. ``thresholds`` names the
    reader's thresholds in the error (e.g. ``--p-max 0.05 --z-min 0.0``). The cohort is recorded
    as being added until its last sample is stored (:mod:`medtwin.platform.cohort_loads`);
    ``command``, the CLI's command line, is what the commands that refuse an incomplete cohort
    tell the user to run again. ``options`` are the reading options that made ``profiles``
    (:func:`~medtwin.platform.cohort_files.add_cohort_files` gives its own; ``symptoms`` are
    added to them): the record is of these files with these options, and an earlier add of the
    same files with other options is named in a warning. Without options the add is keyed with
    the default options but for the thresholds and reference the profiles record
    (:func:`~medtwin.platform.cohort_options.options_of_profiles`), so it is the same add as a
    ``patient add-cohort`` of the same files with the same options (before, it was keyed by the
    files alone: a second record of that add).
    When another process is adding the same cohort, the add waits up to ``wait`` seconds for it
    to finish (``waiting(status)`` at each look) before it stores anything, else it stops.
    ``replace``: each sample's earlier inputs read from files of the same names (the matrix and
    sheet, edited or read with other options) or of its slot (any matrix of its cohort) go in
    the write that stores its new one (each patient's ``replaced``), a sample naming a patient
    with such inputs is no clash, and the cohort's records they came from are replaced by this
    add's (:func:`~medtwin.platform.cohort_loads.cohort_add_recorded`). Each patient's
    ``outcome`` says what the add did to it (a rerun: ``unchanged``).

    Raises
    ------
    InputError
        No sample kept a changed gene and no symptom was given: nothing would be added; a
        negative ``wait``.
    ConflictError
        Another process adds the cohort (still after ``wait``): nothing was added.
    """
    if isinstance(profiles, PatientProfile):  # a model iterates as its fields' pairs
        raise InputError("profiles must be a list of PatientProfile, got one PatientProfile")
    symptoms = id_list(symptoms, "symptoms")
    if not wait >= 0:  # NaN too
        raise InputError(f"wait must be a number of seconds >= 0, got {wait}")
    empty = tuple(p.patient_id for p in profiles if not p.changes)
    kept = [p for p in profiles if p.changes or symptoms]
    if not kept:
        raise InputError(
            f"none of the {len(profiles)} case samples kept a changed gene at {thresholds}; "
            "nothing was added",
            hint="loosen the thresholds, or check the controls (--control-label)",
        )
    added: list[PatientStored] = []
    with (
        collected_warnings() as said,
        # 'adding' until the last sample is stored; the clash check runs under the cohort's
        # lock, so an add that waited for another sees the patients that one stored
        cohort_add_recorded(
            store, kept, command,
            {
                **(options if options is not None else options_of_profiles(profiles)),
                "symptoms": ",".join(symptoms),
            },
            wait=wait, waiting=waiting, replace=replace,
            check=lambda: refuse_clashing_samples(store, kept, replace=replace),
        ),
    ):  # fmt: skip
        for i, profile in enumerate(kept, 1):
            update = {"symptoms": tuple(symptoms), "warnings": ()}  # said once, below
            got = add_patient(
                store, profile.model_copy(update=update), kind="cohort", replace=replace
            )
            added.append(summary_only(got))
            if progress is not None:
                progress(i, len(kept))
    warnings = merged_warnings(*(p.warnings for p in profiles), said)
    return CohortAdded(added=tuple(added), no_gene_kept=empty, warnings=warnings)


@audited("write")
def add_patient_inputs(
    store: GraphStore,
    patient_id: str,
    profiles: list[tuple[str, PatientProfile]],
    *,
    replace: bool = False,
    metadata: Mapping[str, str] | None = None,
) -> PatientAdded:
    """Store several ``(kind, profile)`` inputs of one patient under its lock (see add_patient).

    ``replace``: the patient's earlier inputs with the same name as one of these, or of the
    same kind and labels (slot: :func:`~medtwin.platform.patient_inputs.input_slot`), are
    removed in the same write transaction as these are stored (a kill leaves the old inputs or
    the new ones). An input's name is the base names of the files it was read from (the API's
    as uploaded; a cohort sample's: its matrix and sample sheet), or its kind when it was read
    from no file (``symptoms``); its slot its kind and the tissues, time points and (tables)
    cell types of its changes, so ``--de new_name.tsv`` replaces the earlier DE table of the
    same tissue and time point (a cohort sample's slot names its cohort; a ``demo`` or
    ``profile`` input has none: names only). An earlier input of the same content is the new
    one and stays; the patient's twin then predates its inputs, as after any add. The result's
    ``replaced`` lists the inputs removed, its ``outcome`` whether anything was stored
    (``added``, ``unchanged``: every input was stored already, ``replaced``); its ``warnings``
    are the profiles' (their readers'), then any logged while storing. Each input records what
    its ``profile.metadata`` gives; the patient's metadata is derived from the inputs it has (a
    later one wins per key), then ``metadata`` (``--note``: the patient's own, kept whatever
    inputs go, winning): :mod:`medtwin.store.input_metadata`.
    """
    with collected_warnings() as said:
        summary, created, replaced = _add_inputs(
            store, patient_id, profiles, replace=replace, metadata=metadata or {}
        )
    warned = merged_warnings(*(p.warnings for _, p in profiles), said)
    return patient_added(summary, warned, created, replaced)


def _add_inputs(
    store: GraphStore,
    patient_id: str,
    profiles: list[tuple[str, PatientProfile]],
    *,
    replace: bool = False,
    metadata: Mapping[str, str],
) -> tuple[PatientSummary, tuple[bool, ...], tuple[InputSummary, ...]]:
    pid = new_or_known_id(store, patient_id, [kind for kind, _ in profiles])
    if not profiles:
        raise InputError(f"nothing to add to patient {pid}")
    for kind, profile in profiles:
        if profile.patient_id != pid:
            raise InputError(f"{kind} input is for patient {profile.patient_id}, not {pid}")
        require_contribution(profile, ", ".join(sorted(profile.input_checksums)) or kind)
    # Every input's row is made before anything is written, and all are written in one
    # transaction: a command killed (or failing) halfway stores none of them. Before, each input
    # was its own write, and a `patient add --de --fhir --symptoms` killed after two left a
    # patient that looked complete and a twin built from 2 of its 3 inputs without a word.
    rows = [_input_row(pid, profile, kind) for kind, profile in profiles]
    edits = {str(k): str(v) for k, v in metadata.items()}
    utf8_only(pid, profiles, edits)  # a lone surrogate stored in JSON broke every later read
    names = [props["name"] for _, props, _ in rows] if replace else []
    slots = [props["slot"] for _, props, _ in rows if props["slot"]] if replace else []
    with store.patient_lock(pid, "add inputs"):
        # inputs an earlier medtwin stored record no slot: found by their changes, removed by id
        old = unslotted_matches(store, pid, slots)
        got = store.twins.add_inputs(
            pid, edits, [(i, props) for i, props, _ in rows], replace=names, slots=slots,
            ids=old,
        )  # fmt: skip
    for (input_id, _, n), new in zip(rows, got.created, strict=True):
        log.info(
            "patient %s: input %s %s (%d changes)",
            pid, input_id.rsplit("/", 1)[-1][:12], "added" if new else "already present", n,
        )  # fmt: skip
    replaced = tuple(InputSummary.model_validate(r) for r in got.replaced)
    if replaced:
        log.info(
            "patient %s: %d earlier input(s) replaced: %s",
            pid, len(replaced), ", ".join(f"{r.short_id} ({r.name})" for r in replaced),
        )  # fmt: skip
    # a cohort's samples are listed without their inputs (summary_only): no read per sample
    listed = any(kind != "cohort" for kind, _ in profiles)
    return get_patient(store, pid, with_inputs=listed), got.created, replaced


def _input_row(pid: str, profile: PatientProfile, kind: str) -> tuple[str, dict[str, Any], int]:
    """One input's id, its node's properties and its number of changes (for the log)."""
    content = json.dumps(
        {
            # A change without a tissue is dumped without the key, so inputs stored before
            # tissues existed keep their digest (re-adding one stays a no-op).
            "changes": [
                c.model_dump(mode="json", exclude=None if c.tissue else {"tissue"})
                for c in profile.changes
            ],
            "symptoms": list(profile.symptoms),
            "exposures": list(profile.exposures),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(content.encode()).hexdigest()
    name = ", ".join(sorted(profile.input_checksums)) or kind
    return (
        f"{pid}/{digest[:16]}",
        {
            "kind": kind,
            "name": name,
            "slot": input_slot(kind, profile.changes, cohort=profile.metadata.get("cohort")),
            "sha256": digest,
            "file_checksums_json": json.dumps(profile.input_checksums, sort_keys=True),
            "changes_json": content,
            "symptoms": list(profile.symptoms),
            "exposures": list(profile.exposures),
            # what it gives the patient's metadata, versioned with it (store/input_metadata.py)
            "metadata_json": json.dumps(dict(profile.metadata), sort_keys=True),
            "unmapped": list(profile.unmapped),  # the first UNMAPPED_KEPT, by name
            "unmapped_count": profile.unmapped_total,
            "n_changes": len({c.entrez for c in profile.changes}),
            # the patient's gene count is of distinct genes over its inputs (list_patients)
            "gene_ids": sorted({c.entrez for c in profile.changes}),
            "time_points": sorted({c.time_point for c in profile.changes if c.time_point}),
            **_cell_type_stats(profile),
            **stored_activity_stats(profile),
        },
        len(profile.changes),
    )


def _cell_type_stats(profile: PatientProfile) -> dict[str, str]:
    """Every measured gene's statistic per cell type (h5ad), read by the activity step only.

    Kept out of the input's digest, so re-adding a file stays a no-op.
    """
    if not profile.cell_type_stats:
        return {}
    rows = [s.model_dump(mode="json") for s in profile.cell_type_stats]
    return {"cell_type_stats_json": json.dumps(rows, sort_keys=True, separators=(",", ":"))}
