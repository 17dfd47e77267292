"""What the in-memory store keeps per patient, twin and ranking (dataclasses over plain rows)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from medtwin.errors import NotFoundError

__all__ = ["UNSUPPORTED", "MemoryData", "PatientState", "RankingState", "TwinState", "now"]

UNSUPPORTED = "the in-memory store does not implement {what} (see medtwin.store.memory)"


def now() -> datetime:
    """The current time, UTC (the stores' timestamps)."""
    return datetime.now(UTC)


@dataclass
class TwinState:
    """A twin version: its node, genes and everything stored on it (rankings by id)."""

    props: dict[str, Any]
    genes: dict[str, dict[str, Any]]
    symptoms: list[dict[str, Any]] = field(default_factory=list)
    cell_types: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> row
    signals: list[dict[str, Any]] = field(default_factory=list)
    resemblances: list[dict[str, Any]] = field(default_factory=list)
    phenotype_module: dict[str, Any] | None = None
    biomarkers: list[dict[str, Any]] = field(default_factory=list)
    rankings: dict[str, RankingState] = field(default_factory=dict)  # id -> the complete ranking
    activity: list[dict[str, Any]] = field(default_factory=list)
    upstream_regulators: list[dict[str, Any]] = field(default_factory=list)
    context_activity: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RankingState:
    """A complete ranking: its node and every row of its table."""

    props: dict[str, Any]
    table: list[dict[str, Any]]  # every row, best first
    custom: bool


@dataclass
class PatientState:
    """A patient: metadata, inputs in the order added, twins by version.

    ``metadata`` is derived from ``legacy``, the inputs' own and ``edits``
    (:mod:`medtwin.store.input_metadata`); ``legacy`` None: made as an earlier medtwin made
    patients (``metadata`` merged over its adds), which its next write keeps as the legacy part.
    """

    metadata: dict[str, str]
    created_at: datetime
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # insertion = added order
    twins: dict[int, TwinState] = field(default_factory=dict)
    legacy: dict[str, str] | None = None
    edits: dict[str, str] = field(default_factory=dict)


class MemoryData:
    """The dictionaries of an in-memory store, which its parts (twins, rankings, ...) share.

    :class:`~medtwin.store.memory.MemoryStore` is one; the parts are typed against this class,
    not the store, so that no part imports the package that imports them.
    """

    def __init__(self) -> None:
        self.genes: dict[str, dict[str, Any]] = {}
        self.ppi: set[tuple[str, str]] = set()
        self.lr_pairs: list[tuple[str, str]] = []
        self.disease_genes: dict[str, dict[str, tuple[str, set[str]]]] = {}
        self.drugs: dict[str, dict[str, Any]] = {}
        self.phenotypes: dict[str, dict[str, Any]] = {}
        self.datasets_: dict[str, dict[str, Any]] = {}
        self.patients: dict[str, PatientState] = {}
        self.locks: dict[str, str] = {}
        self.audit: list[dict[str, Any]] = []
        self.cooccurrences: list[tuple[str, str, float, str]] = []
        self.regulator_tables: dict[str, list[Any]] = {
            k: [] for k in ("tf", "target", "mor", "pathway", "gene", "weight")
        }
        self._lock = threading.Lock()

    def twin_of(self, twin_id: str) -> TwinState:
        """The twin ``PATIENT@vN``, or :class:`~medtwin.errors.NotFoundError`."""
        t = self.twin_or_none(twin_id)
        if t is None:
            raise NotFoundError(f"no twin {twin_id}")
        return t

    def twin_or_none(self, twin_id: str) -> TwinState | None:
        """The twin ``PATIENT@vN``, or ``None`` where Neo4j's MATCH on it finds nothing.

        A read gives no row then: a view reads a twin in several queries and checks once at its
        end that it is still there (``confirm_read_whole``), so a read of one deleted meanwhile
        must not raise first.
        """
        pid, _, version = twin_id.rpartition("@v")
        p = self.patients.get(pid)
        return p.twins.get(int(version)) if p is not None and version.isdigit() else None
