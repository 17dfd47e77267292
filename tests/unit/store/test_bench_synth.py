"""The synthetic graph of ``make bench-load SYNTH=``: seeded, the reference's mix, valid rows."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from benchmarks.bench_synth import (
    SynthGraph,
    distinct_pairs,
    distinct_unordered_pairs,
    parse_size,
)

from medtwin.store.bulk_graph import BulkGraph


def test_parse_size():
    assert parse_size("10M") == 10_000_000
    assert parse_size("500k") == 500_000
    assert parse_size("1.5m") == 1_500_000
    assert parse_size("2000") == 2000


def test_same_seed_same_rows_and_the_reference_mix():
    g = SynthGraph(20_000)
    first = [list(itertools.islice(f(), 50)) for f in g.groups()]
    again = [list(itertools.islice(f(), 50)) for f in SynthGraph(20_000).groups()]
    assert first == again
    kinds = Counter(type(r).__name__ for f in g.groups() for r in f())
    rels = sum(
        v for k, v in kinds.items() if k not in {"GeneRow", "DrugRow", "DiseaseRow", "PhenotypeRow"}
    )
    assert abs(rels - 20_000) <= len(kinds)  # per-type rounding only
    assert 0.5 < kinds["PerturbationRow"] / rels < 0.6  # LINCS dominates, as in the reference
    assert kinds["GeneRow"] == round(57_636 * g.scale)


def test_bulk_graph_accepts_every_synthetic_row(tmp_path):
    g = BulkGraph()
    for factory in SynthGraph(5_000).groups():
        g.add_rows(factory())
    files = g.write_csv(tmp_path)
    assert files.counts["PERTURBS"] > 2_000


def test_distinct_pairs_cover_the_whole_space_once():
    pairs = list(distinct_pairs(random.Random(1), 7, 12, 84))
    assert sorted(pairs) == [(i, j) for i in range(7) for j in range(12)]
    assert pairs != sorted(pairs)  # drawn in a shuffled order, not row by row


def test_distinct_unordered_pairs_never_repeat_an_edge_or_a_self_pair():
    for n in (10, 11):  # the circulant trick differs for even and odd n
        half = (n - 1) // 2
        pairs = list(distinct_unordered_pairs(random.Random(2), n, n * half))
        assert all(i < j < n for i, j in pairs)
        assert len(set(pairs)) == len(pairs) == n * half


def test_no_relationship_key_repeats_so_create_and_merge_hold_the_same_edges():
    # A first load CREATEs the largest layers (row_queries.py _FRESH_QUERIES) where bulk merges:
    # a repeated pair held 1,614 more edges on the MERGE side at 10 M (stop 28).
    g = SynthGraph(50_000)
    keys: dict[str, set[tuple[str, ...]]] = {}
    ends = ("drug_id", "disease_id", "entrez", "phenotype_id", "a", "b", "child", "parent")
    ends += ("tf_entrez", "target_entrez")
    rows = 0
    for factory in g.groups():
        for r in factory():
            if type(r).__name__ in {"GeneRow", "DrugRow", "DiseaseRow", "PhenotypeRow"}:
                continue
            d = r.model_dump()
            rows += 1
            keys.setdefault(type(r).__name__, set()).add(tuple(str(d[k]) for k in ends if k in d))
    assert sum(len(v) for v in keys.values()) == rows
    assert len(keys) == 8
