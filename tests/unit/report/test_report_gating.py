"""The report shows the module gate first, then the drugs, with direction words and a legend."""

from __future__ import annotations

import re

from medtwin.platform.report import render_report

NOTE = (
    "exploratory: this twin&#x27;s module is not more connected than random genes "
    "(module z = -0.50, p = 0.62)"
)


def _text(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)


def test_significant_module_is_stated_before_the_drugs(
    twin_detail, ranking, explanations, twin_graph
):
    page = render_report(twin_detail, ranking, explanations, twin_graph)
    gate = page.index("Module significance")
    assert gate < page.index("<h2>Patient</h2>") < page.index("<h2>Top drugs</h2>")
    assert "Module significant: more connected than random genes (module z = 3.20" in page
    assert "exploratory:" not in page


def test_exploratory_module_note_comes_first_word_for_word(
    twin_detail, ranking, explanations, twin_graph
):
    weak = twin_detail.twin.model_copy(update={"module_z": -0.5, "module_p": 0.62})
    detail = twin_detail.model_copy(update={"twin": weak})
    page = render_report(detail, ranking, explanations, twin_graph)
    assert NOTE in page
    assert page.index(NOTE) < page.index("<h2>Top drugs</h2>")
    assert "The drug ranking below is exploratory" in _text(page)


def test_ranking_module_values_win_over_the_twin(twin_detail, ranking, explanations, twin_graph):
    ranked = ranking.model_copy(update={"module_z": -0.5, "module_p": 0.62})
    page = render_report(twin_detail, ranked, explanations, twin_graph)
    assert NOTE in page


def test_undefined_module_statistics_are_not_called_significant(
    twin_detail, explanations, twin_graph
):
    none = twin_detail.twin.model_copy(update={"module_z": None, "module_p": None})
    page = render_report(twin_detail.model_copy(update={"twin": none}), None, [], twin_graph)
    assert "module significance could not be assessed" in page
    assert "Module significant:" not in page


def test_direction_words_and_legend(twin_detail, ranking, explanations, twin_graph):
    text = _text(render_report(twin_detail, ranking, explanations, twin_graph))
    assert "-0.50 (aggravates)" in text
    assert "+0.30 (counteracts)" in text
    assert "mimics" not in text
    legend = re.search(r"direction\s*:\s*counteracts\s*= the drug pushes its targets against", text)
    assert legend, "one-line legend of the direction words"
    assert "aggravates  = it pushes them further the same way" in text


def test_the_drug_table_has_an_activity_reversal_column(
    twin_detail, ranking, explanations, twin_graph
):
    # stop 55: its value was only in the "placed by" cell
    first, second = ranking.drugs
    scored = ranking.model_copy(
        update={"drugs": (first.model_copy(update={"activity_reversal": 0.28}), second)}
    )
    page = render_report(twin_detail, scored, explanations, twin_graph)
    table = page[page.index("<h2>Top drugs</h2>") :]
    table = table[table.index("<table>") : table.index("</table>")]
    headers = re.findall(r"<th>(.*?)</th>", table)
    rows = [re.findall(r"<td>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", table)[1:]]
    at = headers.index("activity reversal")
    assert headers[at - 1] == "direction"
    assert [r[at] for r in rows] == ["+0.28", "–"]  # no value: not run, or no LINCS signature
    assert "activity reversal</strong>: −Spearman of the patient" in page
