"""The interactome kept on disk for later processes, on the real server: read once per load."""

from __future__ import annotations

from typing import Any

import pytest

from medtwin.platform import reference
from medtwin.platform.algorithms.network_file import PREFIX
from medtwin.platform.context import ReferenceContext
from medtwin.store.reference_reads import ReferenceStore

pytestmark = pytest.mark.neo4j


def test_a_later_process_reads_the_kept_network_until_the_next_load(
    samples: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, data = samples
    reference.load_reference(store, data)
    for old in store.cache_dir.glob(f"{PREFIX}*.npz"):  # another test's database
        old.unlink()
    reads: list[int] = []
    read_edges = ReferenceStore.ppi_edges

    def counted(self: ReferenceStore) -> list[tuple[str, str]]:
        reads.append(1)
        return read_edges(self)

    monkeypatch.setattr(ReferenceStore, "ppi_edges", counted)
    built = ReferenceContext().interactome(store)  # a first process: reads and keeps it
    assert len(reads) == 1
    assert len(list(store.cache_dir.glob(f"{PREFIX}*.npz"))) == 1
    kept = ReferenceContext().interactome(store)  # a later process: the file, not the server
    assert len(reads) == 1
    assert kept.nodes == built.nodes
    assert kept.checksum == built.checksum
    assert kept.degrees.tolist() == built.degrees.tolist()
    reference.load_reference(store, data, force=True)  # a new load: a new key
    again = ReferenceContext().interactome(store)
    assert len(reads) == 2
    assert again.checksum == built.checksum  # the same files, the same network


def test_a_later_process_reads_the_kept_gene_table_until_the_next_load(
    samples: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same resolver from the kept JSON as from the server's lists (None, lists, strings)."""
    from medtwin.platform.gene_table_file import PREFIX as GENES_PREFIX

    store, data = samples
    reference.load_reference(store, data)
    for old in store.cache_dir.glob(f"{GENES_PREFIX}*.json"):  # another test's database
        old.unlink()
    served = store.reference.gene_table()
    reads: list[int] = []
    read_table = ReferenceStore.gene_table

    def counted(self: ReferenceStore, names: Any = None) -> dict[str, list[Any]]:
        reads.append(1)
        return read_table(self, names)

    monkeypatch.setattr(ReferenceStore, "gene_table", counted)
    built = ReferenceContext().gene_index(store)  # a first process: reads and keeps it
    assert len(reads) == 1
    assert len(list(store.cache_dir.glob(f"{GENES_PREFIX}*.json"))) == 1
    kept = ReferenceContext().gene_index(store)  # a later process: the file, not the server
    assert len(reads) == 1
    queries = [*served["entrez"], *served["symbol"], *(s for x in served["synonyms"] for s in x)]
    assert len(queries) > 50  # the sample genes, their symbols and synonyms
    assert [kept.resolve(q) for q in queries] == [built.resolve(q) for q in queries]
    assert sum(built.resolve(q) is not None for q in queries) > len(served["entrez"])
    reference.load_reference(store, data, force=True)  # a new load: a new key
    ReferenceContext().gene_index(store)
    assert len(reads) == 2


def test_a_later_process_reads_the_kept_drug_targets_until_the_next_load(
    samples: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh `rank` in a new process takes the candidates from the file (~0.85 s of reads)."""
    from medtwin.platform import treatment
    from medtwin.platform.models import RankParams
    from medtwin.platform.target_sets import KEPT_TARGET_SETS

    store, data = samples
    reference.load_reference(store, data)
    for old in store.cache_dir.glob(f"{KEPT_TARGET_SETS.prefix}*.json"):  # another test's
        old.unlink()
    reads: list[int] = []
    read_targets = ReferenceStore.drug_targets

    def counted(self: ReferenceStore, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        reads.append(1)
        return read_targets(self, *args, **kwargs)

    monkeypatch.setattr(ReferenceStore, "drug_targets", counted)
    source, params = "drugbank_dhimmel", RankParams(effector_filter=True)
    served = treatment.candidate_drugs(store, source, effector_filter=True)
    built = treatment._candidates(store, ReferenceContext(), source, params)  # a first process
    assert len(reads) == 2
    assert len(list(store.cache_dir.glob(f"{KEPT_TARGET_SETS.prefix}*.json"))) == 1
    kept = treatment._candidates(store, ReferenceContext(), source, params)  # a later process
    assert len(reads) == 2
    assert kept == built == served
    assert len(kept) >= 3  # the sample DrugBank file's drugs with a target
    assert any(t.directions and t.directions[0] != "unknown" for t in kept.values())
    no_filter = RankParams(effector_filter=False)
    other = treatment._candidates(store, ReferenceContext(), source, no_filter)
    assert len(reads) == 3  # other parameters, another file
    assert sum(map(len, (t.targets for t in other.values()))) >= sum(
        map(len, (t.targets for t in kept.values()))
    )
    reference.load_reference(store, data, force=True)  # a new load: a new key
    treatment._candidates(store, ReferenceContext(), source, params)
    assert len(reads) == 4
