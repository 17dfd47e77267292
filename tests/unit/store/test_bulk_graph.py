"""BulkGraph applies the load statements' MERGE semantics to rows in memory (planted cases)."""

from __future__ import annotations

import typing

import pytest

from medtwin.errors import InputError
from medtwin.loaders import rows as row_models
from medtwin.loaders.rows import (
    Direction,
    DiseaseGeneRow,
    DiseaseRow,
    DrugRow,
    DrugTargetRow,
    GeneRow,
    InteractionRow,
)
from medtwin.store.bulk_csv import ARRAY_DELIMITER
from medtwin.store.bulk_graph import BulkGraph
from medtwin.store.row_queries import row_params


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


def _target(drug_id: str, entrez: str, direction: Direction, source: str = "s") -> DrugTargetRow:
    return DrugTargetRow(
        drug_id=drug_id,
        entrez=entrez,
        actions=(),
        direction=direction,
        category=None,
        known_action=None,
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


def test_a_later_sources_other_name_is_kept_once_in_any_case():
    """merge_drugs' ``other_names``: DrugCentral's "Cediranib" for DrugBank's "AZD2171" is kept
    (findable by either); the same name in other capitals, or again, is not."""
    g = BulkGraph()
    g.add_rows([_drug("D1", "AZD2171", "drugbank"), _drug("D1", "Cediranib", "drugcentral")])
    g.add_rows([_drug("D1", "azd2171", "lincs"), _drug("D1", "CEDIRANIB", "other")])
    d = g.nodes["Drug"]["D1"]
    assert (d["name"], d["other_names"]) == ("AZD2171", ["Cediranib"])
    assert (d["name_key"], d["other_name_keys"]) == ("azd2171", ["cediranib"])  # names' keys
    g.add_rows([_drug("D2", "only", "drugbank")])
    assert "other_names" not in g.nodes["Drug"]["D2"]
    g.add_rows([_drug("D2", "Méthotrexate", "drugcentral")])  # its key has no accent
    assert g.nodes["Drug"]["D2"]["other_name_keys"] == ["methotrexate"]


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
    g.add_rows([_target("D9", "1", "inhibit", source=s) for s in ("a", "b")])
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


def test_csv_leaves_empty_lists_and_nulls_empty_and_quotes_empty_strings(tmp_path):
    g = BulkGraph()
    g.add_rows([_gene("1", "A"), _gene("2", "B").model_copy(update={"synonyms": ("S",)})])
    g.add_rows([_gene("3", "").model_copy(update={"hgnc": "HGNC:3"})])
    g.write_csv(tmp_path)
    lines = (tmp_path / "nodes_Protein.csv").read_text().splitlines()
    header = lines[0].split(",")
    assert "hgnc:string" in header
    assert not any(h.startswith("_") for h in header)  # no marker column
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    col = {name.split(":")[0]: i for i, name in enumerate(header)}
    assert rows['"1"'][col["synonyms"]] == ""  # []: no property, as the MERGE path stores
    assert rows['"2"'][col["synonyms"]] == '"S"'
    assert rows['"1"'][col["hgnc"]] == ""  # null: empty, unquoted -> no property
    assert rows['"3"'][col["symbol"]] == '""'  # empty string: quoted -> stored as ''


def test_csv_column_types_from_values(tmp_path):
    g = BulkGraph()
    g.nodes["Thing"] = {
        "a": {"id": "a", "n": 1, "x": 1, "flag": True, "w": [1.5, 2]},
        "b": {"id": "b", "n": 2, "x": 0.25, "flag": False, "w": []},
    }
    g.write_csv(tmp_path)
    lines = (tmp_path / "nodes_Thing.csv").read_text().splitlines()
    assert lines[0] == "id:ID(Thing),flag:boolean,n:long,w:double[],x:double"
    assert lines[1] == f'"a","true","1","1.5{ARRAY_DELIMITER}2.0","1.0"'
    assert lines[2] == '"b","false","2",,"0.25"'  # [] -> no value: no property


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


def test_every_row_list_field_is_stored_as_no_property_when_empty_on_both_paths(tmp_path):
    """An empty list of any row type: an empty CSV cell here, null in the MERGE path's
    parameters (row_params), so both paths store no property."""
    with_lists = {
        cls: [n for n, f in cls.model_fields.items() if typing.get_origin(f.annotation) is tuple]
        for cls in vars(row_models).values()
        if isinstance(cls, type) and issubclass(cls, row_models.Row)
    }
    with_lists = {cls: names for cls, names in with_lists.items() if names}
    assert sorted(c.__name__ for c in with_lists) == [
        "DrugRow",
        "DrugTargetRow",
        "GeneRow",
        "InteractionRow",
    ]
    g = BulkGraph()
    gene, other = _gene("1", "A"), _gene("2", "B")
    link = InteractionRow(a="1", b="2", evidence=(), source="s", source_version="1")
    drug = _drug("D1", "d", "s")
    target = _target("D1", "1", "unknown")
    rows = {GeneRow: gene, InteractionRow: link, DrugRow: drug, DrugTargetRow: target}
    for cls, names in with_lists.items():
        row = rows[cls]
        assert all(getattr(row, n) == () for n in names), cls  # the case under test
        assert all(row_params([row])[0][n] is None for n in names), cls
    g.add_rows([gene, other])
    g.add_rows([link])
    g.add_rows([drug])
    g.add_rows([target])
    g.write_csv(tmp_path)
    for path in tmp_path.glob("*.csv"):
        lines = path.read_text().splitlines()
        header = lines[0].split(",")
        for i, name in enumerate(header):
            if name.endswith("[]") and not name.startswith("sources:"):
                assert all(line.split(",")[i] == "" for line in lines[1:]), (path.name, name)


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
