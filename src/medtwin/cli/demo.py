"""``medtwin demo``: the main job end to end on the bundled default."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from medtwin.cli import Command
from medtwin.cli.common import echo_json, open_store, settings
from medtwin.cli.progress import StepProgress
from medtwin.cli.treatment import print_ranking
from medtwin.cli.twins import print_twin_detail

if TYPE_CHECKING:
    from collections.abc import Sequence

    from medtwin.platform.demo import DemoResult
    from medtwin.platform.first_screen import ScreenLine
    from medtwin.platform.models import DrugExplanation, RankingResult

_UNITS = {"patients": "patients", "twins": "twins", "rankings": "rankings"}


def print_screen(
    ranking: RankingResult,
    explanations: Sequence[DrugExplanation],
    screen: Sequence[ScreenLine] | None,
    top: int,
) -> None:
    """A showcase patient's first screen: grouped ranking, evidence words, why lines."""
    from medtwin.platform.first_screen import why_line

    print_ranking(ranking, top, screen)
    for e in explanations:
        click.echo(f"  {why_line(e)}")


# --out-dir was --reports: the folder of the HTML reports is `report --out-dir` too
@click.command(cls=Command, renamed={"--reports": "--out-dir"})
@click.option("--rebuild", is_flag=True, help="Build new twin versions even if twins exist.")
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Drugs to print per showcase patient.",
)
@click.option(
    "--out-dir",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/reports"),
    show_default=True,
    help="Folder of the showcase patients' HTML reports.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Machine-readable summary: datasets, patients, twins, showcase rankings, reports.",
)
def demo(rebuild: bool, top: int, report_dir: Path, as_json: bool) -> None:
    """Load the reference graph, add the demo cohorts, build twins, rank drugs, explain.

    Uses MEDTWIN_DATA_MIRROR (default in `make demo`: ../shared/data) for the pinned files.

    \b
    Example: medtwin demo --out-dir out/reports --top 20
    """
    from medtwin.platform.demo import run_demo
    from medtwin.platform.reference import BULK_UNITS

    s = settings()
    units = {**_UNITS, **BULK_UNITS}  # a fresh database is filled by the bulk importer
    with open_store() as store, StepProgress(quiet=as_json, units=units) as progress:
        result = run_demo(store, s, rebuild=rebuild, progress=progress, report_dir=report_dir)
    if as_json:
        echo_json(demo_summary(result, top))
        return
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
        print_screen(ranking, explanations, result.screens.get(detail.twin.patient_id), top)
    click.echo(f"\ndemo finished in {result.seconds:.0f} s")
    click.echo("steps, s: " + ", ".join(f"{k} {v:.1f}" for k, v in result.phases.items()))
    for path in result.reports:
        click.echo(f"report: {path.resolve()}")
    if result.reports:
        pid = result.reports[0].stem
        click.echo(
            "API: `medtwin api-key new me --scope read` (put the printed MEDTWIN_API_KEYS line in "
            "your environment), then `medtwin serve`; docs http://127.0.0.1:8000/docs; viewer "
            f"http://127.0.0.1:8000/v1/patients/{pid}/viewer#key=<your key>"
        )


def demo_summary(result: DemoResult, top: int) -> dict[str, Any]:
    """``demo --json``: what the text says, as data (the showcase rankings' top ``top`` drugs)."""
    times = result.twin_seconds
    return {
        "datasets": [
            {"name": d.name, "action": d.action, "rows": sum(d.counts.values())}
            for d in result.loaded
        ],
        "patients": result.patients,
        "twins_built": result.twins_built,
        "twin_seconds": {"median": statistics.median(times), "max": max(times)} if times else None,
        "no_twin": list(result.skipped),
        "showcase": [
            {
                "patient_id": detail.twin.patient_id,
                "twin_id": detail.twin.id,
                "ranking_id": ranking.id,
                "drugs": [
                    {"rank": d.rank, "drug_id": d.drug_id, "drug_name": d.drug_name}
                    for d in ranking.drugs[:top]
                ],
            }
            for detail, ranking, _ in result.showcase
        ],
        "reports": [str(path.resolve()) for path in result.reports],
        "seconds": result.seconds,
        "phases": result.phases,
    }
