"""Verbs the in-memory store does not fake (cohorts, tissue layers, GDS regulator centrality)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from medtwin.errors import ConflictError, UnsupportedByStore
from medtwin.store.cohort_keys import load_key, running_add
from medtwin.store.memory.rankings import MemoryRankings
from medtwin.store.memory.state import UNSUPPORTED
from medtwin.store.processes import pid_alive
from medtwin.store.regulator_network import RegulatorCentrality

__all__ = ["MemoryCohorts", "MemoryRegulatorNetwork", "MemoryTissues"]


class MemoryCohorts:
    """Cohort verbs: not implemented in memory (each raises UnsupportedByStore), but two.

    The records of ``patient add-cohort`` are kept (a dict): the CLI's add-cohort runs here;
    the top lists of a cohort summary are read from the stored rankings (``rankings``).
    """

    def __init__(self, rankings: MemoryRankings | None = None) -> None:
        self.rankings = rankings
        self.loads: dict[str, dict[str, Any]] = {}  # by load_key
        self.adding: dict[str, dict[str, Any]] = {}  # cohort -> the add holding its lock
        self._guard = threading.Lock()

    def begin_load(
        self,
        cohort: str,
        samples: int,
        command: str | None,
        inputs: Sequence[str] = (),
        options: str | None = None,
        *,
        superseded: Sequence[str] = (),
    ) -> None:
        """Record an add-cohort as ``'adding'`` (this process adds it); as the Neo4j store."""
        key, files_key = load_key(cohort, inputs, options), load_key(cohort, inputs)
        for gone in superseded:
            if gone != key and self.loads.get(gone, {}).get("cohort") == cohort:
                del self.loads[gone]
        old = self.loads.get(files_key)
        if key != files_key and old is not None and old.get("options") is None:
            del self.loads[files_key]  # taken over (``cohort/begin_cohort_load``)
        self.loads[key] = {
            "cohort": cohort, "samples": samples, "inputs": sorted(set(inputs)),
            "status": "adding", "command": command, "host": socket.gethostname(),
            "pid": os.getpid(), "started_at": datetime.now(UTC),
            **({} if options is None else {"options": options}),
        }  # fmt: skip

    def finish_load(
        self,
        cohort: str,
        *,
        complete: bool = True,
        inputs: Sequence[str] = (),
        options: str | None = None,
    ) -> None:
        """Mark it ``'complete'`` (or ``'failed'``)."""
        key = load_key(cohort, inputs, options)
        if key in self.loads:
            self.loads[key]["status"] = "complete" if complete else "failed"

    def load_states(self, cohort: str) -> list[dict[str, Any]]:
        """The records of ``cohort``, oldest first."""
        got = sorted(
            (r for r in self.loads.values() if r["cohort"] == cohort), key=lambda r: r["started_at"]
        )
        return [{**r, "running": r["status"] == "adding" and pid_alive(r["pid"])} for r in got]

    @contextmanager
    def add_lock(
        self, cohort: str, *, wait: float = 0.0, waiting: Callable[[str], None] | None = None
    ) -> Iterator[str]:
        """The cohort's lock in this process; a second add gets ConflictError (after ``wait``)."""
        deadline = time.monotonic() + wait
        while True:
            with self._guard:
                held = self.adding.get(cohort)
                if held is None:
                    self.adding[cohort] = {
                        "operation": "patient add-cohort", "pid": os.getpid(),
                        "host": socket.gethostname(), "since": datetime.now(UTC),
                    }  # fmt: skip
                    break
            adding = (
                f"cohort {cohort!r} is being added by another process (patient add-cohort, "
                f"pid {held['pid']})"
            )
            left = deadline - time.monotonic()
            if left <= 0:
                raise ConflictError(
                    f"{adding}; nothing was added" + (f" (waited {wait:g} s)" if wait > 0 else ""),
                    hint="wait for it to finish (`--wait SECONDS` waits for it), then run this "
                    "again if you need to",
                )
            if waiting is not None:
                waiting(f"{adding}; waiting for it ({left:.0f} s left)")
            time.sleep(min(0.05, left))  # threads of this process: a short pause is enough
        try:
            yield cohort
        finally:
            with self._guard:
                self.adding.pop(cohort, None)

    def running(self) -> list[str]:
        """Adds in progress, as the Neo4j store names them (``running_writes``).

        One per cohort whose lock an add holds, then records still ``'adding'`` by a live
        process without the lock (as :func:`medtwin.store.activity.running_writes`).
        """
        with self._guard:
            held = dict(self.adding)
        out = [running_add(name, **who) for name, who in sorted(held.items())]
        for r in sorted(self.loads.values(), key=lambda r: r["cohort"]):
            if r["status"] == "adding" and r["cohort"] not in held and pid_alive(r["pid"]):
                who = {"pid": r["pid"], "host": r["host"], "since": r["started_at"]}
                out.append(running_add(r["cohort"], operation="patient add-cohort", **who))
        return out

    def _no(self, what: str) -> UnsupportedByStore:
        return UnsupportedByStore(UNSUPPORTED.format(what=f"cohort {what}"))

    def patient_states(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Unsupported."""
        raise self._no("patient states")

    def top_lists(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """:meth:`MemoryRankings.top_lists` (a cohort summary on the memory store)."""
        if self.rankings is None:
            raise self._no("top drugs")
        return self.rankings.top_lists(ids, top)

    def twin_modules(self, ids: Sequence[str], *, module_only: bool = True) -> list[dict[str, Any]]:
        """Unsupported."""
        raise self._no("twin modules")

    def activities(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Unsupported."""
        raise self._no("activities")

    def replace_similarities(
        self, ids: Sequence[str], method: str, rows: Sequence[dict[str, Any]]
    ) -> int:
        """Unsupported."""
        raise self._no("similarities")

    def communities(self, ids: Sequence[str], method: str) -> dict[str, int]:
        """Unsupported (GDS)."""
        raise self._no("communities")

    def set_endotypes(
        self, method: str, communities: dict[str, int], *, run: str, refresh: str
    ) -> None:
        """Unsupported."""
        raise self._no("endotypes")

    def similar_patients(self, patient_id: str, limit: int) -> list[dict[str, Any]]:
        """Unsupported."""
        raise self._no("similar patients")


class MemoryTissues:
    """Tissue layers: not implemented in memory (multi-tissue twins need the Neo4j store)."""

    def set_scores(
        self, twin_id: str, *, tissues: list[dict[str, Any]], cell_types: list[dict[str, Any]]
    ) -> int:
        """Unsupported: the memory store keeps no tissue layer."""
        raise UnsupportedByStore(UNSUPPORTED.format(what="multi-tissue twins"))

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """No tissue layer here: none."""
        return []

    def signals(self, twin_id: str) -> list[dict[str, Any]]:
        """No tissue layer here: none."""
        return []


class MemoryRegulatorNetwork:
    """No GDS: upstream-regulator centrality is computed in process by the platform."""

    def centrality(
        self,
        reference_key: str,
        seeds: Mapping[str, float],
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
        column_budget: int | None = None,
    ) -> RegulatorCentrality:
        """Raise :class:`~medtwin.errors.UnsupportedByStore` (the platform's in-process path)."""
        raise UnsupportedByStore(UNSUPPORTED.format(what="GDS regulator centrality"))

    def edges(self, reference_key: str) -> tuple[list[str], list[str]]:
        """Raise :class:`~medtwin.errors.UnsupportedByStore` (no GDS projection)."""
        raise UnsupportedByStore(UNSUPPORTED.format(what="GDS regulator projection"))

    def edges_kept(self, reference_key: str) -> bool:
        """``False``: no GDS projection, so nothing kept."""
        return False

    def prefill_columns(
        self,
        reference_key: str,
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
    ) -> tuple[int, float]:
        """Raise :class:`~medtwin.errors.UnsupportedByStore` (no GDS projection to fill)."""
        raise UnsupportedByStore(UNSUPPORTED.format(what="GDS regulator columns"))
