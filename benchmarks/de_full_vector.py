"""Before/after: TFs scored and URs of one DE signature, its changes vs its full vector.

The product path of ``medtwin patient add P --de FILE`` (:func:`medtwin.platform.inputs.read_input`)
and of the twin's activity step, in process on the reference files (DoRothEA A–C, PROGENy):
"before" = the statistics of the padj <= 0.05 changes, "after" = the input's full vector
(:mod:`medtwin.platform.activity_inputs`). URs = TFs with q <= 0.05 (a DE table has no driver).

    uv run --no-sync python -m benchmarks.de_full_vector \
        /work/shared/data/stargeo_2017_dev/signatures/DOID_0050156.tsv.gz
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from benchmarks.validate_stratify import data_argument, reference
from medtwin.domain import TwinParams
from medtwin.platform.activity_inputs import stored_activity_stats, twin_statistics
from medtwin.platform.gene_evidence import gene_statistics
from medtwin.platform.inputs import InputOptions, read_input
from medtwin.platform.regulators import patient_activity
from medtwin.platform.twin_regulators import Q_MAX


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", type=Path, nargs="+")
    data_argument(ap)
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    genes, ref = reference(args.data)
    for path in args.table:
        profile = read_input("de", path, "S", genes, InputOptions())
        before = gene_statistics(profile.changes)
        after = twin_statistics([stored_activity_stats(profile)], TwinParams())
        assert after is not None
        for label, stats in (("changes (padj <= 0.05)", before), ("full vector", after)):
            t0 = time.perf_counter()
            act = patient_activity(stats, ref)
            urs = act.upstream_regulators(Q_MAX)
            print(
                f"{path.name}  {label:24s} genes {len(stats):6d}  TFs scored {len(act.tf):4d}  "
                f"URs (q <= {Q_MAX}) {len(urs):4d}  pathways {len(act.pathway):3d}  "
                f"{time.perf_counter() - t0:.2f} s"
            )


if __name__ == "__main__":
    main()
