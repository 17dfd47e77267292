"""Activities per cell type / tissue of the demo's multicellular patients: time and what they find.

``make bench-cell-activities`` — in process, no database. The PBMC 68k donor (h5ad, marker
programme of each FACS cell type, as the demo builds it: from its changes only, the top 50 genes
per cell type, as twins did before the full vectors were kept; then from each cell type's full
Wilcoxon z vector, what a twin build now uses) and the multi-tissue demo patient (that blood +
one PEAC synovium): the time of
:func:`medtwin.platform.cell_regulators.context_statistics` +
:func:`~medtwin.platform.cell_regulators.context_activity_rows` (what a twin build adds; the
write is one more UNWIND statement), repeated ``--repeat`` times (median), and per context the
TFs scored and the upstream regulators (q <= 0.05), strongest first. A tissue is scored only from
its own vector of every measured gene (:func:`medtwin.platform.activity_inputs.tissue_statistics`,
as a build does: the multi-tissue demo's synovium, not its blood). Also the patient-level
activity time of each PEAC patient (what ``cohort run`` adds per patient) for comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from typing import Any

from benchmarks.validate_stratify import data_argument, reference
from medtwin.domain import TwinParams
from medtwin.loaders.patient_rows import PatientProfile
from medtwin.platform.activity_inputs import stored_activity_stats, tissue_statistics
from medtwin.platform.cell_regulators import context_activity_rows, context_statistics
from medtwin.platform.demo_cohorts import multi_tissue_profile, pbmc68k_profile, peac_profiles
from medtwin.platform.gene_evidence import gene_statistics
from medtwin.platform.regulators import UR_Q, RegulatorReference, patient_activity


def _tissues(profile: PatientProfile) -> dict[str, dict[str, float]]:
    """Each tissue's vector of every measured gene, as a build reads it from the stored input."""
    stored = {
        "name": profile.patient_id,
        "kind": "demo",
        "changes_json": json.dumps(
            {"changes": [c.model_dump(mode="json") for c in profile.changes]}
        ),
        **stored_activity_stats(profile),
    }
    return {t: v for t, (v, _) in tissue_statistics([stored], TwinParams()).items() if v}


def _rows(profile: PatientProfile, ref: RegulatorReference, full: bool) -> list[dict[str, Any]]:
    cell_stats = profile.cell_type_stats if full else ()
    stats = context_statistics(profile.changes, TwinParams(), cell_stats, _tissues(profile))
    return context_activity_rows(stats, ref)


def _report(
    name: str, profile: PatientProfile, ref: RegulatorReference, repeat: int, full: bool = True
) -> None:
    secs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        _rows(profile, ref, full)
        secs.append(time.perf_counter() - t0)
    rows = _rows(profile, ref, full)
    print(  # noqa: T201
        f"{name}: {len(profile.changes)} changes, {len(rows)} activity rows; "
        f"{statistics.median(secs) * 1000:.1f} ms median of {repeat}"
    )
    contexts: dict[tuple[str, str], list[dict[str, object]]] = {}
    for r in rows:
        label = " / ".join(str(x) for x in (r["tissue"], r["cell_type"]) if x)
        contexts.setdefault((str(r["context"]), label), []).append(r)
    for (kind, label), got in sorted(contexts.items()):
        tfs = [r for r in got if r["kind"] == "tf"]
        urs = sorted(
            (r for r in tfs if float(r["q"]) <= UR_Q),  # type: ignore[arg-type]
            key=lambda r: -abs(float(r["score"])),  # type: ignore[arg-type]
        )
        shown = ", ".join(
            f"{ref.symbols.get(str(r['id']), r['id'])} {float(r['score']):+.1f}"  # type: ignore[arg-type]
            for r in urs[:5]
        )
        print(f"  {kind:<9} {label:<32} {len(tfs):>3} TFs scored, {len(urs):>3} URs  {shown}")  # noqa: T201


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(ap)
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args(argv)
    genes, ref = reference(a.data)
    peac = peac_profiles(a.data, genes)
    blood = pbmc68k_profile(a.data, genes)
    _report("PBMC 68k (h5ad), before: the top-50 changes only", blood, ref, a.repeat, full=False)
    _report("PBMC 68k (h5ad), now: each cell type's full Wilcoxon z vector", blood, ref, a.repeat)
    _report("multi-tissue", multi_tissue_profile(a.data, genes, blood=blood, synovium=peac), ref,
            a.repeat)  # fmt: skip
    secs = []
    for p in peac:
        s = gene_statistics(p.changes)
        t0 = time.perf_counter()
        patient_activity(s, ref)
        secs.append(time.perf_counter() - t0)
    print(  # noqa: T201
        f"PEAC patient-level activity ({len(peac)} demo twins' genes): "
        f"{statistics.median(secs) * 1000:.2f} ms median, {max(secs) * 1000:.1f} ms max"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
