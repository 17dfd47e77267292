"""FHIR R4 Bundle (JSON) → one patient profile.

Parsed as it is read (``ijson``: one entry's JSON at a time, never the whole document;
:mod:`medtwin.loaders.patient_fhir_json`) and validated with ``fhir.resources`` (its ``R4B``
module: fhir.resources 8 defaults to R5, and R4B reads R4 Patient/Condition/Observation/
MedicationStatement resources unchanged), entry by entry: each entry as a ``BundleEntry`` as
soon as it is parsed, its resource by its type's model, whose JSON and model are dropped once
what the mapping needs of it is kept, then the Bundle without its entries as a ``Bundle`` (an
error names ``entry.<n>...`` as the whole Bundle's validation did). Resources of a type not
mapped (:data:`MAPPED_TYPES`: an Encounter, a Claim, a Procedure) are checked for their type
only: nothing of them is read, and validating them was most of the time a bundle of a health
record took. A read holds what the mapping keeps and one entry, not the bundle: the models of a
whole 16 MiB bundle took 630 MB, its JSON parsed whole ~250 MB. What is mapped:

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

                     * with a component LOINC 81252-9 (discrete variant), 48004-6 (c.HGVS),
                       48005-3 (p.HGVS) or 81290-9 (g.HGVS): a ``"variant"`` change,
                       ``variant_id`` = that value, ``consequence`` = component LOINC 48006-1
                       (amino acid change type) or the genomics-reporting
                       ``molecular-consequence`` code (optional, as in a ``--variants`` table),
                       ``log2fc = 0``; other numbers on it (allelic frequency 81258-6, read
                       depth) are not read;
                     * else with a numeric ``valueQuantity`` that is a log2 fold change (on
                       the Observation, or a component; see below): an ``"expression"``
                       change with ``log2fc`` = that number;
                     * a genomic variant Observation (code 69548-6, or an allelic frequency /
                       allele component) without a variant id, or an Observation with no
                       number and no variant: skipped and counted in one WARNING.
MedicationStatement  ``medicationCodeableConcept`` codings → ``exposures`` (``system|code``)
==================== ===========================================================================

**Which numbers are log2 fold changes.** A gene Observation's number is read only when it says
what it is: its ``valueQuantity`` unit (``unit`` or ``code``) is one of :data:`LOG2_UNITS`
(``log2``, ``log2FC``, ``log2 fold change``, ``log2FoldChange``, ``logFC``, ``avg_log2FC``,
``log2 ratio``; case, spaces, ``_``, ``-``, ``.`` and brackets ignored), or it has no unit (or the
dimensionless UCUM ``1``) and the code of the element holding it (``code.text``, a coding's
``code`` or ``display``) names a log2 fold change (the same words, optionally followed by more,
e.g. ``log2 fold change vs healthy``). Any other number (TPM, FPKM, counts, ``log2(TPM+1)``, an
allelic frequency, a bare number without unit or code) stops the read with a
:class:`~medtwin.errors.SourceFormatError` naming each such Observation (entry, id, gene, value,
code and unit): stored as a fold change it would make a gene highly over-expressed that is
not, and skipping it would build the twin without data the user believes is in it.

Whose resources are read (:mod:`medtwin.loaders.patient_fhir_subjects`): with a Patient, those
whose ``subject`` is that Patient (``Patient/<id>`` or its entry's ``fullUrl``, e.g. a transaction
bundle's ``urn:uuid:``); resources of another subject are skipped and counted per type in one
WARNING. Without a Patient, resources of two subjects stop the read. A ``patient_id`` other than
the bundle's is used as asked, with a WARNING naming both.

Several gene Observations of one gene (same layer and variant) keep the one with the largest
``|log2fc|``, the rule of the DE tables (they keep the smallest ``padj`` first; an Observation
has none); the others are counted in one WARNING.

Phenotype Observations, Specimens and DiagnosticReports are not mapped.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol, TypeAlias

from pydantic import ValidationError

from medtwin.errors import InputError, InputTooLarge, SourceFormatError
from medtwin.loaders.gene_names import warn_mouse_case
from medtwin.loaders.json_position import JsonPosition
from medtwin.loaders.limit_scan import crossed_limit
from medtwin.loaders.limits import (
    FileDigest,
    bounded_bytes,
    current_limits,
    require_regular_file,
    shown,
)
from medtwin.loaders.patient_fhir_json import bundle_parts
from medtwin.loaders.patient_fhir_subjects import bundle_subjects, reference_of
from medtwin.loaders.patient_rows import (
    GeneChange,
    GeneResolver,
    PatientProfile,
    resolve_gene,
    validate_patient_id,
    warn_unmapped,
)
from medtwin.loaders.patient_symptoms import HpoVocabulary, normalise_symptoms

__all__ = ["read_fhir_bundle"]

log = logging.getLogger(__name__)

FHIR_SHARE = 2
"""A FHIR bundle may be at most 1/2 of MEDTWIN_MAX_INPUT_MB (64 MiB by default): see its check."""

LOINC = "http://loinc.org"
HGNC_SYSTEMS = frozenset({"http://www.genenames.org", "http://www.genenames.org/geneId"})
HPO_SYSTEMS = frozenset(
    {"http://human-phenotype-ontology.org", "http://purl.obolibrary.org/obo/hp.owl"}
)
MESH_SYSTEM = "http://id.nlm.nih.gov/mesh"
SNOMED_SYSTEM = "http://snomed.info/sct"
GENE_STUDIED = "48018-6"
VARIANT_CODES = ("81252-9", "48004-6", "48005-3", "81290-9")
CONSEQUENCE_CODES = frozenset({"48006-1", "molecular-consequence"})
# Genetic variant assessment; allelic frequency, read depth, ref/alt allele, DNA change type.
VARIANT_HINT_CODES = frozenset({"69548-6", "81258-6", "82121-5", "69547-8", "69551-0", "48019-4"})
LOG2_UNITS = frozenset({"log2", "log2fc", "log2foldchange", "logfc", "avglog2fc", "log2ratio"})
"""Units that make a gene Observation's number a log2 fold change (normalised by :func:`_word`)."""
_LOG2_CODE_PREFIXES = tuple(sorted(LOG2_UNITS - {"log2"}))
_DIMENSIONLESS = frozenset({"", "1"})
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


def _word(text: str) -> str:
    """Lower-case ``text`` without spaces, ``_``, ``-``, ``.`` and brackets (for matching).

    >>> _word("log2 Fold-Change"), _word("avg_log2FC"), _word("log2(TPM+1)")
    ('log2foldchange', 'avglog2fc', 'log2tpm+1')
    """
    return re.sub(r"[\s_.()\[\]{}-]", "", text.lower())


def _code_words(concept: Any) -> list[str]:
    words = [_word(x) for _, code, display in _codes(concept) for x in (code, display) if x]
    if concept is not None and concept.text:
        words.append(_word(str(concept.text)))
    return words


def _is_log2(element: Any) -> bool:
    """Whether an element's ``valueQuantity`` says it is a log2 fold change (module docstring)."""
    quantity = element.valueQuantity
    units = {_word(str(x)) for x in (quantity.unit, quantity.code) if x}
    if units & LOG2_UNITS:
        return True
    if not units <= _DIMENSIONLESS:
        return False
    return any(
        w in LOG2_UNITS or w.startswith(_LOG2_CODE_PREFIXES) for w in _code_words(element.code)
    )


def _described(element: Any) -> str:
    """A number with its code and unit, as an error names it (``250.0 TPM, code 'expression'``)."""
    quantity = element.valueQuantity
    unit = quantity.unit or quantity.code
    codes = [f"{s}|{c}" if s else c for s, c, _ in _codes(element.code) if c]
    text = element.code.text if element.code is not None else None
    code = codes[0] if codes else text
    return (
        f"{float(quantity.value):g} {shown(unit) if unit else '(no unit)'}, "
        f"code {shown(code) if code else '(none)'}"
    )


def _log2_value(observation: Any) -> tuple[float | None, Any]:
    """The log2 fold change of an Observation, else ``(None, its first other number)``.

    The Observation's own value first, then its components (the gene-studied one excepted);
    the first number that is a log2 fold change wins. The second item is the first element
    with a number that is not one (``None`` when there is no number at all).
    """
    elements = [observation] + [
        c for c in observation.component or [] if not _has_code(c.code, [GENE_STUDIED])
    ]
    other = None
    for element in elements:
        if _number(element) is None:
            continue
        if _is_log2(element):
            return _number(element), None
        if other is None:
            other = element
    return None, other


def _is_variant_assessment(observation: Any) -> bool:
    return _has_code(observation.code, VARIANT_HINT_CODES) or any(
        _has_code(c.code, VARIANT_HINT_CODES) for c in observation.component or []
    )


def _is_resource_type(name: str) -> bool:
    """Whether ``name`` is an R4B resource type (not a data type, not unknown)."""
    return _resource_class(name) is not None


@functools.cache
def _resource_class(name: str) -> Any:
    """The ``fhir.resources`` R4B model of resource type ``name`` (``None``: no resource type).

    Looked up once per type: a ``BundleEntry``'s validation imports its resource's class by name
    for every entry (~10% of a bundle's read).
    """
    from fhir.resources.R4B import get_fhir_model_class
    from fhir.resources.R4B.resource import Resource

    try:
        model = get_fhir_model_class(name)
    except ValueError:
        return None
    return model if issubclass(model, Resource) else None


def _unknown_type(entry_no: int | None, entry: Any, error: KeyError) -> str:
    """Name the entry whose ``resourceType`` ``fhir.resources`` does not know, and the nearest.

    ``entry`` is the JSON of entry ``entry_no`` being validated (``None``: the Bundle's own).

    >>> print(_unknown_type(1, {"resource": {"resourceType": "Observaton"}},
    ...       KeyError("R4.ObservatonType")))
    entry[1] has resourceType 'Observaton', not an R4 resource type (did you mean 'Observation'?); \
fix its resourceType (names are case-sensitive)
    """
    from fhir.resources.R4B import fhirtypes

    found = re.fullmatch(r"R4B?\.(.*)Type", str(error.args[0]) if error.args else "")
    name, where = (found.group(1) if found else ""), "an entry or a contained resource"
    if entry_no is not None:
        where = f"a resource contained in entry[{entry_no}]"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if isinstance(kind, str) and not _is_resource_type(kind):
            name, where = kind, f"entry[{entry_no}]"
    types = [n.removesuffix("Type") for n in dir(fhirtypes) if n.endswith("Type")]
    near = [
        t for t in difflib.get_close_matches(name, types, n=5, cutoff=0.6) if _is_resource_type(t)
    ]
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return (
        f"{where} has resourceType {shown(name)}, not an R4 resource type{hint}; fix its "
        "resourceType (names are case-sensitive)"
    )


def _deduplicated(name: str, changes: list[GeneChange]) -> tuple[GeneChange, ...]:
    """One change per (gene, layer, variant): the largest ``|log2fc|``, as DE tables keep.

    :mod:`medtwin.loaders.patient_tables` keeps the smallest ``padj``, then the largest
    ``|log2fc|``; an Observation has no padj, so the largest change wins (the first on a tie).
    The dropped ones are counted in one WARNING that shows the first repeated gene's values.
    """
    kept: dict[tuple[str, str, str | None], GeneChange] = {}
    values: dict[tuple[str, str, str | None], list[float]] = {}
    for change in changes:
        key = (change.entrez, change.layer, change.variant_id)
        values.setdefault(key, []).append(change.log2fc)
        old = kept.get(key)
        if old is None or abs(change.log2fc) > abs(old.log2fc):
            kept[key] = change
    dropped = len(changes) - len(kept)
    if dropped:
        repeated, seen = next((k, v) for k, v in values.items() if len(v) > 1)
        example = kept[repeated]
        what = (
            f"{example.symbol or example.entrez}: {', '.join(f'{v:+g}' for v in seen)} -> "
            f"{example.log2fc:+g}"
            if example.layer == "expression"
            else f"{example.symbol or example.entrez} {example.variant_id}"
        )
        log.warning(
            "%s: %d duplicate gene Observation(s) dropped (same gene, layer and variant), keeping "
            "the largest |log2fc| as DE tables do; e.g. %s",
            name,
            dropped,
            what,
        )
    return tuple(kept.values())


class _GeneObservation(NamedTuple):
    """What a gene Observation says, taken from its model as its entry is read (module docstring).

    The bundle's models are not kept: fhir.resources' objects cost ~40 times the JSON (a 16 MiB
    bundle grew a read by 630 MB when the whole Bundle was one model).
    """

    entry_no: int
    reference: str | None
    gene: str
    name: str
    variant: str | None
    consequence: str | None
    value: float | None
    other: str | None
    """The error's words for a number that is not a log2 fold change (``None``: none)."""
    assessment: bool


_Coded: TypeAlias = "tuple[int, str | None, list[tuple[str, str, str]]]"
"""A Condition's or MedicationStatement's entry index, subject reference and codings."""


@dataclass
class _Entries:
    """A bundle read entry by entry: what the mapping needs of each resource, no model kept."""

    patients: list[tuple[int, Any, str | None]] = field(default_factory=list)
    """Each Patient's entry index, model and entry ``fullUrl``."""
    conditions: list[_Coded] = field(default_factory=list)
    observations: list[_GeneObservation] = field(default_factory=list)
    medications: list[_Coded] = field(default_factory=list)
    other_references: list[tuple[str, int, str | None]] = field(default_factory=list)
    """Observations of no gene: type, entry index and subject (they count in whose bundle)."""

    def references(self) -> dict[str, list[tuple[int, str | None]]]:
        """Entry index and subject reference of each resource, by type (bundle_subjects)."""
        out: dict[str, list[tuple[int, str | None]]] = {
            "Condition": [(n, ref) for n, ref, _ in self.conditions],
            "Observation": [(o.entry_no, o.reference) for o in self.observations],
            "MedicationStatement": [(n, ref) for n, ref, _ in self.medications],
        }
        for kind, entry_no, reference in self.other_references:
            out[kind].append((entry_no, reference))
        return {kind: sorted(rows, key=lambda r: r[0]) for kind, rows in out.items()}

    def add(self, entry_no: int, resource: Any, full_url: str | None) -> None:
        """Keep what the mapping reads of one entry's validated resource."""
        if resource is None:
            return
        kind = resource.get_resource_type()
        if kind == "Patient":
            self.patients.append((entry_no, resource, full_url))
        elif kind == "Condition":
            self.conditions.append((entry_no, reference_of(resource), _codes(resource.code)))
        elif kind == "MedicationStatement":
            concept = getattr(resource, "medicationCodeableConcept", None)
            self.medications.append((entry_no, reference_of(resource), _codes(concept)))
        elif kind == "Observation":
            self._add_observation(entry_no, resource)

    def _add_observation(self, entry_no: int, observation: Any) -> None:
        gene = _gene_of(observation)
        if gene is None:
            self.other_references.append(("Observation", entry_no, reference_of(observation)))
            return
        variant, consequence = _variant_of(observation)
        value, other_number = (None, None) if variant is not None else _log2_value(observation)
        other = None
        unread = variant is None and value is None
        if unread and other_number is not None:
            other = (
                f"entry[{entry_no}] Observation {shown(observation.id or '')} ({gene}): "
                f"{_described(other_number)}"
            )
        self.observations.append(
            _GeneObservation(
                entry_no=entry_no,
                reference=reference_of(observation),
                gene=gene,
                name=observation.id or f"entry[{entry_no}]",
                variant=variant,
                consequence=consequence,
                value=value,
                other=other,
                assessment=unread and _is_variant_assessment(observation),
            )
        )


def _validated(
    path: Path, validate: Any, entry_no: int | None = None, entry: Any = None, *, inner: str = ""
) -> Any:
    """``validate()``, its errors said as a whole-Bundle validation said them.

    ``entry_no`` and ``entry``: the entry validated (its errors are at ``entry.<n>...``), or
    ``None`` for the Bundle without its entries; ``inner``: the element of the entry validated
    (``"resource"``: its errors are at ``entry.<n>.resource...``).
    """
    where: tuple[str | int, ...] = ("entry", entry_no) if entry_no is not None else ()
    where += (inner,) if inner else ()
    try:
        return validate()
    except KeyError as e:  # fhir.resources' lookup of an unknown resourceType: 'R4.<Name>Type'
        raise SourceFormatError(path, None, _unknown_type(entry_no, entry, e)) from e
    except ValidationError as e:
        errors = e.errors()
        loc = (*where, *errors[0]["loc"]) if errors else where
        message = errors[0]["msg"] if errors else str(e)
        raise SourceFormatError(
            path,
            None,
            f"not a valid FHIR R4 Bundle ({e.error_count()} error(s); first at "
            f"{'.'.join(str(part) for part in loc)!r}: {message}); validate it against R4",
        ) from e
    except (RecursionError, ValueError) as e:
        raise SourceFormatError(path, None, f"cannot read as a FHIR Bundle: {e}") from e


class _Readable(Protocol):
    """What the JSON parser reads: ``read(size)`` giving bytes (b"" at the end)."""

    def read(self, size: int = -1, /) -> bytes: ...


class _Share:
    """The bytes of a bundle, refused once past its share of the input limit (FHIR_SHARE)."""

    def __init__(self, stream: IO[bytes], path: Path) -> None:
        self._stream = stream
        self._path = path
        self._limit = current_limits().max_bytes // FHIR_SHARE
        self._seen = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._seen += len(data)
        if self._seen > self._limit:
            # streamed, a bundle costs what the mapping keeps of its entries and one entry's
            # fhir.resources model (~40 times its JSON): a bundle of gene Observations grew the
            # read by 42, 72, 131 and 243 MB at 16, 32, 64 and 128 MiB (make bench-readers
            # ONLY=fhir FHIR_MIB=...), so half the input limit keeps it within what the largest
            # tables at their limits cost (GMT of 499,000 sets 198 MB, cohort matrix 190 MB);
            # 1/8 was chosen when a bundle was parsed whole (~10 times its size)
            raise _over_share(self._path, self._limit)
        return data


def _over_share(path: Path, limit: int) -> InputTooLarge:
    """The refusal of a bundle of more than ``limit`` bytes (its share of the input limit)."""
    return InputTooLarge(
        f"{path.name}: a FHIR bundle of more than 1/{FHIR_SHARE} of the input "
        f"limit, {limit / 2**20:g} MiB (MEDTWIN_MAX_INPUT_MB raises it)"
    )


def _refuse_over_share(path: Path) -> None:
    """Refuse a bundle past its share before parsing it: its size, or its bytes decompressed.

    Parsed, a bundle just past the share (64 MiB) was refused after its whole share was parsed
    (tens of seconds); a leading byte-order mark, which :class:`_Share` does not count, is
    allowed for.
    """
    require_regular_file(path)  # before the scan opens it: a pipe would block
    limit = current_limits().max_bytes // FHIR_SHARE
    if crossed_limit(path, max_bytes=limit + len(codecs.BOM_UTF8)) == "bytes":
        raise _over_share(path, limit)


MAPPED_TYPES = frozenset({"Patient", "Condition", "Observation", "MedicationStatement"})
"""Resource types whose content is validated (with ``fhir.resources``) and mapped; of the
others only the type is checked: nothing of them is read, and their validation was most of the
time a bundle of encounters, claims and procedures took to read."""


def _read_entries(path: Path, stream: _Readable) -> _Entries:
    """Validate the Bundle entry by entry as it is parsed, keeping what the mapping needs.

    Each entry is validated as a ``BundleEntry`` (an error names it ``entry.<n>...``, as the
    whole Bundle's did) and its JSON dropped once read, so a read holds one entry's JSON and
    model at a time; the Bundle without its entries is validated as a ``Bundle`` at the end.
    An entry's resource of a known type is validated apart, with its model looked up once per
    type, and only when its type is one of :data:`MAPPED_TYPES`; any other resource (no
    ``resourceType``, an unknown one) is left to the ``BundleEntry``'s validation, which names
    what is wrong with it.
    """
    from fhir.resources.R4B.bundle import Bundle, BundleEntry

    read = _Entries()
    for entry_no, part in bundle_parts(path, JsonPosition(stream)):
        if entry_no is None:
            _validated(path, lambda p=part: Bundle.model_validate(p))
            continue
        resource = part.get("resource") if isinstance(part, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        model = _resource_class(kind) if isinstance(kind, str) else None
        if model is None:
            entry = _validated(path, lambda e=part: BundleEntry.model_validate(e), entry_no, part)
            read.add(entry_no, entry.resource, entry.fullUrl)
            continue
        del part["resource"]  # the entry's own elements (fullUrl, search, request, response)
        entry = _validated(path, lambda e=part: BundleEntry.model_validate(e), entry_no, part)
        if kind in MAPPED_TYPES:
            valid = _validated(
                path,
                lambda r=resource, m=model: m.model_validate(r),
                entry_no,
                part,
                inner="resource",
            )
            read.add(entry_no, valid, entry.fullUrl)
    return read


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
        Not JSON, not a valid R4 Bundle, several Patients, an unknown HPO code, or a gene
        Observation whose number is not a log2 fold change (module docstring).
    InputError
        No patient id can be found, or it breaks the id rule.
    InputTooLarge
        The bundle exceeds 1/:data:`FHIR_SHARE` of the input limit (MEDTWIN_MAX_INPUT_MB).
    """
    _refuse_over_share(path)
    digest = FileDigest()  # of the bytes read: the file may be replaced before the profile is made
    with bounded_bytes(path, digest) as stream:
        read = _read_entries(path, _Share(stream, path))  # to the file's end: hashed whole
    patients = read.patients
    metadata: dict[str, str] = {"source_format": "FHIR R4 Bundle"}
    if len(patients) > 1:
        ids = [p.id for _, p, _ in patients]
        raise SourceFormatError(path, None, f"{len(patients)} Patients {ids}; one per bundle")
    patient = patients[0][1] if patients else None
    chosen = patient_id or (patient.id if patient is not None else None)
    if chosen is None:
        raise InputError(f"{path.name} has no Patient resource; pass patient_id")
    chosen = validate_patient_id(str(chosen))
    if patient is not None:
        if patient.gender:
            metadata["gender"] = str(patient.gender)
        if patient.birthDate:
            metadata["birth_date"] = str(patient.birthDate)
    subjects = bundle_subjects(
        path,
        (patient, patients[0][2]) if patient is not None else None,
        read.references(),
        chosen,
    )
    is_other = subjects.is_other

    symptom_terms: list[str] = []
    snomed: list[str] = []
    other: list[str] = []
    for _, reference, codes in read.conditions:
        if is_other("Condition", reference):
            continue
        for system, code, _display in codes:
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
    variants_without_id: list[str] = []
    not_log2: list[str] = []
    for observation in read.observations:
        if is_other("Observation", observation.reference):
            continue
        gene, variant, value = observation.gene, observation.variant, observation.value
        if variant is None and value is None:
            if observation.assessment:
                variants_without_id.append(f"{observation.name} ({gene})")
            elif observation.other is not None:
                not_log2.append(observation.other)
            else:
                skipped += 1
            continue
        entrez, symbol = resolve_gene(genes, gene)
        if entrez is None:
            unmapped.append(gene)
            continue
        if variant is not None:
            changes.append(GeneChange.variant(entrez, symbol, variant, observation.consequence))
        else:
            assert value is not None
            changes.append(
                GeneChange(entrez=entrez, symbol=symbol, log2fc=value, layer="expression")
            )
    if not_log2:
        more = f"; and {len(not_log2) - 3} more" if len(not_log2) > 3 else ""
        raise SourceFormatError(
            path,
            None,
            f"{len(not_log2)} gene Observation(s) hold a number that is not a log2 fold change: "
            f"{'; '.join(not_log2[:3])}{more}. medtwin reads a gene Observation's number only "
            "as a log2 fold change against a reference: give it with valueQuantity.unit 'log2' "
            "(or convert absolute values such as TPM to fold changes first, e.g. as a DE table "
            "for --de), or remove those Observations",
        )
    if variants_without_id:
        log.warning(
            "%s: %d genomic variant Observation(s) skipped: no variant id component (LOINC %s): %s",
            path.name,
            len(variants_without_id),
            ", ".join(VARIANT_CODES),
            ", ".join(variants_without_id[:5]) + (" ..." if len(variants_without_id) > 5 else ""),
        )
    if skipped:
        log.warning(
            "%s: %d gene Observation(s) skipped: no numeric value and no variant",
            path.name,
            skipped,
        )

    exposures: list[str] = []
    for _, reference, codes in read.medications:
        if is_other("MedicationStatement", reference):
            continue
        for system, code, display in codes:
            exposures.append(f"{system}|{code}" if code else display)
    subjects.warn(path.name)
    warn_mouse_case(path.name, (c.symbol for c in changes))
    return PatientProfile(
        patient_id=chosen,
        changes=_deduplicated(path.name, changes),
        symptoms=symptoms,
        exposures=tuple(dict.fromkeys(e for e in exposures if e)),
        metadata=metadata,
        input_checksums={path.name: digest.hexdigest()},
        unmapped=warn_unmapped(path.name, unmapped),
    )
