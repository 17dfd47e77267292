"""Whose data a FHIR bundle holds: its Patient, and the ``subject`` of each resource.

A resource's ``subject.reference`` is the bundle's patient when it names the Patient's
logical id (``Patient/FH1``, also as an absolute URL ``https://…/Patient/FH1`` or with
``/_history/n``) or the ``fullUrl`` of the Patient's entry (a transaction bundle's
``urn:uuid:…``: FHIR resolves a reference against the entries' ``fullUrl`` first). A resource
without a subject reference is the patient's.

* **With a Patient**: resources of another subject are skipped and counted, per resource type,
  in one WARNING (a bundle may carry a relative's or a donor's resources).
* **Without a Patient** (or one with neither id nor ``fullUrl``): every subject must be the
  same; resources of two subjects stop the read, naming them, since there is no telling whose
  the bundle is and merging them would build one twin from two people.
* The patient id medtwin stores the data under may differ from the bundle's (``Patient.id``,
  or its one subject): that is how a bundle is pseudonymised, so it is allowed, with a WARNING
  naming both ids, so a bundle added to the wrong patient is noticed.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtwin.errors import SourceFormatError
from medtwin.loaders.limits import shown

__all__ = ["BundleSubjects", "bundle_subjects"]

log = logging.getLogger(__name__)

SUBJECT_TYPES = ("Condition", "Observation", "MedicationStatement")
"""Resource types whose subject is checked (the ones :mod:`patient_fhir` maps)."""

_PATIENT_REFERENCE = re.compile(r"(?:^|/)Patient/([^/]+)(?:/_history/[^/]+)?$")


def reference_of(resource: Any) -> str | None:
    """The ``subject.reference`` of a resource (``None`` when it has none)."""
    subject = getattr(resource, "subject", None)
    reference = getattr(subject, "reference", None) if subject is not None else None
    return str(reference) if reference else None


def normalised(reference: str) -> str:
    """``Patient/<id>`` for a relative, absolute or versioned Patient reference, else as given.

    >>> normalised("https://ehr.example/fhir/Patient/FH1/_history/2"), normalised("urn:uuid:1")
    ('Patient/FH1', 'urn:uuid:1')
    """
    m = _PATIENT_REFERENCE.search(reference)
    return f"Patient/{m.group(1)}" if m else reference


@dataclass
class BundleSubjects:
    """The references that name the bundle's patient, and the resources skipped as another's."""

    own: frozenset[str]
    dropped: Counter[str] = field(default_factory=Counter)
    others: dict[str, None] = field(default_factory=dict)

    def is_other(self, kind: str, reference: str | None) -> bool:
        """Whether a resource of type ``kind`` whose subject is ``reference`` is another's.

        Such a resource is counted as dropped. ``reference``: :func:`reference_of` the resource.
        """
        if not reference or not self.own:
            return False
        if reference in self.own or normalised(reference) in self.own:
            return False
        self.dropped[kind] += 1
        self.others[reference] = None
        return True

    def warn(self, name: str) -> None:
        """Log the skipped resources (per type) and their subjects in one WARNING."""
        if not self.dropped:
            return
        counts = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(self.dropped.items()))
        subjects = list(self.others)
        log.warning(
            "%s: skipped %s of another subject than the bundle's Patient: %s",
            name,
            counts,
            ", ".join(shown(s) for s in subjects[:5]) + (" ..." if len(subjects) > 5 else ""),
        )


def bundle_subjects(
    path: Path,
    patient: tuple[Any, str | None] | None,
    references: Mapping[str, Sequence[tuple[int, str | None]]],
    patient_id: str,
) -> BundleSubjects:
    """Decide which subject references are the patient's (module docstring).

    Parameters
    ----------
    path
        The bundle, for messages.
    patient
        The bundle's one Patient resource and its entry's ``fullUrl``, or ``None``.
    references
        The bundle's resources by type, each as its entry index and its subject reference
        (:func:`reference_of`; the resources themselves are not kept, see ``patient_fhir``).
    patient_id
        The id the data is stored under.

    Raises
    ------
    SourceFormatError
        No Patient, and resources of two or more subjects.
    """
    own: set[str] = set()
    bundle_id: str | None = None
    if patient is not None:
        resource, full_url = patient
        if resource.id:
            bundle_id = str(resource.id)
            own.add(f"Patient/{bundle_id}")
        if full_url:
            own.add(str(full_url))
            own.add(normalised(str(full_url)))
    if not own:
        per_subject: dict[str, Counter[str]] = {}  # in the bundle's order
        for _, resource_type, reference in sorted(
            (entry_no, kind, reference)
            for kind in SUBJECT_TYPES
            for entry_no, reference in references.get(kind, ())
        ):
            if reference:
                per_subject.setdefault(normalised(reference), Counter())[resource_type] += 1
        if len(per_subject) > 1:
            named = "; ".join(
                f"{shown(ref)} ({', '.join(f'{n} {k}' for k, n in sorted(c.items()))})"
                for ref, c in list(per_subject.items())[:5]
            )
            raise SourceFormatError(
                path,
                None,
                f"no Patient resource, and its resources name {len(per_subject)} subjects: "
                f"{named}; a bundle must hold one patient's data: split it by subject and add "
                "each part to its own patient",
            )
        if per_subject:
            bundle_id = _PATIENT_REFERENCE.sub(r"\1", next(iter(per_subject)))
    if bundle_id is not None and bundle_id != patient_id:
        log.warning(
            "%s: the bundle's patient is %s; its data is added to patient %s as asked "
            "(check that this is the right file for %s)",
            path.name,
            shown(bundle_id),
            shown(patient_id),
            shown(patient_id),
        )
    return BundleSubjects(own=frozenset(own))
