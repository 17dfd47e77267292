"""BulkGraph applies the load statements' MERGE semantics to rows in memory (planted cases)."""

from __future__ import annotations

import typing

import pytest

from medtwin.cypher.catalog import query
from medtwin.errors import InputError
from medtwin.loaders import rows as row_models
from medtwin.loaders.rows import (
    DiseaseGeneRow,
    DiseaseRow,
    DrugRow,
    DrugTargetRow,
    GeneRow,
    InteractionRow,
)
from medtwin.store.bulk import EMPTY_LIST_STATEMENTS
from medtwin.store.bulk_graph import ARRAY_DELIMITER, EMPTY_LISTS, BulkGraph


def _gene(entrez: str, symbol: str, source: str = "ncbi") -> GeneRow:
    return GeneRow(
        entrez=entrez,
        symbol=symbol,
        name=f"gene {symbol}",
        synonyms=(),
        hgnc=None,
        ensembl=None,
        gene_type="protein-coding",
        source=source,
        source_version="1",
    )


def _drug(drug_id: str, name: str, source: str, groups: tuple[str, ...] = ()) -> DrugRow:
    return DrugRow(
        id=drug_id,
        name=name,
        drug_type=None,
        groups=groups,
        atc_codes=(),
        inchikey=None,
        source=source,
        source_version="1",
    )


def test_set_overwrites_coalesce_keeps_first_and_sources_grow():
    g = BulkGraph()
    g.add_rows([_gene("1", "A"), _gene("1", "B", source="other")])  # merge_proteins: SET
    assert g.nodes["Protein"]["1"]["symbol"] == "B"
    assert g.nodes["Protein"]["1"]["sources"] == ["ncbi", "other"]
    g.add_rows([_drug("D1", "first", "s1"), _drug("D1", "second", "s2", groups=("approved",))])
    d = g.nodes["Drug"]["D1"]
    assert d["name"] == "first"  # coalesce(d.name, row.name)
    assert list(d["groups"]) == ["approved"]  # empty list replaced by the first non-empty one
    assert d["sources"] == ["s1", "s2"]


def test_on_create_only_and_relationship_keys():
    g = BulkGraph()
    g.add_rows([_gene("1", "A")])
    g.add_rows(
        [
            InteractionRow(a="1", b="2", evidence=("x",), source="ppi", source_version="1"),
            InteractionRow(a="1", b="2", evidence=("y",), source="ppi", source_version="1"),
        ]
    )
    assert g.nodes["Protein"]["1"]["sources"] == ["ncbi"]  # existing node: ON CREATE not run
    assert g.nodes["Protein"]["2"] == {"id": "2", "sources": ["ppi"], "source_version": "1"}
    edges = g.rels[("INTERACTS_WITH", "Protein", "Protein")]
    assert list(edges) == [("1", "2")]  # one per pair, last SET wins
    assert list(edges[("1", "2")]["evidence"]) == ["y"]
    rows = [
        DrugTargetRow(
            drug_id="D9",
            entrez="1",
            actions=(),
            direction="inhibit",
            category=None,
            known_action=None,
            source=s,
            source_version="1",
        )
        for s in ("a", "b")
    ]
    g.add_rows(rows)
    assert len(g.rels[("TARGETS", "Drug", "Protein")]) == 2  # keyed by source too
    assert g.nodes["Drug"]["D9"]["name"] == "D9"  # created by a target row: named by its id


def test_match_drops_rows_whose_node_is_missing():
    g = BulkGraph()
    g.add_rows([DiseaseRow(id="DOID:1", name="d", mesh_id=None, source="s", source_version="1")])
    g.add_rows(
        [
            DiseaseGeneRow(disease_id=d, entrez="5", evidence=None, source="s", source_version="1")
            for d in ("DOID:1", "DOID:404")
        ]
    )
    assert list(g.rels[("ASSOCIATED_WITH", "Disease", "Protein")]) == [("DOID:1", "5", "s")]


def test_csv_quotes_values_and_leaves_nulls_empty(tmp_path):
    g = BulkGraph()
    gene = _gene("1", 'A "quoted", name')
    g.add_rows([gene.model_copy(update={"synonyms": ("X", "Y")})])
    files = g.write_csv(tmp_path)
    text = (tmp_path / "nodes_Protein.csv").read_text().splitlines()
    assert text[0].startswith("id:ID(Protein),")
    assert "synonyms:string[]" in text[0]
    header = text[0].split(",")
    assert "ensembl:string" not in header  # a column with only nulls is not written
    assert '"A ""quoted"", name"' in text[1]
    assert f'"X{ARRAY_DELIMITER}Y"' in text[1]
    assert files.counts == {"Protein": 1}


def test_unknown_row_type_is_a_clear_error():
    from medtwin.loaders.rows import IndicationRow

    row = IndicationRow(
        disease_id="d", drug_id="x", indication_source="s", source="s", source_version="1"
    )
    with pytest.raises(InputError, match="IndicationRow"):
        BulkGraph().add_rows([row])


def test_csv_names_empty_lists_in_a_marker_column_and_keeps_null_vs_empty_string(tmp_path):
    g = BulkGraph()
    g.add_rows([_gene("1", "A"), _gene("2", "B").model_copy(update={"synonyms": ("S",)})])
    g.add_rows([_gene("3", "").model_copy(update={"hgnc": "HGNC:3"})])
    files = g.write_csv(tmp_path)
    lines = (tmp_path / "nodes_Protein.csv").read_text().splitlines()
    header = lines[0].split(",")
    assert header[-1] == f"{EMPTY_LISTS}:string[]"
    assert "hgnc:string" in header
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    col = {name.split(":")[0]: i for i, name in enumerate(header)}
    assert rows['"1"'][col[EMPTY_LISTS]] == '"synonyms"'  # [] named in the marker column
    assert rows['"1"'][col["synonyms"]] == ""  # and not written as a value
    assert rows['"2"'][col[EMPTY_LISTS]] == ""
    assert rows['"2"'][col["synonyms"]] == '"S"'
    assert rows['"1"'][col["hgnc"]] == ""  # null: empty, unquoted -> no property
    assert rows['"3"'][col["symbol"]] == '""'  # empty string: quoted -> stored as ''
    assert files.marked == [(True, "Protein")]


def test_csv_column_types_from_values(tmp_path):
    g = BulkGraph()
    g.nodes["Thing"] = {
        "a": {"id": "a", "n": 1, "x": 1, "flag": True, "w": [1.5, 2]},
        "b": {"id": "b", "n": 2, "x": 0.25, "flag": False, "w": []},
    }
    g.write_csv(tmp_path)
    lines = (tmp_path / "nodes_Thing.csv").read_text().splitlines()
    assert lines[0] == (
        f"id:ID(Thing),flag:boolean,n:long,w:double[],x:double,{EMPTY_LISTS}:string[]"
    )
    assert lines[1] == f'"a","true","1","1.5{ARRAY_DELIMITER}2.0","1.0",'
    assert lines[2] == '"b","false","2",,"0.25","w"'  # [] -> no value, named in the marker


def test_csv_mixed_types_are_a_clear_error(tmp_path):
    g = BulkGraph()
    g.nodes["Thing"] = {"a": {"id": "a", "v": "text"}, "b": {"id": "b", "v": 3}}
    with pytest.raises(InputError, match="'v' mixes types"):
        g.write_csv(tmp_path)


def test_multiline_values_are_reported(tmp_path):
    g = BulkGraph()
    g.add_rows([_gene("1", "A").model_copy(update={"name": "two\nlines"})])
    assert g.write_csv(tmp_path).multiline
    assert not BulkGraph().write_csv(tmp_path / "none").multiline


def test_every_relationship_with_list_properties_has_its_own_empty_list_statement(tmp_path):
    """The generic statement's dynamic type scans EVERY relationship (Neo4j 5.26 plan): each
    relationship type whose rows carry a list has a statement of its own, by type."""
    with_lists = sorted(
        name
        for name, cls in vars(row_models).items()
        if isinstance(cls, type)
        and issubclass(cls, row_models.Row)
        and any(typing.get_origin(f.annotation) is tuple for f in cls.model_fields.values())
    )
    # a new list field on a row type fails here: give its relationship type a statement
    assert with_lists == ["DrugRow", "DrugTargetRow", "GeneRow", "InteractionRow"]
    g = BulkGraph()
    g.add_rows([_gene("1", "A"), _gene("2", "B")])
    g.add_rows([InteractionRow(a="1", b="2", evidence=(), source="s", source_version="1")])
    g.add_rows([_drug("D1", "d", "s")])
    g.add_rows(
        [
            DrugTargetRow(
                drug_id="D1",
                entrez="1",
                actions=(),
                direction="unknown",
                category=None,
                known_action=None,
                source="s",
                source_version="1",
            )
        ]
    )
    marked = g.write_csv(tmp_path).marked
    rel_types = sorted(name for node, name in marked if not node)
    assert rel_types == ["INTERACTS_WITH", "TARGETS"]
    for rel in rel_types:
        text = query(EMPTY_LIST_STATEMENTS[rel])
        assert f"[r:{rel}]" in text
        assert "$(" not in text
    assert "$(" not in query("bulk/empty_lists_nodes")  # one scan of all nodes, no dynamic label


def test_rows_of_several_types_in_one_call_each_take_their_own_statement(tmp_path):
    # add_rows looks the handler up when the row type changes, not once per call
    g = BulkGraph()
    n = g.add_rows(
        [_gene("1", "A"), _drug("DB1", "aspirin", "drugbank"), _gene("2", "B"), _gene("1", "A2")]
    )
    assert n == 4
    assert set(g.nodes["Protein"]) == {"1", "2"}
    assert g.nodes["Protein"]["1"]["symbol"] == "A2"
    assert set(g.nodes["Drug"]) == {"DB1"}
    files = g.write_csv(tmp_path)
    lines = (tmp_path / "nodes_Protein.csv").read_text().splitlines()
    assert len(lines) == 3  # header and two rows, the last one ending with a newline
    assert (tmp_path / "nodes_Protein.csv").read_text().endswith("\n")
    assert files.counts == {"Protein": 2, "Drug": 1}


def test_csv_writes_rows_past_one_block(tmp_path):
    # rows go to the file in blocks of 50,000 lines: none lost or doubled at a block edge
    g = BulkGraph()
    g.add_rows(_gene(str(i), f"G{i}") for i in range(1, 50_002))
    g.write_csv(tmp_path)
    lines = (tmp_path / "nodes_Protein.csv").read_text().splitlines()
    assert len(lines) == 50_002
    assert lines[-1].startswith('"50001",')
    assert len(set(lines)) == 50_002
