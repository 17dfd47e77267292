"""``medtwin demo``: the main job end to end on the bundled default."""

from __future__ import annotations

import statistics
from pathlib import Path

import click

from medtwin.cli.common import open_store, settings
from medtwin.cli.patients import print_twin_detail
from medtwin.cli.progress import StepProgress
from medtwin.cli.treatment import print_ranking

_UNITS = {"patients": "patients", "twins": "twins", "rankings": "rankings"}


@click.command()
@click.option("--rebuild", is_flag=True, help="Build new twin versions even if twins exist.")
@click.option("--top", default=10, show_default=True, help="Drugs to print per showcase patient.")
@click.option(
    "--reports",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/reports"),
    show_default=True,
    help="Where the HTML reports go.",
)
def demo(rebuild: bool, top: int, report_dir: Path) -> None:
    """Load the reference graph, add the demo cohorts, build twins, rank drugs, explain.

    Uses MEDTWIN_DATA_MIRROR (default in `make demo`: ../shared/data) for the pinned files.
    """
    from medtwin.platform.demo import run_demo

    s = settings()
    with open_store() as store, StepProgress(units=_UNITS) as progress:
        result = run_demo(store, s, rebuild=rebuild, progress=progress, report_dir=report_dir)
    for d in result.loaded:
        click.echo(f"{d.action:>8}  {d.name:<28} {sum(d.counts.values()):>9,} rows")
    times = result.twin_seconds
    click.echo(
        f"{result.patients} demo patients; {result.twins_built} twins built"
        + (
            f" (median {statistics.median(times):.2f} s per twin, max {max(times):.2f} s)"
            if times
            else " (all present; --rebuild makes new versions)"
        )
    )
    for line in result.skipped:
        click.echo(f"  no twin: {line}")
    for detail, ranking, explanations in result.showcase:
        click.echo("")
        print_twin_detail(detail)
        if detail.tissues is not None:
            from medtwin.platform.demo_cohorts import MULTI_TISSUE_NOTE

            click.echo(f"  NOTE: {MULTI_TISSUE_NOTE}")
        print_ranking(ranking, top)
        for e in explanations:
            paths = "; ".join(
                " – ".join(s or n for n, s in zip(p.nodes, p.symbols, strict=True))
                for p in e.paths[:2]
            )
            click.echo(
                f"  why {e.drug_name or e.drug_id}: targets "
                f"{', '.join(str(t['symbol']) for t in e.targets)}; reaches "
                f"{', '.join(e.central_genes_reached[:5]) or '—'}; paths {paths or '—'}"
                + (f"; targets changed in {', '.join(e.cell_types[:4])}" if e.cell_types else "")
            )
    click.echo(f"\ndemo finished in {result.seconds:.0f} s")
    for path in result.reports:
        click.echo(f"report: {path.resolve()}")
    if result.reports:
        pid = result.reports[0].stem
        click.echo(
            "API: `medtwin api-key new me --scope read` (put the printed MEDTWIN_API_KEYS line in "
            "your environment), then `medtwin serve`; docs http://127.0.0.1:8000/docs; viewer "
            f"http://127.0.0.1:8000/v1/patients/{pid}/viewer#key=<your key>"
        )
