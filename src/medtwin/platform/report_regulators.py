"""The report's "Upstream regulators" section (HTML fragment), from what the twin stores.

A report never computes: the section shows the twin's stored ``UPSTREAM_REGULATOR`` edges
(ranked at the build, :mod:`medtwin.platform.twin_regulators`) and its pathway activities, with
a bar chart of both; without them it says which commands compute them, or, for a twin without
a vector of every measured gene (e.g. an h5ad twin), why there are none and where the
per-cell-type ones are.
"""

from __future__ import annotations

from medtwin.platform.regulator_views import StoredRegulators, p_words
from medtwin.platform.report_charts import activities_figure
from medtwin.platform.report_html import esc, html_table, number, patient_step
from medtwin.platform.twin_models import UpstreamRegulator

__all__ = ["regulator_section"]

_PPR = "Haveliwala 2002, doi:10.1145/511446.511513"
_LOUVAIN = "Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008"
_KIND = {"tf": "TF", "driver": "driver", "tf+driver": "TF + driver"}


def _group_cell(u: UpstreamRegulator) -> str:
    """The group column: community, its size in the network, the other URs in it."""
    if u.community is None:
        return "–"
    parts = []
    if u.community_size and u.network_size:
        parts.append(f"{u.community_size:,} of {u.network_size:,} proteins")
    if u.group_with:
        parts.append(f"with {', '.join(u.group_with[:5])}")
    return f"{u.community}" + (f" ({'; '.join(parts)})" if parts else "")


def regulator_section(
    view: StoredRegulators | None, *, patient_id: str, top: int = 25, version: int | None = None
) -> str:
    """URs (regulator, kind, activity t, q, centrality rank, group), pathways and a chart.

    ``version``: the twin version asked (``report --version N``), named by the step computing
    its regulators (a rebuild makes a new version: that step names none).
    """
    parts = ["<h2>Upstream regulators</h2>"]
    if view is not None and view.note:  # no vector of every measured gene: none, and why
        parts.append(f'<p class="muted">{esc(view.note)}.</p>')
        return "\n".join(parts)
    if view is None or view.empty:
        parts.append(
            '<p class="muted">The twin stores no regulator activity: load the regulator layers '
            "(<code>medtwin data fetch &amp;&amp; medtwin load</code>, on the server), rebuild "
            f"the twin ({patient_step('twin build', patient_id)}), or compute them now "
            f"({patient_step('twin regulators', patient_id, version)}).</p>"
        )
        return "\n".join(parts)
    engine = {"gds": "GDS", "in_process": "in process"}.get(view.engine or "", "–")
    parts.append(
        '<p class="muted">TFs with DoRothEA activity q ≤ 0.05 (ULM t-value on the patient\'s gene '
        "statistics) and driver genes, ranked by personalised PageRank on the interactome + "
        f"regulon network seeded by |activity| and drivers (restart 0.3; {_PPR}), grouped by "
        f"Louvain community of that whole network ({_LOUVAIN}; a community can hold thousands of "
        "proteins, and GDS and the in-process engine partition it differently, so a group is no "
        f"finding of itself); computed {esc(engine)} at the twin build.</p>"
    )
    if view.gene_set_note:
        parts.append(
            f'<p class="gate exploratory"><strong>Note:</strong> {esc(view.gene_set_note)}.</p>'
        )
    urs = view.regulators[:top]
    if urs:
        parts.append(
            html_table(
                (
                    "rank",
                    "regulator",
                    "kind",
                    "activity (t)",
                    "q",
                    "centrality",
                    "group",
                    "in words",
                ),
                (
                    (
                        u.rank,
                        esc(u.symbol),
                        esc(_KIND.get(u.kind, u.kind)),
                        number(u.activity, "+.2f"),
                        "–" if u.q is None else esc(p_words(u.q)),
                        number(u.pagerank),
                        esc(_group_cell(u)),
                        esc(u.words),
                    )
                    for u in urs
                ),
            )
        )
        if len(view.regulators) > top:
            parts.append(f'<p class="muted">{len(view.regulators) - top} more not shown.</p>')
    else:
        parts.append('<p class="muted">No TF reaches q ≤ 0.05 and no driver is known.</p>')
    if view.pathways:
        parts.append("<h3>Pathway activities (PROGENy, MLM)</h3>")
        parts.append(
            html_table(
                ("pathway", "kind", "activity (t)", "p", "q"),
                (
                    (
                        esc(p["name"]),
                        "pathway",
                        number(p["score"], "+.2f"),
                        "–" if p["p"] is None else esc(p_words(p["p"])),
                        "–" if p["q"] is None else esc(p_words(p["q"])),
                    )
                    for p in view.pathways
                ),  # fmt: skip
            )
        )
    bars = [(u.symbol, u.activity) for u in urs if u.activity is not None]
    bars += [(f"{p['name']} (pathway)", p["score"]) for p in view.pathways]
    if bars:
        parts.append(
            activities_figure(
                [(label, float(v)) for label, v in bars], "Regulator and pathway activities"
            )
            or ""
        )
    return "\n".join(parts)
