"""A build for the aside process that reports which heavy modules that process has imported.

Its own module imports nothing of medtwin, so what it reports is what the aside process's own
start-up (unpickling its target, :func:`medtwin.store.bulk_graph.aside_main`) brought in.
"""

from __future__ import annotations

import sys


def heavy_modules_loaded() -> tuple[list[list[object]], dict[str, int]]:
    """No rows; the counts say 1 for each of the driver and pandas that is imported."""
    return [], {name: int(name in sys.modules) for name in ("neo4j", "pandas")}
