"""The Neo4j implementation of the graph store: the domain verbs over one driver.

Reference loads, provenance and counts are its base's (:mod:`medtwin.store.reference_loads`;
which statement loads which rows: :mod:`medtwin.store.row_queries`). Patient twins live in
:mod:`medtwin.store.twins`, reference reads in :mod:`medtwin.store.reference_reads`;
:class:`Neo4jStore` exposes them as the domain verbs of :class:`medtwin.store.base.GraphStore`.
Values read are converted to plain Python here (Neo4j temporal values become
:class:`datetime.datetime`), so no driver type leaves store/.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import neo4j
from pydantic import ValidationError

from medtwin.errors import ConfigError, InputError, QueryFailed
from medtwin.settings import Settings, get_settings, setting_problem
from medtwin.store.activity import running_writes
from medtwin.store.audit import (
    AuditEvent,
    list_events,
    os_user,
    patient_exists,
    remove_stray_trails,
    stray_trails,
)
from medtwin.store.closed import ClosedDriver
from medtwin.store.cohorts import CohortStore
from medtwin.store.connection import open_driver, password_for, probe
from medtwin.store.insights import InsightStore
from medtwin.store.library import LibraryRow, library_file
from medtwin.store.locks import (
    dead_lock,
    holder_alive,
    list_locks,
    patient_lock,
    release_dead_lock,
)
from medtwin.store.phenotypes import PhenotypeStore
from medtwin.store.rankings import RankingStore
from medtwin.store.reference_loads import ReferenceLoads
from medtwin.store.reference_reads import ReferenceStore
from medtwin.store.regulator_network import RegulatorNetworkStore
from medtwin.store.runner import to_plain
from medtwin.store.server import LocalServer
from medtwin.store.tissues import TissueStore
from medtwin.store.twins import TwinStore

if TYPE_CHECKING:  # the offline importer: only `medtwin load --bulk` and `db` commands use it
    from medtwin.store.bulk import LocalBulkImporter

__all__ = ["Neo4jStore", "connect"]

log = logging.getLogger(__name__)

LIBRARY_TIMEOUT_S = 60.0
"""Seconds a library query (``medtwin query``) may run before the server stops it."""


def connect(settings: Settings | None = None, **overrides: Any) -> Neo4jStore:
    """Open the Neo4j store, for a notebook or a script (``medtwin.connect()``).

    ``with medtwin.connect() as store:`` closes the Driver at the end of the block.

    Parameters
    ----------
    settings
        The settings; default: the environment's (``MEDTWIN_*`` variables, ``.env``), as the
        CLI reads them.
    overrides
        :class:`~medtwin.settings.Settings` fields that replace those of ``settings``, e.g.
        ``neo4j_uri="bolt://db:7687"``, ``neo4j_password=os.environ["DB_PASSWORD"]``.

    Raises
    ------
    ConfigError
        An override that is no settings field (a typo would otherwise be ignored), or an invalid
        value.
        A ``neo4j_database`` the server does not have is one too: ``connect`` makes one round
        trip to the database to see it (the CLI does not: its first query reports it).
    GraphStoreUnavailable
        The server does not answer.

    The store audits the use cases called with it, as the CLI does (actor ``python:<user>``,
    route ``python: <function>``; :mod:`medtwin.platform.python_audit`).
    """
    if settings is not None and not isinstance(settings, Settings):
        raise ConfigError(
            f"settings must be a medtwin.settings.Settings, got {type(settings).__name__}",
            hint="leave it out (the MEDTWIN_* environment) or give fields: connect(neo4j_uri=...)",
        )
    if unknown := sorted(set(overrides) - set(Settings.model_fields)):
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)}",
            hint=f"settings: {', '.join(sorted(Settings.model_fields))}",
        )
    if overrides:
        base = settings or get_settings()
        try:
            settings = Settings.model_validate({**dict(base), **overrides})
        except ValidationError as e:
            raise ConfigError(
                "invalid setting: "
                + "; ".join(setting_problem(err, env=False) for err in e.errors(include_url=False))
            ) from None
    store = Neo4jStore.open(settings or get_settings())
    try:
        store.read_once("health/ping")  # opening the driver checks no database
    except BaseException:
        store.close()
        raise
    store.audit_actor = f"python:{os_user()}"
    return store


class Neo4jStore(ReferenceLoads):
    """Graph store backed by one Neo4j database.

    Parameters
    ----------
    driver
        The process's Driver (see :func:`Neo4jStore.open`).
    settings
        Database name, URI (for messages) and batch size.
    """

    audit_actor: str | None = None
    """Who a notebook's use-case calls are audited as (``python:<user>``; set by :func:`connect`);
    ``None``: the caller audits (the CLI, the API). See :mod:`medtwin.platform.python_audit`."""

    def __init__(self, driver: neo4j.Driver, settings: Settings) -> None:
        super().__init__(driver, settings)
        self._twins: TwinStore | None = None
        self._reference: ReferenceStore | None = None

    @classmethod
    def open(cls, settings: Settings) -> Neo4jStore:
        """Open a verified Driver and wrap it."""
        return cls(open_driver(settings), settings)

    def close(self) -> None:
        """Close the Driver; a later call is a :class:`~medtwin.errors.StoreClosed` error."""
        if isinstance(self.driver, ClosedDriver):
            return
        self.driver.close()
        self.driver = cast("neo4j.Driver", ClosedDriver(repr(self)))

    def __enter__(self) -> Neo4jStore:
        return self

    def __repr__(self) -> str:
        # a notebook cell's value: where it points, never the password
        closed = " (closed)" if isinstance(self.driver, ClosedDriver) else ""
        return f"<Neo4jStore {self.identity}{closed}>"

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- domain verbs (GraphStore) ----------------------------------------------------------
    @property
    def identity(self) -> str:
        """``<uri>/<database>``: keys per-process caches of reference data."""
        return f"{self.settings.neo4j_uri}/{self.database}"

    @property
    def cache_dir(self) -> Path:
        """``settings.cache_dir``: derived files of the reference (e.g. the interactome)."""
        return self.settings.cache_dir

    @property
    def twins(self) -> TwinStore:
        """Patient and twin verbs (one :class:`~medtwin.store.twins.TwinStore` per store)."""
        if self._twins is None:
            self._twins = TwinStore(self)
        return self._twins

    @property
    def reference(self) -> ReferenceStore:
        """Reference-graph reads."""
        if self._reference is None:
            self._reference = ReferenceStore(self)
        return self._reference

    @property
    def rankings(self) -> RankingStore:
        """Stored drug rankings."""
        return RankingStore(self)

    @property
    def tissues(self) -> TissueStore:
        """A twin's tissue layer."""
        return TissueStore(self)

    @property
    def phenotype_modules(self) -> PhenotypeStore:
        """Symptom vocabulary and a twin's phenotype module."""
        return PhenotypeStore(self)

    @property
    def insights(self) -> InsightStore:
        """Twin insight reads and writes."""
        return InsightStore(self)

    @property
    def cohorts(self) -> CohortStore:
        """Cohort reads and writes."""
        return CohortStore(self)

    @property
    def regulator_network(self) -> RegulatorNetworkStore:
        """The shared regulatory + PPI projection for upstream-regulator centrality (GDS)."""
        return RegulatorNetworkStore(self)

    def patient_lock(self, patient_id: str, operation: str) -> AbstractContextManager[str]:
        """Hold the patient's lock (:func:`medtwin.store.locks.patient_lock`)."""
        return patient_lock(self, patient_id, operation)

    def dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """The patient's lock if its holder died (:func:`medtwin.store.locks.dead_lock`)."""
        return dead_lock(self, patient_id)

    def release_dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """Remove the patient's lock if its holder died; the lock removed, or None."""
        return release_dead_lock(self, patient_id)

    def running_writes(self) -> list[str]:
        """Write transactions and medtwin operations in progress (:mod:`medtwin.store.activity`)."""
        return [w.what for w in running_writes(self)]

    def release_dead_locks(self) -> int:
        """Release every lock whose holder is dead (:func:`~medtwin.store.locks.holder_alive`)."""
        dead = 0
        for lock in list_locks(self):
            if not holder_alive(lock):
                self.write("lock/release_lock", id=lock["id"], owner=lock["owner"])
                dead += 1
        return dead

    def mark_legacy_status(self) -> tuple[int, int]:
        """Give twins and rankings written before statuses existed one; (twins, rankings)."""
        got = self.write("admin/mark_legacy_status")[0]
        return int(got["twins"]), int(got["rankings"])

    def unfinished_patients(self) -> list[str]:
        """Patients with 'building' twins or rankings."""
        return [str(r["patient_id"]) for r in self.read("admin/list_unfinished")]

    def audit_events(
        self, patient_id: str | None, *, limit: int = 100, offset: int = 0
    ) -> list[AuditEvent]:
        """Recorded accesses, newest first (:func:`medtwin.store.audit.list_events`)."""
        return list_events(self, patient_id, limit=limit, offset=offset)

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        """Write audit events in one transaction (:class:`~medtwin.store.audit_writer.AuditWriter`).

        One round trip (:meth:`~medtwin.store.runner.CypherRunner.write_once`: the statement
        MERGEs on the event id, so a retry records nothing twice); an event marked
        ``if_patient_exists`` is kept only when its patient exists.
        """
        self.write_once("audit/create_events", events=events)

    def patient_exists(self, patient_id: str) -> bool:
        """Whether the patient exists."""
        return patient_exists(self, patient_id)

    def stray_audit_trails(self) -> list[dict[str, Any]]:
        """Trails of ids that name no patient (:func:`medtwin.store.audit.stray_trails`)."""
        return stray_trails(self)

    def remove_stray_audit_trails(
        self, patient_ids: Sequence[str], *, actor: str, route: str
    ) -> dict[str, int]:
        """Remove those still stray, one record each (:func:`.audit.remove_stray_trails`)."""
        return remove_stray_trails(self, patient_ids, actor=actor, route=route)

    def readiness(self) -> tuple[str, str]:
        """(Neo4j version, GDS version) from a short-timeout probe of the server."""
        s = self.settings
        return probe(s.neo4j_uri, s.neo4j_user, password_for(s))

    def bulk_importer(self, *, cache: bool = True) -> LocalBulkImporter:
        """The offline importer of this (empty, local) database; it stops the server for it.

        With ``cache`` its CSV files are kept under ``<home>/cache/bulk`` (see
        :mod:`medtwin.store.bulk_cache`).
        """
        # imported here: every other command (twin show, rank, ...) starts without the importer
        from medtwin.store.bulk import LocalBulkImporter
        from medtwin.store.bulk_cache import BulkCache

        kept = BulkCache(self.settings.cache_dir / "bulk") if cache else None
        return LocalBulkImporter(self, LocalServer(self.settings), cache=kept)

    def library_rows(self, name: str, params: dict[str, Any]) -> list[LibraryRow]:
        """Rows of the library query ``name``; paths become ``A – B – C``, nodes their name.

        A query still running after :data:`LIBRARY_TIMEOUT_S` is stopped by the server (an
        :class:`~medtwin.errors.InputError`): the parameters are the user's, the server is shared.
        """
        try:
            rows = self.read_raw(library_file(name), timeout_s=LIBRARY_TIMEOUT_S, **params)
        except QueryFailed as e:
            if "TransactionTimedOut" not in str(e):
                raise
            raise InputError(
                f"library query {name} ran for {LIBRARY_TIMEOUT_S:g} s and was stopped",
                hint=f"narrow its parameters, or run it in Neo4j Browser (`medtwin query {name} "
                "--show` prints the Cypher)",
            ) from e
        return [{k: _render(v) for k, v in r.items()} for r in rows]


def _render(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Path):
        return " – ".join(_node_name(n) for n in value.nodes)
    if isinstance(value, neo4j.graph.Node):
        return _node_name(value)
    return to_plain(value)


def _node_name(node: neo4j.graph.Node) -> str:
    # a targets file's drug without a name (CustomDrug): its drug_id, not its random node id
    return str(node.get("symbol") or node.get("name") or node.get("drug_id") or node.get("id"))
