"""What a twin needs: gene-level data; symptoms alone build none (``patient add``, ``twin build``).

Kept apart from :mod:`medtwin.platform.patients` (which re-exports these names), which was at the
400-line limit of a platform module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.command_lines import patient_command
from medtwin.errors import InputError

__all__ = ["SYMPTOM_KINDS", "needs_gene_data", "require_gene_data"]


SYMPTOM_KINDS = frozenset({"symptoms", "fhir"})
"""Input kinds that may hold symptoms and no gene change (a FHIR bundle of Conditions only)."""


def needs_gene_data(patient_id: str) -> str:
    """What ``patient add`` and ``twin build`` tell a patient with symptoms and no gene data.

    Before, ``patient add`` said "build the twin", and the build refused with "add these again
    with looser thresholds", which cannot help a patient whose inputs hold no gene at all.
    """
    return (
        "a twin is built from gene-level data: add a DE table, proteins, variants or a VCF, "
        f"mutation calls or an .h5ad (`{patient_command('patient add', patient_id, '--de FILE')}`, "
        "--proteins, "
        "--variants, --vcf, --mutations, --h5ad) or cohort expression (`medtwin patient "
        "add-cohort`); symptoms alone build no twin: they are kept and join the twin built from "
        "gene data (its phenotype module, linked to the gene module)"
    )


def require_gene_data(
    patient_id: str, inputs: Sequence[Mapping[str, Any]], changes: Sequence[object],
    symptoms: Sequence[str],
) -> None:  # fmt: skip
    """Refuse a twin build of a patient whose inputs hold symptoms and no gene at all.

    Looser thresholds (the twin builder's hint when no gene passes them) cannot help then; a
    cohort sample stored with its symptoms only (kind ``cohort``) keeps that hint.
    """
    if not changes and all(i.get("kind") in SYMPTOM_KINDS for i in inputs):
        raise InputError(
            f"patient {patient_id} has no gene-level data to build a twin from: its inputs "
            f"hold {len(set(symptoms))} symptom(s) and no gene change",
            hint=needs_gene_data(patient_id),
        )
