"""The viewer highlights the twin's upstream regulators (ring class + legend entry)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform import patients, twins
from tests.api.conftest import READ_SECRET
from tests.integration.test_twin_regulators import FAST, _layers, _stats

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


def test_viewer_marks_upstream_regulators(browser, live_api):
    base, store = live_api
    _layers(store)
    stats = _stats()
    changes = tuple(GeneChange(entrez=g, log2fc=v, zscore=v, padj=0.01) for g, v in stats.items())
    profile = PatientProfile(
        patient_id="PU",
        changes=changes,
        symptoms=(), exposures=(), metadata={}, input_checksums={"pu.tsv": "0" * 64}, unmapped=(),
        activity_stats=(ActivityStats(statistic="z", stats=stats),),  # every measured gene
    )  # fmt: skip
    patients.add_patient(store, profile)
    twins.build_twin(store, "PU", FAST)
    graph = twins.twin_graph(store, "PU")
    marked = [n for n in graph.nodes if n.regulator_rank is not None]
    assert [n.id for n in marked if n.regulator_rank == 1] == ["2"]  # G2, the planted UR
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/v1/patients/PU/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=20_000)
    assert page.evaluate("window.medtwinRegulators") == len(marked)
    # the legend says how many of the twin's URs are ringed (stop 46: "all N", or "top 20 of N")
    assert graph.regulator_legend is not None
    expect(page.locator("#legend-regulators")).to_have_text(graph.regulator_legend)
    expect(page.locator("#legend-regulators")).to_contain_text(f"all {len(marked)};")
    # a tapped node says what its value is: log2 fold change (twin gene) or activity t (added UR)
    labels = {n.id: n.value_label for n in graph.nodes}
    info = page.evaluate(
        """(id) => { window.medtwinCy.getElementById(id).emit('tap');
                     return JSON.parse(document.getElementById('info').textContent); }""",
        "2",
    )
    assert info["value_is"] == labels["2"]
    assert labels["2"] in {"log2 fold change", "TF activity t (ULM)"}
    # the PA twin (built before the regulator layers were loaded) has no legend entry
    page.goto(f"{base}/v1/patients/PA/viewer")
    page.wait_for_selector('body[data-state="drawn"]', timeout=20_000)
    assert page.evaluate("window.medtwinRegulators") == 0
    assert page.locator("#legend-regulators").count() == 0
    # thresholded changes only (no vector of every measured gene): no ring, and the legend says why
    up = tuple(c.model_copy(update={"cell_type": "B"}) for c in changes if c.log2fc > 2)
    patients.add_patient(
        store, PatientProfile(patient_id="PN", changes=up, input_checksums={"pn.h5ad": "0" * 64})
    )
    twins.build_twin(store, "PN", FAST)
    page.goto(f"{base}/v1/patients/PN/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=20_000)
    assert page.evaluate("window.medtwinRegulators") == 0
    expect(page.locator("#legend-regulators")).to_contain_text(
        "no twin-level regulators: no vector of every measured gene"
    )
    assert errors == []
    page.close()
