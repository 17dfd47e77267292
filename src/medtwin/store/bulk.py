"""Bulk import of the reference graph into an empty database with ``neo4j-admin database import``.

The incremental path (:meth:`medtwin.store.neo4j.Neo4jStore.merge_rows`) sends rows to the
``cypher/load/*.cypher`` statements, which ``MERGE`` nodes and relationships one batch at a time.
For an empty database Neo4j's offline importer writes the store files directly and is an order
of magnitude faster, but it only creates: it cannot merge. :class:`BulkGraph` therefore applies
each load statement's semantics to the same parsed rows in memory (one entry per node id and per
relationship key, ``SET`` overwriting, ``coalesce`` keeping the first value, ``sources`` lists
growing, rows whose ``MATCH``ed node is missing dropped), in load order, and writes the result as
CSV files for the importer. The statement each ``_<row>`` method mirrors is named in its
docstring; ``tests/integration/test_bulk_import.py`` compares both paths on the real server.

The importer needs the server stopped and an empty (here: overwritten) database; constraints and
indexes are created after it, and ``Dataset`` provenance nodes are written through the same
``load/start_dataset`` and ``load/finish_dataset`` statements as the incremental path.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from medtwin.errors import InputError
from medtwin.store.connection import open_driver
from medtwin.store.runner import CypherRunner
from medtwin.store.server import LocalServer

__all__ = [
    "ARRAY_DELIMITER",
    "BulkFiles",
    "BulkGraph",
    "LocalBulkImporter",
    "database_is_empty",
    "import_graph",
]

log = logging.getLogger(__name__)

# Unit separator: no source text contains it, so array values need no escaping.
ARRAY_DELIMITER = "\x1f"
# The importer stores no property for an empty array, where ``SET x = []`` stores one; these
# statements set them after the import (by label, or by (type, start label, end label)).
_EMPTY_ARRAYS: dict[str | tuple[str, str, str], str] = {
    "Protein": "bulk/empty_arrays_protein",
    "Drug": "bulk/empty_arrays_drug",
    ("TARGETS", "Drug", "Protein"): "bulk/empty_arrays_targets",
    ("INTERACTS_WITH", "Protein", "Protein"): "bulk/empty_arrays_interactions",
}
_NodeKey = tuple[str, str]  # (label, id)


@dataclass
class BulkFiles:
    """CSV files written for ``neo4j-admin database import full``: ``(label or type, path)``."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    multiline: bool = False
    # Empty lists, which the importer cannot write: statement -> rows for it (see _EMPTY_ARRAYS).
    empty_arrays: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


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
        for row in rows:
            handler = getattr(self, f"_{type(row).__name__}", None)
            if handler is None:
                raise InputError(f"no bulk mapping for rows of type {type(row).__name__}")
            handler(row.model_dump(mode="json"))
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

    # -- CSV ---------------------------------------------------------------------------------
    def write_csv(self, folder: Path) -> BulkFiles:
        """Write one CSV per label and per (type, start label, end label) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        files = BulkFiles()
        for label, table in sorted(self.nodes.items()):
            path = folder / f"nodes_{label}.csv"
            files.multiline |= _write(
                path, [f"id:ID({label})"], ["id"], table.values(), skip={"id"}
            )
            files.nodes.append((label, path))
            files.counts[label] = len(table)
            for props in table.values():
                empty = {k: v for k, v in props.items() if v == []}
                if empty:
                    files.empty_arrays.setdefault(_empty_query(label), []).append(
                        {"id": props["id"], "empty": empty}
                    )
        for (rel, start, end), edges in sorted(self.rels.items()):
            path = folder / f"rels_{rel}_{start}_{end}.csv"
            rows = ({"_start": k[0], "_end": k[1], **v} for k, v in edges.items())
            files.multiline |= _write(
                path,
                [f":START_ID({start})", f":END_ID({end})"],
                ["_start", "_end"],
                list(rows),
                skip={"_start", "_end"},
            )
            files.relationships.append((rel, path))
            files.counts[rel] = files.counts.get(rel, 0) + len(edges)
            for k, props in edges.items():
                empty = {key: v for key, v in props.items() if v == []}
                if empty:
                    files.empty_arrays.setdefault(_empty_query((rel, start, end)), []).append(
                        {"a": k[0], "b": k[1], "source": props.get("source"), "empty": empty}
                    )
        return files


def _empty_query(key: str | tuple[str, str, str]) -> str:
    try:
        return _EMPTY_ARRAYS[key]
    except KeyError:
        raise InputError(
            f"bulk import: empty list values on {key}, which has no statement in _EMPTY_ARRAYS"
        ) from None


def _kind(values: Iterable[Any]) -> str:
    """The importer type of a column (``string``, ``long``, ``double``, ``boolean``, arrays)."""
    seen: set[str] = set()
    for v in values:
        if v is None:
            continue
        if isinstance(v, list):
            inner = {_kind([x]) for x in v}
            seen.add(f"{inner.pop() if inner else 'string'}[]")
        elif isinstance(v, bool):
            seen.add("boolean")
        elif isinstance(v, int):
            seen.add("long")
        elif isinstance(v, float):
            seen.add("double")
        else:
            seen.add("string")
    if seen <= {"long", "double"} and "double" in seen:
        return "double"
    if seen <= {"long[]", "double[]"} and "double[]" in seen:
        return "double[]"
    if len(seen) > 1:
        raise InputError(f"bulk import: a property mixes types {sorted(seen)}")
    return seen.pop() if seen else "string"


def _cell(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, list):
        return ARRAY_DELIMITER.join(_cell(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _quoted(v: str) -> str:
    return '"' + v.replace('"', '""') + '"'


def _write(
    path: Path,
    id_header: list[str],
    id_keys: list[str],
    rows: Iterable[dict[str, Any]] | Sequence[dict[str, Any]],
    *,
    skip: set[str],
) -> bool:
    """Write ``rows``; returns whether a value spans lines (the importer must be told).

    Every value is quoted; a null is an empty unquoted field, which the importer stores as no
    property, while ``""`` is an empty string (or empty array), as ``SET x = ''`` would store.
    """
    rows = list(rows)
    keys = sorted({k for r in rows for k in r if r[k] is not None} - skip)
    header = id_header + [f"{k}:{_kind(r.get(k) for r in rows)}" for k in keys]
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            cells = [str(r[k]) for k in id_keys] + [_cell(r.get(k)) for k in keys]
            line = ",".join("" if c is None else _quoted(c) for c in cells)
            multiline = multiline or "\n" in line or "\r" in line
            f.write(line + "\n")
    return multiline


def database_is_empty(store: CypherRunner) -> bool:
    """Whether the database holds no node at all (the bulk importer replaces the database)."""
    got = store.read("admin/any_node")
    return not (got and got[0]["any"])


def import_graph(graph: BulkGraph, server: LocalServer, store: CypherRunner) -> dict[str, Any]:
    """Write ``graph`` as CSV, import it with the server stopped, then create the schema.

    The CSV files go to a temporary folder under the server's home and are removed afterwards.
    Empty lists are set after the schema exists (the importer writes none). Returns
    ``{"csv_seconds", "import_seconds", "schema_seconds", "empty_arrays_seconds", "counts"}``.
    """
    home = server.settings.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home, prefix="bulk-import-") as tmp:
        t0 = time.perf_counter()
        files = graph.write_csv(Path(tmp))
        csv_s = time.perf_counter() - t0
        import_s = server.import_full(files.nodes, files.relationships, multiline=files.multiline)
    # The import starts a new transaction log: a Driver's bookmarks from before it point past its
    # end, so this process reconnects (other clients must too, as after `db restore`).
    store.driver.close()
    store.driver = open_driver(store.settings)
    t0 = time.perf_counter()
    store.ensure_schema()
    schema_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for name, rows in files.empty_arrays.items():
        for i in range(0, len(rows), 10_000):
            store.write(name, rows=rows[i : i + 10_000])
    empty_s = time.perf_counter() - t0
    log.info(
        "bulk import: CSV %.1f s, import %.1f s, schema %.1f s, empty lists %.1f s",
        csv_s,
        import_s,
        schema_s,
        empty_s,
    )
    return {
        "csv_seconds": csv_s,
        "import_seconds": import_s,
        "schema_seconds": schema_s,
        "empty_arrays_seconds": empty_s,
        "counts": files.counts,
    }


class LocalBulkImporter:
    """The bulk importer of the local server (:class:`~medtwin.store.server.LocalServer`)."""

    def __init__(self, store: CypherRunner, server: LocalServer) -> None:
        self.store = store
        self.server = server

    def is_empty(self) -> bool:
        """Whether the database holds no node."""
        return database_is_empty(self.store)

    def import_rows(self, groups: Sequence[Sequence[BaseModel]]) -> dict[str, Any]:
        """Apply ``groups`` (in load order) to a :class:`BulkGraph` and import it."""
        t0 = time.perf_counter()
        graph = BulkGraph()
        for group in groups:
            graph.add_rows(group)
        figures = import_graph(graph, self.server, self.store)
        figures["graph_seconds"] = (
            time.perf_counter()
            - t0
            - sum(figures[k] for k in ("csv_seconds", "import_seconds", "schema_seconds"))
        )
        return figures
