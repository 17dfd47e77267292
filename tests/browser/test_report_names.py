"""A report of hostile names stays within its page, on screen and printed (no database).

The twin and ranking are :func:`tests.browser.test_viewer_labels.hostile_store`'s: markup, quotes, a
228-character name without a space, right-to-left text with a U+202E in the input's file name.
"""

from __future__ import annotations

import pytest

from medtwin.platform import reports
from tests.browser.test_viewer_labels import LONG, RLO, XSS, hostile_store

pytestmark = pytest.mark.browser

MAX_NAME = 60  # medtwin.platform.report_html.MAX_NAME

OVERFLOW = """() => {
  const page = document.documentElement.clientWidth;
  return [document.documentElement.scrollWidth - page,
          [...document.querySelectorAll('body *')].filter(e => {
            const b = e.getBoundingClientRect(); return b.width > 0 && b.right > page + 1;
          }).map(e => e.tagName + ':' + e.textContent.slice(0, 40))];
}"""


def test_hostile_names_are_cut_escaped_and_fit_the_page(browser, tmp_path):
    page_html = reports.patient_report(hostile_store(), "P1")
    path = tmp_path / "P1.html"
    path.write_text(page_html, encoding="utf-8")
    context = browser.new_context(offline=True, viewport={"width": 1000, "height": 800})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    # the long drug's name: cut, its whole text the tooltip (before: 12 lines of the table)
    shown = page.evaluate(
        "(t) => [...document.querySelectorAll('span[title]')]"
        ".filter(s => s.title === t).map(s => s.textContent)",
        LONG + XSS,
    )
    assert shown  # the top-drugs table and the explanation's heading
    assert all(s == (LONG + XSS)[: MAX_NAME - 1] + "…" for s in shown), shown
    text = page.inner_text("body")
    assert RLO not in text  # before: the regulator note read backwards after the file name
    assert "no vector of every measured gene: input fichiergpj.exe" in text
    wide, spilled = page.evaluate(OVERFLOW)
    assert wide <= 0, spilled
    assert spilled == []  # before: the 228-character names ran past the page
    # printed: nothing wider than an A4 page's text box, and a PDF comes out
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 700, "height": 1000})
    wide, spilled = page.evaluate(OVERFLOW)
    assert wide <= 0, spilled
    assert spilled == []
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000
    assert page.evaluate("window.medtwinXss") is None
    assert page.locator("img, script").count() == 0
    assert dialogs == []
    context.close()
