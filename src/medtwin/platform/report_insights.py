"""Report sections for the twin's insights: disease resemblance, biomarkers, trajectory.

Each section is an HTML fragment built from a typed result (pure functions, unit-testable);
:func:`insight_sections` gathers them for :func:`medtwin.platform.report.patient_report`: the
resemblance is shown when stored on the twin (``medtwin twin diseases`` computes it), the
biomarkers are read (or computed and stored on the twin) when the twin is ranked, and the
trajectory is shown when the patient has more than one time point (from the twins already built
per time point).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from medtwin.platform.insight_models import BiomarkerReport, Trajectory
from medtwin.platform.models import DiseaseMatch
from medtwin.platform.report import _e, _num, _table

__all__ = [
    "RESEMBLANCE_CAVEAT",
    "biomarker_section",
    "insight_sections",
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


def resemblance_section(patient_id: str, matches: Sequence[DiseaseMatch], *, top: int = 15) -> str:
    """'Which diseases does this twin resemble?' from the stored resemblance."""
    parts = ["<h2>Which diseases does this twin resemble?</h2>"]
    if not matches:
        parts.append(
            '<p class="muted">Not computed for this twin yet: run '
            f"<code>medtwin twin diseases {_e(patient_id)}</code> (stored on the twin).</p>"
        )
        return "\n".join(parts)
    m = matches[0]
    n_sig = sum(1 for x in matches if x.q < 0.05)
    parts.append(
        f'<p class="muted">{len(matches)} reference disease modules, {m.n_samples} null samples, '
        f"seed {m.seed}; {n_sig} with q &lt; 0.05. {_e(RESEMBLANCE_CAVEAT)}</p>"
    )
    parts.append(
        _table(
            ("rank", "disease", "z", "q", "s_AB", "shared genes", "d_c"),
            (
                (
                    x.rank,
                    _e(x.name),
                    _num(x.z, "+.2f"),
                    _num(x.q),
                    _num(x.s_ab, "+.2f"),
                    f"{x.shared}/{x.n_genes}",
                    _num(x.d_c),
                )
                for x in matches[:top]
            ),
        )
    )
    return "\n".join(parts)


def biomarker_section(report: BiomarkerReport | None, *, patient_id: str) -> str:
    """'What to measure' from biomarker suggestions (or a note when the twin is not ranked)."""
    parts = ["<h2>What to measure: biomarker suggestions</h2>"]
    if report is None:
        parts.append(
            '<p class="muted">Needs a ranking: run <code>medtwin rank '
            f"{_e(patient_id)}</code>, then <code>medtwin biomarkers {_e(patient_id)}</code>.</p>"
        )
        return "\n".join(parts)
    parts.append(
        f'<p class="muted">From the top {report.top_drugs} drugs of ranking '
        f"{_e(report.ranking_id)}. Rule: {_e(report.rule)}</p>"
    )
    if report.module_note:
        parts.append(f'<p class="muted">{_e(report.module_note)}</p>')
    if not report.suggestions:
        parts.append(
            '<p class="muted">No target of these drugs is in the module and changed in the '
            "patient.</p>"
        )
        return "\n".join(parts)
    parts.append(
        _table(
            ("#", "protein", "layers", "central", "blood (ligand)", "drugs", "evidence chain"),
            (
                (
                    s.rank,
                    _e(s.symbol or s.entrez),
                    _e(", ".join(s.layers)),
                    "yes" if s.central else "",
                    "yes" if s.ligand else "",
                    _e(", ".join(f"{d.drug_name or d.drug_id} ({d.effect})" for d in s.drugs)),
                    _e(s.chain),
                )
                for s in report.suggestions
            ),
        )
    )
    return "\n".join(parts)


def trajectory_section(traj: Trajectory) -> str:
    """'Over time' from a trajectory (the twins of each time point)."""
    parts = ["<h2>Over time</h2>"]
    parts.append(
        f'<p class="muted">Time points {_e(" → ".join(traj.time_points))}; one twin version '
        "per time point.</p>"
    )
    if traj.missing:
        parts.append(
            f'<p class="muted">No twin yet for {_e(", ".join(traj.missing))}: run '
            f"<code>medtwin twin trajectory {_e(traj.patient_id)}</code>.</p>"
        )
    parts.append(
        _table(
            ("time point", "twin", "module", "module z", "most central genes"),
            (
                (
                    _e(p.time_point),
                    _e(p.twin_id),
                    p.module_size,
                    _num(p.module_z, "+.2f"),
                    _e(", ".join(p.top_genes)),
                )
                for p in traj.points
            ),
        )
    )
    if traj.steps:
        parts.append(
            _table(
                ("step", "entered", "left", "kept", "Jaccard", "PageRank risers"),
                (
                    (
                        _e(f"{s.from_time_point} → {s.to_time_point}"),
                        _e(", ".join(s.entered[:20])) + (" …" if len(s.entered) > 20 else ""),
                        _e(", ".join(s.left[:20])) + (" …" if len(s.left) > 20 else ""),
                        s.stayed,
                        f"{s.jaccard:.2f}",
                        _e(", ".join(s.risers)),
                    )
                    for s in traj.steps
                ),
            )
        )
    if traj.drugs:
        parts.append("<h3>Top drugs over time</h3>")
        parts.append(
            _table(
                ("drug", *traj.time_points, "change"),
                (
                    (
                        _e(d.drug_name or d.drug_id),
                        *("" if r is None else r for r in d.ranks),
                        "" if d.change is None else f"{d.change:+d}",
                    )
                    for d in traj.drugs
                ),
            )
        )
    parts.append("<h3>Early genes</h3>")
    parts.append(f'<p class="muted">{_e(traj.rule)}</p>')
    if traj.early_genes:
        parts.append(
            _table(
                ("gene", "PageRank rank (first time point)", "later entrants it touches"),
                (
                    (
                        _e(g.symbol or g.entrez),
                        g.pagerank_rank,
                        _e(", ".join(g.later_neighbours)),
                    )
                    for g in traj.early_genes
                ),
            )
        )
    else:
        parts.append('<p class="muted">None flagged.</p>')
    return "\n".join(parts)


def insight_sections(store: Any, patient_id: str) -> list[str]:
    """The insight sections of a patient's report, read-only (nothing is computed and stored)."""
    from medtwin.errors import InputError, NotFoundError
    from medtwin.platform import insight_reads, insight_services

    sections = [
        resemblance_section(patient_id, insight_services.stored_diseases(store, patient_id))
    ]
    try:
        report: BiomarkerReport | None = insight_reads.computed_biomarkers(store, patient_id)
    except NotFoundError:
        report = None
    sections.append(biomarker_section(report, patient_id=patient_id))
    if len(insight_services.patient_time_points(store, patient_id)) > 1:
        try:
            traj = insight_services.twin_trajectory(
                store, patient_id, None, build=False, rank=False
            )
        except InputError as e:  # e.g. fewer than two time points with a twin
            log.info("report %s: no trajectory (%s)", patient_id, e)
        else:
            sections.append(trajectory_section(traj))
    return sections
