"""The reference load on the real server, from the small real-format samples in tests/data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medtwin.errors import SourceFormatError
from medtwin.loaders import ppi_menche2015
from medtwin.platform import reference, reference_datasets

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parents[1] / "data"


def _snapshot(store):
    c = store.counts()
    return (
        {k: v["total"] for k, v in c["nodes"].items()},
        {k: v["total"] for k, v in c["relationships"].items()},
    )


def test_every_loader_lands_with_provenance_and_reruns_change_nothing(samples):
    store, data = samples
    first = reference.load_reference(store, data)
    assert [r.action for r in first] == ["loaded"] * len(reference_datasets.DATASETS)
    nodes, rels = _snapshot(store)
    pairs = list(
        ppi_menche2015.read_interactions(data / "menche2015_interactome" / "DataS1_interactome.tsv")
    )
    assert rels["INTERACTS_WITH"] == len(pairs)
    for rtype in ("TARGETS", "ASSOCIATED_WITH", "HAS_SYMPTOM", "HAS_PHENOTYPE", "IS_A", "BINDS"):
        assert rels[rtype] > 0, rtype
    datasets = {d["id"]: d for d in store.datasets()}
    assert set(datasets) == set(reference_datasets.dataset_names())
    for d in datasets.values():
        assert d["status"] == "complete"
        assert len(d["sha256"]) == 64
        assert d["version"]
        assert d["licence"]

    # every relationship names its sources and version; PERTURBS (1.1 M edges) names its one
    # source, and the Dataset node of that name carries the version
    def count(cypher: str) -> int:
        return int(store.driver.execute_query(cypher, database_=store.database).records[0]["n"])

    missing = count(
        "MATCH ()-[r]->() WHERE NOT r:PERTURBS "
        "AND (r.sources IS NULL OR r.source_version IS NULL) RETURN count(r) AS n"
    )
    assert missing == 0
    orphans = count(
        "MATCH ()-[r:PERTURBS]->() WHERE NOT EXISTS { MATCH (d:Dataset {id: r.source}) "
        "WHERE d.version IS NOT NULL } RETURN count(r) AS n"
    )
    assert orphans == 0
    assert rels["PERTURBS"] > 0
    second = reference.load_reference(store, data)
    assert [r.action for r in second] == ["skipped"] * len(reference_datasets.DATASETS)
    reference.load_reference(store, data, force=True)
    assert _snapshot(store) == (nodes, rels)


def test_malformed_file_names_line_and_leaves_dataset_unchanged(samples):
    store, data = samples
    reference.load_reference(store, data)
    before = _snapshot(store)
    target = data / "menche2015_interactome" / "DataS1_interactome.tsv"
    shutil.copy(data / "menche2015_interactome" / "DataS1_bad.tsv", target)
    with pytest.raises(SourceFormatError) as err:
        reference.load_reference(store, data, only=["menche2015_interactome"])
    assert "DataS1_interactome.tsv:" in str(err.value)
    assert err.value.line is not None
    assert _snapshot(store) == before
    assert store.dataset("menche2015_interactome")["status"] == "complete"


def test_interrupted_load_is_visible_and_a_rerun_completes_it(samples, monkeypatch):
    store, data = samples
    reference.load_reference(store, data, only=["ncbi_gene_info"])
    real = store.merge_rows
    calls = {"n": 0}

    def crash_after_first_group(rows, progress=None, *, fresh=False):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(rows, progress, fresh=fresh)

    monkeypatch.setattr(store, "merge_rows", crash_after_first_group)
    with pytest.raises(KeyboardInterrupt):
        reference.load_reference(store, data, only=["menche2015_interactome"])
    assert store.dataset("menche2015_interactome")["status"] == "loading"
    monkeypatch.setattr(store, "merge_rows", real)
    again = reference.load_reference(store, data, only=["menche2015_interactome"])
    assert again[0].action == "resumed"
    assert store.dataset("menche2015_interactome")["status"] == "complete"
    reference.load_reference(store, data, only=["menche2015_interactome"], force=True)
    pairs = list(
        ppi_menche2015.read_interactions(data / "menche2015_interactome" / "DataS1_interactome.tsv")
    )
    assert _snapshot(store)[1]["INTERACTS_WITH"] == len(pairs)
