"""A build for the aside process that reports which heavy modules that process has imported.

Its own module imports nothing of medtwin, so what it reports is what the aside process's own
start-up (unpickling its target, :func:`medtwin.store.bulk_aside.aside_main`) brought in.
"""

from __future__ import annotations

import sys


def heavy_modules_loaded() -> tuple[list[list[object]], dict[str, int]]:
    """No rows; the counts say 1 for each of the driver and pandas that is imported."""
    return [], {name: int(name in sys.modules) for name in ("neo4j", "pandas")}


def logs_and_warns() -> tuple[list[list[object]], dict[str, int]]:
    """No rows; on the way a loader's log record and a Python warning, as LINCS's may be."""
    import logging
    import warnings

    logging.getLogger("medtwin.loaders.aside").warning("z.tsv: kept 3 z; dropped 2 empty cells")
    warnings.warn("an aside warning", UserWarning, stacklevel=1)
    return [], {"PerturbationRow": 0}
