"""The twin viewer and the report, end to end in headless Chromium."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from medtwin.platform import rankings, twins
from medtwin.platform.models import RankParams
from tests.api.conftest import READ, READ_SECRET

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


def _guard(page, base: str) -> list[str]:
    """Abort and record every request that leaves the API's own origin."""
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return outside


def test_viewer_draws_the_whole_twin(browser, live_api, tmp_path):
    base, store = live_api
    rankings.rank_drugs(store, "PA", RankParams(n_samples=20), cache_dir=tmp_path / "cache")
    graph = twins.twin_graph(store, "PA")
    top = rankings.get_ranking(store, "PA", limit=1).drugs[0]
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside = _guard(page, base)

    page.goto(f"{base}/v1/patients/PA/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=20_000)
    drawn = page.evaluate("window.medtwinDrawnNodes")
    assert drawn == len(graph.nodes) > 0
    assert page.evaluate("window.medtwinDrawnEdges") == len(graph.edges)
    # The key left the address bar at once and lives in this tab's sessionStorage only.
    assert "key=" not in page.url
    assert page.evaluate("sessionStorage.getItem('medtwin.apiKey')") == READ_SECRET
    assert page.evaluate("localStorage.length") == 0

    page.wait_for_selector("#drugs:not([hidden])", timeout=10_000)
    page.select_option("#drug", top.drug_id)
    # (wait_for_function would need 'unsafe-eval', which the page's CSP rightly forbids)
    expect(page.locator("#drug-info")).to_contain_text("targets in the twin", timeout=10_000)
    info = page.inner_text("#drug-info")
    assert info.startswith(top.drug_name or top.drug_id)
    assert info.endswith(f"direction: {top.direction_word}")
    shot = tmp_path / "viewer.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert errors == []
    assert outside == []
    page.close()
    print(f"viewer: {drawn} nodes drawn; screenshot {shot}")


def test_viewer_and_docs_load_under_a_user_server_s_limits(browser, live_api_default_limits):
    # A browser fetches a page's script, style sheet and library at once, without a key (the
    # key is in the address fragment, read by the script): more than one address may have in
    # progress on API routes. Static files are charged to the rate, not to that cap.
    base, _ = live_api_default_limits
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    statuses: list[tuple[int, str]] = []
    page.on("response", lambda r: statuses.append((r.status, r.url)))
    page.goto(f"{base}/v1/patients/PA/viewer#key={READ_SECRET}")
    page.wait_for_selector('body[data-state="drawn"]', timeout=20_000)
    assert page.evaluate("window.medtwinDrawnNodes") > 0
    page.goto(f"{base}/docs")
    page.wait_for_selector(".opblock", timeout=20_000)  # Swagger UI drew the operations
    assert [s for s in statuses if s[0] == 429] == []
    assert any(url.endswith("/static/viewer.js") for _, url in statuses)
    page.close()


def test_viewer_asks_for_a_key_and_refuses_a_bad_one(browser, live_api):
    base, _ = live_api
    page = browser.new_page()
    page.goto(f"{base}/v1/patients/PA/viewer")
    page.wait_for_selector('body[data-state="needs-key"]')
    page.fill("#key", "mtk_wrong")
    page.click("#key-form button")
    expect(page.locator("#status")).to_contain_text("refused")
    assert page.evaluate("window.medtwinDrawnNodes") is None
    page.close()


def test_report_opens_offline_with_its_plots(browser, live_api, tmp_path):
    base, store = live_api
    rankings.rank_drugs(store, "PA", RankParams(n_samples=20), cache_dir=tmp_path / "cache")
    html = httpx.get(f"{base}/v1/patients/PA/report", headers=READ, timeout=60).text
    path = tmp_path / "PA.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    boxes = page.evaluate(
        "[...document.querySelectorAll('svg.plot')].map(s => {"
        " const b = s.getBoundingClientRect();"
        " return [s.getAttribute('aria-label'), b.width, b.height,"
        " s.querySelectorAll('path').length]; })"
    )
    labels = [b[0] for b in boxes]
    assert labels[:2] == ["module", "genes"]
    assert all(w > 100 and h > 100 and n > 5 for _, w, h, n in boxes), boxes
    assert requests == [path.as_uri()]  # the page itself, nothing else
    assert page.locator("table").count() >= 4
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    context.close()


def test_viewer_overlays_only_the_targets_the_ranking_used(browser, live_api, tmp_path):
    """An enzyme of the drug in the twin is neither counted nor drawn as a target.

    Before, ``targetIds`` took every ``explanation.targets`` entry: Dexamethasone was "1 of 27
    targets in the twin" (rank: 4 targets), and Danazol drew SHBG, a carrier, with a drug edge.
    """
    from medtwin.loaders.rows import DrugTargetRow

    base, store = live_api
    store.merge_rows(
        [
            DrugTargetRow(
                drug_id="DB00001", entrez="4", actions=("substrate",), direction="unknown",
                category="enzyme", known_action="unknown", source="drugbank_dhimmel",
                source_version="test",
            )
        ]
    )  # fmt: skip
    rankings.rank_drugs(store, "PA", RankParams(n_samples=20), cache_dir=tmp_path / "cache")
    explained = rankings.explain_drug(store, "PA", "DB00001")
    roles = {t["entrez"]: (t["role"], t["in_twin"]) for t in explained.targets}
    assert roles == {"2": ("target", True), "3": ("target", True), "4": ("enzyme", True)}
    drug = next(
        d for d in rankings.get_ranking(store, "PA", limit=10).drugs if d.drug_id == "DB00001"
    )
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/v1/patients/PA/viewer#key={READ_SECRET}")
    page.wait_for_selector("#drugs:not([hidden])", timeout=20_000)
    page.select_option("#drug", "DB00001")
    expect(page.locator("#drug-info")).to_contain_text("targets in the twin", timeout=10_000)
    assert page.inner_text("#drug-info") == (
        f"drug1: 2 of 2 targets in the twin; direction: {drug.direction_word}"
    )
    assert page.evaluate("window.medtwinDrugEdges") == 2
    assert errors == []
    page.close()


def test_viewer_names_the_source_of_a_filled_in_action(browser, live_api, tmp_path):
    """A target whose action DrugCentral fills in reads "inhibit (DrugCentral)", as in explain.

    Before, the overlay drew the drug's edges with no action at all, so the viewer could not
    say what rank, explain and the biomarker chains say of the same pair.
    """
    from medtwin.loaders.rows import DrugTargetRow

    base, store = live_api

    def row(entrez: str, source: str, direction: str) -> DrugTargetRow:
        return DrugTargetRow(
            drug_id="DB00001", entrez=entrez, actions=(), direction=direction, category="target",
            known_action="unknown", source=source, source_version="test",
        )  # fmt: skip

    # DrugBank names no action for DB00001 -> G3; DrugCentral names "inhibit"
    store.merge_rows(
        [row("3", "drugbank_dhimmel", "unknown"), row("3", "drugcentral_2016", "inhibit")]
    )
    rankings.rank_drugs(store, "PA", RankParams(n_samples=20), cache_dir=tmp_path / "cache")
    explained = rankings.explain_drug(store, "PA", "DB00001")
    words = {t["entrez"]: t["action_words"] for t in explained.targets}
    assert words == {"2": "inhibit", "3": "inhibit (DrugCentral)"}

    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/v1/patients/PA/viewer#key={READ_SECRET}")
    page.wait_for_selector("#drugs:not([hidden])", timeout=20_000)
    page.select_option("#drug", "DB00001")
    expect(page.locator("#drug-targets li")).to_have_count(2, timeout=10_000)
    assert sorted(page.locator("#drug-targets li").all_inner_texts()) == [
        "G2: inhibit",
        "G3: inhibit (DrugCentral)",
    ]
    # the same words on the drug's edges (Cytoscape data, drawn as the edge label)
    assert page.evaluate("window.medtwinDrugEdges") == 2
    actions = page.evaluate("window.medtwinDrugEdgeActions")
    assert sorted(actions) == ["inhibit", "inhibit (DrugCentral)"]
    assert errors == []
    page.close()
