"""A dataset built aside (another process) gives the CSV files of one graph holding every row."""

from __future__ import annotations

import gzip
import signal
import time
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from medtwin.errors import SourceFormatError
from medtwin.loaders.rows import DrugRow, LigandReceptorRow, PerturbationRow
from medtwin.platform.reference import dataset_rows
from medtwin.store.bulk import LocalBulkImporter
from medtwin.store.bulk_aside import aside_tables
from medtwin.store.bulk_csv import AsideResult
from medtwin.store.bulk_graph import BulkGraph
from tests.unit.store.aside_probe import heavy_modules_loaded
from tests.unit.store.test_bulk_graph import _gene


def _z(drug: str, entrez: str, z: float) -> PerturbationRow:
    return PerturbationRow(drug_id=drug, entrez=entrez, z=z, source="lincs", source_version="l1")


BEFORE: list[list[BaseModel]] = [
    [_gene("1", "A"), _gene("2", "B")],
    [
        DrugRow(
            id="DB00001",
            name="known drug",
            drug_type="small molecule",
            groups=("approved",),
            atc_codes=(),
            inchikey=None,
            source="drugbank",
            source_version="d1",
        )
    ],
]
# DB00001 and gene 1 exist before; DB00009 and gene 99 are new (created with the first row's
# provenance); gene 99 is named again by a later dataset, which must not change it.
ASIDE: list[list[BaseModel]] = [
    [
        _z("DB00001", "1", 1.5),
        _z("DB00009", "99", -2.0),
        _z("DB00009", "1", 0.25),
        _z("DB00001", "99", 3.0),
    ]
]
AFTER: list[list[BaseModel]] = [
    [
        LigandReceptorRow(
            ligand_entrez="99",
            receptor_entrez="2",
            ligand_symbol="NEW",
            receptor_symbol="B",
            resource="liana",
            source="liana",
            source_version="r1",
        )
    ]
]


def _aside_rows() -> tuple[list[list[BaseModel]], dict[str, int]]:
    return ASIDE, {"PerturbationRow": len(ASIDE[0])}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_dataset_built_aside_gives_the_files_of_one_graph(tmp_path):
    whole = BulkGraph()
    for group in [*BEFORE, *ASIDE, *AFTER]:
        whole.add_rows(group)
    expected = whole.write_csv(tmp_path / "whole")

    aside = aside_tables(_aside_rows, tmp_path / "aside")
    assert aside.counts == {"PerturbationRow": 4}
    assert [p.name for _, p in aside.files.relationships] == ["rels_PERTURBS_Drug_Protein.csv"]
    assert aside.files.nodes == []  # its nodes travel back as properties
    main = BulkGraph()
    for group in BEFORE:
        main.add_rows(group)
    main.add_aside(aside)
    for group in AFTER:
        main.add_rows(group)
    got = main.write_csv(tmp_path / "main", aside=[aside])

    assert _files(tmp_path / "main") == _files(tmp_path / "whole")  # byte for byte
    assert [(n, p.name) for n, p in got.relationships] == [
        (n, p.name) for n, p in expected.relationships
    ]
    assert got.counts == expected.counts
    # the hand-computed MERGE outcome
    assert main.nodes["Drug"]["DB00001"]["name"] == "known drug"  # existed: unchanged
    assert main.nodes["Drug"]["DB00009"] == {
        "id": "DB00009",
        "sources": ["lincs"],
        "source_version": "l1",
        "name": "DB00009",
    }
    assert main.nodes["Protein"]["99"] == {"id": "99", "sources": ["lincs"], "source_version": "l1"}
    assert "symbol" not in main.nodes["Protein"]["99"]  # the later ON CREATE did nothing
    # the edges name their dataset; its version lives on the Dataset node, not on 1.1 M edges
    header = (tmp_path / "main" / "rels_PERTURBS_Drug_Protein.csv").read_text().splitlines()[0]
    assert header == ":START_ID(Drug),:END_ID(Protein),source:string,z:double"


def test_a_group_may_be_a_generator_and_an_empty_one_is_skipped(tmp_path):
    # `make bench-load SYNTH=10M` generates its 5.5 M perturbation rows as they are applied
    listed = aside_tables(_aside_rows, tmp_path / "listed")
    made = aside_tables(
        lambda: ([iter(()), (row for row in ASIDE[0])], {"PerturbationRow": 4}),
        tmp_path / "generated",
    )
    assert _files(tmp_path / "generated") == _files(tmp_path / "listed")
    assert made.nodes == listed.nodes
    assert made.keys == listed.keys


def test_rows_that_need_other_datasets_are_not_built_aside(tmp_path):
    with pytest.raises(ValueError, match="GeneRow cannot be built aside"):
        aside_tables(lambda: ([[_gene("1", "A")]], {"GeneRow": 1}), tmp_path)
    with pytest.raises(ValueError, match="GeneRow cannot be built aside"):
        aside_tables(lambda: ([iter([_gene("1", "A")])], {"GeneRow": 1}), tmp_path)


def test_a_relationship_type_written_on_both_sides_is_refused(tmp_path):
    aside = aside_tables(_aside_rows, tmp_path / "aside")
    main = BulkGraph()
    main.add_rows([_z("DB00005", "5", 1.0)])
    with pytest.raises(ValueError, match="must own its relationship types"):
        main.write_csv(tmp_path / "main", aside=[aside])


def _lincs(folder: Path, lines: list[str]) -> Path:
    (folder / "lincs_l1000_dhimmel").mkdir(parents=True)
    path = folder / "lincs_l1000_dhimmel" / "consensi-drugbank.tsv.gz"
    with gzip.open(path, "wt") as f:
        f.write("\n".join(lines) + "\n")
    return path


def _importer(home: Path) -> LocalBulkImporter:
    server = SimpleNamespace(settings=SimpleNamespace(home=home))
    return LocalBulkImporter(None, server)  # type: ignore[arg-type]  # start_aside needs home only


def test_the_aside_process_parses_the_dataset_and_writes_its_files(tmp_path):
    _lincs(tmp_path / "data", ["perturbagen\t1\t2", "DB00001\t0.5\t-1.25", "DB00002\tNA\t2"])
    importer = _importer(tmp_path / "home")
    aside = importer.start_aside(partial(dataset_rows, "lincs_l1000_dhimmel", tmp_path / "data"))
    assert aside.counts == {"PerturbationRow": 3}  # the parse's figures come first
    assert aside.seconds >= 0
    result = aside.result()
    assert isinstance(result, AsideResult)
    assert {label: sorted(n["id"] for n in nodes) for label, nodes in result.nodes.items()} == {
        "Drug": ["DB00001", "DB00002"],
        "Protein": ["1", "2"],
    }
    ((_, path),) = result.files.relationships
    lines = path.read_text().splitlines()
    assert lines[0].startswith(":START_ID(Drug),:END_ID(Protein),")
    assert len(lines) == 4
    assert lines[2].startswith('"DB00001","2",')
    assert '"-1.25"' in lines[2]
    importer.abort()  # no server to start: only the aside's folder goes
    assert not list((tmp_path / "home").iterdir())


def test_a_bad_file_in_the_aside_process_is_reported_by_file_and_line(tmp_path):
    path = _lincs(tmp_path / "data", ["perturbagen\t1\t2", "DB00001\t0.5\tabc"])
    importer = _importer(tmp_path / "home")
    aside = importer.start_aside(partial(dataset_rows, "lincs_l1000_dhimmel", tmp_path / "data"))
    with pytest.raises(SourceFormatError) as got:
        aside.counts  # noqa: B018 - waits for the parse, which failed
    assert (got.value.path, got.value.line) == (path, 2)
    assert "must be a number, got 'abc'" in str(got.value)
    importer.abort()


def _slow_rows() -> tuple[list[list[BaseModel]], dict[str, int]]:
    time.sleep(60)
    return [], {}


def test_an_abandoned_import_ends_its_aside_process_at_once(tmp_path):
    importer = _importer(tmp_path / "home")
    aside = importer.start_aside(_slow_rows)
    process = aside._process  # noqa: SLF001 - the test looks at the process itself
    importer.abort()
    assert not process.is_alive()
    assert process.exitcode == -signal.SIGTERM  # killed, not waited for (its build sleeps 60 s)
    assert not list((tmp_path / "home").iterdir())


def test_the_aside_process_starts_without_the_driver_or_pandas(tmp_path):
    # the driver imports pandas (0.6 s): the process only parses and writes files
    importer = _importer(tmp_path / "home")
    aside = importer.start_aside(heavy_modules_loaded)
    assert aside.counts == {"neo4j": 0, "pandas": 0}
    aside.result()
    importer.abort()


def test_a_dataset_node_file_has_the_statements_properties_and_typed_times(tmp_path):
    from datetime import UTC, datetime

    from medtwin.store.bulk_csv import write_node_file
    from medtwin.store.dataset_node import count_lines, dataset_node

    t0 = datetime(2026, 12, 5, 1, 2, 3, 456000, tzinfo=UTC)
    t1 = datetime(2026, 12, 5, 1, 2, 9, tzinfo=UTC)
    node = dataset_node(
        "hpo",
        {"version": "4.0", "files": ["hpo/hp.obo"]},
        {"b": 2, "a": 1},
        3,
        started=t0,
        loaded=t1,
    )
    # what load/start_dataset + load/finish_dataset set, by hand
    assert node == {
        "version": "4.0",
        "files": ["hpo/hp.obo"],
        "id": "hpo",
        "name": "hpo",
        "status": "complete",
        "started_at": t0,
        "loaded_at": t1,
        "load_seconds": 3.0,
        "counts": ["a=1", "b=2"],  # sorted by kind, not in the map's order
        "rows": 3,
    }
    assert count_lines({"z": 1, "A": 2}) == ["A=2", "z=1"]
    path, multiline = write_node_file(tmp_path, "Dataset", [node])
    assert not multiline
    header, row = path.read_text(encoding="utf-8").splitlines()
    assert header == (
        "id:ID(Dataset),counts:string[],files:string[],load_seconds:double,"
        "loaded_at:datetime,name:string,rows:long,started_at:datetime,status:string,version:string"
    )
    assert row == (
        '"hpo","a=1\x1fb=2","hpo/hp.obo","3.0","2026-12-05T01:02:09+00:00","hpo","3",'
        '"2026-12-05T01:02:03.456000+00:00","complete","4.0"'
    )
