"""FHIR R4 Bundle (JSON) → one patient profile.

Parsed and validated with ``fhir.resources`` (its ``R4B`` module: fhir.resources 8 defaults to R5,
and R4B reads R4 Patient/Condition/Observation/MedicationStatement resources unchanged). What is
mapped:

==================== ===========================================================================
resource             becomes
==================== ===========================================================================
Patient              ``patient_id`` = ``Patient.id`` (one Patient per bundle; or pass
                     ``patient_id``); ``gender`` and ``birthDate`` go to metadata
Condition            each ``code.coding``: HPO (system ``http://human-phenotype-ontology.org``
                     or a ``HP:nnnnnnn`` code) → ``symptoms`` (checked against HPO); MeSH (system
                     ``http://id.nlm.nih.gov/mesh``) → ``symptoms``; SNOMED CT →
                     ``metadata["conditions_snomed"]``; other systems →
                     ``metadata["conditions_other"]`` (``system|code``), ``;``-separated
Observation (gene)   an Observation whose ``code`` or a ``component.code`` is LOINC 48018-6
                     (Gene studied [ID]); the gene is that element's ``valueCodeableConcept``
                     (HGNC coding: its ``display`` symbol, else its ``code``; any other coding:
                     its code; else ``text``) or ``valueString``. Then:

                     * with a component LOINC 81252-9 (discrete variant) or 48004-6 (c.HGVS) or
                       48005-3 (p.HGVS): a ``"variant"`` change, ``variant_id`` = that value,
                       ``consequence`` = component LOINC 48006-1 (amino acid change type) or
                       the genomics-reporting ``molecular-consequence`` code, ``log2fc = 0``;
                     * else with a numeric ``valueQuantity`` (on the Observation, or the first
                       component that has one): an ``"expression"`` change with
                       ``log2fc`` = that number, read as a log2 fold change;
                     * else it is skipped and counted in one WARNING.
MedicationStatement  ``medicationCodeableConcept`` codings → ``exposures`` (``system|code``)
==================== ===========================================================================

Observations whose ``subject`` names another patient are skipped (counted in the WARNING).
Phenotype Observations, Specimens and DiagnosticReports are not mapped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.limits import read_bounded_bytes
from medtwin.loaders.patient_rows import (
    GeneChange,
    GeneResolver,
    PatientProfile,
    file_sha256,
    resolve_gene,
    validate_patient_id,
    warn_unmapped,
)
from medtwin.loaders.patient_symptoms import HpoVocabulary, normalise_symptoms

__all__ = ["read_fhir_bundle"]

log = logging.getLogger(__name__)

LOINC = "http://loinc.org"
HGNC_SYSTEMS = frozenset({"http://www.genenames.org", "http://www.genenames.org/geneId"})
HPO_SYSTEMS = frozenset(
    {"http://human-phenotype-ontology.org", "http://purl.obolibrary.org/obo/hp.owl"}
)
MESH_SYSTEM = "http://id.nlm.nih.gov/mesh"
SNOMED_SYSTEM = "http://snomed.info/sct"
GENE_STUDIED = "48018-6"
VARIANT_CODES = ("81252-9", "48004-6", "48005-3")
CONSEQUENCE_CODES = frozenset({"48006-1", "molecular-consequence"})
_HPO_CODE = re.compile(r"HP:[0-9]{7}")


def _codes(concept: Any) -> list[tuple[str, str, str]]:
    """Return ``(system, code, display)`` of each coding of a CodeableConcept."""
    if concept is None or not concept.coding:
        return []
    return [(c.system or "", c.code or "", c.display or "") for c in concept.coding]


def _has_code(concept: Any, codes: Iterable[str]) -> bool:
    wanted = set(codes)
    return any(code in wanted for _, code, _ in _codes(concept))


def _text_value(element: Any) -> str | None:
    concept = getattr(element, "valueCodeableConcept", None)
    for system, code, display in _codes(concept):
        if system in HGNC_SYSTEMS:
            return display or code or None
        if code:
            return code
    if concept is not None and concept.text:
        return str(concept.text)
    value = getattr(element, "valueString", None)
    return str(value) if value else None


def _number(element: Any) -> float | None:
    quantity = getattr(element, "valueQuantity", None)
    if quantity is None or quantity.value is None:
        return None
    return float(quantity.value)


def _gene_of(observation: Any) -> str | None:
    if _has_code(observation.code, [GENE_STUDIED]):
        return _text_value(observation)
    for component in observation.component or []:
        if _has_code(component.code, [GENE_STUDIED]):
            return _text_value(component)
    return None


def _variant_of(observation: Any) -> tuple[str | None, str | None]:
    variant: str | None = None
    consequence: str | None = None
    components = observation.component or []
    for code in VARIANT_CODES:
        for component in components:
            if variant is None and _has_code(component.code, [code]):
                variant = _text_value(component)
    for component in components:
        if _has_code(component.code, CONSEQUENCE_CODES):
            codes = _codes(component.valueCodeableConcept)
            consequence = (codes[0][2] or codes[0][1]) if codes else _text_value(component)
    return variant, consequence


def _value_of(observation: Any) -> float | None:
    number = _number(observation)
    if number is not None:
        return number
    for component in observation.component or []:
        if _has_code(component.code, [GENE_STUDIED]):
            continue
        number = _number(component)
        if number is not None:
            return number
    return None


def read_fhir_bundle(
    path: Path,
    genes: GeneResolver,
    *,
    patient_id: str | None = None,
    hpo: HpoVocabulary | None = None,
    mesh_names: Mapping[str, str] | None = None,
) -> PatientProfile:
    """Read a FHIR R4 Bundle of one patient (mapping in the module docstring).

    Parameters
    ----------
    path
        The Bundle as JSON.
    genes
        Maps gene symbols / Entrez ids to Entrez ids.
    patient_id
        Overrides ``Patient.id`` (required when the bundle has no Patient).
    hpo, mesh_names
        As in :func:`medtwin.loaders.patient_symptoms.normalise_symptoms`.

    Returns
    -------
    PatientProfile
        Symptoms, gene changes, exposures and metadata of the patient.

    Raises
    ------
    SourceFormatError
        Not JSON, not a valid R4 Bundle, several Patients, or an unknown HPO code.
    InputError
        No patient id can be found, or it breaks the id rule.
    """
    from fhir.resources.R4B.bundle import Bundle

    try:
        bundle = Bundle.model_validate_json(read_bounded_bytes(path))
    except ValidationError as e:
        errors = e.errors()
        where = ".".join(str(part) for part in errors[0]["loc"]) if errors else ""
        message = errors[0]["msg"] if errors else str(e)
        raise SourceFormatError(
            path,
            None,
            f"not a valid FHIR R4 Bundle ({e.error_count()} error(s); first at {where!r}: "
            f"{message}); validate it against R4",
        ) from e
    except (OSError, RecursionError, ValueError) as e:
        raise SourceFormatError(path, None, f"cannot read as a FHIR Bundle: {e}") from e
    resources = [entry.resource for entry in bundle.entry or [] if entry.resource is not None]
    by_type: dict[str, list[Any]] = {}
    for resource in resources:
        by_type.setdefault(resource.get_resource_type(), []).append(resource)

    patients = by_type.get("Patient", [])
    metadata: dict[str, str] = {"source_format": "FHIR R4 Bundle"}
    if len(patients) > 1:
        ids = [p.id for p in patients]
        raise SourceFormatError(path, None, f"{len(patients)} Patients {ids}; one per bundle")
    bundle_patient = patients[0].id if patients else None
    chosen = patient_id or bundle_patient
    if chosen is None:
        raise InputError(f"{path.name} has no Patient resource; pass patient_id")
    chosen = validate_patient_id(str(chosen))
    if patients:
        if patients[0].gender:
            metadata["gender"] = str(patients[0].gender)
        if patients[0].birthDate:
            metadata["birth_date"] = str(patients[0].birthDate)
    own_refs = {f"Patient/{bundle_patient}"} if bundle_patient else set()

    def is_other(resource: Any) -> bool:
        subject = getattr(resource, "subject", None)
        reference = getattr(subject, "reference", None) if subject is not None else None
        return bool(reference and own_refs and reference not in own_refs)

    symptom_terms: list[str] = []
    snomed: list[str] = []
    other: list[str] = []
    for condition in by_type.get("Condition", []):
        if is_other(condition):
            continue
        for system, code, _display in _codes(condition.code):
            if system in HPO_SYSTEMS or system == MESH_SYSTEM or _HPO_CODE.fullmatch(code):
                symptom_terms.append(code)
            elif system == SNOMED_SYSTEM:
                snomed.append(code)
            elif code:
                other.append(f"{system}|{code}")
    try:
        symptoms = normalise_symptoms(symptom_terms, hpo=hpo, mesh_names=mesh_names)
    except InputError as e:
        raise SourceFormatError(path, None, f"Condition code: {e}") from e
    if snomed:
        metadata["conditions_snomed"] = ";".join(dict.fromkeys(snomed))
    if other:
        metadata["conditions_other"] = ";".join(dict.fromkeys(other))

    changes: list[GeneChange] = []
    unmapped: list[str] = []
    skipped = 0
    for observation in by_type.get("Observation", []):
        gene = _gene_of(observation)
        if gene is None:
            continue
        if is_other(observation):
            skipped += 1
            continue
        variant, consequence = _variant_of(observation)
        value = _value_of(observation)
        if variant is None and value is None:
            skipped += 1
            continue
        entrez, symbol = resolve_gene(genes, gene)
        if entrez is None:
            unmapped.append(gene)
            continue
        if variant is not None:
            changes.append(
                GeneChange(
                    entrez=entrez,
                    symbol=symbol,
                    log2fc=0.0,
                    layer="variant",
                    variant_id=variant,
                    consequence=consequence,
                )
            )
        else:
            assert value is not None
            changes.append(
                GeneChange(entrez=entrez, symbol=symbol, log2fc=value, layer="expression")
            )
    if skipped:
        log.warning(
            "%s: %d gene Observation(s) skipped (no numeric value or variant, or another "
            "patient's subject)",
            path.name,
            skipped,
        )

    exposures: list[str] = []
    for statement in by_type.get("MedicationStatement", []):
        if is_other(statement):
            continue
        for system, code, display in _codes(getattr(statement, "medicationCodeableConcept", None)):
            exposures.append(f"{system}|{code}" if code else display)
    return PatientProfile(
        patient_id=chosen,
        changes=tuple(changes),
        symptoms=symptoms,
        exposures=tuple(dict.fromkeys(e for e in exposures if e)),
        metadata=metadata,
        input_checksums={path.name: file_sha256(path)},
        unmapped=warn_unmapped(path.name, unmapped),
    )
