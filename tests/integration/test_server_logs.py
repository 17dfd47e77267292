"""The server's logs keep each GDS run's start and end, not its 400 step lines (server-logs.xml)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from medtwin.store.server import LocalServer

pytestmark = pytest.mark.neo4j


def _tail(path: Path, offset: int) -> str:
    """What ``path`` gained after ``offset`` (all of it if the file was rotated meanwhile)."""
    text = path.read_bytes()
    return (text[offset:] if len(text) >= offset else text).decode("utf-8", "replace")


def test_a_pagerank_run_logs_its_start_and_end_only(tiny_reference: Any, test_settings: Any):
    store, _ = tiny_reference
    logs = LocalServer(test_settings).root / "logs"
    files = [logs / "neo4j.log", logs / "debug.log"]
    offsets = [p.stat().st_size for p in files]
    graph, job = f"logs-{uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    store.driver.execute_query(
        "MATCH (a:Protein)-[:INTERACTS_WITH]->(b:Protein) "
        "RETURN gds.graph.project($graph, a, b).graphName AS name",
        graph=graph,
    )
    try:
        store.driver.execute_query(
            "CALL gds.pageRank.stream($graph, {maxIterations: 100, tolerance: 0.0, "
            "concurrency: 1, jobId: $job}) YIELD nodeId RETURN count(*) AS n",
            graph=graph,
            job=job,
        )
    finally:
        store.driver.execute_query(
            "CALL gds.graph.drop($graph, false) YIELD graphName", graph=graph
        )
    for path, offset in zip(files, offsets, strict=True):
        ours = [line for line in _tail(path, offset).splitlines() if job in line]
        # without the filter: 402 lines per file (4 per iteration: compute and master compute,
        # each started and finished, plus percentages)
        assert [line.rsplit("] ", 1)[1] for line in ours] == [
            "PageRank :: Start",
            "PageRank :: Finished",
        ], (
            f"{path.name}: {len(ours)} lines of the run (a server started by older code runs "
            "without the filter: restart it)"
        )
