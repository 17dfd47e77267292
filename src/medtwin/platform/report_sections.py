"""Report sections of the tissue layer, the phenotype module and the module gate (HTML fragments).

Kept apart from :mod:`medtwin.platform.report`, which calls each function once; each returns ``""``
when the twin has nothing to show, so a twin without tissues or symptoms reports as before.
"""

from __future__ import annotations

from medtwin.platform.gating import module_gate
from medtwin.platform.models import RankingResult
from medtwin.platform.report_html import esc, html_table, number
from medtwin.platform.twin_models import PhenotypeModule, TissueLayer

__all__ = ["module_significance", "phenotype_module_section", "tissue_section"]


def _num(value: float | None, fmt: str = ".3g") -> str:
    return "—" if value is None else format(value, fmt)


def tissue_section(layer: TissueLayer | None) -> str:
    """The "Tissues" section: tissues and cell types by meta-network centrality, signalling."""
    if layer is None:
        return ""
    parts = ["<h2>Tissues</h2>"]
    parts.append(
        '<p class="muted">Tissues, their cell types and changed genes form one meta-network; '
        "ligand–receptor links point from the receiver back to the sender, so reverse PageRank "
        f"(damping {layer.damping}) ranks highest what acts on the others (Gleich 2015, "
        f"doi:10.1137/140976649). {layer.n_cross_tissue_signals} cross-tissue and "
        f"{layer.n_within_tissue_signals} within-tissue signalling links.</p>"
    )
    parts.append(
        html_table(
            ("rank", "tissue", "score", "cell types"),
            (
                (
                    t.rank,
                    esc(t.name),
                    _num(t.score),
                    esc(", ".join(c.name for c in t.cell_types)),
                )
                for t in layer.tissues
            ),
        )
    )
    cells = sorted((c for t in layer.tissues for c in t.cell_types), key=lambda c: c.rank or 10**6)
    parts.append(
        html_table(
            ("rank", "tissue", "cell type", "genes", "score", "sends (within/cross)", "receives"),
            (
                (
                    c.rank,
                    esc(c.tissue),
                    esc(c.name),
                    c.n_genes,
                    _num(c.score),
                    f"{c.out_within} / {c.out_cross}",
                    f"{c.in_within} / {c.in_cross}",
                )
                for c in cells[:20]
            ),
        )
    )
    cross = [s for s in layer.signals if s.cross_tissue]
    if cross:
        parts.append("<h3>Cross-tissue signalling</h3>")
        parts.append(
            html_table(
                ("sender", "receiver", "ligand > receptor"),
                (
                    (
                        esc(f"{s.source} ({s.source_tissue})"),
                        esc(f"{s.target} ({s.target_tissue})"),
                        esc(", ".join(s.pair_symbols[:6])),
                    )
                    for s in cross[:15]
                ),
            )
        )
    if layer.top_genes:
        genes = ", ".join(str(g.get("symbol") or g.get("entrez")) for g in layer.top_genes[:15])
        parts.append(f"<p>Most central genes of the meta-network: {esc(genes)}</p>")
    return "\n".join(parts)


def phenotype_module_section(module: PhenotypeModule | None) -> str:
    """The "Phenotype module" section: the terms, the genes linking them to the twin, p."""
    if module is None:
        return ""
    verdict = (
        "more phenotype genes lie in the twin's module than in degree-matched random gene sets"
        if module.significant
        else "not more overlap with the twin's module than degree-matched random gene sets"
    )
    parts = ["<h2>Phenotype module</h2>"]
    parts.append(
        f"<p>{module.overlap} of {module.n_genes} phenotype genes lie in the twin's module "
        f"({module.module_size} genes); random degree-matched sets: mean {_num(module.mu)}, "
        f"z {_num(module.z, '+.2f')}, p {_num(module.p)} ({module.n_samples} samples, seed "
        f"{module.seed}): {esc(verdict)}.</p>"
    )
    parts.append(
        html_table(
            ("term", "name", "kind", "role", "co-occurrence weight"),
            (
                (esc(t.id), esc(t.name), esc(t.kind), esc(t.role), _num(t.weight))
                for t in module.terms
            ),
        )
    )
    if module.overlap_genes:
        genes = ", ".join(
            str(g.get("symbol") or g.get("entrez")) for g in module.overlap_genes[:30]
        )
        parts.append(f"<p>Phenotype genes in the module: {esc(genes)}</p>")
    parts.append(f'<p class="muted">{esc(module.method)}</p>')
    return "\n".join(parts)


def module_significance(
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
