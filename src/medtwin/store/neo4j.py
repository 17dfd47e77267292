"""The Neo4j implementation of the graph store: reference loads, provenance and counts.

Writes are batched ``UNWIND $rows`` statements in managed write transactions (retried by the
driver on transient errors) of ``settings.batch_size`` rows. Every statement ``MERGE``s on the
constrained ``id``, so reruns change nothing. Patient twins live in :mod:`medtwin.store.twins`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, LiteralString

import neo4j
from pydantic import BaseModel

from medtwin.cypher.catalog import query, statements
from medtwin.errors import InputError
from medtwin.loaders import rows as R
from medtwin.settings import Settings
from medtwin.store.connection import open_driver, translate_errors

__all__ = ["Neo4jStore", "Progress", "query_for_row"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None]

_ROW_QUERIES: dict[type[BaseModel], str] = {
    R.GeneRow: "load/merge_proteins",
    R.InteractionRow: "load/merge_interactions",
    R.DrugRow: "load/merge_drugs",
    R.DrugTargetRow: "load/merge_drug_targets",
    R.DiseaseRow: "load/merge_diseases",
    R.DiseaseGeneRow: "load/merge_disease_genes",
    R.SymptomRow: "load/merge_symptoms",
    R.DiseaseSymptomRow: "load/merge_disease_symptoms",
    R.PhenotypeRow: "load/merge_phenotypes",
    R.PhenotypeIsARow: "load/merge_phenotype_is_a",
    R.GenePhenotypeRow: "load/merge_gene_phenotypes",
    R.DiseasePhenotypeRow: "load/merge_disease_phenotypes",
    R.LigandReceptorRow: "load/merge_ligand_receptors",
}


# CREATE instead of MERGE for the edges of a dataset that was never loaded (nothing to match),
# ~3x faster for the three largest edge sets; reruns and resumed loads always MERGE.
_FRESH_QUERIES: dict[str, str] = {
    "load/merge_interactions": "load/create_interactions",
    "load/merge_gene_phenotypes": "load/create_gene_phenotypes",
    "load/merge_disease_phenotypes": "load/create_disease_phenotypes",
}


def query_for_row(row: BaseModel, *, fresh: bool = False) -> str:
    """Name of the catalog statement that writes rows of ``row``'s type.

    ``fresh`` selects the CREATE variant where one exists (dataset never loaded before).
    """
    name = _query_for_row(row)
    return _FRESH_QUERIES.get(name, name) if fresh else name


def _query_for_row(row: BaseModel) -> str:
    if isinstance(row, R.CoOccurrenceRow):
        return (
            "load/merge_symptom_cooccurrence"
            if row.label == "Symptom"
            else "load/merge_phenotype_cooccurrence"
        )
    try:
        return _ROW_QUERIES[type(row)]
    except KeyError:
        raise InputError(f"no load statement for rows of type {type(row).__name__}") from None


def _batches(rows: Iterable[BaseModel], size: int) -> Iterator[list[BaseModel]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


class Neo4jStore:
    """Graph store backed by one Neo4j database.

    Parameters
    ----------
    driver
        The process's Driver (see :func:`Neo4jStore.open`).
    settings
        Database name, URI (for messages) and batch size.
    """

    def __init__(self, driver: neo4j.Driver, settings: Settings) -> None:
        self.driver = driver
        self.settings = settings
        self.database = settings.neo4j_database

    @classmethod
    def open(cls, settings: Settings) -> Neo4jStore:
        """Open a verified Driver and wrap it."""
        return cls(open_driver(settings), settings)

    def close(self) -> None:
        """Close the Driver."""
        self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- low level -------------------------------------------------------------------------
    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the catalog statement ``name`` as a read and return its records as dicts."""
        with translate_errors(self.settings.neo4j_uri):
            records, _, _ = self.driver.execute_query(
                query(name), params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        return [r.data() for r in records]

    def read_raw(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Like :meth:`read` but keeps graph values (nodes, paths) as driver objects."""
        with translate_errors(self.settings.neo4j_uri):
            records, _, _ = self.driver.execute_query(
                query(name), params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        return [{key: r[key] for key in r.keys()} for r in records]  # noqa: SIM118

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the catalog statement ``name`` in one write transaction."""
        with translate_errors(self.settings.neo4j_uri):
            records, _, _ = self.driver.execute_query(query(name), params, database_=self.database)
        return [r.data() for r in records]

    def _write_batch(self, text: LiteralString, batch: list[dict[str, Any]]) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(text, rows=batch).consume()

        with (
            translate_errors(self.settings.neo4j_uri),
            self.driver.session(database=self.database) as session,
        ):
            session.execute_write(work)

    # -- schema and reference loads -------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create constraints and indexes (idempotent)."""
        with translate_errors(self.settings.neo4j_uri):
            for statement in statements("schema/constraints"):
                self.driver.execute_query(statement, database_=self.database)

    def merge_rows(
        self, rows: Iterable[BaseModel], progress: Progress | None = None, *, fresh: bool = False
    ) -> int:
        """Write rows of one type in batches; returns the number of rows written.

        ``fresh=True`` promises that the rows' dataset was never loaded (see ``_FRESH_QUERIES``).
        """
        total = 0
        text: LiteralString | None = None
        for batch in _batches(rows, self.settings.batch_size):
            if text is None:
                text = query(query_for_row(batch[0], fresh=fresh))
            self._write_batch(text, [r.model_dump(mode="json") for r in batch])
            total += len(batch)
            log.debug("wrote %d %s rows", len(batch), type(batch[0]).__name__)
            if progress is not None:
                progress(len(batch))
        return total

    def start_dataset(self, dataset_id: str, props: dict[str, Any]) -> dict[str, Any]:
        """Mark ``dataset_id`` as loading; return its previous status, sha256 and loader."""
        return self.write("load/start_dataset", id=dataset_id, props=props)[0]

    def finish_dataset(self, dataset_id: str, counts: dict[str, int], seconds: float) -> None:
        """Mark ``dataset_id`` complete with its row counts."""
        self.write("load/finish_dataset", id=dataset_id, counts=counts, seconds=seconds)

    def dataset(self, dataset_id: str) -> dict[str, Any] | None:
        """Properties of one Dataset node, or ``None``."""
        got = self.read("load/get_dataset", id=dataset_id)
        return got[0]["dataset"] if got else None

    def datasets(self) -> list[dict[str, Any]]:
        """Properties of every Dataset node (temporal values as ISO 8601 text)."""
        return [
            {k: v.iso_format() if hasattr(v, "iso_format") else v for k, v in r["dataset"].items()}
            for r in self.read("query/list_datasets")
        ]

    def counts(self) -> dict[str, Any]:
        """Count nodes per label and relationships per type, each with a ``by_source`` breakdown.

        A node named by two sources counts once in ``total`` and once under each source.
        """
        nodes: dict[str, dict[str, Any]] = {
            r["label"]: {"total": r["n"], "by_source": {}}
            for r in self.read("query/count_label_totals")
        }
        for r in self.read("query/count_labels"):
            nodes[r["label"]]["by_source"][r["source"] or "(none)"] = r["n"]
        rels: dict[str, dict[str, Any]] = {
            r["type"]: {"total": r["n"], "by_source": {}}
            for r in self.read("query/count_relationship_totals")
        }
        for r in self.read("query/count_relationships"):
            rels[r["type"]]["by_source"][r["source"] or "(none)"] = r["n"]
        layers = self.read("query/count_layer_nodes")
        return {"nodes": nodes, "relationships": rels, "layers": layers[0] if layers else {}}
