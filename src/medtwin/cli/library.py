"""``medtwin query``: run the Cypher query library from the terminal."""

from __future__ import annotations

import click

from medtwin.cli import Command
from medtwin.cli.common import echo_json, open_store
from medtwin.errors import InputError


@click.command("query", cls=Command)
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, help="Parameter as key=value (repeatable).")
@click.option("--show", is_flag=True, help="Print the Cypher (to paste into Neo4j Browser).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def query_cmd(name: str | None, params: tuple[str, ...], show: bool, as_json: bool) -> None:
    """Run a library query; without NAME, list them.

    \b
    Examples:
      medtwin query targets_and_interactors -p drug=Methotrexate
      medtwin query symptoms_cooccurring -p symptom=Fever
      medtwin query diseases_sharing_genes -p "disease=arthritis, rheumatoid"
    """
    from medtwin.platform.library import LIBRARY, example, run_library_query, statement

    if name is None:
        if as_json:  # the list too: `query --json` printed the text lines
            echo_json(
                [
                    {"name": key, "question": q.question, "params": q.params, "example": example(q)}
                    for key, q in sorted(LIBRARY.items())
                ]
            )
            return
        for key, q in sorted(LIBRARY.items()):
            shown = " ".join(f"-p {k}={v!r}" for k, v in q.params.items())
            click.echo(f"{key:<28} {q.question}\n{'':<28} medtwin query {key} {shown}")
        return
    if show:  # an unknown name is refused with the valid ones (it printed an empty line)
        if as_json:
            echo_json({"name": name, "cypher": statement(name)})
        else:
            click.echo(statement(name))
        return
    values: dict[str, str] = {}
    for p in params:
        key, sep, value = p.partition("=")
        if not sep:
            known = f" (e.g. {example(LIBRARY[name])})" if name in LIBRARY else ""
            raise InputError(f"parameter {p!r} must be key=value{known}")
        values[key.strip()] = value
    with open_store(lean=True) as store:  # a read with text parameters: no numpy/pandas needed
        rows = run_library_query(store, name, values)
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo("  ".join(f"{k}={v}" for k, v in r.items()))
    click.echo(f"{len(rows)} rows")
