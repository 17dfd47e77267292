"""The reference graph held in memory with the load statements' MERGE semantics, as importer tables.

The incremental path (:meth:`medtwin.store.neo4j.Neo4jStore.merge_rows`) sends rows to the
``cypher/load/*.cypher`` statements, which ``MERGE`` nodes and relationships one batch at a time.
Neo4j's offline importer (:mod:`medtwin.store.bulk`) only creates: it cannot merge.
:class:`BulkGraph` therefore applies each load statement's semantics to the same parsed rows in
memory (one entry per node id and per relationship key, ``SET`` overwriting, ``coalesce`` keeping
the first value, ``sources`` lists growing, rows whose ``MATCH``ed node is missing dropped), in
load order, and hands the result over as importer tables (:mod:`medtwin.store.bulk_csv`). The
statement each ``_<row>`` method mirrors is named in its docstring;
``tests/reliability/test_zz_bulk_import.py`` compares both paths on the real server.

This module imports no database driver: the aside process of a bulk import
(:mod:`medtwin.store.bulk_aside`) builds a graph too, and should start in a fraction of a second.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from medtwin.errors import InputError
from medtwin.name_key import name_key
from medtwin.store.bulk_csv import (
    AsideResult,
    BulkFiles,
    Table,
    add_counts,
    graph_sources,
    node_table,
    write_table,
)

__all__ = ["ASIDE_ROWS", "BulkGraph", "RowBuild"]

_NodeKey = tuple[str, str]  # (label, id)


def _add_source(props: dict[str, Any], source: str) -> None:
    sources = props.get("sources") or []
    props["sources"] = sources if source in sources else [*sources, source]


def _add_other_name(drug: dict[str, Any], name: str | None) -> None:
    """load/merge_drugs' ``other_names``: a later source's different name, once, any case.

    Its key (``DrugRow.name_key``) goes to ``other_name_keys`` at the same place.
    """
    known = [drug.get("name"), *(drug.get("other_names") or [])]
    if drug.get("name") is None or name is None:
        return
    if name.lower() not in {str(n).lower() for n in known if n is not None}:
        drug["other_names"] = [*(drug.get("other_names") or []), name]
        drug["other_name_keys"] = [*(drug.get("other_name_keys") or []), name_key(name)]


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
        # one of the hottest calls (twice per PERTURBS row): inlined, not through _node
        table = self.nodes.get(label)
        if table is None:
            table = self.nodes[label] = {}
        if node_id not in table:
            table[node_id] = {
                "id": node_id,
                "sources": [row["source"]],
                "source_version": row["source_version"],
                **extra,
            }

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
        _add_other_name(d, r["name"])
        # the key of the name it keeps (not a target row's id): as load/merge_drugs keys it
        if d.get("name") is None or str(d["name"]).lower() == r["name"].lower():
            d["name_key"] = name_key(r["name"])
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
        drug, gene, source = r["drug_id"], r["entrez"], r["source"]
        self._on_create("Drug", drug, r, name=drug)
        self._on_create("Protein", gene, r)
        e = self._rel("PERTURBS", ("Drug", drug), ("Protein", gene), source)
        e.update(source=source, z=r["z"])  # provenance: the Dataset node `source` names

    # -- CSV ---------------------------------------------------------------------------------
    def tables(self) -> list[Table]:
        """The node and relationship tables to write, in a stable order."""
        out: list[Table] = []
        for label, table in sorted(self.nodes.items()):
            out.append(node_table(label, table.values()))
        for (rel, start, end), edges in sorted(self.rels.items()):
            out.append(
                Table(
                    rel,
                    f"rels_{rel}_{start}_{end}.csv",
                    [f":START_ID({start})", f":END_ID({end})"],
                    [((k[0], k[1]), v) for k, v in edges.items()],
                    node=False,
                    key=(rel, start, end),
                )
            )
        return out

    def add_aside(self, aside: AsideResult) -> None:
        """Add the nodes of a dataset built in another process (:mod:`~medtwin.store.bulk_aside`).

        Called at the dataset's place in load order. Its rows only create the nodes they name
        when missing (``ON CREATE``), so a node made earlier keeps its properties and a missing
        one gets those of the dataset's first row that names it, as if its rows were applied
        here. Its relationship files join this graph's in :meth:`write_csv`.
        """
        for label, created in aside.nodes.items():
            table = self.nodes.setdefault(label, {})
            for props in created:
                table.setdefault(props["id"], props)

    def write_csv(
        self, folder: Path, *, nodes: bool = True, aside: Sequence[AsideResult] = ()
    ) -> BulkFiles:
        """Write one CSV per label and per (type, start label, end label) into ``folder``.

        ``nodes=False`` writes the relationship files only (the aside process). ``aside``:
        datasets built in another process; their relationship files are moved into ``folder``
        and listed where this graph would have listed them, so the files and their order are
        those of one graph holding every row. A relationship type both write is refused.
        """
        folder.mkdir(parents=True, exist_ok=True)
        files = BulkFiles()
        rels: list[tuple[tuple[str, ...], tuple[str, Path]]] = []
        for table in self.tables():
            if table.node and not nodes:
                continue
            files.multiline |= write_table(folder / table.file, table)
            if table.node:
                files.nodes.append((table.name, folder / table.file))
            else:
                rels.append((table.key, (table.name, folder / table.file)))
            files.counts[table.name] = files.counts.get(table.name, 0) + len(table.rows)
            add_counts(files.sources.setdefault(table.name, {}), graph_sources(table))
        for other in aside:
            for key, (name, path) in zip(other.keys, other.files.relationships, strict=True):
                if key in self.rels:
                    raise ValueError(
                        f"relationships {key} come from a dataset built aside and from another "
                        "dataset: a dataset built aside must own its relationship types"
                    )
                moved = folder / path.name
                shutil.move(path, moved)
                rels.append((key, (name, moved)))
            for name, n in other.files.counts.items():
                files.counts[name] = files.counts.get(name, 0) + n
            for name, by_source in other.files.sources.items():
                add_counts(files.sources.setdefault(name, {}), by_source)
            files.multiline |= other.files.multiline
        files.relationships = [entry for _, entry in sorted(rels)]
        return files


# The row kinds a dataset built aside may hold: each only MERGEs the nodes it names with ON CREATE
# properties (no MATCH that depends on other datasets' nodes, no SET on an existing node) and
# writes a relationship type no other dataset writes, so its rows can be applied in another
# process and their result joined in load order (BulkGraph.add_aside).
ASIDE_ROWS = frozenset({"PerturbationRow"})

RowBuild = Callable[[], tuple[Sequence[Iterable[BaseModel]], dict[str, int]]]
"""Parses one dataset: its row groups in load order (lists, or generators that make the rows as
they are applied) and the row count per kind."""
