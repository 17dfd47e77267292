"""The harness gives the methods that read statistics what the product gives them.

The product (:func:`medtwin.platform.activity_inputs.full_statistics`) gives ``target_expression``
and the regulator methods a vector of every measured gene, or nothing: the thresholded changes
never stand in. ``benchmarks/validate_twins.py`` must do the same, or its figures judge methods
on an input the product never gives them: a case without a vector ((a)'s gene sets) gets no
statistics, and a PDXE tumour gets the changes and the vector ``patient add-cohort`` keeps.
"""

from __future__ import annotations

import csv
import gzip
import logging
from pathlib import Path

import numpy as np
import pytest
from benchmarks import validate_twins as vt
from benchmarks.personal import CaseScores, method_scores

from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.activity_inputs import full_statistics
from medtwin.platform.algorithms.distances import all_pairs_distances
from medtwin.platform.algorithms.network import Network
from medtwin.platform.cohort_profiles import read_cohort
from medtwin.platform.ranking import DrugTargets

N = 24
RING = [(str(i), str(i % N + 1)) for i in range(1, N + 1)]  # every degree 2: one degree bin
DRUGS = {
    "DB1": DrugTargets("activates a marker", ("1",), ("activate",), approved=True),
    "DB2": DrugTargets("inhibits a marker", ("4",), ("inhibit",), approved=True),
    "DB3": DrugTargets("inhibits a down gene", ("13",), ("inhibit",), approved=False),
}
# thresholded changes as a marker programme or a gene set gives them: all up, of varying size
MARKERS = [GeneChange(entrez=str(g), log2fc=float(g)) for g in range(1, 7)]
# a vector of every measured gene: the markers and the genes that did not change
FULL = {str(g): float(g) if g <= 6 else -1.0 + 0.1 * g for g in range(1, N + 1)}


class _Genes:
    """Symbols G<i> and Entrez ids <i> resolve to <i> (a GeneResolver)."""

    def resolve(self, name: str) -> str | None:
        tail = name.removeprefix("G")
        return tail if tail.isdigit() and 1 <= int(tail) <= N else None


@pytest.fixture(scope="module")
def ref() -> vt.Reference:
    net = Network.from_edges(RING)
    deg = dict.fromkeys(DRUGS, 2.0)
    return vt.Reference(net, all_pairs_distances(net), DRUGS, _Genes(), deg, DRUGS, DRUGS)  # type: ignore[arg-type]


def _target_expression(
    ref: vt.Reference, activity_stats: dict[str, float] | None
) -> dict[str, float] | None:
    scores, _, _ = vt.run_twin(
        ref, MARKERS, vt.DEFAULT, DRUGS, n_samples=20, activity_stats=activity_stats
    )
    return method_scores(scores).get("target_expression")


def test_a_case_without_a_full_vector_gives_the_statistic_methods_nothing(ref, monkeypatch) -> None:
    seen: list[dict[str, float]] = []
    real = vt.method_results

    def spy(ctx, name, seed):  # type: ignore[no-untyped-def]
        seen.append(dict(ctx.gene_stats))
        return real(ctx, name, seed)

    monkeypatch.setattr(vt, "method_results", spy)
    # before: the twin's thresholded changes stood in, so target_expression scored every drug
    assert _target_expression(ref, None) is None
    assert seen
    assert all(s == {} for s in seen)


def test_a_full_vector_is_what_the_methods_read(ref) -> None:
    got = _target_expression(ref, FULL)
    # one degree bin over the 24 genes, mean m and population variance v of FULL; one target
    # each: z = (-a x - (-a m)) / sqrt(v), a = +1 activate, -1 inhibit
    x = np.array(list(FULL.values()))
    m, sd = x.mean(), x.std()
    assert got == pytest.approx(
        {"DB1": (-1.0 + m) / sd, "DB2": (4.0 - m) / sd, "DB3": (0.3 - m) / sd}, abs=1e-9
    )


def test_significant_option_still_gives_the_thresholded_changes(ref, monkeypatch) -> None:
    # `--activity-genes significant`: the comparison with the harness before issue 18 item 5
    monkeypatch.setattr(vt, "ACTIVITY_GENES", "significant")
    got = _target_expression(ref, FULL)
    assert got is not None
    assert set(got) == {"DB1", "DB2"}


def test_the_fc_complement_row_reads_the_case_vector(ref, monkeypatch) -> None:
    calls: list[object] = []
    real = vt.run_twin

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("activity_stats"))
        return real(*args, **kwargs)

    monkeypatch.setattr(vt, "run_twin", spy)
    ids = sorted(DRUGS)
    vt.effector_variant(
        ref, MARKERS, vt.DEFAULT, 20, vt.Collector.new(),
        CaseScores(ids, np.array([True, True, False])), ids, np.array([True, False, False]),
        FULL,
    )  # fmt: skip
    assert calls == [FULL]


def _write_pdxe(folder: Path, values: np.ndarray) -> None:
    folder.mkdir()
    (folder / "treatment_targets.tsv").write_text(
        "compound\tdrugbank_id\ttargets\tnote\nX\t\tG1\tinhibitor\n"
    )
    with open(folder / "responses.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["patient.id", "tumor.type", "drug", "mRECIST_published",
                    "best.avg.response_published"])  # fmt: skip
        for j in range(values.shape[1]):
            w.writerow([f"T{j}", "BRCA", "X", "PR" if j % 2 else "PD", "-10"])
    with gzip.open(folder / "BRCA_rnaseq_genes_x_models.csv.gz", "wt", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["gene", *(f"T{j}" for j in range(values.shape[1]))])
        for i, row in enumerate(values):
            name = f"G{i + 1}" if i < N else "UNKNOWN"
            w.writerow([name, *(f"{v:.4f}" for v in row)])


def _pdxe(
    tmp_path: Path, *, mutations: bool = False
) -> tuple[dict[str, object], dict[str, object]]:
    """(c)'s tumours of a 6-tumour BRCA matrix, and ``add-cohort``'s profiles of the same file."""
    rng = np.random.default_rng(7)
    values = rng.gamma(2.0, 40.0, size=(N + 1, 6))  # FPKM-like, one unmapped row
    values[2, 0] *= 20.0  # one strong change of T0
    folder = tmp_path / "pdxe"
    _write_pdxe(folder, values)
    if mutations:
        with gzip.open(folder / "mutations_cn.tsv.gz", "wt") as fh:
            fh.write("model\tgene\tcategory\nT0\tG5\tAmp8\nT1\tG7\tMutKnownFunctional\n")
    net = Network.from_edges(RING)
    ref = vt.Reference(net, all_pairs_distances(net), {}, _Genes(), {}, {}, {})  # type: ignore[arg-type]
    data = vt.pdxe_patients(ref, tmp_path, tmp_path / "cache", folder=folder)
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample\tgroup\n" + "".join(f"T{j}\tBRCA\n" for j in range(6)))
    expr = folder / "BRCA_rnaseq_genes_x_models.csv.gz"
    product = {p.patient_id: p for p in read_cohort(expr, sheet, _Genes(), control_label=None)}
    return data, product  # type: ignore[return-value]


def test_pdxe_activity_is_the_vector_add_cohort_keeps(tmp_path) -> None:
    """(c): each tumour's t against the other tumours of its type, every mapped gene, as the
    cohort reader keeps it for ``patient add-cohort`` (leave-one-out; FPKM read as log2(x + 1)),
    stored capped and rounded (before: unrounded, equal to 5e-4 only)."""
    data, product = _pdxe(tmp_path)
    harness: dict[str, dict[str, float]] = data["activity"]  # type: ignore[assignment]
    assert set(harness) == set(product) == {f"T{j}" for j in range(6)}
    for pid, prof in product.items():
        stats = prof.activity_stats[0].stats
        assert set(stats) == {str(g) for g in range(1, N + 1)}
        assert harness[pid] == stats
    assert harness["T0"]["3"] > 2.0


def test_pdxe_tumour_has_the_changes_add_cohort_keeps(tmp_path) -> None:
    """(c) gives a tumour's twin what ``add-cohort`` gives it: every change with a nominal
    p <= 0.05, carrying its BH padj, so the twin picks seeds by padj and fills up from the
    nominal ones. Before, (c) kept only the changes with padj <= 0.05 (fails before)."""
    data, product = _pdxe(tmp_path)
    patients: dict[str, list[GeneChange]] = data["patients"]  # type: ignore[assignment]
    for pid, prof in product.items():
        assert patients[pid] == list(prof.changes)
    nominal = [c for cs in patients.values() for c in cs if c.padj is not None and c.padj > 0.05]
    assert nominal  # the changes the twin fills its seeds from when few pass the FDR


def test_pdxe_twin_reads_the_vector_of_its_inputs(tmp_path, monkeypatch) -> None:
    """The ranking gets the vector the product's twin reads from its inputs: the cohort input's,
    with or without the tumour's mutations input (variant layer, no vector needed)."""
    data, product = _pdxe(tmp_path, mutations=True)
    seen: list[tuple[list[GeneChange], dict[str, float] | None]] = []

    def spy(ref, changes, variant, drugs, *, n_samples, activity_stats=None):  # type: ignore[no-untyped-def]
        seen.append((list(changes), activity_stats))
        return [], 0.0, 0

    monkeypatch.setattr(vt, "run_twin", spy)
    for with_mutations in (True, False):
        seen.clear()
        vt.pdxe_rank(None, data, 10, print, with_mutations=with_mutations)  # type: ignore[arg-type]
        # a tumour that kept no change (and has no mutations input) has no twin, as add-cohort
        # adds no patient for it
        ranked = [
            pid
            for pid, prof in sorted(product.items())
            if prof.changes or (with_mutations and pid in ("T0", "T1"))
        ]
        assert 0 < len(ranked) == len(seen)
        for (changes, vector), pid in zip(seen, ranked, strict=True):
            assert vector == product[pid].activity_stats[0].stats
            variants = [c for c in changes if c.layer == "variant"]
            assert len(variants) == (with_mutations and pid in ("T0", "T1"))
    inputs = data["inputs"]["T0"], data["mutation_inputs"]["T0"]  # type: ignore[index]
    assert full_statistics(inputs, vt.DEFAULT.twin)[0] == data["activity"]["T0"]  # type: ignore[index]


def test_pdxe_reading_leaves_the_readers_loggers_as_they_were(tmp_path) -> None:
    """(c) silences the readers' warnings while it reads, not for good: set for good, they
    emptied caplog in later tests of the same session (test_ligand_receptor failed after this
    file)."""
    names = ("medtwin.loaders", "medtwin.loaders.patient_rows", "medtwin.platform.cohort_profiles")
    loggers = [logging.getLogger(n) for n in names]
    kept = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.NOTSET)  # as a session starts, whatever ran before
        _pdxe(tmp_path, mutations=True)
        assert [lg.level for lg in loggers] == [logging.NOTSET] * len(names)
    finally:
        for lg, level in zip(loggers, kept, strict=True):
            lg.setLevel(level)
