"""Per-patient HTML report: one self-contained page, assembled section by section.

The page loads nothing: plots are inline SVG (:mod:`medtwin.platform.report_charts`), styles are
inline, and a Content-Security-Policy of ``default-src 'none'`` makes a browser refuse any fetch.
Layouts use fixed seeds, so the same inputs give the same page. Sections: tissue and phenotype in
:mod:`.report_sections`, insights in :mod:`.report_insights`; HTML helpers :mod:`.report_html`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.platform.algorithms.direction import direction_word
from medtwin.platform.first_screen import ScreenLine, first_screen, scope_note, why_line
from medtwin.platform.gating import module_gate
from medtwin.platform.models import DrugExplanation, PatientSummary, RankingResult, TwinGraph
from medtwin.platform.report_charts import cells_figure, genes_figure
from medtwin.platform.report_html import esc, html_table, name, number, pairs_table, patient_step
from medtwin.platform.report_module_chart import module_figure
from medtwin.platform.report_sections import phenotype_module_section, tissue_section
from medtwin.platform.twin_models import TwinDetail

__all__ = ["render_report"]


def _direction(value: float | None, *, computed: bool = True) -> str:
    # +1 = the drug pushes its targets against the patient's change (direction_word). No value
    # is "unknown", the legend's word (it was a bare "–" the legend did not name).
    if not computed or value is None or math.isnan(value):
        return direction_word(value, computed=computed)
    return f"{value:+.2f} ({direction_word(value)})"


_DIRECTION_LEGEND = (
    "<strong>direction</strong>: <em>counteracts</em> = the drug pushes its targets against the "
    "patient's change (it inhibits an up-regulated gene or activates a down-regulated one); "
    "<em>aggravates</em> = it pushes them further the same way; <em>mixed</em> = as many of "
    "each; <em>unknown</em> = no target with both a known action and a change; <em>not "
    "computed</em> = the ranking did not run the direction method."
)


def _module_significance(
    module_z: float | None, module_p: float | None, ranking: RankingResult | None
) -> str:
    """The module gate first, so an exploratory ranking is read as one."""
    if ranking is not None and (ranking.module_z is not None or ranking.module_p is not None):
        # The module whose significance is reported is the module that was ranked.
        module_z, module_p = ranking.module_z, ranking.module_p
    gate = module_gate(module_z, module_p)
    if gate.significant:
        return (
            f'<p class="gate ok">Module significant: more connected than random genes (module z '
            f"= {number(module_z, '.2f')}, p = {number(module_p)}; threshold z ≥ 1.6 and "
            "p ≤ 0.05).</p>"
        )
    return (
        f'<p class="gate exploratory"><strong>{esc(gate.note)}.</strong> The drug ranking below '
        "is exploratory: treat it as hypotheses, not as a network-supported prioritisation.</p>"
    )


def _cell_types(detail: TwinDetail) -> str:
    """The twin's cell types as ``twin show`` lists them: its own, and those of its tissues.

    The total is the twin summary's (:func:`medtwin.platform.tissues.cell_type_count`, as the API
    and ``twin list`` give it); each tissue's share follows it.
    """
    tissues = detail.tissues.tissues if detail.tissues is not None else ()
    n = detail.twin.n_cell_types
    if not tissues:
        return str(n)
    return f"{n} ({', '.join(f'{t.name} {len(t.cell_types)}' for t in tissues)})"


_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:1em 2em}
body{color:#222}h1{font-size:1.6em;margin-bottom:.2em}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
th{background:#f4f4f4}.muted{color:#777}.plot{max-width:100%;height:auto}code{font-size:.85em}
ol.paths li{margin:.2em 0}
.gate{padding:.5em .8em;border-radius:4px}.gate.ok{background:#eef6ee}
.gate.exploratory{background:#fdf1e0;border:1px solid #e8b463}
p,li,h1,h3,span[title]{overflow-wrap:anywhere}pre{white-space:pre-wrap;overflow-wrap:anywhere}
td{overflow-wrap:anywhere}table{display:block;max-width:100%;overflow-x:auto}
@media print{body{max-width:none;padding:0;font-size:11px}h2,h3{break-after:avoid}
tr,.plot,.gate{break-inside:avoid}details{display:none}
table{display:table;font-size:.8em}td,th{padding:.1em .3em}}
"""


def render_report(
    detail: TwinDetail,
    ranking: RankingResult | None,
    explanations: Sequence[DrugExplanation],
    graph: TwinGraph,
    *,
    patient: PatientSummary | None = None,
    datasets: Sequence[Mapping[str, Any]] = (),
    extra_sections: Sequence[str] = (),
    screen: Sequence[ScreenLine] | None = None,
    version: int | None = None,
) -> str:
    """Render one patient's report as a self-contained HTML page.

    Parameters
    ----------
    detail
        The twin (``show_twin``).
    ranking
        The latest ranking's first page, or ``None`` when no ranking was run.
    explanations
        Explanations of some top drugs.
    graph
        The twin as nodes and edges (module picture).
    patient
        The patient summary (inputs, symptoms, metadata), when known.
    datasets
        Dataset provenance (``list_datasets``): the data versions used.
    extra_sections
        Further HTML sections (already escaped), placed before the parameters
        (:mod:`medtwin.platform.report_insights`).
    screen
        The ranking's first screen (:func:`medtwin.platform.first_screen.screen_of`): drugs with
        the same targets on one row, and what placed each; default: one row per drug.
    version
        The twin version asked (``report --version N``; None: the latest): steps name it.

    Returns
    -------
    str
        The HTML page; it references no external resource.
    """
    twin = detail.twin
    parts: list[str] = []
    add = parts.append
    add(f"<h1>medtwin report: patient {esc(twin.patient_id)}</h1>")
    add(
        f'<p class="muted">Twin {esc(twin.id)} (version {twin.version}, built '
        f"{esc(twin.created_at.isoformat(timespec='seconds'))}, parameters hash "
        f"<code>{esc(twin.params_hash)}</code>)</p>"
    )
    note = (patient.metadata.get("note") if patient else None) or (
        ranking.patient_note if ranking else None
    )
    if note:  # the patient's own caveat (e.g. several people's samples) before any result
        add(f'<p class="gate exploratory"><strong>Patient note:</strong> {esc(note)}</p>')
    if detail.stale_note:  # an old twin is never reported as the patient's now
        add(f'<p class="gate exploratory"><strong>Note:</strong> {esc(detail.stale_note)}</p>')
    add("<h2>Module significance</h2>")
    add(_module_significance(twin.module_z, twin.module_p, ranking))
    add("<h2>Patient</h2>")
    summary: dict[str, object] = {
        "seed genes": twin.n_seeds,
        "genes in twin": twin.n_genes,
        "module (largest connected component)": twin.module_size,
        "module z / p": f"{number(twin.module_z)} / {number(twin.module_p)}",
        "symptoms": twin.n_symptoms,
        "cell types": _cell_types(detail),
    }
    if patient is not None:
        summary = {
            "inputs": patient.inputs,
            "measured genes": patient.genes,
            **summary,
            **{f"metadata: {k}": v for k, v in sorted(patient.metadata.items())},
        }
    add(pairs_table(summary))
    if detail.symptoms:
        add(
            html_table(
                ("symptom", "name"),
                ((esc(s.get("id")), name(s.get("name", ""))) for s in detail.symptoms),
            )
        )

    add("<h2>Twin module</h2>")
    add(module_figure(graph, twin.params.seed) or '<p class="muted">The twin has no nodes.</p>')
    add("<h2>Central genes</h2>")
    add(genes_figure(detail) or '<p class="muted">No centralities computed.</p>')
    top = detail.top_genes[:20]
    # a column empty in every row (a bulk twin's cell types) read as a rendering fault: left out
    typed = any(g.cell_types for g in top)
    add(
        html_table(
            ("gene", "role", "log2fc", "PageRank", "betweenness", "community")
            + (("cell types",) if typed else ()),
            (
                (
                    name(g.symbol or g.entrez),
                    esc(g.role),
                    number(g.log2fc, "+.2f"),
                    number(g.pagerank),
                    number(g.betweenness),
                    esc(g.community),
                )
                + ((", ".join(name(c) for c in g.cell_types),) if typed else ())
                for g in top
            ),
        )
    )
    if detail.cell_types:
        add("<h2>Cell types</h2>")
        add(cells_figure(detail) or "")
        add(
            html_table(
                ("cell type", "genes", "PageRank", "signals out", "signals in"),
                (
                    (name(c.name), c.n_genes, number(c.pagerank), c.out_signals, c.in_signals)
                    for c in detail.cell_types
                ),
            )
        )
    add(tissue_section(detail.tissues))
    add(phenotype_module_section(detail.phenotype_module))
    add("<h2>Communities</h2>")
    if detail.communities:
        add(
            html_table(
                ("community", "size", "top genes"),
                (
                    (c.id, c.size, ", ".join(name(g) for g in c.top_genes))
                    for c in detail.communities
                ),
            )
        )
    else:
        add('<p class="muted">No communities.</p>')

    add("<h2>Top drugs</h2>")
    if ranking is None:
        rank = patient_step("rank", twin.patient_id, version)  # `rank P` ranks the latest
        add(f'<p class="muted">No ranking yet: {rank}.</p>')
    elif not ranking.drugs:  # a ranking exists: "no ranking yet" sent the reader to run it again
        add(
            f'<p class="muted">The latest ranking ({esc(ranking.id)}, targets '
            f"{esc(ranking.params.targets)}) lists no drug.</p>"
        )
    else:
        add(
            f'<p class="muted">{ranking.n_drugs} drugs ranked '
            f"({esc(', '.join(ranking.params.methods))}"
            f"; targets {esc(ranking.params.targets)}; {ranking.params.n_samples} null samples, "
            f"seed {ranking.params.seed}); showing {len(ranking.drugs)}.</p>"
        )
        add(
            '<p class="muted">How to read it: <strong>d_c</strong> is the mean shortest distance '
            "from the drug's targets to the twin's module (Guney et al. 2016); <strong>z</strong> "
            "compares it with degree-matched random targets and modules (negative = closer than "
            "chance); <strong>q</strong> is the Benjamini–Hochberg q-value across all drugs "
            "screened. With thousands of drugs and one patient, q is often near 1: treat the list "
            "as a prioritisation for review, not as statistically confirmed hits. The degree-only "
            "baseline rank is shown so a drug that ranks high only because its targets are hubs "
            "can be spotted. <strong>activity reversal</strong>: −Spearman of the patient's TF and "
            "pathway activities and the drug's LINCS ones (+ = the drug pushes them back; – = not "
            "run, or no LINCS signature).</p>"
        )
        add(f'<p class="muted">{_DIRECTION_LEGEND}</p>')
        add(f"<p><strong>Order:</strong> {esc(scope_note(ranking.params))}.</p>")
        add(
            f"<p><strong>Personal evidence</strong> (does this method's order depend on the "
            f"patient?): {esc(ranking.personal_evidence)}</p>"
        )
        if ranking.target_expression_note:  # the caution `twin regulators` gives activities
            add(
                '<p class="gate exploratory"><strong>Note:</strong> '
                f"{esc(ranking.target_expression_note)}.</p>"
            )
        lines = (
            screen
            if screen is not None
            else first_screen(ranking.drugs, None, ranking.params, lines=0)
        )
        shared = any(line.same_targets_text for line in lines)
        add(
            html_table(
                (
                    "rank",
                    "drug",
                    "name",
                    "targets (in network)",
                    "proximity d",
                    "z",
                    "q",
                    "direction",
                    "activity reversal",
                    "combined",
                    "targets in module",
                    "placed by",
                )
                + (("same targets",) if shared else ()),
                (
                    (
                        d.rank,
                        name(d.drug_id),
                        name(d.drug_name),
                        f"{d.n_targets} ({d.n_targets_in_network})",
                        number(d.d_c),
                        number(d.z, "+.2f"),
                        number(d.q),
                        esc(_direction(d.direction, computed=d.direction_computed)),
                        number(d.activity_reversal, "+.2f"),
                        number(d.combined),
                        # symbols, as every other surface shows them (ids of an older ranking)
                        ", ".join(
                            name(t)
                            for t in (d.targets_in_module_symbols or d.targets_in_module)[:8]
                        )
                        or "none",
                        esc(line.evidence),
                    )
                    + ((esc(line.same_targets_text),) if shared else ())
                    for line in lines
                    for d in (line.drug,)
                ),
            )
        )
    if explanations:
        add("<h2>Why these drugs</h2>")
        for x in explanations:
            add(
                f"<h3>{name(x.drug_name or x.drug_id)} "
                f"<small class='muted'>{name(x.drug_id)}</small></h3>"
            )
            add(f'<p class="muted">{esc(why_line(x))}</p>')
            if x.central_genes_reached:
                reached = ", ".join(name(g) for g in x.central_genes_reached)
                add(f"<p>Central genes reached: {reached}</p>")
            if x.cell_types:
                cells = ", ".join(name(c) for c in x.cell_types)
                add(f"<p>Targets changed in (tissue/cell type): {cells}</p>")
            if x.paths:
                items = "".join(
                    "<li>"
                    + " → ".join(name(s or n) for n, s in zip(p.nodes, p.symbols, strict=False))
                    + f" <span class='muted'>({p.length} step{'' if p.length == 1 else 's'})</span>"
                    + "</li>"
                    for p in x.paths[:10]
                )
                add(f'<ol class="paths">{items}</ol>')
            else:
                add('<p class="muted">No path from a target to the module.</p>')
            add(
                f"<details><summary>Cypher</summary><pre><code>{esc(x.cypher)}</code></pre></details>"
            )

    parts.extend(extra_sections)
    add("<h2>Parameters, seeds and data versions</h2>")
    add("<h3>Twin</h3>")
    add(f"<pre><code>{esc(json.dumps(twin.params.model_dump(mode='json'), indent=2))}</code></pre>")
    if twin.input_checksums:
        add(
            html_table(
                ("input file", "sha256"),
                (
                    (name(k), f"<code>{esc(v)}</code>")
                    for k, v in sorted(twin.input_checksums.items())
                ),
            )
        )
    if ranking is not None:
        add("<h3>Ranking</h3>")
        add(
            f"<p>Ranking {esc(ranking.id)}, {esc(ranking.created_at.isoformat(timespec='seconds'))}"
            f", {ranking.seconds:.1f} s</p>"
        )
        add(
            f"<pre><code>{esc(json.dumps(ranking.params.model_dump(mode='json'), indent=2))}"
            "</code></pre>"
        )
    if datasets:
        add("<h3>Reference data</h3>")
        add(
            html_table(
                ("dataset", "version", "licence", "sha256"),
                (
                    (
                        esc(d.get("id") or d.get("name")),
                        esc(d.get("version")),
                        esc(d.get("licence")),
                        f"<code>{esc(str(d.get('sha256') or '')[:16])}</code>",
                    )
                    for d in datasets
                ),
            )
        )
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>medtwin report {esc(twin.patient_id)}</title><style>{_CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )
