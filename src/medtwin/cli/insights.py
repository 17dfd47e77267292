"""``medtwin biomarkers`` and ``medtwin twin trajectory``: what to measure, and twins over time."""

from __future__ import annotations

import click

from medtwin.cli import Command
from medtwin.cli.common import TWIN_VERSION, audit_wrote, echo_json, open_store
from medtwin.cli.progress import StepProgress


@click.command("biomarkers", cls=Command)
@click.argument("patient_id")
@click.option(
    "--version",
    type=TWIN_VERSION,
    help="Twin version, with its latest ranking (default: latest).",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=0),
    help="Suggestions shown (0 = all).",
)
@click.option(
    "--top-drugs",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="The top N drugs of the latest ranking, whose targets are considered.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def biomarkers(
    patient_id: str, version: int | None, top: int, top_drugs: int, as_json: bool
) -> None:
    """Proteins whose measurement would support or refute a top-ranked drug, with evidence chains.

    Targets of the top drugs that are in the twin's module and changed in the patient, ordered by
    patient layers (variant + expression first), centrality, drug rank and |z|; ligands in LIANA's
    consensus are flagged (not a claim of being measurable in blood). An ordering for review: no
    null model.

    \b
    Example: medtwin biomarkers GSM389703 --top 10
    """
    from medtwin.platform.stored_insights import biomarker_inputs

    # Stored suggestions are shown without the science stack; a miss computes them with the
    # same (lean) driver: their rows are plain Python (entrez, rank, suggestion_json).
    with open_store(lean=True) as store:
        got = biomarker_inputs(
            store, patient_id, top=top, top_drugs=top_drugs, version=version
        ).stored
        if got is None:
            from medtwin.platform.biomarker_suggestions import BIOMARKER_STEPS

            # computing took 4-35 s, silent: one bar of its steps, on a terminal (the ranking
            # code it imports first is a step of its own: a third of the time)
            loading = "loading the ranking code"
            with StepProgress(quiet=as_json) as progress:
                bar = progress.steps(f"biomarkers {patient_id}", (loading, *BIOMARKER_STEPS))
                from medtwin.platform import insights
                from medtwin.platform.python_audit import on_writes

                bar(loading, 1, 1)
                # a write only if this run computes (not if another process stored them since)
                with on_writes(audit_wrote):
                    got = insights.twin_biomarkers(
                        store, patient_id, top=top, top_drugs=top_drugs, version=version,
                        progress=bar,
                    )  # fmt: skip
    if as_json:
        echo_json(got.model_dump(mode="json"))
        return
    click.echo(
        f"{got.twin_id}: {len(got.suggestions)} biomarker suggestion(s) from the top "
        f"{got.top_drugs} drugs of ranking {got.ranking_id}"
    )
    if got.module_note:
        click.echo(f"note: {got.module_note}")
    click.echo(f"rule: {got.rule}")
    if not got.suggestions:
        click.echo("no target of these drugs is in the module and changed in the patient")
    for s in got.suggestions:
        flags = [", ".join(s.layers)]
        if s.central:
            flags.append("central")
        if s.ligand:
            flags.append("ligand in LIANA's consensus")
        click.echo(f"{s.rank:>3}. {s.symbol or s.entrez}  [{'; '.join(flags)}]")
        click.echo(f"     {s.chain}")
        if len(s.drugs) > 1:
            others = ", ".join(
                f"{d.drug_name or d.drug_id} (#{d.drug_rank}, {d.effect})" for d in s.drugs[1:]
            )
            click.echo(f"     also targeted by: {others}")


@click.command("trajectory", cls=Command)
@click.argument("patient_id")
@click.option(
    "--time-points",
    help="Comma-separated time points in time order (default: all of the patient's: labels "
    "naming a phase before treatment (pre, baseline, screening) first, after it (post, "
    "follow-up, relapse) last, numbers in labels as numbers).",
)
@click.option(
    "--no-build",
    is_flag=True,
    help="Use only twins and rankings already stored; list time points without one.",
)
@click.option("--no-rank", is_flag=True, help="Do not rank time points that have no ranking.")
@click.option(
    "--top-drugs",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="The top N drugs of each time point's ranking, followed over time.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def trajectory(
    patient_id: str,
    time_points: str | None,
    no_build: bool,
    no_rank: bool,
    top_drugs: int,
    as_json: bool,
) -> None:
    """A twin per time point: module and ranking changes over time, and early genes.

    Each time point's twin is a twin version whose parameters carry that time point (an
    existing one is reused). Early genes: central at the first time point and PPI neighbours of
    genes that enter the module later (after Gustafsson et al. 2015).

    \b
    Example: medtwin twin trajectory P1 --time-points baseline,week12
    """
    from medtwin.platform import insights
    from medtwin.settings import get_settings

    chosen = [t.strip() for t in time_points.split(",") if t.strip()] if time_points else None
    with open_store() as store:
        got = insights.twin_trajectory(
            store,
            patient_id,
            get_settings().cache_dir,
            time_points=chosen,
            build=not no_build,
            rank=not no_rank,
            top_drugs=top_drugs,
        )
    if as_json:
        echo_json(got.model_dump(mode="json"))
        return
    click.echo(f"{patient_id}: {len(got.points)} time point(s) {' → '.join(got.time_points)}")
    if got.missing:
        click.echo(f"no twin yet for: {', '.join(got.missing)} (run without --no-build)")
    if got.order_note:
        click.echo(f"NOTE {got.order_note}")
    for p in got.points:
        z = f"{p.module_z:+.2f}" if p.module_z is not None else "n/a"
        click.echo(
            f"  {p.time_point:<12} {p.twin_id:<16} module {p.module_size:>4} (z {z})"
            f"{'  built now' if p.built else ''}  central: {', '.join(p.top_genes)}"
        )
    for s in got.steps:
        click.echo(
            f"{s.from_time_point} → {s.to_time_point}: +{len(s.entered)} −{len(s.left)} "
            f"(kept {s.stayed}, Jaccard {s.jaccard:.2f})"
        )
        if s.entered:
            click.echo(f"    entered: {', '.join(s.entered[:15])}{' …' * (len(s.entered) > 15)}")
        if s.left:
            click.echo(f"    left:    {', '.join(s.left[:15])}{' …' * (len(s.left) > 15)}")
        if s.risers:
            click.echo(f"    PageRank risers: {', '.join(s.risers)}")
    if got.drugs:
        click.echo(f"top drugs, rank at {' / '.join(got.time_points)}:")
        for d in got.drugs:
            ranks = " / ".join("-" if r is None else str(r) for r in d.ranks)
            change = f"{d.change:+d}" if d.change is not None else "n/a"
            click.echo(f"  {(d.drug_name or d.drug_id)[:32]:<32} {ranks}  (change {change})")
    click.echo(f"early genes ({got.rule})")
    if not got.early_genes:
        click.echo("  none")
    for e in got.early_genes:
        later = ", ".join(e.later_neighbours[:10]) + (" …" if len(e.later_neighbours) > 10 else "")
        click.echo(
            f"  {e.symbol or e.entrez} (PageRank #{e.pagerank_rank} at {got.time_points[0]}) "
            f"→ {len(e.later_neighbours)} later entrant(s): {later}"
        )
