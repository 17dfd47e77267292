"""Use case: what changed between two versions of a patient's twin (``medtwin twin diff``).

Parameters, inputs, genes (added, removed, changed values), module size and z, tissues and the
phenotype module; re-exported by :mod:`medtwin.platform.twins`.
"""

from __future__ import annotations

import json
from typing import Any

from medtwin.platform.arguments import twin_version
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
from medtwin.platform.twin_currency import stale_note
from medtwin.platform.twin_models import TwinDiff
from medtwin.store.base import GraphStore

__all__ = ["diff_twins"]


@audited("read")
def diff_twins(store: GraphStore, patient_id: str, from_version: int, to_version: int) -> TwinDiff:
    """What changed between two twin versions: parameters, inputs, genes, module, values."""
    from_version = twin_version(from_version, patient_id, "from_version")
    to_version = twin_version(to_version, patient_id, "to_version")
    get_patient(store, patient_id)
    twins = store.twins
    a, b = twins.twin(patient_id, from_version), twins.twin(patient_id, to_version)
    pa, pb = json.loads(a["params_json"]), json.loads(b["params_json"])
    params_changed = {
        k: (json.dumps(pa.get(k)), json.dumps(pb.get(k)))
        for k in sorted(set(pa) | set(pb))
        if pa.get(k) != pb.get(k)
    }
    ga = {r["entrez"]: r for r in twins.genes(a["id"])}
    gb = {r["entrez"]: r for r in twins.genes(b["id"])}
    changed = []
    for gid in sorted(set(ga) & set(gb)):
        for field in ("log2fc", "role", "in_module"):
            if ga[gid][field] != gb[gid][field]:
                changed.append(
                    {
                        "entrez": gid,
                        "symbol": gb[gid]["symbol"],
                        "field": field,
                        "from": str(ga[gid][field]),
                        "to": str(gb[gid][field]),
                    }
                )
    ta, tb = _tissue_ranks(store, a), _tissue_ranks(store, b)
    (terms_a, p_a), (terms_b, p_b) = _phenotype_terms(store, a), _phenotype_terms(store, b)
    return TwinDiff(
        patient_id=patient_id,
        from_version=from_version,
        to_version=to_version,
        params_changed=params_changed,
        inputs_changed=a["input_checksums_json"] != b["input_checksums_json"],
        genes_added=tuple(sorted(set(gb) - set(ga))),
        genes_removed=tuple(sorted(set(ga) - set(gb))),
        module_size=(int(a["twin_module_size"]), int(b["twin_module_size"])),
        module_z=(a.get("module_z"), b.get("module_z")),
        changed_values=tuple(changed),
        tissues_added=tuple(sorted(set(tb) - set(ta))),
        tissues_removed=tuple(sorted(set(ta) - set(tb))),
        most_central_tissue=(_first(ta), _first(tb)),
        phenotype_terms_added=tuple(sorted(terms_b - terms_a)),
        phenotype_terms_removed=tuple(sorted(terms_a - terms_b)),
        phenotype_module_p=(p_a, p_b),
        stale_note=stale_note(patient_id, b, twins.input_digests(patient_id)),
    )


def _tissue_ranks(store: GraphStore, twin: dict[str, Any]) -> dict[str, int]:
    """Tissue -> meta-network rank of a twin (empty without a tissue layer)."""
    if not twin.get("n_tissues"):
        return {}
    rows = store.tissues.cell_types(twin["id"])
    return {r["tissue"]: int(r["tissue_rank"] or 0) for r in rows}


def _first(ranks: dict[str, int]) -> str | None:
    return min(ranks, key=lambda t: (ranks[t], t)) if ranks else None


def _phenotype_terms(store: GraphStore, twin: dict[str, Any]) -> tuple[set[str], float | None]:
    """Terms of a twin's phenotype module and its p (empty and None without one)."""
    got = store.phenotype_modules.module(twin["id"])
    if got is None:
        return set(), None
    p = got["module"].get("p")
    return {t["id"] for t in got["terms"]}, None if p is None else float(p)
