"""What every store writes for a twin: the Twin node's properties and its genes' rows.

Shared by :class:`medtwin.store.twins.TwinStore` and the in-memory store, so both write the same
values for the same :class:`~medtwin.domain.TwinSpec`.
"""

from __future__ import annotations

import json
import math
from typing import Any

from medtwin.domain import TWIN_RULES, TwinSpec

__all__ = ["twin_gene_rows", "twin_node_props"]


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def twin_node_props(spec: TwinSpec, version: int) -> dict[str, Any]:
    """Properties of the Twin of ``spec`` as version ``version`` (every store writes these)."""
    m = spec.module
    return {
        "id": f"{spec.patient_id}@v{version}",
        "version": version,
        "rules": TWIN_RULES,
        "params_json": spec.params.model_dump_json(),
        "params_hash": spec.params_hash,
        "input_checksums_json": json.dumps(spec.input_checksums, sort_keys=True),
        "seed": spec.params.seed,
        "module_size": m.lcc_size,
        "module_z": _num(m.z),
        "module_p": _num(m.p),
        "module_mu": _num(m.mu),
        "module_sigma": _num(m.sigma),
        "module_samples": m.n_iter,
        "n_seeds": sum(1 for g in spec.genes if g.role == "seed"),
        "n_genes": len(spec.genes),
        "n_changes": spec.n_changes,
        "n_outside_network": spec.n_outside_network,
        "n_seeds_below_fdr": spec.n_seeds_below_fdr,
        "twin_module_size": sum(1 for g in spec.genes if g.in_module),
    }


def twin_gene_rows(spec: TwinSpec) -> list[dict[str, Any]]:
    """One row per gene of ``spec``: the values its ``INCLUDES`` relationship carries."""
    return [
        {
            "entrez": g.entrez,
            "role": g.role,
            "log2fc": g.log2fc,
            "padj": g.padj,
            "layers": list(g.layers),
            "cell_types": list(g.cell_types),
            "time_points": list(g.time_points),
            "in_module": g.in_module,
            "rwr": g.rwr,
            "evidence": g.evidence,
        }
        for g in spec.genes
    ]
