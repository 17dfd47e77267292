"""The slot of a patient input: its kind and labels, by which ``--replace`` replaces it.

Split from :mod:`medtwin.platform.patient_inputs` (which re-exports these) so that the cohort
adds (:mod:`medtwin.platform.cohort_loads`) match samples by slot without importing the twin
reads that module needs, nor the readers (``patient show`` and ``twin show`` load none).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.patient_reads import input_summaries
from medtwin.store.base import GraphStore

__all__ = ["INPUT_KINDS", "SLOTTED_KINDS", "input_slot", "unslotted_matches"]

INPUT_KINDS = ("de", "proteins", "variants", "vcf", "mutations", "h5ad", "fhir")
"""File kinds in the order they are read (CLI ``--<kind>``, API form field ``<kind>``); here, not
in :mod:`medtwin.platform.inputs` (which re-exports it), so that the cohort views' imports of
the slots load no reader."""


SLOTTED_KINDS = (*INPUT_KINDS, "symptoms", "cohort")
"""The kinds ``--replace`` also matches by kind and labels (:func:`input_slot`): a file's,
``--symptoms``, or a cohort sample's (``cohort``, whose slot names its cohort: a renamed or
edited matrix of the cohort replaces what the earlier one gave the sample, and another cohort's
input and record of the same patient stay whole; before, cohort samples matched by file names
only). The demo's and a Python ``add_patient`` profile (``profile``: any kind of data) have
none."""


def input_slot(kind: str, changes: Sequence[GeneChange], cohort: str | None = None) -> str | None:
    """What an input is of, for ``--replace``: its kind and the labels its changes carry.

    The tissues, the time points and, for a table (not an h5ad, whose cell types are what it
    measures), the cell types, each sorted; ``None`` for a kind not in :data:`SLOTTED_KINDS`.
    A cohort sample's slot names its ``cohort`` (its ``metadata["cohort"]``) first.
    An earlier input of the same slot is replaced by a new one (as one of the same file names
    is): ``patient add P --de new_name.tsv --replace`` replaces the DE table of that tissue and
    time point, not one of another.

    Examples
    --------
    >>> from medtwin.loaders.patient_rows import GeneChange
    >>> def de(**labels: str) -> list[GeneChange]:
    ...     return [GeneChange(entrez="1", log2fc=1.0, **labels)]
    >>> input_slot("de", de()), input_slot("de", de(time_point="w12", cell_type="T"))
    ('de', 'de time=w12 cell=T')
    >>> input_slot("h5ad", de(tissue="blood", cell_type="T")), input_slot("demo", de())
    ('h5ad tissue=blood', None)
    >>> input_slot("cohort", de(), cohort="omics_ra_pbmc_gse15573")
    'cohort cohort=omics_ra_pbmc_gse15573'
    """
    if kind not in SLOTTED_KINDS:
        return None
    labels: dict[str, set[str | None]] = {
        "cohort": {cohort} if kind == "cohort" and cohort else set(),
        "tissue": {c.tissue for c in changes},
        "time": {c.time_point for c in changes},
        "cell": {c.cell_type for c in changes} if kind != "h5ad" else set(),
    }
    words = [f"{k}={','.join(sorted(v for v in values if v))}" for k, values in labels.items()]
    return " ".join([kind, *(w for w in words if not w.endswith("="))])


def unslotted_matches(store: GraphStore, patient_id: str, slots: Collection[str]) -> list[str]:
    """Ids of the patient's inputs stored without a slot (by an earlier medtwin) of ``slots``.

    Their slot is what their kind and stored changes give (:func:`input_slot`; a cohort
    sample's cohort is the patient's ``metadata["cohort"]``, as such an input recorded none of
    its own), so ``--replace`` replaces them as it does inputs that record one. Read under the
    patient's lock, before the write that removes them; a patient whose inputs all record a
    slot costs one light read.
    """
    if not slots:  # the demo's add: nothing to read
        return []
    rows = input_summaries(store, patient_id)
    if not any(i.slot is None and i.kind in SLOTTED_KINDS for i in rows):
        return []
    got = store.twins.patients(patient_id)
    cohort = got[0]["metadata"].get("cohort") if got else None
    return [
        str(r["id"])
        for r in store.twins.inputs(patient_id)
        if r.get("slot") is None and _stored_slot(r, cohort) in slots
    ]


def _stored_slot(row: Mapping[str, Any], cohort: str | None) -> str | None:
    raw = row.get("changes_json")
    changes = [GeneChange.model_validate(c) for c in json.loads(raw)["changes"]] if raw else []
    return input_slot(str(row.get("kind")), changes, cohort=cohort)
