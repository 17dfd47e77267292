"""The HTML report is self-contained (nothing to fetch), escaped, and shows its plots."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from medtwin.platform.report import render_report
from medtwin.platform.report_charts import LAYER_COLOURS, layer_colour

_URL = re.compile(r"https?://", re.I)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collect:
    p = _Collect()
    p.feed(page)
    return p


def test_report_is_offline_safe_and_has_the_plots(
    twin_detail, ranking, explanations, twin_graph, patient
):
    page = render_report(
        twin_detail,
        ranking,
        explanations,
        twin_graph,
        patient=patient,
        datasets=[
            {
                "id": "menche2015_interactome",
                "version": "2015",
                "licence": "CC-BY",
                "sha256": "a" * 64,
                "url": "https://example.org/data.tsv",
            }
        ],
    )
    parsed = _parse(page)
    # Nothing is loaded from anywhere: no external attribute, no CSS url(), no @import.
    for tag, attrs in parsed.tags:
        assert tag not in {"script", "link", "iframe", "img", "object", "embed"}, tag
        for name, value in attrs.items():
            if name in {"src", "href", "xlink:href", "action", "data", "poster"}:
                assert (value or "").startswith("#"), (tag, name, value)
    assert "url(http" not in page
    assert "@import" not in page
    # Not even a namespace URL: the only URL is none (the dataset url is not printed).
    assert not _URL.search(page)
    csp = next(
        a["content"] for t, a in parsed.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp.startswith("default-src 'none'")
    # Three plots, inline: module picture, central genes, cell types.
    svgs = [a for t, a in parsed.tags if t == "svg"]
    assert [s["aria-label"] for s in svgs] == ["module", "genes", "cell-types"]
    ids = [a["id"] for t, a in parsed.tags if "id" in a]
    assert len(ids) == len(set(ids)), "ids must be unique across the inline SVGs"
    assert page.count("<path") > 20  # bars, markers and edges were drawn
    text = " ".join(parsed.text)
    for expected in (
        "patient P1",
        "drug1",
        "DB00002",
        "-1.00",
        "-0.50 (aggravates)",
        "+0.30 (counteracts)",
        "CD4 T",
        "G2 → G3",
        "(1 step)",  # not "1 steps"
        "Rheumatoid arthritis",
        "abc123",
        '"seed": 7',
        '"seed": 3',
        "menche2015_interactome",
        "cohort",
    ):
        assert expected in text, expected
    # Names are escaped, never markup.
    assert "G1<b>" in text
    assert "<b>" not in page.replace("&lt;b&gt;", "")


def test_report_without_ranking_or_cell_types(twin_detail, twin_graph):
    detail = twin_detail.model_copy(update={"cell_types": ()})
    page = render_report(detail, None, [], twin_graph)
    svgs = [a["aria-label"] for t, a in _parse(page).tags if t == "svg"]
    assert svgs == ["module", "genes"]
    assert "No ranking yet" in page


def test_report_is_deterministic(twin_detail, ranking, explanations, twin_graph):
    a = render_report(twin_detail, ranking, explanations, twin_graph)
    b = render_report(twin_detail, ranking, explanations, twin_graph)
    assert a == b


def test_layer_colours_match_the_viewer():
    from medtwin.api.app_static import STATIC_DIR

    js = (STATIC_DIR / "viewer.js").read_text()
    table = re.search(r"var COLOURS = \{(.*?)\};", js, re.S)
    assert table is not None
    viewer = dict(re.findall(r'(\w+): "(#[0-9A-F]{6})"', table.group(1)))
    assert viewer == LAYER_COLOURS  # every layer, both ways (the report drew URs in a fallback)
    # The twin graph's gene layers are told apart (module #2F5E8E and seed were both blue).
    assert len({layer_colour(x) for x in ("module", "seed", "expanded", "upstream_regulator")}) == 4


def _targets_in_module(page: str, drug_id: str) -> str:
    table = page[page.rindex("<table>", 0, page.index("<th>targets in module</th>")) :]
    headers = re.findall(r"<th>(.*?)</th>", table[: table.index("</thead>")])
    start = table.index(f"<td>{drug_id}</td>")
    cells = re.findall(r"<td>(.*?)</td>", table[start : table.index("</tr>", start)])
    return cells[headers.index("targets in module") - 1]  # the cells start at the drug, not rank


def test_targets_in_module_are_symbols(twin_detail, ranking, explanations, twin_graph):
    """As rank, the API and the exports show them (before: Entrez ids such as 301, 3932)."""
    page = render_report(twin_detail, ranking, explanations, twin_graph)
    assert _targets_in_module(page, "DB00001") == "G2"
    # a ranking stored before symbols were kept shows its ids
    old = ranking.model_copy(
        update={"drugs": tuple(d.model_copy(update={"targets_in_module_symbols": ()})
                               for d in ranking.drugs)}
    )  # fmt: skip
    page = render_report(twin_detail, old, explanations, twin_graph)
    assert _targets_in_module(page, "DB00001") == "2"


def test_a_process_draws_a_report_chart_once(
    twin_detail, ranking, explanations, twin_graph, monkeypatch
):
    """A chart is a function of what it draws: the second report of the same content (other
    objects, as a second API request reads them) draws nothing again and is the same page."""
    from matplotlib.figure import Figure

    first = render_report(twin_detail, ranking, explanations, twin_graph)
    drawn: list[str] = []
    save = Figure.savefig

    def counted(self: Figure, *args: object, **kwargs: object) -> None:
        drawn.append("svg")
        save(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counted)
    detail = type(twin_detail).model_validate(twin_detail.model_dump())
    graph = type(twin_graph).model_validate(twin_graph.model_dump())
    assert render_report(detail, ranking, explanations, graph) == first
    assert drawn == []
    moved = graph.model_copy(update={"nodes": graph.nodes[1:]})  # other content: drawn
    render_report(detail, ranking, explanations, moved)
    assert drawn == ["svg"]


def _empty_columns(page: str) -> list[str]:
    out = []
    for table in re.findall(r"<table>(.*?)</table>", page, re.S):
        heads = re.findall(r"<th>(.*?)</th>", table)
        rows = [
            re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
            for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        ]
        rows = [r for r in rows if r]
        out += [h for i, h in enumerate(heads) if rows and all(not r[i].strip() for r in rows)]
    return out


def test_no_table_column_is_empty_in_every_row(twin_detail, ranking, explanations, twin_graph):
    """Before, a bulk twin's central-genes table had a "cell types" column empty in all 15 rows
    (GSM389703, SYN001 in the demo), and a drug with no target in the module an empty cell."""
    bulk = twin_detail.model_copy(
        update={
            "top_genes": tuple(
                g.model_copy(update={"cell_types": ()}) for g in twin_detail.top_genes
            )
        }
    )
    page = render_report(bulk, ranking, explanations, twin_graph)
    assert _empty_columns(page) == []
    assert "<th>cell types</th>" not in page.split("<h2>Central genes</h2>")[1].split("<h2>")[0]
    # a twin with cell-typed genes keeps the column
    page = render_report(twin_detail, ranking, explanations, twin_graph)
    if any(g.cell_types for g in twin_detail.top_genes):
        assert "<th>cell types</th>" in page.split("<h2>Central genes</h2>")[1].split("<h2>")[0]
