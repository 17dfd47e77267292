"""The graph store interface: the domain verbs the platform needs, and nothing about Cypher.

:class:`GraphStore` is what the use cases of :mod:`medtwin.platform` (and so the CLI and the API)
take. Two implementations satisfy it structurally:

- :class:`medtwin.store.neo4j.Neo4jStore` — the real one; the only code that names ``.cypher``
  files and touches the driver (with :mod:`~medtwin.store.twins`,
  :mod:`~medtwin.store.reference_reads`, :mod:`~medtwin.store.locks`, :mod:`~medtwin.store.audit`);
- :class:`medtwin.store.memory.MemoryStore` — dictionaries, for unit tests of the use cases and of
  the API (a FastAPI dependency override), with the same semantics and models.

Every verb returns plain Python values: driver types (temporal values, nodes, paths) are converted
inside the store, so nothing above it duck-types ``to_native``/``iso_format``. Rows are dicts with
the keys documented on each verb (the ``RETURN`` columns of the Neo4j implementation's statement).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from medtwin.command_lines import patient_command
from medtwin.domain import TWIN_RULES, TwinAnalysis, TwinSpec
from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.gene_names import shown_name
from medtwin.store.audit import AuditEvent
from medtwin.store.library import LibraryRow
from medtwin.store.regulator_network import RegulatorCentrality

__all__ = [
    "ACTIVITY_BATCH",
    "DELETE_BATCH",
    "CohortVerbs",
    "GraphStore",
    "InputsStored",
    "InsightVerbs",
    "PatientDeleted",
    "RANKING_TOP_N",
    "PhenotypeModuleVerbs",
    "RankingVerbs",
    "RegulatorNetworkVerbs",
    "TissueVerbs",
    "ReferenceReads",
    "TwinVerbs",
    "no_patient",
    "twin_gene_rows",
    "twin_node_props",
]


@dataclass(frozen=True)
class InputsStored:
    """What one ``add_inputs`` wrote: per input whether it was new, and the inputs it replaced."""

    created: tuple[bool, ...]
    """Per input, in the order given: whether it was new (the same input twice is one input)."""
    replaced: tuple[dict[str, Any], ...] = ()
    """The earlier inputs removed because their name was in ``replace`` or their slot in
    ``slots``, oldest first, each as :meth:`TwinVerbs.input_list` describes it."""


ACTIVITY_BATCH = 200
"""Patients per read of :meth:`CohortVerbs.activities`: what a caller that streams holds at once
(``cohort activities`` keeps a cohort of at most this many read once, for both its passes). Here,
not in ``store/cohorts.py``, so ``platform/`` reads it without importing the driver."""

DELETE_BATCH = 100
"""Patients per transaction of a batched deletion (:meth:`TwinVerbs.delete_patients`). A bench
copy is ~155 relationships, a demo patient up to a few thousand: 100 keep a transaction's state
a few MB while the statement's fixed costs (round trip, commit) are paid once per 100 patients
(measured in README "Cohorts and scale", `make bench-delete`)."""


@dataclass(frozen=True)
class PatientDeleted:
    """One patient of a batched deletion (:meth:`TwinVerbs.delete_patients`)."""

    patient_id: str
    found: bool
    """A Patient node was there (False: "no patient"; stray nodes of the id are deleted too)."""
    nodes: int
    relationships: int
    held: dict[str, Any] | None = None
    """The lock of another operation on the patient (``owner``, ``host``, ``pid``, ``operation``,
    ``acquired_at``): nothing of the patient was deleted. None when it was deleted."""


class ReferenceReads(Protocol):
    """Reads of the reference graph (see :class:`~medtwin.store.reference_reads.ReferenceStore`)."""

    def ppi_edges(self) -> list[tuple[str, str]]:
        """Every interaction as an (a, b) pair of Entrez ids."""
        ...

    def gene_table(self, names: Collection[str] | None = None) -> dict[str, list[Any]]:
        """Parallel lists ``entrez``, ``symbol``, ``synonyms``, ``hgnc``, ``ensembl`` of the genes.

        ``names``: only the genes whose symbol, a synonym or Ensembl id is one of them
        (case-insensitive, an Ensembl version ignored), which is all a resolver of those names
        needs.
        """
        ...

    def ligand_receptor_pairs(self) -> list[tuple[str, str]]:
        """(ligand, receptor) Entrez pairs of the ``BINDS`` layer."""
        ...

    def regulator_layers(self) -> dict[str, list[Any]]:
        """Parallel lists ``tf, target, mor`` (REGULATES) and ``pathway, gene, weight``."""
        ...

    def perturbations(self) -> dict[str, list[Any]]:
        """Parallel lists ``drug, gene, z`` of the PERTURBS layer."""
        ...

    def disease_gene_sets(self, source: str) -> dict[str, tuple[str, list[str]]]:
        """Disease id -> (name, Entrez genes) of one disease–gene source."""
        ...

    def drug_targets(
        self,
        source: str,
        *,
        categories: list[str] | None,
        approved_only: bool,
        direction_fallback: str | None = None,
        drug_ids: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs of one target source: drug_id, name, groups and lists aligned with targets.

        The lists: targets, directions, direction_sources, symbols, known_actions.
        ``direction_fallback``: a second source whose inhibit/activate direction stands in where
        ``source`` gives none for the same (drug, target) pair; ``direction_sources`` names the
        source of each direction (``source``, or the fallback where it filled one in).
        ``drug_ids``: only these drugs (a ranking page), instead of every drug of the source.
        """
        ...

    def protein_symbols(self, ids: list[str]) -> dict[str, str]:
        """Entrez id -> symbol (ids without a symbol left out)."""
        ...

    def drug_info(self, drug_id: str) -> dict[str, Any] | None:
        """A drug (drug_id, name, targets: entrez, symbol, source, direction), or ``None``."""
        ...

    def drugs_named(self, name: str, limit: int = 5) -> list[tuple[str, str, str | None]]:
        """(id, name, matched) of up to ``limit`` drugs whose name or other name holds ``name``.

        Any case. ``matched`` is the other name (a later source's, e.g. DrugCentral's INN) that
        matched, ``None`` when the name did. Each drug is ordered by its best name: exact names
        first, then names beginning with it, then shorter names, then ids.
        """
        ...

    def paths_statement(self) -> str:
        """The Cypher that draws a drug's shortest paths to a twin, to paste into the Browser.

        Its parameters are ``drug_id``, ``twin_id``, ``source`` and ``max_hops``.
        """
        ...


class TwinVerbs(Protocol):
    """Patients, their inputs and versioned twins (see :class:`~medtwin.store.twins.TwinStore`)."""

    def merge_patient(self, patient_id: str, metadata: dict[str, str]) -> None:
        """Create the patient if new; merge ``metadata`` into its explicit edits (no input)."""
        ...

    def save_activity(
        self, twin_id: str, tfs: list[dict[str, Any]], pathways: list[dict[str, Any]]
    ) -> int:
        """Store the twin's ACTIVITY edges (rows: id, score, p, q, method, n_targets)."""
        ...

    def activity(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored activities: kind, id, name, score, p, q, method, n_targets."""
        ...

    def save_upstream_regulators(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Replace the twin's UPSTREAM_REGULATOR edges.

        Rows: id, rank, centrality, community, activity, q, driver, engine, network,
        louvain_seed, q_max, restart.
        """
        ...

    def upstream_regulators(self, twin_id: str) -> list[dict[str, Any]]:
        """The twin's stored upstream regulators (the rows above + symbol), most central first."""
        ...

    def save_context_activity(self, twin_id: str, rows: list[dict[str, Any]]) -> int:
        """Store ACTIVITY edges per cell type / tissue (rows with context, cell_type, tissue)."""
        ...

    def context_activity(self, twin_id: str, context: str) -> list[dict[str, Any]]:
        """Stored activities of one ``context`` (``cell_type`` | ``tissue``)."""
        ...

    def add_input(self, patient_id: str, input_id: str, props: dict[str, Any]) -> bool:
        """Attach one input; returns whether it was new (the same input twice is one input)."""
        ...

    def record_legacy_metadata(self) -> int:
        """Record each patient of an earlier medtwin's merged metadata as its legacy part.

        (:mod:`medtwin.store.input_metadata`; a patient's next write does it too.) Returns how
        many patients were recorded now; idempotent.
        """
        ...

    def inputs(self, patient_id: str) -> list[dict[str, Any]]:
        """All inputs of a patient (their properties), oldest first."""
        ...

    def add_inputs(
        self,
        patient_id: str,
        metadata: dict[str, str],
        inputs: Sequence[tuple[str, dict[str, Any]]],
        *,
        replace: Collection[str] = (),
        slots: Collection[str] = (),
        ids: Collection[str] = (),
    ) -> InputsStored:
        """Create the patient, attach ``(input_id, props)``, derive its metadata: all or nothing.

        ``replace``: input names (``props["name"]``: the files' names, or the kind of an input
        read from no file), ``slots`` (``props["slot"]``: kind and labels) and input ``ids``
        whose earlier inputs are removed in the same write, but for those being attached (the
        same content is the same input). ``metadata``: explicit key/values (``--note``) merged
        into the patient's edits; each input's own key/values are ``props["metadata_json"]``,
        and the patient's metadata is derived from what remains
        (:mod:`medtwin.store.input_metadata`). Returns whether each input was new and those
        removed. Hold the patient's lock: the earlier inputs are read before the write.
        """
        ...

    def input_digests(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input's ``id``, ``sha256`` and ``name`` only (not its changes), by id."""
        ...

    def input_list(self, patient_id: str) -> list[dict[str, Any]]:
        """Each input described, oldest first (not its changes).

        Keys: ``id``, ``kind``, ``name``, ``slot``, ``added_at``, ``genes`` (distinct genes it
        changes), ``symptoms`` (a count), ``time_points``, ``files_json`` (its files' names ->
        sha256), ``metadata_json`` (what it gives the patient's metadata; None: not recorded).
        """
        ...

    def remove_input(self, patient_id: str, input_id: str) -> dict[str, Any] | None:
        """Remove one input (its whole id) in one write; its :meth:`input_list` row, or None.

        None when the patient has no such input. Its twins stay (they then predate its inputs);
        the patient's metadata is derived again without what the input gave (hold the lock).
        """
        ...

    def latest_twin_inputs(self, patient_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Each patient's latest complete twin and its inputs now, for many patients at once.

        Items: ``id``, ``version``, ``input_checksums_json`` (the twin's) and ``inputs`` (each
        input's ``id``, ``sha256``, ``name``, by id); a patient without a complete twin is absent.
        """
        ...

    def input_checksums(self, patient_ids: Sequence[str]) -> dict[str, list[str]]:
        """Each input's ``file_checksums_json`` per patient, in one lookup for many patients.

        Patients that do not exist or have no input are absent from the result.
        """
        ...

    def patients(
        self, patient_id: str | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Patients with their counts, by id.

        Keys: id, metadata, created_at, inputs, genes, symptoms, versions, unmapped (distinct
        unresolved gene names of the inputs), unmapped_genes (the first 10 by name).
        ``offset`` / ``limit``: one page of that order (``limit`` None: to the end).
        """
        ...

    def count_patients(self) -> int:
        """How many patients there are."""
        ...

    def patients_named_alike(self, patient_id: str) -> list[str]:
        """Ids that equal ``patient_id`` but for case (at most 5, by id); none when it is an id.

        ``GSM389703`` for ``gsm389703``: ids are case-sensitive, but reports and exports are
        files named by id, one file for both on macOS and Windows.
        """
        ...

    def patient_metadata(self) -> list[dict[str, Any]]:
        """Every patient's ``id`` and ``metadata`` (dict), by id: no counts (cohort choice)."""
        ...

    def delete_patient(self, patient_id: str) -> tuple[int, int]:
        """Delete every patient-specific node; returns (nodes, relationships) deleted."""
        ...

    def delete_patients(self, patient_ids: Sequence[str]) -> list[PatientDeleted]:
        """Delete the patients (distinct ids) in ONE transaction, each holding its lock.

        As :meth:`delete_patient` per patient; one result per id, in order. A patient whose lock
        another operation holds is left whole (``held``).
        """
        ...

    def count_patient_data(self, patient_id: str) -> tuple[int, int]:
        """Patient-specific nodes and relationships still present."""
        ...

    def count_patients_nodes(self, patient_ids: Sequence[str]) -> dict[str, int]:
        """Patient-specific nodes still present per patient (one read; none: left out)."""
        ...

    def patients_present(self, patient_ids: Sequence[str]) -> set[str]:
        """Those of ``patient_ids`` that have a Patient node now (one read).

        Asked before a batched deletion and after a batch whose commit lost its answer, to
        tell which of its patients that commit deleted.
        """
        ...

    def next_version(self, patient_id: str) -> int:
        """Version number the next twin of ``patient_id`` gets."""
        ...

    def create_twin(self, spec: TwinSpec, version: int) -> str:
        """Materialise ``spec`` as version ``version`` (status 'building'); returns the twin id."""
        ...

    def complete_twin(self, twin_id: str, props: dict[str, Any]) -> None:
        """Set the build summary and make the twin visible."""
        ...

    def delete_unfinished(self, patient_id: str) -> tuple[int, int]:
        """Remove 'building' twins and rankings of a patient; (twins, rankings)."""
        ...

    def delete_twin(self, twin_id: str) -> None:
        """Delete one twin version."""
        ...

    def twins(self, patient_id: str, version: int | None = None) -> list[dict[str, Any]]:
        """Complete twin versions of a patient (their properties), newest first."""
        ...

    def twin(self, patient_id: str, version: int | None = None) -> dict[str, Any]:
        """One complete twin (latest by default); :class:`~medtwin.errors.NotFoundError` if none."""
        ...

    def genes(self, twin_id: str) -> list[dict[str, Any]]:
        """Genes of a twin with values and centralities, by PageRank.

        Keys: entrez, symbol, role, log2fc, padj, in_module, pagerank, personalised_pagerank,
        betweenness, rwr, community, cell_types.
        """
        ...

    def symptoms(self, twin_id: str) -> list[dict[str, Any]]:
        """Symptoms the twin presents (id, name, kind, genes_in_twin, genes_in_module)."""
        ...

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types (name, n_genes, pagerank, out_signals, in_signals) by PageRank."""
        ...

    def edges(self, twin_id: str) -> list[dict[str, Any]]:
        """PPI, signalling and cell-type EXPRESSES_CHANGE edges (source, target, kind, weight)."""
        ...

    def set_props(self, twin_id: str, props: dict[str, Any]) -> None:
        """Update twin properties."""
        ...

    def analyse(self, twin_id: str, analysis: TwinAnalysis) -> dict[str, Any]:
        """Run the algorithms ``analysis`` names on the twin; returns a summary for the twin."""
        ...


class CohortVerbs(Protocol):
    """Cohort reads and writes (see :class:`~medtwin.store.cohorts.CohortStore`)."""

    def patient_states(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Inputs, latest twin and its rankings per patient."""
        ...

    def top_lists(self, ids: Sequence[str], top: int) -> list[dict[str, Any]]:
        """Ranks ``1..top`` of each patient's latest ranking: one item (``drugs``) per patient."""
        ...

    def twin_modules(self, ids: Sequence[str], *, module_only: bool = True) -> list[dict[str, Any]]:
        """Module genes (or all genes) and their log2fc of each patient's latest twin."""
        ...

    def activities(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Patient-level activities of each latest twin, streamed in batches of patients."""
        ...

    def replace_similarities(
        self, ids: Sequence[str], method: str, rows: Sequence[dict[str, Any]]
    ) -> int:
        """Replace the ``method`` similarities touching ``ids``; return the count stored."""
        ...

    def communities(self, ids: Sequence[str], method: str) -> dict[str, int]:
        """Louvain communities of the ``method`` similarity graph of ``ids``."""
        ...

    def set_endotypes(
        self, method: str, communities: dict[str, int], *, run: str, refresh: str
    ) -> None:
        """Write each patient's community, the run's id and the command that computes it again."""
        ...

    def similar_patients(self, patient_id: str, limit: int) -> list[dict[str, Any]]:
        """Patients joined to ``patient_id`` by similarity, best score first."""
        ...

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
        """Record that an add-cohort of ``inputs`` (file checksums) to ``cohort`` starts.

        Status ``'adding'``, ``samples`` it stores; one record per cohort, set of files and
        ``options`` (JSON of the add's options, or None); with options, it takes over the
        record of the same files without. ``superseded``: ids of records removed in the same
        write (an add with ``replace`` replaces what they added).
        """
        ...

    def finish_load(
        self,
        cohort: str,
        *,
        complete: bool = True,
        inputs: Sequence[str] = (),
        options: str | None = None,
    ) -> None:
        """Mark that add-cohort complete (after its last sample), or failed."""
        ...

    def load_states(self, cohort: str) -> list[dict[str, Any]]:
        """The records of the add-cohorts of ``cohort``, oldest first; empty if there is none."""
        ...

    def add_lock(
        self, cohort: str, *, wait: float = 0.0, waiting: Callable[[str], None] | None = None
    ) -> AbstractContextManager[str]:
        """Hold ``cohort``'s lock while adding it; ConflictError if another process has it.

        With ``wait`` > 0, wait up to that many seconds for it first, calling ``waiting(status)``
        (the add waited for, the seconds left) at each look.
        """
        ...


class InsightVerbs(Protocol):
    """Twin insights (see :class:`~medtwin.store.insights.InsightStore`)."""

    def resemblances(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored disease resemblance of a twin, closest first (empty when none)."""
        ...

    def replace_resemblances(self, twin_id: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the twin's resemblance rows in one step; the number written."""
        ...

    def biomarkers(self, twin_id: str) -> list[dict[str, Any]]:
        """The stored biomarker suggestions of a twin (key, rank, suggestion_json), best first."""
        ...

    def replace_biomarkers(self, twin_id: str, key: str, rows: Sequence[dict[str, Any]]) -> int:
        """Replace the twin's biomarker suggestions (entrez, rank, suggestion_json) for ``key``."""
        ...

    def ligands(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that are ligands of the cell–cell layer."""
        ...


class TissueVerbs(Protocol):
    """A twin's tissue layer (see :class:`~medtwin.store.tissues.TissueStore`)."""

    def set_scores(
        self, twin_id: str, *, tissues: list[dict[str, Any]], cell_types: list[dict[str, Any]]
    ) -> int:
        """Store meta-network scores on the twin's tissues and cell types."""
        ...

    def cell_types(self, twin_id: str) -> list[dict[str, Any]]:
        """Cell types of the twin's tissues with scores and signal counts, most central first."""
        ...

    def signals(self, twin_id: str) -> list[dict[str, Any]]:
        """Signalling links of the tissue layer, cross-tissue first."""
        ...


class PhenotypeModuleVerbs(Protocol):
    """Symptom vocabulary reads and a twin's phenotype module (``PhenotypeStore``)."""

    def known_terms(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The ids that are Symptom or Phenotype terms → ``{name, kind}``."""
        ...

    def cooccurrence(self, ids: list[str]) -> list[tuple[str, str, float, str]]:
        """Co-occurrence edges ``(a, b, weight, kind)`` touching any of ``ids``."""
        ...

    def genes(self, ids: list[str]) -> dict[str, list[str]]:
        """Term id → annotated genes."""
        ...

    def save_module(
        self,
        twin_id: str,
        patient_id: str,
        *,
        props: dict[str, Any],
        terms: list[dict[str, Any]],
        genes: list[dict[str, Any]],
    ) -> None:
        """Store the twin's phenotype module with its terms and linked genes."""
        ...

    def module(self, twin_id: str) -> dict[str, Any] | None:
        """The twin's phenotype module ``{module, terms, genes}``, or ``None``."""
        ...


# Why 100: the first two default pages (limit 50), every cohort summary up to --top 100 and the
# Browser/Bloom examples read relationships only; 100 of ~5,000 drugs keeps the graph part of a
# ranking at 2 % of the old size. Each store's module reads its copy at call time (tests lower it).
RANKING_TOP_N = 100


class RankingVerbs(Protocol):
    """Stored drug rankings (see :class:`~medtwin.store.rankings.RankingStore`)."""

    def save_ranking(
        self,
        twin_id: str,
        ranking_id: str,
        meta: dict[str, Any],
        rows: Sequence[dict[str, Any]],
        *,
        custom: bool = False,
    ) -> dict[str, Any]:
        """Store a ranking (rows best first) and publish it atomically.

        Returns ``meta`` with the published ranking's ``id``, ``twin_id`` and ``created_at``.
        """
        ...

    def latest_ranking(
        self,
        patient_id: str,
        version: int | None = None,
        targets: Sequence[str] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """``(twin, ranking)`` of the latest (or given) complete twin, or ``None``.

        ``targets``: only rankings made with one of these target sources (``None``: any).
        """
        ...

    def ranking_page(
        self,
        ranking: dict[str, Any],
        offset: int = 0,
        limit: int = 50,
        drug_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Drugs ``offset .. offset+limit`` (or the one ``drug_id``): ``{drug_name, score}``."""
        ...


class RegulatorNetworkVerbs(Protocol):
    """Upstream-regulator centrality in GDS (:mod:`medtwin.store.regulator_network`)."""

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
        """Personalised PageRank of the seeds and their Louvain communities.

        More than ``column_budget`` missing PageRank columns: no scores, the seeds in
        ``pending``. The in-memory store raises :class:`~medtwin.errors.UnsupportedByStore`
        (the caller then computes in process).
        """
        ...

    def edges(self, reference_key: str) -> tuple[list[str], list[str]]:
        """The shared projection's edges as two lists of node ids, each pair once."""
        ...

    def edges_kept(self, reference_key: str) -> bool:
        """Whether :meth:`edges` would be a cheap read (kept on disk), not a GDS stream."""
        ...

    def prefill_columns(
        self,
        reference_key: str,
        *,
        damping: float,
        tolerance: float = 1e-9,
        max_iterations: int = 200,
    ) -> tuple[int, float]:
        """Compute every TF's PageRank column before a batch of twins: ``(computed, seconds)``.

        The in-memory store raises :class:`~medtwin.errors.UnsupportedByStore` (nothing to fill).
        """
        ...


class GraphStore(Protocol):
    """The store every service takes (see the module docstring)."""

    @property
    def identity(self) -> str:
        """Which database this is (URI and name), for per-process caches."""
        ...

    @property
    def cache_dir(self) -> Path | None:
        """Folder for files derived from this database's reference (``None``: keep none)."""
        ...

    @property
    def twins(self) -> TwinVerbs:
        """Patient and twin verbs."""
        ...

    @property
    def reference(self) -> ReferenceReads:
        """Reference-graph reads."""
        ...

    @property
    def rankings(self) -> RankingVerbs:
        """Stored drug rankings (top relationships + the full table)."""
        ...

    @property
    def tissues(self) -> TissueVerbs:
        """A twin's tissue layer (multi-tissue twins)."""
        ...

    @property
    def phenotype_modules(self) -> PhenotypeModuleVerbs:
        """Symptom vocabulary and a twin's phenotype module."""
        ...

    @property
    def insights(self) -> InsightVerbs:
        """Stored twin insights (disease resemblance) and the reads behind biomarkers."""
        ...

    @property
    def cohorts(self) -> CohortVerbs:
        """Cohort reads and writes."""
        ...

    @property
    def regulator_network(self) -> RegulatorNetworkVerbs:
        """The shared regulatory + PPI projection (GDS) for upstream-regulator centrality."""
        ...

    def dataset(self, dataset_id: str) -> dict[str, Any] | None:
        """Properties of one Dataset (temporal values as ISO 8601 text), or ``None``."""
        ...

    def datasets(self) -> list[dict[str, Any]]:
        """Properties of every Dataset (temporal values as ISO 8601 text)."""
        ...

    def counts(self) -> dict[str, Any]:
        """Nodes per label and relationships per type with ``by_source``, and ``layers``."""
        ...

    def counts_and_datasets(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """:meth:`counts` and :meth:`datasets` together (``describe``: one read of the datasets)."""
        ...

    def patient_lock(self, patient_id: str, operation: str) -> AbstractContextManager[str]:
        """Hold the patient's lock for a block; :class:`~medtwin.errors.ConflictError` if busy."""
        ...

    def dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """The patient's lock if its holder died; None when free or held by a live operation.

        The lock's ``operation``, ``pid``, ``host`` and ``acquired_at`` say what died.
        """
        ...

    def release_dead_lock(self, patient_id: str) -> dict[str, Any] | None:
        """Remove the patient's lock if its holder died; returns the lock removed, or None."""
        ...

    def running_writes(self) -> list[str]:
        """Writes in progress (transactions, operations holding a patient's lock, cohort adds).

        Each named; a cohort add as ``patient add-cohort of cohort 'trial' (pid 4711 on vm,
        since 2026-12-06 09:36 UTC)`` by both stores.
        """
        ...

    def release_dead_locks(self) -> int:
        """Release locks whose holder is dead; returns how many."""
        ...

    def mark_legacy_status(self) -> tuple[int, int]:
        """Give twins and rankings written before statuses existed one; (twins, rankings)."""
        ...

    def unfinished_patients(self) -> list[str]:
        """Patients with 'building' twins or rankings."""
        ...

    def audit_events(
        self, patient_id: str | None, *, limit: int = 100, offset: int = 0
    ) -> list[AuditEvent]:
        """Recorded accesses, newest first, the newest ``offset`` skipped."""
        ...

    def write_audit_events(self, events: list[dict[str, Any]]) -> None:
        """Write audit events (fields of :class:`~medtwin.store.audit.AuditEvent`).

        An event with ``if_patient_exists`` true is written only when its patient exists (the
        CLI's audit asks so in its one write instead of asking :meth:`patient_exists` first);
        that key is not stored.
        """
        ...

    def patient_exists(self, patient_id: str) -> bool:
        """Whether the patient exists."""
        ...

    def stray_audit_trails(self) -> list[dict[str, Any]]:
        """Trails of ids that name no patient, with no write or delete in them, by id.

        Rows: patient_id, events, first_at, last_at, routes, same_but_case
        (:func:`medtwin.store.audit.stray_trails`).
        """
        ...

    def remove_stray_audit_trails(
        self, patient_ids: Sequence[str], *, actor: str, route: str
    ) -> dict[str, int]:
        """Remove those of ``patient_ids`` still stray, one record event each; {id: removed}."""
        ...

    def readiness(self) -> tuple[str, str]:
        """(database version, GDS version); a :class:`~medtwin.errors.GraphStoreError` if down."""
        ...

    def close(self) -> None:
        """Release connections (nothing to do for the in-memory store)."""
        ...

    def library_rows(self, name: str, params: dict[str, Any]) -> list[LibraryRow]:
        """Rows of a query-library statement, paths and nodes rendered as text."""
        ...


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def twin_node_props(spec: TwinSpec, version: int) -> dict[str, Any]:
    """Properties of the Twin of ``spec`` as version ``version`` (every store writes these)."""
    m = spec.module
    return {
        "id": f"{spec.patient_id}@v{version}",
        "version": version,
        "rules": TWIN_RULES,
        "params_json": spec.params.model_dump_json(),
        "params_hash": spec.params_hash,
        "input_checksums_json": json.dumps(spec.input_checksums, sort_keys=True),
        "seed": spec.params.seed,
        "module_size": m.lcc_size,
        "module_z": _num(m.z),
        "module_p": _num(m.p),
        "module_mu": _num(m.mu),
        "module_sigma": _num(m.sigma),
        "module_samples": m.n_iter,
        "n_seeds": sum(1 for g in spec.genes if g.role == "seed"),
        "n_genes": len(spec.genes),
        "n_changes": spec.n_changes,
        "n_outside_network": spec.n_outside_network,
        "n_seeds_below_fdr": spec.n_seeds_below_fdr,
        "twin_module_size": sum(1 for g in spec.genes if g.in_module),
    }


def checked_version(version: int | None) -> int | None:
    """``version`` if it is ``None`` or an integer, else an :class:`InputError` naming it.

    A version given as text (``"1"``) matched no twin and read as "has no twin version 1".
    """
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise InputError(f"a twin version is an integer (1, 2, ...), got {version!r}")
    return version


def no_patient(patient_id: str, alike: Sequence[str] = ()) -> NotFoundError:
    """The error for a patient that does not exist, with the command that adds one.

    ``alike``: stored ids equal to ``patient_id`` but for case, named instead (the hint to add
    ``gsm389703`` made a second patient beside ``GSM389703``).

    >>> no_patient("gsm1", ["GSM1"]).hint
    'did you mean GSM1? (patient ids are case-sensitive)'

    An id that would not show where it starts and ends is quoted (``shown_name``): ``cohort
    run ''`` said "no patient" and nothing after it.

    >>> no_patient(" GSM1 ", ["GSM1"]).message
    "no patient ' GSM1 '"
    """
    named = shown_name(patient_id)
    if alike:
        return NotFoundError(
            f"no patient {named}",
            hint=f"did you mean {' or '.join(alike)}? (patient ids are case-sensitive)",
        )
    return NotFoundError(
        f"no patient {named}",
        hint=f"add one with `{patient_command('patient add', patient_id, '...')}`",
    )


def no_twin(
    patient_id: str,
    version: int | None,
    *,
    patient_exists: bool,
    versions: Sequence[int] = (),
) -> NotFoundError:
    """The error for a twin lookup that found nothing: no such patient, or no (such) twin.

    ``versions``: the twin versions the patient has, named when another one was asked for.

    >>> print(no_twin("P1", 4, patient_exists=True, versions=[2, 1]).message)
    patient P1 has no twin version 4; its twin versions: 1, 2 (the latest: 2)
    """
    if not patient_exists:
        return no_patient(patient_id)
    if version is not None and versions:
        have = sorted(versions)
        return NotFoundError(
            f"patient {patient_id} has no twin version {version}; its twin versions: "
            f"{', '.join(map(str, have))} (the latest: {have[-1]})",
            hint=f"give one of them, or build a new one with "
            f"`{patient_command('twin build', patient_id)}`",
        )
    what = "twin" if version is None else f"twin version {version}"
    return NotFoundError(
        f"patient {patient_id} has no {what}",
        hint=f"build one with `{patient_command('twin build', patient_id)}`",
    )


def twin_gene_rows(spec: TwinSpec) -> list[dict[str, Any]]:
    """One row per gene of ``spec``: the values its ``INCLUDES`` relationship carries."""
    return [
        {
            "entrez": g.entrez,
            "role": g.role,
            "log2fc": g.log2fc,
            "padj": g.padj,
            "layers": list(g.layers),
            "cell_types": list(g.cell_types),
            "time_points": list(g.time_points),
            "in_module": g.in_module,
            "rwr": g.rwr,
            "evidence": g.evidence,
        }
        for g in spec.genes
    ]
