"""The same gene in two inputs with opposite directions: the twin build says so, and the
patient's gene count counts each gene once (MemoryStore)."""

from __future__ import annotations

import logging

from medtwin.command_lines import speaking_to
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform import patients, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import TwinParams
from tests.unit.services.conftest import profile

FAST_TWIN = TwinParams(module_samples=20, min_seeds=2)


def _two_tables(store):
    a = (
        GeneChange(entrez="1", log2fc=-2.194, padj=1e-3),  # weaker: not kept
        GeneChange(entrez="2", log2fc=1.0, padj=1e-3),
        GeneChange(entrez="3", log2fc=0.8, padj=1e-2),
    )
    b = (
        GeneChange(entrez="1", log2fc=2.534, padj=1e-5),
        GeneChange(entrez="2", log2fc=1.2, padj=1e-2),  # same direction: no conflict
        GeneChange(entrez="5", log2fc=-1.5, padj=1e-2),
    )
    patients.add_patient(store, profile("PC", changes=a, input_checksums={"a.tsv": "1" * 64}))
    return patients.add_patient(
        store, profile("PC", changes=b, input_checksums={"b.tsv": "2" * 64})
    )


def test_a_gene_up_in_one_input_and_down_in_another_is_reported_with_what_was_kept(store, caplog):
    """Before, the twin kept +2.534 for gene 1 and nothing said that a.tsv had it at -2.194."""
    _two_tables(store)
    with caplog.at_level(logging.WARNING):
        built = twins.build_twin(store, "PC", FAST_TWIN, ctx=ReferenceContext())
    want = (
        "1 gene changed sign across the patient's inputs (G1 -2.19 in a.tsv, +2.53 in b.tsv: "
        "kept +2.53); each keeps the value of its change with the most evidence"
    )
    assert built.input_conflicts is not None
    assert built.input_conflicts.startswith(want)
    assert any(want in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert twins.show_twin(store, "PC").twin.input_conflicts == built.input_conflicts
    kept = {g["entrez"]: g["log2fc"] for g in store.twins.genes(built.id)}
    assert kept["1"] == 2.534  # the value the warning says was kept


def test_inputs_that_agree_get_no_conflict(store):
    patients.add_patient(store, profile("PD", input_checksums={"a.tsv": "1" * 64}))
    assert twins.build_twin(store, "PD", FAST_TWIN, ctx=ReferenceContext()).input_conflicts is None


def test_the_patients_gene_count_counts_a_gene_in_two_inputs_once(store):
    """Genes 1, 2, 3 and 1, 2, 5: four genes (before: 6, the inputs' counts added)."""
    assert _two_tables(store).genes == 4
    assert patients.list_patients(store)[0].genes == 4


def test_a_twin_pooling_time_points_says_so_and_reports_genes_that_turned_over_time(store):
    """One table with week0 and week12 rows: before, the twin averaged them into one with no
    word, though gene 1 went from up to down."""
    rows = (
        GeneChange(entrez="1", log2fc=2.0, padj=1e-3, time_point="week0"),
        GeneChange(entrez="2", log2fc=1.0, padj=1e-3, time_point="week0"),
        GeneChange(entrez="1", log2fc=-3.0, padj=1e-6, time_point="week12"),
        GeneChange(entrez="2", log2fc=1.5, padj=1e-3, time_point="week12"),
        GeneChange(entrez="3", log2fc=0.8, padj=1e-2, time_point="week12"),
    )
    patients.add_patient(store, profile("PT", changes=rows, input_checksums={"t.tsv": "1" * 64}))
    built = twins.build_twin(store, "PT", FAST_TWIN, ctx=ReferenceContext())
    assert built.input_conflicts is not None
    assert built.input_conflicts.startswith(
        "this twin pools 2 time points (week0, week12) into one; build one per time point "
        '(`twins.build_twin(store, "PT", TwinParams(time_point="week0"))`) or compare them '
        '(`insights.twin_trajectory(store, "PT")`); 1 gene changed sign across the patient\'s '
        "inputs (G1 +2 in t.tsv at week0, -3 in t.tsv at week12: kept -3)"
    )  # the Python caller's words (test_hint_surfaces.py: the CLI's and the API's)
    with speaking_to("cli"):
        shown = twins.show_twin(store, "PT").twin.input_conflicts or ""
    assert "(`medtwin twin build PT --time-point week0`) or compare them " in shown
    one = FAST_TWIN.model_copy(update={"time_point": "week12"})
    assert twins.build_twin(store, "PT", one, ctx=ReferenceContext()).input_conflicts is None
