"""An in-memory :class:`~medtwin.store.base.GraphStore`, for unit tests of use cases and the API.

Dictionaries instead of Neo4j, with the same semantics as :class:`~medtwin.store.neo4j.Neo4jStore`
where a test can observe them: patients are created on their first input and merge metadata; the
same input twice is one input; twin versions count up from 1 (unfinished ones included), stay
invisible until complete and are listed newest first; unknown patients and twins raise
:class:`~medtwin.errors.NotFoundError`; deleting a patient removes its inputs, twins and cell types
and counts nodes and relationships as the graph would; the patient lock answers a second holder
with :class:`~medtwin.errors.ConflictError`; values come back as the same plain rows.

Reference data is seeded with :meth:`MemoryStore.add_reference`. Twin analysis runs the same
algorithms as GDS with networkx (PageRank, personalised PageRank, betweenness, Louvain with the
analysis seed) — equal in definition, not bit-for-bit (``tests/integration/test_gds_vs_networkx.py``
compares the two on the real server).

Not implemented (they raise :class:`~medtwin.errors.UnsupportedByStore`, API 501), because faking
them would test nothing real (rankings are kept, :class:`MemoryRankings`):

- cohort verbs (:class:`MemoryCohorts`): patient states, similarity graphs, Louvain (the
  records of ``patient add-cohort`` and a cohort summary's top lists are kept, the latter read
  from the stored rankings);
- :meth:`MemoryStore.library_rows`: the query library is Cypher text run by the server;
- tissue layers (:class:`MemoryTissues`): a multi-tissue twin's build raises;
- upstream-regulator centrality (:class:`MemoryRegulatorNetwork`): the platform computes it in
  process instead (random walk with restart + networkx Louvain), the oracle of the GDS path.
  Regulon and footprint layers are seeded with :meth:`MemoryStore.add_regulator_layers`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from medtwin.errors import ConflictError, UnsupportedByStore
from medtwin.schema import Label, RelType
from medtwin.store.audit import AuditEvent
from medtwin.store.base import GraphStore
from medtwin.store.closed import store_closed
from medtwin.store.library import LibraryRow
from medtwin.store.memory.insights import MemoryInsights, MemoryPhenotypeModules
from medtwin.store.memory.rankings import MemoryRankings
from medtwin.store.memory.reference import MemoryReference
from medtwin.store.memory.seeding import MemorySeeding
from medtwin.store.memory.state import UNSUPPORTED, now
from medtwin.store.memory.twins import MemoryTwins
from medtwin.store.memory.unsupported import MemoryCohorts, MemoryRegulatorNetwork, MemoryTissues

if TYPE_CHECKING:  # the driver: the in-memory store must import without it (tests, notebooks)
    from medtwin.store.neo4j import Neo4jStore

__all__ = ["MemoryCohorts", "MemoryReference", "MemoryStore", "MemoryTwins"]


class MemoryStore(MemorySeeding):
    """A :class:`~medtwin.store.base.GraphStore` in dictionaries (see the module docstring).

    Examples
    --------
    >>> store = MemoryStore()
    >>> store.add_reference(genes={"1": "A", "2": "B"}, ppi=[("2", "1"), ("1", "2")])
    >>> store.reference.ppi_edges()
    [('2', '1')]
    >>> store.twins.patients()
    []
    """

    def __init__(self) -> None:
        super().__init__()
        self._identity = f"memory://{uuid.uuid4().hex}"
        self._twins = MemoryTwins(self)
        self._reference = MemoryReference(self)
        self._rankings = MemoryRankings(self, self._twins)
        self._cohorts = MemoryCohorts(self._rankings)
        self._insights = MemoryInsights(self)
        self._tissues = MemoryTissues()
        self._phenotype_modules = MemoryPhenotypeModules(self)
        self._regulator_network = MemoryRegulatorNetwork()

    # -- GraphStore -------------------------------------------------------------------------
    @property
    def identity(self) -> str:
        """A unique ``memory://`` name per instance."""
        return self._identity

    @property
    def cache_dir(self) -> None:
        """Nothing is kept on disk for an in-memory database (it ends with its process)."""
        return None

    @property
    def twins(self) -> MemoryTwins:
        """Patient and twin verbs."""
        return self._twins

    @property
    def reference(self) -> MemoryReference:
        """Reference reads."""
        return self._reference

    @property
    def rankings(self) -> MemoryRankings:
        """Stored rankings."""
        return self._rankings

    @property
    def tissues(self) -> MemoryTissues:
        """Tissue layers (unsupported: multi-tissue twins need Neo4j)."""
        return self._tissues

    @property
    def phenotype_modules(self) -> MemoryPhenotypeModules:
        """Symptom vocabulary and phenotype modules."""
        return self._phenotype_modules

    @property
    def insights(self) -> MemoryInsights:
        """Twin insights."""
        return self._insights

    @property
    def cohorts(self) -> MemoryCohorts:
        """Cohort verbs (unsupported but add-cohort records and a cohort summary's top lists)."""
        return self._cohorts

    @property
    def regulator_network(self) -> MemoryRegulatorNetwork:
        """GDS regulator centrality (unsupported: computed in process)."""
        return self._regulator_network

    def dataset(self, dataset_id: str) -> dict[str, Any] | None:
        """One dataset's properties, or ``None``."""
        got = self.datasets_.get(dataset_id)
        return dict(got) if got is not None else None

    def datasets(self) -> list[dict[str, Any]]:
        """Every dataset, by id."""
        return [dict(d) for _, d in sorted(self.datasets_.items())]

    def counts_and_datasets(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """:meth:`counts` and :meth:`datasets` (one read each in memory anyway)."""
        return self.counts(), self.datasets()

    def counts(self) -> dict[str, Any]:
        """Counts in the shape of :meth:`medtwin.store.neo4j.Neo4jStore.counts`."""

        def entry(n: int) -> dict[str, Any]:
            return {"total": n, "by_source": {"memory": n} if n else {}}

        nodes = {
            Label.PROTEIN.value: entry(len(self.genes)),
            Label.DRUG.value: entry(len(self.drugs)),
            Label.PHENOTYPE.value: entry(len(self.phenotypes)),
            Label.PATIENT.value: entry(len(self.patients)),
        }
        rels = {
            RelType.INTERACTS_WITH.value: entry(len(self.ppi)),
            RelType.BINDS.value: entry(len(self.lr_pairs)),
            RelType.TARGETS.value: entry(sum(len(d["targets"]) for d in self.drugs.values())),
        }
        in_ppi = {g for pair in self.ppi for g in pair}
        targeted = {t["entrez"] for d in self.drugs.values() for t in d["targets"]}
        layers = {
            "interactome_proteins": len(in_ppi),
            "targeted_proteins": len(targeted & set(self.genes)),
            "drugs_with_targets": sum(1 for d in self.drugs.values() if d["targets"]),
            "disease_genes": len(
                {g for sets in self.disease_genes.values() for _, gs in sets.values() for g in gs}
            ),
        }
        return {"nodes": nodes, "relationships": rels, "layers": layers}

    def patient_lock(self, patient_id: str, operation: str) -> AbstractContextManager[str]:
        """The patient's lock; a second holder gets ConflictError at once."""
        return self._hold(patient_id, operation)

    @contextmanager
    def _hold(self, patient_id: str, operation: str) -> Iterator[str]:
        owner = f"{operation}:{uuid.uuid4().hex}"
        with self._lock:
            held = self.locks.get(patient_id)
            if held is not None:
                raise ConflictError(
                    f"patient {patient_id} is busy: {held.partition(':')[0]} is running; "
                    "retry when it has finished"
                )
            self.locks[patient_id] = owner
        try:
            yield owner
        finally:
            with self._lock:
                if self.locks.get(patient_id) == owner:
                    del self.locks[patient_id]

    def dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """No process can die holding an in-memory lock: None."""
        return None

    def release_dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """No process can die holding an in-memory lock: None."""
        return None

    def running_writes(self) -> list[str]:
        """Operations holding a patient's lock, then adds of cohorts, in this process.

        No transactions here. Cohort adds are named as the Neo4j store names them (before, they
        were left out, and ``db backup``'s check on this store passed an add that was running).
        """
        locks = [f"{owner.partition(':')[0]} of patient {pid}" for pid, owner in self.locks.items()]
        return locks + self._cohorts.running()

    def release_dead_locks(self) -> int:
        """No process can die holding an in-memory lock: 0."""
        return 0

    def mark_legacy_status(self) -> tuple[int, int]:
        """Every twin here has a status: (0, 0)."""
        return 0, 0

    def unfinished_patients(self) -> list[str]:
        """Patients with a 'building' twin."""
        return sorted(
            pid
            for pid, p in self.patients.items()
            if any(t.props["status"] == "building" for t in p.twins.values())
        )

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        """Keep events (fields of :class:`~medtwin.store.audit.AuditEvent`); an id kept once.

        An event marked ``if_patient_exists`` is kept only when its patient exists (the key is
        not kept), as ``audit/create_events`` does.
        """
        seen = {e["id"] for e in self.audit}
        self.audit.extend(
            {k: v for k, v in e.items() if k != "if_patient_exists"}
            for e in events
            if e["id"] not in seen
            and (not e.get("if_patient_exists") or self.patient_exists(e["patient_id"]))
        )

    def audit_events(
        self, patient_id: str | None, *, limit: int = 100, offset: int = 0
    ) -> list[AuditEvent]:
        """Events, newest first, the newest ``offset`` skipped."""
        rows = [e for e in self.audit if patient_id is None or e.get("patient_id") == patient_id]
        rows = rows[: max(len(rows) - offset, 0)]
        return [
            AuditEvent(
                id=e["id"],
                at=e["at"],
                actor=e["actor"],
                action=e["action"],
                patient_id=e.get("patient_id"),
                route=e["route"],
                status=int(e["status"]),
            )
            for e in reversed(rows[-limit:] if limit else [])
        ]

    def patient_exists(self, patient_id: str) -> bool:
        """Whether the patient exists."""
        return patient_id in self.patients

    def stray_audit_trails(self) -> list[dict[str, Any]]:
        """Trails of ids that are no patient, with no write or delete (``audit/stray_trails``)."""
        trails: dict[str, list[dict[str, Any]]] = {}
        for e in self.audit:
            if e.get("patient_id") is not None:
                trails.setdefault(e["patient_id"], []).append(e)
        return [
            {
                "patient_id": pid,
                "events": len(events),
                "first_at": min(e["at"] for e in events),
                "last_at": max(e["at"] for e in events),
                "routes": list(dict.fromkeys(e["route"] for e in events))[:3],
                "same_but_case": [p for p in self.patients if p.lower() == pid.lower()],
            }
            for pid, events in sorted(trails.items())
            if pid not in self.patients
            and not any(e["action"] in ("write", "delete") for e in events)
        ]

    def remove_stray_audit_trails(
        self, patient_ids: Sequence[str], *, actor: str, route: str
    ) -> dict[str, int]:
        """Remove those still stray, one record event each, as ``audit/remove_stray_trails``."""
        stray = {t["patient_id"]: t["events"] for t in self.stray_audit_trails()}
        removed = {pid: stray[pid] for pid in dict.fromkeys(patient_ids) if pid in stray}
        self.audit[:] = [e for e in self.audit if e.get("patient_id") not in removed]
        for pid, n in removed.items():
            said = f"{route}: removed {n} audit event(s) of {pid}, an id that names no patient"
            self.audit.append(
                {
                    "id": str(uuid.uuid4()),
                    "at": now().isoformat(),
                    "actor": actor,
                    "action": "write",
                    "patient_id": pid,
                    "route": (said + " and had no write or delete")[:300],
                    "status": 0,
                }
            )
        return removed

    def readiness(self) -> tuple[str, str]:
        """Always ready."""
        return "memory", "memory"

    def library_rows(self, name: str, params: dict[str, Any]) -> list[LibraryRow]:
        """Unsupported: library statements are Cypher."""
        raise UnsupportedByStore(UNSUPPORTED.format(what=f"the query library ({name})"))

    def close(self) -> None:
        """Close the store: as a closed Neo4j store, any later call is :class:`StoreClosed`.

        Nothing is released, but code tried on this store must fail here as it would on the
        database (before, a closed memory store went on answering).
        """
        # The class, not a flag checked on every access: an open store pays nothing for it.
        self.__class__ = _ClosedMemoryStore

    # ``with MemoryStore() as store:`` as ``with medtwin.connect() as store:``, so a notebook's
    # trial without a database is the same code (it raised TypeError: no context manager).
    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<MemoryStore {self._identity}: {len(self.genes):,} genes, {len(self.ppi):,} PPI "
            f"edges, {len(self.drugs):,} drugs, {len(self.patients):,} patients>"
        )


class _ClosedMemoryStore(MemoryStore):
    """A :class:`MemoryStore` after ``close()``: every use but closing again raises."""

    _OPEN_NAMES = frozenset({"close", "identity", "_identity", "__class__", "__repr__"})

    def __getattribute__(self, name: str) -> Any:
        if name in _ClosedMemoryStore._OPEN_NAMES or (name[:2] == "__" == name[-2:]):
            return super().__getattribute__(name)
        raise store_closed(f"<MemoryStore {self.identity}>", "MemoryStore()")

    def close(self) -> None:
        """Already closed: nothing to do."""

    def __repr__(self) -> str:
        return f"<MemoryStore {self.identity} (closed)>"


if TYPE_CHECKING:  # mypy checks that both stores satisfy the protocol

    def _conforms(memory: MemoryStore, neo: Neo4jStore) -> tuple[GraphStore, GraphStore]:
        return memory, neo
