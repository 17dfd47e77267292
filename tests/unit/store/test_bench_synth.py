"""The synthetic graph of ``make bench-load SYNTH=``: seeded, the reference's mix, valid rows."""

from __future__ import annotations

import itertools
from collections import Counter

from benchmarks.bench_synth import SynthGraph, parse_size

from medtwin.store.bulk import BulkGraph


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
    assert abs(rels - 20_000) < 100  # a few self-pairs are skipped
    assert 0.5 < kinds["PerturbationRow"] / rels < 0.6  # LINCS dominates, as in the reference
    assert kinds["GeneRow"] == round(57_636 * g.scale)


def test_bulk_graph_accepts_every_synthetic_row(tmp_path):
    g = BulkGraph()
    for factory in SynthGraph(5_000).groups():
        g.add_rows(factory())
    files = g.write_csv(tmp_path)
    assert files.counts["PERTURBS"] > 2_000
    assert (True, "Drug") in files.marked  # drugs without groups: empty lists
