"""target_expression on a DE file of few genes carries the panel caution wherever it is shown.

A DE table keeps every gene's statistic as the twin's vector, so a file of only selected genes
(DE hits, most variable genes) is read as if it were a transcriptome: target_expression's
degree-matched null is then drawn from the selection. ``twin regulators`` already cautions its
activities (``gene_set_note``, under 5,000 genes); before, the ranking's target_expression column
(rank table and JSON, explain, report, API) said nothing. The API is checked in
``tests/api/test_target_expression_panel.py``.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner

from medtwin.cli import treatment as cli_treatment
from medtwin.platform import patients, rankings, reports, twins
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.twin_models import PANEL_GENES, target_expression_panel_note
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import RING

FAST_TWIN = TwinParams(module_samples=20, min_seeds=2)
PARAMS = RankParams(n_samples=30, methods=("proximity", "target_expression"))
# eight genes: a panel, as the demo's GSE15573 patients ship 572 DE genes
PANEL_DE = (
    "gene\tlog2fc\tpadj\n"
    "G1\t2.0\t0.0001\nG2\t1.0\t0.001\nG3\t0.5\t0.2\nG4\t0.2\t0.6\n"
    "G5\t-0.3\t0.5\nG6\t-1.5\t0.001\nG7\t-0.4\t0.4\nG8\t0.1\t0.9\n"
)
CAUTION = "target_expression rests on 8 genes: if the file holds only selected genes"


def panel_store() -> MemoryStore:
    """A ring of eight genes and two drugs of known action on the panel's changed genes."""
    store = MemoryStore()
    store.add_reference(
        genes={str(i): f"G{i}" for i in range(1, 9)},
        ppi=RING,
        drugs={
            "DB1": ("inhibits an up gene", [("1", "inhibit")]),
            "DB2": ("activates a down gene", [("6", "activate")]),
        },
    )
    return store


def ranked_panel(tmp_path: Path, params: RankParams = PARAMS) -> tuple[MemoryStore, object]:
    """The panel DE file added as `patient add --de` reads it, a twin, and its ranking."""
    reference_context().clear()  # this store's own gene index
    de = tmp_path / "panel_de.tsv"
    de.write_text(PANEL_DE)
    store = panel_store()
    patients.add_patient_files(store, "P1", de=de)
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ReferenceContext())
    return store, rankings.rank_drugs(
        store, "P1", params, cache_dir=tmp_path, ctx=ReferenceContext()
    )


@pytest.fixture(autouse=True)
def fresh_context() -> None:
    reference_context().clear()


def test_the_ranking_and_its_json_say_the_scores_rest_on_a_panel(tmp_path, capsys) -> None:
    store, r = ranked_panel(tmp_path)
    assert {d.drug_id for d in r.drugs if d.target_expression is not None} == {"DB1", "DB2"}
    assert r.n_genes_with_statistic == 8
    assert r.target_expression_note is not None
    assert r.target_expression_note.startswith(CAUTION)
    assert r.target_expression_note.endswith(f"(a transcriptome has over {PANEL_GENES:,})")
    assert r.model_dump(mode="json")["target_expression_note"] == r.target_expression_note
    # read back: the count is stored with the ranking
    again = rankings.get_ranking(store, "P1", ctx=ReferenceContext())
    assert (again.n_genes_with_statistic, again.target_expression_note) == (
        8,
        r.target_expression_note,
    )
    cli_treatment.print_ranking(again, top=0)
    assert f"NOTE {r.target_expression_note}\n" in capsys.readouterr().out


def test_explain_and_the_report_repeat_it(tmp_path, monkeypatch) -> None:
    store, r = ranked_panel(tmp_path)
    note = r.target_expression_note
    e = rankings.explain_drug(store, "P1", "DB1", ctx=ReferenceContext())
    assert e.score is not None
    assert e.score.target_expression is not None
    assert e.target_expression_note == note
    assert e.model_dump(mode="json")["target_expression_note"] == note

    def memory(**_: object):  # type: ignore[no-untyped-def]
        import contextlib

        return contextlib.nullcontext(store)

    monkeypatch.setattr(cli_treatment, "open_store", memory)
    out = CliRunner().invoke(cli_treatment.explain, ["P1", "DB1"])
    assert out.exit_code == 0, out.output
    assert f"  NOTE {note}\n" in out.output
    page = reports.patient_report(store, "P1", ctx=ReferenceContext())
    assert html.escape(str(note)) in page


def test_no_caution_without_target_expression_or_on_a_transcriptome(tmp_path) -> None:
    store, r = ranked_panel(tmp_path, RankParams(n_samples=30, methods=("proximity",)))
    assert r.n_genes_with_statistic is None  # no statistic method: no vector read
    assert r.target_expression_note is None
    e = rankings.explain_drug(store, "P1", "DB1", ctx=ReferenceContext())
    assert e.target_expression_note is None
    assert "rests on" not in reports.patient_report(store, "P1", ctx=ReferenceContext())
    big = r.model_copy(update={"params": PARAMS, "n_genes_with_statistic": PANEL_GENES})
    assert big.target_expression_note is None
    assert target_expression_panel_note(PANEL_GENES - 1) is not None
