"""Read each bomb file given on the command line with the default limits; print peak RSS growth.

``python -m tests.reliability.memory_worker KIND=PATH ...`` (``cohort=MATRIX,SAMPLES``) prints one
JSON line:
``{"baseline_mb": ..., "peak_mb": ..., "results": {KIND: "InputTooLarge: ..."}}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from medtwin.errors import MedtwinError
from medtwin.loaders import gmt, patient_cohort, patient_tables, patient_vcf
from medtwin.platform import singlecell


class _Genes:
    def resolve(self, name: str) -> str | None:
        return "7124" if name == "G2" else None


def _status(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def main() -> None:
    import anndata  # noqa: F401  (imported before the baseline: its cost is not the input's)
    import scanpy  # noqa: F401

    baseline = _status("VmRSS:")
    results: dict[str, str] = {}
    for arg in sys.argv[1:]:
        kind, _, name = arg.partition("=")
        path = Path(name)
        try:
            if kind == "de":
                patient_tables.read_de_table(path, "P1", _Genes())
            elif kind == "vcf":
                patient_vcf.read_vcf(path, "P1", _Genes())
            elif kind == "cohort":  # cohort=MATRIX,SAMPLES
                matrix, samples = name.split(",")
                patient_cohort.read_cohort_matrix(Path(matrix), Path(samples), _Genes())
            elif kind == "gmt":
                gmt.read_gmt(path, _Genes())
            else:
                singlecell.read_h5ad(path, _Genes(), patient_id="P1", cell_type_key="ct")
            results[kind] = "read"
        except MedtwinError as e:
            results[kind] = f"{type(e).__name__}: {e}"
    print(json.dumps({"baseline_mb": baseline, "peak_mb": _status("VmHWM:"), "results": results}))


if __name__ == "__main__":
    main()
