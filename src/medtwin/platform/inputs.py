"""The one table of patient input kinds: which reader reads which file, with which options.

``medtwin patient add`` and ``POST /v1/patients`` both turn their files into ``(kind, profile)``
pairs with :func:`read_inputs` (the API first saves each upload to a private temporary file), then
store them with :func:`medtwin.platform.patients.add_patient_inputs`. So the CLI and the API accept
the same kinds with the same options (``vcf_sample``, ``padj_max``, the h5ad keys) and read
symptoms the same way (a comma-separated list, or a file of terms).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from medtwin.errors import InputError
from medtwin.loaders.patient_rows import (
    GeneChange,
    GeneResolver,
    PatientProfile,
    require_contribution,
)
from medtwin.platform.activity_inputs import activity_vectors
from medtwin.platform.input_slots import INPUT_KINDS
from medtwin.platform.read_warnings import collected_warnings, with_warnings
from medtwin.platform.step_times import tally

__all__ = ["INPUT_KINDS", "InputOptions", "read_input", "read_inputs", "symptom_terms"]


@dataclass(frozen=True)
class InputOptions:
    """Reader options shared by every entry point.

    Attributes
    ----------
    padj_max
        DE tables: keep rows with padj at most this (given, or Benjamini–Hochberg of raw p).
    vcf_sample
        VCF: the patient's sample column (default: the only one).
    cell_type_key, condition_key, case, control
        h5ad: obs columns and values (no ``condition_key``: cell-type marker mode).
    tissue, tissue_key
        h5ad: the tissue the whole file comes from, or the obs column naming each cell's tissue
        (multi-tissue twins; neither: one unnamed tissue, as before).
    metadata
        Key/values given explicitly for the patient (``patient add --note``): kept with the
        patient, not with any input, so they stay when inputs are removed or replaced and win
        over what inputs give (:mod:`medtwin.store.input_metadata`); whatever the files' kinds
        (before, only a table or VCF kept them: ``--h5ad … --note`` lost the note).
    """

    padj_max: float = 0.05
    vcf_sample: str | None = None
    cell_type_key: str = "cell_type"
    condition_key: str | None = None
    case: str | None = None
    control: str | None = None
    tissue: str | None = None
    tissue_key: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)


def read_input(
    kind: str, path: Path, patient_id: str, genes: GeneResolver, options: InputOptions
) -> PatientProfile:
    """Read one input file of ``kind`` (one of :data:`INPUT_KINDS`).

    Raises
    ------
    InputError
        Unknown kind, or the reader's error (file, line, value and fix).
    """
    from medtwin.loaders import patient_tables

    # options.metadata are the patient's, not a file's (InputOptions): no reader is given them
    if kind == "de":
        every: list[GeneChange] = []
        profile = patient_tables.read_de_table(
            path, patient_id, genes, padj_max=options.padj_max, every=every
        )
        return profile.model_copy(update={"activity_stats": activity_vectors(every, "de evidence")})
    if kind == "proteins":
        return patient_tables.read_proteins(path, patient_id, genes)
    if kind == "variants":
        return patient_tables.read_variants(path, patient_id, genes)
    if kind == "vcf":
        from medtwin.loaders import patient_vcf

        return patient_vcf.read_vcf(path, patient_id, genes, sample=options.vcf_sample)
    if kind == "mutations":
        from medtwin.loaders import patient_mutations

        return patient_mutations.read_mutations(path, patient_id, genes)
    if kind == "fhir":
        from medtwin.loaders import patient_fhir

        return patient_fhir.read_fhir_bundle(path, genes, patient_id=patient_id)
    if kind == "h5ad":
        from medtwin.platform import singlecell  # scanpy: only h5ad inputs load it

        return singlecell.read_h5ad(
            path,
            genes,
            patient_id=patient_id,
            cell_type_key=options.cell_type_key,
            condition_key=options.condition_key,
            case=options.case,
            control=options.control,
            tissue=options.tissue,
            tissue_key=options.tissue_key,
        )
    raise InputError(f"unknown input kind {kind!r}; valid: {', '.join(INPUT_KINDS)}")


def symptom_terms(symptoms: str | Path | Sequence[str]) -> tuple[str, ...]:
    """Symptom ids from HPO/MeSH ids or HPO names (comma-separated, or a list), or a file."""
    from medtwin.loaders import patient_symptoms

    if isinstance(symptoms, Path):
        return patient_symptoms.read_symptoms(symptoms)
    given = symptoms.split(",") if isinstance(symptoms, str) else symptoms
    terms = [t.strip() for t in given if t.strip()]
    return patient_symptoms.normalise_symptoms(terms)


def read_inputs(
    patient_id: str,
    files: Mapping[str, Path | Sequence[Path]],
    symptoms: str | Path | Sequence[str] | None,
    genes: Callable[[], GeneResolver],
    options: InputOptions | None = None,
    *,
    rename: Callable[[str, Path], str] | None = None,
    tissues: Sequence[str] = (),
) -> list[tuple[str, PatientProfile]]:
    """Read every input of one patient into ``(kind, profile)`` pairs, nothing stored yet.

    Parameters
    ----------
    patient_id
        The patient.
    files
        Kind (:data:`INPUT_KINDS`) → file, or files (several h5ad, one per tissue).
    symptoms
        A comma-separated list of terms, a list of terms, a :class:`~pathlib.Path` of a file of
        terms, or ``None``.
    genes
        Returns the gene resolver; called only when a file needs it.
    options
        Reader options (defaults: :class:`InputOptions`).
    rename
        ``(kind, path) -> name`` used for a file in error messages (the API names the client's
        file, not its temporary copy); default the path.
    tissues
        The tissue of each h5ad file, in order (multi-tissue twins); empty: ``options.tissue``.

    Returns
    -------
    list of (str, PatientProfile)
        In :data:`INPUT_KINDS` order, symptoms last. Each profile's ``warnings`` are the
        WARNINGs logged while its file was read (:mod:`medtwin.platform.read_warnings`), as
        logged: the file named by its base name.

    Raises
    ------
    InputError
        Nothing given, an unknown kind, an unknown symptom, a reader's error, or a file that
        contributes nothing (no gene mapped).
    """
    options = options or InputOptions()
    unknown = sorted(set(files) - set(INPUT_KINDS))
    if unknown:
        raise InputError(
            f"unknown input kind(s) {', '.join(unknown)}; valid: {', '.join(INPUT_KINDS)}"
        )
    terms = symptom_terms(symptoms) if symptoms is not None else ()
    if not files and not terms:
        raise InputError(
            f"nothing to add: give at least one of the files {', '.join(INPUT_KINDS)}, or "
            "symptoms (comma-separated HPO/MeSH ids or HPO names, or a file of them)"
        )
    given = {k: [v] if isinstance(v, Path) else list(v) for k, v in files.items()}
    h5ad = given.get("h5ad", [])
    if tissues and len(tissues) != len(h5ad):
        raise InputError(
            f"{len(tissues)} tissue(s) for {len(h5ad)} h5ad file(s): give one tissue per h5ad, "
            "in the same order (--h5ad blood.h5ad --tissue blood --h5ad joint.h5ad "
            "--tissue synovium), or none"
        )
    out: list[tuple[str, PatientProfile]] = []
    n_files, done = sum(len(paths) for paths in given.values()), 0
    for kind in INPUT_KINDS:
        for i, path in enumerate(given.get(kind, [])):
            opts = replace(options, tissue=tissues[i]) if kind == "h5ad" and tissues else options
            shown = Path(rename(kind, path)).name if rename else path.name
            tally(f"reading {shown}", done, n_files)  # files done of all; h5ad: a minute
            done += 1
            resolver = genes()  # outside the block: the gene index's notes are not the file's
            with collected_warnings() as said:
                profile = read_input(kind, path, patient_id, resolver, opts)
            require_contribution(profile, rename(kind, path) if rename else str(path))
            out.append((kind, with_warnings(profile, said)))
    if terms:
        out.append(("symptoms", PatientProfile(patient_id=patient_id, symptoms=terms)))
    return out
