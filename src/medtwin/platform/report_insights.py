"""Report sections for the twin's insights: disease resemblance, biomarkers, trajectory.

Each section is an HTML fragment built from a typed result (pure functions, unit-testable);
:func:`medtwin.platform.reports.patient_report` gathers them: the
resemblance is shown when stored on the twin (``medtwin twin diseases`` computes it), the
biomarkers are read (or computed and stored on the twin) when the twin is ranked, and the
trajectory is shown when the patient has more than one time point (from the twins already built
per time point).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from medtwin.platform.insight_models import BiomarkerReport, Trajectory
from medtwin.platform.models import DiseaseMatch
from medtwin.platform.report_html import esc, html_table, number, patient_step

__all__ = [
    "RESEMBLANCE_CAVEAT",
    "biomarker_section",
    "resemblance_section",
    "trajectory_section",
]

log = logging.getLogger(__name__)

RESEMBLANCE_CAVEAT = (
    "How to read it: each reference disease module (Menche et al. 2015, disease genes in the "
    "interactome) is compared with this twin's module by network proximity (z against "
    "degree-matched random gene sets; negative = closer than chance; q = Benjamini–Hochberg "
    "across the diseases) and separation s_AB (negative = the modules overlap). It says which "
    "known disease gene sets lie near the patient's changes in the interactome; it is not a "
    "diagnosis. Large and hub-rich disease modules lie close to many twins, and on the demo data "
    "a rheumatoid-arthritis PBMC twin ranked rheumatoid arthritis about where chance would put "
    "it (174th of 299)."
)


def resemblance_section(
    patient_id: str,
    matches: Sequence[DiseaseMatch],
    *,
    top: int = 15,
    version: int | None = None,
) -> str:
    """'Which diseases does this twin resemble?' from the stored resemblance.

    ``version``: the twin version asked (``report --version N``), named by the step to compute it.
    """
    parts = ["<h2>Which diseases does this twin resemble?</h2>"]
    if not matches:
        parts.append(
            '<p class="muted">Not computed for this twin yet: '
            f"{patient_step('twin diseases', patient_id, version)} (stored on the twin).</p>"
        )
        return "\n".join(parts)
    m = matches[0]
    n_sig = sum(1 for x in matches if x.q < 0.05)
    parts.append(
        f'<p class="muted">{len(matches)} reference disease modules, {m.n_samples} null samples, '
        f"seed {m.seed}; {n_sig} with q &lt; 0.05. {esc(RESEMBLANCE_CAVEAT)}</p>"
    )
    parts.append(
        html_table(
            ("rank", "disease", "z", "q", "s_AB", "shared genes", "d_c"),
            (
                (
                    x.rank,
                    esc(x.name),
                    number(x.z, "+.2f"),
                    number(x.q),
                    number(x.s_ab, "+.2f"),
                    f"{x.shared}/{x.n_genes}",
                    number(x.d_c),
                )
                for x in matches[:top]
            ),
        )
    )
    return "\n".join(parts)


def biomarker_section(
    report: BiomarkerReport | None,
    *,
    patient_id: str,
    ranked: bool = False,
    version: int | None = None,
) -> str:
    """'What to measure' from stored biomarker suggestions, or what to run to get them.

    ``ranked``: the twin has a ranking (then only ``medtwin biomarkers`` is missing);
    ``version``: the twin version asked (``report --version N``), named by the steps.
    """
    parts = ["<h2>What to measure: biomarker suggestions</h2>"]
    if report is None:
        run = patient_step("biomarkers", patient_id, version)
        rank = patient_step("rank", patient_id, version)
        parts.append(
            f'<p class="muted">Not computed for this ranking yet: {run} (stored with it).</p>'
            if ranked
            else f'<p class="muted">Needs a ranking: {rank}, then '
            f"{run.replace('run ', '', 1).replace('call ', '', 1)}.</p>"
        )
        return "\n".join(parts)
    parts.append(
        f'<p class="muted">From the top {report.top_drugs} drugs of ranking '
        f"{esc(report.ranking_id)}. Rule: {esc(report.rule)}</p>"
    )
    if report.module_note:
        parts.append(f'<p class="muted">{esc(report.module_note)}</p>')
    if not report.suggestions:
        parts.append(
            '<p class="muted">No target of these drugs is in the module and changed in the '
            "patient.</p>"
        )
        return "\n".join(parts)
    parts.append(
        html_table(
            (
                "#",
                "protein",
                "layers",
                "central",
                "ligand (LIANA consensus)",
                "drugs",
                "evidence chain",
            ),
            (
                (
                    s.rank,
                    esc(s.symbol or s.entrez),
                    esc(", ".join(s.layers)),
                    "yes" if s.central else "",
                    "yes" if s.ligand else "",
                    esc(", ".join(f"{d.drug_name or d.drug_id} ({d.effect})" for d in s.drugs)),
                    esc(s.chain),
                )
                for s in report.suggestions
            ),
        )
    )
    return "\n".join(parts)


def _genes(symbols: Sequence[str], shown: int = 20) -> str:
    """The first ``shown`` genes of a cell, or "none": an empty cell read as a rendering fault."""
    if not symbols:
        return "none"
    return esc(", ".join(symbols[:shown])) + (" …" if len(symbols) > shown else "")


def trajectory_section(traj: Trajectory) -> str:
    """'Over time' from a trajectory (the twins of each time point)."""
    parts = ["<h2>Over time</h2>"]
    parts.append(
        f'<p class="muted">Time points {esc(" → ".join(traj.time_points))}; one twin version '
        "per time point.</p>"
    )
    if traj.missing:
        parts.append(
            f'<p class="muted">No twin yet for {esc(", ".join(traj.missing))}: '
            f"{patient_step('twin trajectory', traj.patient_id)}.</p>"
        )
    parts.append(
        html_table(
            ("time point", "twin", "module", "module z", "most central genes"),
            (
                (
                    esc(p.time_point),
                    esc(p.twin_id),
                    p.module_size,
                    number(p.module_z, "+.2f"),
                    esc(", ".join(p.top_genes)),
                )
                for p in traj.points
            ),
        )
    )
    if traj.steps:
        parts.append(
            html_table(
                ("step", "entered", "left", "kept", "Jaccard", "PageRank risers"),
                (
                    (
                        esc(f"{s.from_time_point} → {s.to_time_point}"),
                        _genes(s.entered),
                        _genes(s.left),
                        s.stayed,
                        f"{s.jaccard:.2f}",
                        _genes(s.risers),
                    )
                    for s in traj.steps
                ),
            )
        )
    if traj.drugs:
        parts.append("<h3>Top drugs over time</h3>")
        parts.append(
            html_table(
                ("drug", *traj.time_points, "change"),
                (
                    (
                        esc(d.drug_name or d.drug_id),
                        *("–" if r is None else r for r in d.ranks),
                        "–" if d.change is None else f"{d.change:+d}",
                    )
                    for d in traj.drugs
                ),
            )
        )
    parts.append("<h3>Early genes</h3>")
    parts.append(f'<p class="muted">{esc(traj.rule)}</p>')
    if traj.early_genes:
        parts.append(
            html_table(
                ("gene", "PageRank rank (first time point)", "later entrants it touches"),
                (
                    (
                        esc(g.symbol or g.entrez),
                        g.pagerank_rank,
                        esc(", ".join(g.later_neighbours)),
                    )
                    for g in traj.early_genes
                ),
            )
        )
    else:
        parts.append('<p class="muted">None flagged.</p>')
    return "\n".join(parts)
