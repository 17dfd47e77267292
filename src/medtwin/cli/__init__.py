"""The ``medtwin`` command line: one command per service function.

User errors (:class:`~medtwin.errors.MedtwinError`) print ``ErrorName: message`` and a hint on
stderr and exit 1; ``--debug`` re-raises them with the traceback. Other exceptions are bugs and
keep their traceback.
"""

from __future__ import annotations

import logging
import sys
import warnings
from typing import Any

import click

from medtwin.errors import MedtwinError

__all__ = ["main"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MedtwinError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"{type(e).__name__}: {e.message}", err=True)
            if e.hint:
                click.echo(f"hint: {e.hint}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for user errors too.")
@click.option("-v", "--verbose", count=True, help="More log output (-v INFO, -vv DEBUG).")
@click.version_option(package_name="medtwin")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: int) -> None:
    """medtwin: patient digital twins on a Neo4j multilayer graph, treated in silico with drugs.

    \b
    Typical session:
      medtwin db start                 # install (first time) and start local Neo4j + GDS
      medtwin data fetch && medtwin load
      medtwin patient add P1 --de p1_de.tsv --symptoms HP:0001369
      medtwin twin build P1 && medtwin rank P1 --top 20
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    level = logging.WARNING - 10 * min(verbose, 2)
    # Library deprecation chatter (anndata reading older .h5ad layouts) is not for users.
    warnings.filterwarnings("ignore", category=FutureWarning)
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _register() -> None:
    from medtwin.cli import cohort, db, demo, interfaces, library, patients, reference, treatment

    cli.add_command(db.db)
    cli.add_command(reference.data)
    cli.add_command(reference.load)
    cli.add_command(reference.describe)
    cli.add_command(patients.patient)
    cli.add_command(patients.twin)
    cli.add_command(treatment.rank)
    cli.add_command(treatment.explain)
    cli.add_command(treatment.screen)
    cli.add_command(cohort.cohort)
    patients.patient.add_command(cohort.similar)
    cli.add_command(demo.demo)
    cli.add_command(library.query_cmd)
    cli.add_command(interfaces.serve)
    cli.add_command(interfaces.report)
    cli.add_command(interfaces.export)
    cli.add_command(interfaces.api_key)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="medtwin")
