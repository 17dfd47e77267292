"""Every caption of the viewer is readable: hostile, long and right-to-left names (no database).

The twin and the ranking are real (built and ranked on a :class:`MemoryStore`); only their names
are hostile: markup, quotes, a 200-character drug name without a space, a right-to-left override
in a file name, emoji. What the page draws does not depend on the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from medtwin.loaders.patient_rows import GeneChange, PatientProfile
from medtwin.platform import patients, rankings, twins
from medtwin.platform.models import RankParams, TwinParams
from medtwin.platform.safe_text import at_word
from medtwin.store.memory import MemoryStore
from tests.api.conftest import READ_SECRET
from tests.browser.conftest import serve_store, settled
from tests.captions import caption_fault

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.medtwinXss=1">'
LONG = "Verylongdrugname" * 12 + "<script>window.medtwinXss=2</script>"  # 228 chars, no space
RLO = "\u202e"  # right-to-left override: reversed the rest of the legend note
SYMBOLS = [XSS, "A&B \"q\" 'q'", LONG, "مرحبا-GENE", "🧬EMOJI", "null", "TNF"]
MAX_CAPTION = 32  # viewer.js


def hostile_store() -> MemoryStore:
    """A twin of 20 genes with hostile symbols, cell types and file name, ranked against 2 drugs."""
    store = MemoryStore()
    g = nx.relabel_nodes(nx.connected_caveman_graph(2, 10), lambda n: str(n + 1))
    genes = {e: SYMBOLS[i % len(SYMBOLS)] + str(i) for i, e in enumerate(sorted(g, key=int))}
    store.add_reference(
        genes=genes,
        ppi=list(g.edges),
        lr_pairs=[("1", "2"), ("2", "1")],
        drugs={"DB1": (LONG + XSS, [("1", "inhibit"), ("2", "activate")]), "DB2": ("B&B", [])},
    )
    changes = tuple(
        GeneChange(
            entrez=str(i), log2fc=(-1) ** i * (1.0 + i / 10), zscore=3.0, padj=1e-3,
            cell_type=f"CD4 <T> {LONG}" if i % 3 == 0 else None,
        )
        for i in range(1, 21)
    )  # fmt: skip
    profile = PatientProfile(
        patient_id="P1",
        changes=changes,
        metadata={"note": f"RTL مرحبا {XSS}"},
        input_checksums={f"fichier{RLO}gpj.exe 🧬 <x>.tsv": "0" * 64},
    )
    patients.add_patient(store, profile)
    twins.build_twin(store, "P1", TwinParams(module_samples=20, max_seeds=50))
    rankings.rank_drugs(store, "P1", RankParams(n_samples=20))
    return store


@pytest.fixture(scope="module")
def hostile_api() -> Iterator[tuple[str, Any]]:
    yield from serve_store(hostile_store())


def test_every_caption_is_short_escaped_and_whole_in_its_tooltip(browser, hostile_api):
    base, store = hostile_api
    graph = twins.twin_graph(store, "P1")
    assert len(graph.nodes) > 20  # the genes and their cell type
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/v1/patients/P1/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=30_000)
    settled(page)  # past the relabels after "drawn" (a refit's zoom): one placement read
    # a caption left out at this zoom (it would cover another: class quiet) is drawn zoomed in
    drawn = page.evaluate(
        """window.medtwinCy.nodes().not('.leader-end').map(n => [n.id(), n.style('label'),
                                              n.data('full_label'),
                                              n.hasClass('quiet') ? '' : n.data('label')])"""
    )
    full = {n.id: n.label for n in graph.nodes}
    assert len(drawn) == len(graph.nodes)
    assert sum(bool(x[1]) for x in drawn) >= len(drawn) / 2
    for node_id, shown, whole, caption in drawn:
        assert shown == caption, node_id  # drawn as it is, or not at all
        caption = shown or page.evaluate(
            "(id) => window.medtwinCy.getElementById(id).data('label')", node_id
        )
        assert caption.strip(), node_id
        assert caption not in {"null", "undefined", "NaN", "[object Object]"}
        assert len(caption) <= MAX_CAPTION, caption  # before: 228+ characters across the graph
        assert whole == full[node_id]
        # cut at a word's end where one is (stop 59: "CD4 <T>…", not "CD4 <T> Verylongdrugn…")
        assert caption == at_word(whole, MAX_CAPTION), caption
        assert caption_fault(caption, whole, node_id) is None, caption
    # the whole name is the tooltip
    long_id = next(n.id for n in graph.nodes if n.label.startswith("Verylong"))
    tooltip = page.evaluate(
        """(id) => { window.medtwinCy.getElementById(id).emit('mouseover');
                     return document.getElementById('cy').title; }""",
        long_id,
    )
    assert tooltip == full[long_id]
    # a right-to-left override in a file name reversed the rest of the note (Trojan Source)
    legend = page.inner_text("#legend")
    assert "no vector of every measured gene" in legend
    assert RLO not in legend
    # the long drug: its option, the drug's node and the panel stay within their boxes
    page.wait_for_selector("#drugs:not([hidden])", timeout=10_000)
    page.select_option("#drug", "DB1")
    page.wait_for_selector("#drug-targets li", timeout=10_000)
    assert page.inner_text("#drug-info").startswith(LONG + XSS)
    drug_caption = page.evaluate("window.medtwinCy.getElementById('drug:DB1').style('label')")
    assert drug_caption == LONG[: MAX_CAPTION - 1] + "…"
    overflow = page.evaluate(
        "(() => { const a = document.querySelector('aside');"
        " return a.scrollWidth - a.clientWidth; })()"
    )
    assert overflow <= 0  # before: the drug's name ran 1,314 px past the panel (measured)
    # nothing was parsed as markup
    assert page.evaluate("window.medtwinXss") is None
    assert page.locator("img").count() == 0
    assert dialogs == []
    assert errors == []
    page.close()


def test_a_tapped_node_lists_no_empty_field(browser, hostile_api):
    base, _ = hostile_api
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.goto(f"{base}/v1/patients/P1/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=30_000)
    settled(page)  # past the relabels after "drawn" (a refit's zoom): one placement read
    texts = page.evaluate(
        """() => window.medtwinCy.elements().map(e => {
             e.emit('tap'); return document.getElementById('info').textContent; })"""
    )
    assert texts
    for text in texts:  # before: "value": null, "community": null for a cell type
        assert "null" not in text.replace('"null', ""), text  # a gene may be called null0
        assert "undefined" not in text, text
        assert "NaN" not in text, text
    page.close()
