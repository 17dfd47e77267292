"""Bulk import of the reference graph into an empty database with ``neo4j-admin database import``.

The incremental path (:meth:`medtwin.store.neo4j.Neo4jStore.merge_rows`) sends rows to the
``cypher/load/*.cypher`` statements, which ``MERGE`` nodes and relationships one batch at a time.
For an empty database Neo4j's offline importer writes the store files directly and is an order
of magnitude faster, but it only creates: it cannot merge. :class:`BulkGraph` therefore applies
each load statement's semantics to the same parsed rows in memory (one entry per node id and per
relationship key, ``SET`` overwriting, ``coalesce`` keeping the first value, ``sources`` lists
growing, rows whose ``MATCH``ed node is missing dropped), in load order, and writes the result as
CSV files for the importer. The statement each ``_<row>`` method mirrors is named in its
docstring; ``tests/reliability/test_zz_bulk_import.py`` compares both paths on the real server.

The importer needs the server stopped and an empty (here: overwritten) database; constraints
and indexes, then empty lists are set after it, and ``Dataset`` provenance nodes are written
through the same ``load/start_dataset`` and ``load/finish_dataset`` statements as the
incremental path (all of them in one transaction: :func:`write_datasets`).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from medtwin.cypher.catalog import query, statements
from medtwin.errors import InputError
from medtwin.gc_pause import paused_gc
from medtwin.store.connection import open_driver, translate_errors
from medtwin.store.runner import CypherRunner
from medtwin.store.server import NEO4J_VERSION, LocalServer

__all__ = [
    "ARRAY_DELIMITER",
    "EMPTY_LISTS",
    "EMPTY_LIST_STATEMENTS",
    "BulkFiles",
    "BulkGraph",
    "DatasetRecord",
    "FilesCache",
    "LocalBulkImporter",
    "Table",
    "database_is_empty",
    "empty_database",
    "import_graph",
    "write_datasets",
]

log = logging.getLogger(__name__)

# Unit separator: no source text contains it, so array values need no escaping.
ARRAY_DELIMITER = "\x1f"
# The importer stores no property for an empty array, where ``SET x = []`` stores one: the
# names of a row's empty list properties go into this column, and after the import
# ``bulk/empty_lists_{nodes,relationships}`` set them to ``[]`` and remove the column.
EMPTY_LISTS = "_bulk_empty"
_NodeKey = tuple[str, str]  # (label, id)


# One ``Dataset`` node to write after an import: (name, properties, row counts, seconds).
DatasetRecord = tuple[str, dict[str, Any], dict[str, int], float]


@dataclass
class BulkFiles:
    """CSV files written for ``neo4j-admin database import full``: ``(label or type, path)``."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    multiline: bool = False
    # (is a node label, label or type) of the files with an EMPTY_LISTS column.
    marked: list[tuple[bool, str]] = field(default_factory=list)


class FilesCache(Protocol):
    """Where CSV files are kept between imports (:class:`medtwin.store.bulk_cache.BulkCache`)."""

    def get(self, key: str) -> tuple[BulkFiles, dict[str, Any]] | None: ...  # noqa: D102

    def put(  # noqa: D102
        self, key: str, write: Callable[[Path], BulkFiles], meta: dict[str, Any]
    ) -> BulkFiles: ...

    def database(self, key: str, version: str) -> Path | None: ...  # noqa: D102

    def put_database(  # noqa: D102
        self, key: str, version: str, save: Callable[[Path], None]
    ) -> Path | None: ...


def _add_source(props: dict[str, Any], source: str) -> None:
    sources = props.get("sources") or []
    props["sources"] = sources if source in sources else [*sources, source]


class BulkGraph:
    """The reference graph that the ``load/*`` statements would build, held in memory."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, dict[str, Any]]] = {}
        # (type, start label, end label) -> relationship key -> properties
        self.rels: dict[tuple[str, str, str], dict[tuple[str, ...], dict[str, Any]]] = {}

    # -- generic MERGE helpers ---------------------------------------------------------------
    def _node(self, label: str, node_id: str) -> tuple[dict[str, Any], bool]:
        table = self.nodes.setdefault(label, {})
        props = table.get(node_id)
        if props is None:
            props = table[node_id] = {"id": node_id}
            return props, True
        return props, False

    def _has(self, label: str, node_id: str) -> bool:
        return node_id in self.nodes.get(label, {})

    def _on_create(self, label: str, node_id: str, row: dict[str, Any], **extra: Any) -> None:
        props, created = self._node(label, node_id)
        if created:
            props.update(sources=[row["source"]], source_version=row["source_version"], **extra)

    def _rel(self, rel: str, start: _NodeKey, end: _NodeKey, *key: str) -> dict[str, Any]:
        table = self.rels.setdefault((rel, start[0], end[0]), {})
        return table.setdefault((start[1], end[1], *key), {})

    # -- one method per load statement -------------------------------------------------------
    def add_rows(self, rows: Iterable[BaseModel]) -> int:
        """Apply rows of one type, in order, as their load statement would; returns the count."""
        n = 0
        kind: type | None = None
        handler: Callable[[dict[str, Any]], None] | None = None
        for row in rows:
            if type(row) is not kind:  # a group holds one row type: looked up once, not per row
                kind = type(row)
                handler = getattr(self, f"_{kind.__name__}", None)
                if handler is None:
                    raise InputError(f"no bulk mapping for rows of type {kind.__name__}")
            # the fields as they are (tuples for lists): the CSV writer converts them
            handler(row.__dict__)  # type: ignore[misc]
            n += 1
        return n

    def _GeneRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_proteins."""
        p, _ = self._node("Protein", r["entrez"])
        for k in ("symbol", "name", "synonyms", "hgnc", "ensembl", "gene_type", "source_version"):
            p[k] = r[k]
        _add_source(p, r["source"])

    def _InteractionRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_interactions (and load/create_interactions for a fresh dataset)."""
        self._on_create("Protein", r["a"], r)
        self._on_create("Protein", r["b"], r)
        e = self._rel("INTERACTS_WITH", ("Protein", r["a"]), ("Protein", r["b"]))
        e.update(
            evidence=r["evidence"],
            source=r["source"],
            sources=[r["source"]],
            source_version=r["source_version"],
        )

    def _DrugRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_drugs."""
        d, created = self._node("Drug", r["id"])
        if created:
            d["source_version"] = r["source_version"]
        for k in ("name", "drug_type", "inchikey"):
            d[k] = d.get(k) if d.get(k) is not None else r[k]
        for k in ("groups", "atc_codes"):
            d[k] = d[k] if d.get(k) else r[k]
        _add_source(d, r["source"])

    def _DrugTargetRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_drug_targets."""
        self._on_create("Drug", r["drug_id"], r, name=r["drug_id"])
        self._on_create("Protein", r["entrez"], r)
        e = self._rel("TARGETS", ("Drug", r["drug_id"]), ("Protein", r["entrez"]), r["source"])
        e.update(
            source=r["source"],
            actions=r["actions"],
            direction=r["direction"],
            category=r["category"],
            known_action=r["known_action"],
            sources=[r["source"]],
            source_version=r["source_version"],
        )

    def _DiseaseRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_diseases."""
        d, created = self._node("Disease", r["id"])
        if created:
            d["source_version"] = r["source_version"]
        for k in ("name", "mesh_id"):
            d[k] = d.get(k) if d.get(k) is not None else r[k]
        _add_source(d, r["source"])

    def _DiseaseGeneRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_disease_genes."""
        if not self._has("Disease", r["disease_id"]):
            return
        self._on_create("Protein", r["entrez"], r)
        e = self._rel(
            "ASSOCIATED_WITH", ("Disease", r["disease_id"]), ("Protein", r["entrez"]), r["source"]
        )
        e.update(
            source=r["source"],
            evidence=r["evidence"],
            sources=[r["source"]],
            source_version=r["source_version"],
        )

    def _named(self, label: str, r: dict[str, Any]) -> None:
        n, _ = self._node(label, r["id"])
        n.update(name=r["name"], source_version=r["source_version"])
        _add_source(n, r["source"])

    def _SymptomRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_symptoms."""
        self._named("Symptom", r)

    def _PhenotypeRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_phenotypes."""
        self._named("Phenotype", r)

    def _link(self, rel: str, start: _NodeKey, end: _NodeKey, *key: str) -> dict[str, Any] | None:
        """A relationship between two ``MATCH``ed nodes, or ``None`` when either is missing."""
        if not (self._has(*start) and self._has(*end)):
            return None
        return self._rel(rel, start, end, *key)

    def _DiseaseSymptomRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_disease_symptoms."""
        e = self._link(
            "HAS_SYMPTOM", ("Disease", r["disease_id"]), ("Symptom", r["symptom_id"]), r["source"]
        )
        if e is not None:
            e.update(
                source=r["source"],
                tfidf=r["tfidf"],
                cooccurs=r["cooccurs"],
                sources=[r["source"]],
                source_version=r["source_version"],
            )

    def _CoOccurrenceRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_symptom_cooccurrence and load/merge_phenotype_cooccurrence."""
        label = r["label"]
        e = self._link("CO_OCCURS_WITH", (label, r["a"]), (label, r["b"]))
        if e is not None:
            e.update(
                weight=r["weight"],
                shared=r["shared"],
                method=r["method"],
                sources=[r["source"]],
                source_version=r["source_version"],
            )

    def _PhenotypeIsARow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_phenotype_is_a."""
        e = self._link("IS_A", ("Phenotype", r["child"]), ("Phenotype", r["parent"]))
        if e is not None:
            e.update(sources=[r["source"]], source_version=r["source_version"])

    def _GenePhenotypeRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_gene_phenotypes (and load/create_gene_phenotypes)."""
        if not self._has("Phenotype", r["phenotype_id"]):
            return
        self._on_create("Protein", r["entrez"], r)
        e = self._rel("HAS_PHENOTYPE", ("Protein", r["entrez"]), ("Phenotype", r["phenotype_id"]))
        e.update(sources=[r["source"]], source_version=r["source_version"])

    def _DiseasePhenotypeRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_disease_phenotypes (and load/create_disease_phenotypes)."""
        e = self._link(
            "HAS_PHENOTYPE", ("Disease", r["disease_id"]), ("Phenotype", r["phenotype_id"])
        )
        if e is not None:
            e.update(sources=[r["source"]], source_version=r["source_version"])

    def _LigandReceptorRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_ligand_receptors."""
        self._on_create("Protein", r["ligand_entrez"], r, symbol=r["ligand_symbol"])
        self._on_create("Protein", r["receptor_entrez"], r, symbol=r["receptor_symbol"])
        e = self._rel(
            "BINDS",
            ("Protein", r["ligand_entrez"]),
            ("Protein", r["receptor_entrez"]),
            r["source"],
        )
        e.update(
            source=r["source"],
            resource=r["resource"],
            sources=[r["source"]],
            source_version=r["source_version"],
        )

    def _RegulationRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_regulations."""
        self._on_create("Protein", r["tf_entrez"], r, symbol=r["tf_symbol"])
        self._on_create("Protein", r["target_entrez"], r, symbol=r["target_symbol"])
        e = self._rel(
            "REGULATES", ("Protein", r["tf_entrez"]), ("Protein", r["target_entrez"]), r["source"]
        )
        e.update(
            source=r["source"],
            mor=r["mor"],
            confidence=r["confidence"],
            sources=[r["source"]],
            source_version=r["source_version"],
        )

    def _FootprintRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_footprints."""
        self._on_create("Pathway", r["pathway"], r, name=r["pathway"])
        self._on_create("Protein", r["entrez"], r, symbol=r["symbol"])
        e = self._rel("FOOTPRINT", ("Pathway", r["pathway"]), ("Protein", r["entrez"]), r["source"])
        e.update(
            source=r["source"],
            weight=r["weight"],
            sources=[r["source"]],
            source_version=r["source_version"],
        )

    def _PerturbationRow(self, r: dict[str, Any]) -> None:  # noqa: N802
        """load/merge_perturbations."""
        self._on_create("Drug", r["drug_id"], r, name=r["drug_id"])
        self._on_create("Protein", r["entrez"], r)
        e = self._rel("PERTURBS", ("Drug", r["drug_id"]), ("Protein", r["entrez"]), r["source"])
        e.update(
            source=r["source"], z=r["z"], sources=[r["source"]], source_version=r["source_version"]
        )

    # -- CSV ---------------------------------------------------------------------------------
    def tables(self) -> list[Table]:
        """The node and relationship tables to write, in a stable order."""
        out: list[Table] = []
        for label, table in sorted(self.nodes.items()):
            out.append(
                Table(
                    label,
                    f"nodes_{label}.csv",
                    [f"id:ID({label})"],
                    [((props["id"],), props) for props in table.values()],
                    node=True,
                    skip=frozenset({"id"}),
                )
            )
        for (rel, start, end), edges in sorted(self.rels.items()):
            out.append(
                Table(
                    rel,
                    f"rels_{rel}_{start}_{end}.csv",
                    [f":START_ID({start})", f":END_ID({end})"],
                    [((k[0], k[1]), v) for k, v in edges.items()],
                    node=False,
                )
            )
        return out

    def write_csv(self, folder: Path) -> BulkFiles:
        """Write one CSV per label and per (type, start label, end label) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        files = BulkFiles()
        for table in self.tables():
            multiline, empties = _write(folder / table.file, table)
            files.multiline |= multiline
            (files.nodes if table.node else files.relationships).append(
                (table.name, folder / table.file)
            )
            files.counts[table.name] = files.counts.get(table.name, 0) + len(table.rows)
            if empties:
                files.marked.append((table.node, table.name))
        files.marked = sorted(set(files.marked))
        return files


@dataclass
class Table:
    """One importer CSV: its label or type, file name, id columns and ``(ids, properties)`` rows."""

    name: str
    file: str
    id_header: list[str]
    rows: list[tuple[tuple[str, ...], dict[str, Any]]]
    node: bool
    skip: frozenset[str] = frozenset()


def _kind(types: set[type], inner: set[type], key: str) -> str:
    """The importer type of a column from the Python types seen in it."""
    if types <= {list, tuple}:
        return f"{_kind(inner, set(), key) if inner else 'string'}[]"
    if bool in types:
        if types != {bool}:
            raise InputError(f"bulk import: property {key!r} mixes booleans with {types}")
        return "boolean"
    if types <= {int}:
        return "long"
    if types <= {int, float}:
        return "double"
    if types <= {str}:
        return "string"
    raise InputError(
        f"bulk import: property {key!r} mixes types {sorted(t.__name__ for t in types)}",
        hint="a loader yields one type per row field; check its row model",
    )


def _quoted(v: str) -> str:
    return '"' + v.replace('"', '""') + '"'


def _converter(kind: str, flags: list[bool]) -> Callable[[Any], str]:
    """``value -> quoted CSV cell`` for one column; results cached (most values repeat).

    A null and an empty list give an empty unquoted cell (no property; the empty list is named
    in the ``_bulk_empty`` column instead), pre-seeded in the cache so the row loop of
    :func:`_write` makes one call per cell and no test.
    """
    cache: dict[Any, str] = {None: ""}

    def scalar(v: Any) -> str:
        if kind.startswith("boolean"):
            return "true" if v else "false"
        if kind.startswith("double"):
            return repr(float(v))
        text = str(v)
        if "\n" in text or "\r" in text:
            flags[0] = True
        return text

    if kind.endswith("[]"):
        cache[()] = ""

        def convert(v: Any) -> str:
            key = v if v is None or type(v) is tuple else tuple(v)
            got = cache.get(key)
            if got is None:
                got = cache[key] = _quoted(ARRAY_DELIMITER.join(scalar(x) for x in v))
            return got

    else:
        get = cache.get

        def convert(v: Any) -> str:
            got = get(v)
            if got is None:
                got = cache[v] = _quoted(scalar(v))
                if len(cache) > 200_000:  # mostly unique values (e.g. z-scores): bound the memory
                    cache.clear()
                    cache[None] = ""
            return got

    return convert


def _write(path: Path, table: Table) -> tuple[bool, bool]:
    """Write ``table``; returns (a value spans lines, some rows carry empty lists).

    Every value is quoted; a null is an empty unquoted field, which the importer stores as no
    property, while ``""`` is an empty string, as ``SET x = ''`` would store. Empty lists, which the
    importer cannot store, are named in the ``_bulk_empty`` column (see :func:`import_graph`).
    """
    # the types seen per column, column by column (comprehensions: ~2x the row-by-row loop at
    # ten million rows); a column that is never set stays out (all null: no property)
    dicts = [props for _, props in table.rows]
    types: dict[str, set[type]] = {}
    inner: dict[str, set[type]] = {}
    any_empty = False
    for k in sorted(set().union(*dicts)):
        values = [v for props in dicts if (v := props.get(k)) is not None]
        if not values:
            continue
        seen = types[k] = set(map(type, values))
        if seen <= {list, tuple}:  # a column mixing lists and scalars is refused by _kind
            inner[k] = {type(x) for v in values for x in v}
            any_empty = any_empty or not all(values)
    keys = sorted(set(types) - table.skip)
    kinds = {k: _kind(types[k], inner.get(k, set()), k) for k in keys}
    list_keys = [k for k in keys if kinds[k].endswith("[]")]
    flags = [False]
    convert = [_converter(kinds[k], flags) for k in keys]
    header = table.id_header + [f"{k}:{kinds[k]}" for k in keys]
    if any_empty:
        header.append(f"{EMPTY_LISTS}:string[]")
    # ids repeat (a relationship table names each node many times): quoted once each
    ids_cache: dict[str, str] = {}

    def quoted_id(i: str) -> str:
        got = ids_cache.get(i)
        if got is None:
            got = ids_cache[i] = _quoted(i)
        return got

    columns = list(zip(keys, convert, strict=True))
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        lines: list[str] = []
        for ids, props in table.rows:
            get = props.get
            cells = [*map(quoted_id, ids), *[conv(get(k)) for k, conv in columns]]
            if any_empty:
                empty = [k for k in list_keys if (v := get(k)) is not None and not v]
                cells.append(_quoted(ARRAY_DELIMITER.join(empty)) if empty else "")
            lines.append(",".join(cells))
            if len(lines) >= 50_000:  # one write per block: fewer calls, bounded memory
                lines.append("")
                f.write("\n".join(lines))
                lines.clear()
        if lines:
            lines.append("")
            f.write("\n".join(lines))
    multiline = flags[0] or any("\n" in i or "\r" in i for ids, _ in table.rows for i in ids)
    return multiline, any_empty


def database_is_empty(store: CypherRunner) -> bool:
    """Whether the database holds no node at all (the bulk importer replaces the database)."""
    got = store.read("admin/any_node")
    return not (got and got[0]["any"])


def empty_database(server: LocalServer) -> float:
    """Replace the database with an empty one (no schema either); returns the importer's seconds.

    The importer with a header-only file: much faster than deleting a large graph with Cypher
    (which a small test heap may not survive). The server is stopped and started around it as
    for an import; Drivers must reconnect afterwards. For tests and benchmarks.
    """
    home = server.settings.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home, prefix="bulk-empty-") as tmp:
        path = Path(tmp) / "nodes_empty.csv"
        path.write_text("id:ID\n", encoding="utf-8")
        return server.import_full([("BulkEmpty", path)], [])


def _create_schema(store: CypherRunner) -> None:
    """Every constraint and index of ``schema/constraints`` in ONE transaction.

    Created together, the indexes of a label are populated in one scan of the imported store
    instead of one scan per statement.
    """
    with (
        translate_errors(store.settings.neo4j_uri),
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        for statement in statements("schema/constraints"):
            tx.run(statement).consume()
        tx.commit()


# Relationship types whose rows carry list properties (``loaders/rows.py``: interaction evidence,
# drug-target actions), each with a statement that scans that type only; any other marked type
# falls back to ``bulk/empty_lists_relationships``, which scans every relationship.
EMPTY_LIST_STATEMENTS = {
    "INTERACTS_WITH": "bulk/empty_lists_interacts_with",
    "TARGETS": "bulk/empty_lists_targets",
}


def _set_empty_lists(store: CypherRunner, marked: Sequence[tuple[bool, str]]) -> None:
    """Every ``bulk/empty_lists_*`` statement in ONE write transaction (one commit).

    Nodes of every label in one scan of all nodes; relationships by type.
    """
    if not marked:
        return
    with (
        translate_errors(store.settings.neo4j_uri),
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        if any(node for node, _ in marked):
            tx.run(query("bulk/empty_lists_nodes")).consume()
        for node, name in marked:
            if node:
                continue
            own = EMPTY_LIST_STATEMENTS.get(name)
            if own is not None:
                tx.run(query(own)).consume()
            else:
                tx.run(query("bulk/empty_lists_relationships"), type=name).consume()
        tx.commit()


def write_datasets(store: CypherRunner, datasets: Sequence[DatasetRecord]) -> None:
    """The ``Dataset`` nodes of an import, in ONE write transaction.

    Each through ``load/start_dataset`` then ``load/finish_dataset``, the incremental path's
    statements, so the nodes are the same; one commit instead of two per dataset.
    """
    with (
        translate_errors(store.settings.neo4j_uri),
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        for name, props, counts, seconds in datasets:
            tx.run(query("load/start_dataset"), id=name, props=props).consume()
            tx.run(query("load/finish_dataset"), id=name, counts=counts, seconds=seconds).consume()
        tx.commit()


def import_graph(
    files: BulkFiles,
    server: LocalServer,
    store: CypherRunner,
    *,
    stopping: Future[bool] | None = None,
    saved: Path | None = None,
    keep: Callable[[Callable[[Path], None]], object] | None = None,
) -> dict[str, Any]:
    """Import the CSV ``files`` with the server stopped, then create the schema and empty lists.

    ``stopping`` is a server stop already under way (begun while the rows were parsed);
    otherwise the server is stopped here. It is started again afterwards (also when the import
    fails) if it was running. Constraints and indexes are created in one transaction, then
    empty lists, which the importer cannot store, are set from the ``_bulk_empty`` column in
    another. Returns the seconds of each phase and ``counts``.

    ``saved``: database files the importer made of these same ``files`` earlier
    (:meth:`LocalServer.save_database`); they are copied back instead of importing again.
    ``keep``: called with :meth:`LocalServer.save_database` right after an import, while the
    server is still stopped, to keep the importer's output for a later ``saved``.
    """
    figures: dict[str, Any] = {}
    was_running = False
    try:
        t0 = time.perf_counter()
        was_running = stopping.result() if stopping is not None else server.stop()
        figures["stop_wait_seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        if saved is not None:
            server.load_database(saved)
            figures["restore_seconds"] = time.perf_counter() - t0
        else:
            figures["import_seconds"] = server.import_full(
                files.nodes, files.relationships, multiline=files.multiline
            )
            if keep is not None:
                t0 = time.perf_counter()
                keep(server.save_database)
                figures["keep_seconds"] = time.perf_counter() - t0
    finally:
        t0 = time.perf_counter()
        if was_running:
            server.start()
        figures["start_seconds"] = time.perf_counter() - t0
    # The import starts a new transaction log: a Driver's bookmarks from before it point past its
    # end, so this process reconnects (other clients must too, as after `db restore`).
    store.driver.close()
    store.driver = open_driver(store.settings)
    # The schema first: its constraint indexes are populated before it commits, the other
    # indexes in the background, meanwhile the empty lists are set (their properties are not
    # indexed). The other order measured ~4 s slower (the population then slowed the Dataset
    # writes instead).
    t0 = time.perf_counter()
    _create_schema(store)
    figures["schema_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _set_empty_lists(store, files.marked)
    figures["empty_lists_seconds"] = time.perf_counter() - t0
    figures["counts"] = files.counts
    log.info("bulk import: %s", {k: v for k, v in figures.items() if k != "counts"})
    return figures


class LocalBulkImporter:
    """The bulk importer of the local server (:class:`~medtwin.store.server.LocalServer`).

    With a ``cache`` (a :class:`FilesCache`: :class:`~medtwin.store.bulk_cache.BulkCache`) the
    CSV files are kept, keyed by the caller's fingerprint of the source files, so importing the
    same reference again skips parsing, the in-memory MERGE and the CSV writing
    (:meth:`import_cached`); so are the database files the importer made of them, copied while
    the server is still stopped after the import, so that a re-import copies them back instead
    of running ``neo4j-admin`` again.
    """

    def __init__(
        self, store: CypherRunner, server: LocalServer, *, cache: FilesCache | None = None
    ) -> None:
        self.store = store
        self.server = server
        self.cache = cache
        self._pool: ThreadPoolExecutor | None = None
        self._stopping: Future[bool] | None = None

    def is_available(self) -> bool:
        """Whether the project-managed server is installed and running (it serves the store)."""
        return self.server.is_installed() and self.server.pid() is not None

    def is_empty(self) -> bool:
        """Whether the database holds no node."""
        return database_is_empty(self.store)

    def write_datasets(self, datasets: Sequence[DatasetRecord]) -> None:
        """Write the import's ``Dataset`` nodes in one transaction (:func:`write_datasets`)."""
        write_datasets(self.store, datasets)

    def begin(self) -> None:
        """Start stopping the server in the background (the caller parses meanwhile).

        :meth:`import_rows` waits for it and starts the server again; a caller that gives up
        before that calls :meth:`abort`.
        """
        if self._stopping is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="bulk-stop")
            self._stopping = self._pool.submit(self.server.stop)

    def abort(self) -> None:
        """Undo :meth:`begin`: wait for the stop, then start the server again if it ran."""
        stopping, self._stopping = self._stopping, None
        if stopping is not None and stopping.result():
            self.server.start()
        self._close_pool()

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _keeper(self, cache_key: str) -> Callable[[Callable[[Path], None]], object] | None:
        """How :func:`import_graph` keeps the importer's output beside ``cache_key``'s CSV."""
        cache = self.cache
        if cache is None:
            return None
        return lambda save: cache.put_database(cache_key, NEO4J_VERSION, save)

    def import_cached(self, cache_key: str) -> dict[str, Any] | None:
        """Import the CSV files cached under ``cache_key``; ``None`` when there are none.

        Where the database files the importer made of them were kept, those are copied back
        instead (``restore_seconds`` in the figures). The figures carry the ``meta`` stored
        with them by :meth:`import_rows`.
        """
        got = self.cache.get(cache_key) if self.cache is not None else None
        if got is None:
            return None
        files, meta = got
        assert self.cache is not None  # noqa: S101 -- got is not None
        saved = self.cache.database(cache_key, NEO4J_VERSION)
        self.begin()
        try:
            figures = import_graph(
                files,
                self.server,
                self.store,
                stopping=self._stopping,
                saved=saved,
                keep=None if saved is not None else self._keeper(cache_key),
            )
        finally:
            self._stopping = None
            self._close_pool()
        figures.update(cached=True, meta=meta, graph_seconds=0.0, csv_seconds=0.0)
        return figures

    def import_rows(
        self,
        groups: Sequence[Sequence[BaseModel]],
        *,
        cache_key: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Apply ``groups`` (in load order) to a :class:`BulkGraph` and import it.

        With ``cache_key`` (and a cache) the CSV files are kept for :meth:`import_cached`,
        together with ``meta``.
        """
        self.begin()
        try:
            t0 = time.perf_counter()
            with paused_gc():  # millions of acyclic dicts: see medtwin.gc_pause
                graph = BulkGraph()
                for group in groups:
                    graph.add_rows(group)
            graph_s = time.perf_counter() - t0
            home = self.server.settings.home.resolve()
            home.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=home, prefix="bulk-import-") as tmp:
                t0 = time.perf_counter()
                with paused_gc():
                    if cache_key is not None and self.cache is not None:
                        files = self.cache.put(cache_key, graph.write_csv, meta or {})
                    else:
                        files = graph.write_csv(Path(tmp))
                csv_s = time.perf_counter() - t0
                del graph  # the importer JVM needs the memory
                figures = import_graph(
                    files,
                    self.server,
                    self.store,
                    stopping=self._stopping,
                    keep=self._keeper(cache_key) if cache_key is not None else None,
                )
        except BaseException:
            if self._stopping is not None:
                self.abort()
            raise
        finally:
            self._stopping = None
            self._close_pool()
        figures.update(cached=False, graph_seconds=graph_s, csv_seconds=csv_s)
        return figures
