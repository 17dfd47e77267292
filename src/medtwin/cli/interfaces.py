"""``medtwin serve``, ``report``, ``export`` and ``api-key new|list|revoke``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import click

from medtwin.cli import Command, Group
from medtwin.cli.common import (
    TWIN_VERSION,
    echo_json,
    open_store,
    output_path,
    settings,
    start_collecting,
)
from medtwin.cli.progress import StepProgress
from medtwin.errors import InputError


@click.command(cls=Command)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="At start-up, one JSON line on stdout instead of the text banner: url, host, port, "
    "workers, docs, viewer, api_keys (how many) and api_keys_from (where they are read "
    "from), warning (when no key is configured; else null); no secret. uvicorn's log, the "
    "access log included, on stderr.",
)
def serve(host: str, port: int, log_level: str, as_json: bool) -> None:
    """Run the HTTP API (OpenAPI docs at /docs, twin viewer at /v1/patients/ID/viewer).

    \b
    Example: medtwin serve --port 8000
    """
    import uvicorn

    from medtwin.api import create_app
    from medtwin.api.http_protocol import JsonErrorsProtocol

    start_collecting()  # a server runs for days: collect its garbage cycles (cli.main)
    s = settings()
    app = create_app(s)
    warning = (
        None
        if app.state.api_keys
        else "MEDTWIN_API_KEYS is empty, so every /v1 route answers 401; "
        "create a key with `medtwin api-key new NAME --scope write`"
    )
    url = f"http://{host}:{port}"
    extra: dict[str, Any] = {}
    if as_json:  # one line, so a supervisor reads it before uvicorn's log (stderr) goes on
        line = {
            "url": url,
            "host": host,
            "port": port,
            "workers": 1,  # one uvicorn process (its requests on the event loop + thread pool)
            "docs": f"{url}/docs",
            "viewer": f"{url}/v1/patients/{{patient_id}}/viewer",
            "api_keys": len(app.state.api_keys),
            "api_keys_from": _api_keys_source(),
            "warning": warning,
        }
        click.echo(json.dumps(line, sort_keys=True))
        extra["log_config"] = _log_config_on_stderr()  # stdout holds that line alone
    else:
        if warning:
            click.echo(f"warning: {warning}", err=True)
        click.echo(f"medtwin API on {url} (docs: {url}/docs)", err=True)
    # its own refusals (a URL over 64 KiB) in the API's JSON, not uvicorn's plain text
    extra["http"] = JsonErrorsProtocol
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, **extra)


def _log_config_on_stderr() -> dict[str, Any]:
    """The logging configuration of uvicorn with its access log on stderr (default: stdout)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return config


def _api_keys_source() -> str | None:
    """Where MEDTWIN_API_KEYS is read from: ``environment``, the ``.env`` file's path, or None.

    As :mod:`medtwin.settings` reads it: the environment first, then ``.env`` in the working
    folder. Only the place is named; the value (key hashes) stays where it is.
    """
    import os

    from medtwin.settings import ENV_FILE

    name = "MEDTWIN_API_KEYS"
    if any(k.upper() == name for k in os.environ):
        return "environment"
    if ENV_FILE.is_file():
        from dotenv import dotenv_values

        if any(k.upper() == name for k in dotenv_values(ENV_FILE, encoding="utf-8")):
            return str(ENV_FILE.resolve())
    return None


# --out-dir was --out, which every other command gives a file
@click.command(cls=Command, renamed={"--out": "--out-dir"})
@click.argument("patient_id")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for <patient>.html (<patient>_v<N>.html with --version N).",
)
@click.option("--version", type=TWIN_VERSION, help="Twin version (default: latest).")
@click.option(
    "--top", default=20, show_default=True, type=click.IntRange(1, 500), help="Drugs in the table."
)
@click.option(
    "--explain",
    default=5,
    show_default=True,
    type=click.IntRange(0, 50),
    help="Top drugs explained with paths.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def report(
    patient_id: str, out_dir: Path, version: int | None, top: int, explain: int, as_json: bool
) -> None:
    """Write the patient's self-contained HTML report (plots inline; opens offline).

    With --version, the report of that twin version: its ranking, explanations and insights.

    \b
    Example: medtwin report GSM389703 --out-dir out/reports
    """
    from medtwin.loaders.patient_rows import validate_patient_id
    from medtwin.platform import reports

    pid = validate_patient_id(patient_id)
    # 1-3 s of reads and charts were silent: one bar of the report's steps, on a terminal only
    with open_store(without_pandas=True) as store, StepProgress(quiet=as_json) as progress:
        page = reports.patient_report(
            store, pid, version=version, top_drugs=top, explain=explain,
            progress=progress.steps(f"report {pid}", reports.REPORT_STEPS),
        )  # fmt: skip
    # an older version's report beside the latest one's, not in its place
    name = pid if version is None else f"{pid}_v{version}"
    path = output_path(out_dir / f"{name}.html")  # a file in the way named, as for every --out
    _write_whole(path, page)
    if as_json:
        echo_json({"patient_id": pid, "path": str(path), "bytes": path.stat().st_size})
        return
    click.echo(f"report: {path} ({len(page) / 1024:.0f} KiB)")


def _write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (an interrupted write left half a page)."""
    from medtwin.atomic import PATIENT_FILE_MODE, atomic_output

    with atomic_output(path, text=True, mode=PATIENT_FILE_MODE) as fh:  # patient data: 0600
        fh.write(text)


@click.command(cls=Command)
@click.argument("patient_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["cyjs", "graphml"]),
    default="cyjs",
    show_default=True,
    help="cyjs: Cytoscape (desktop and .js); graphml: Gephi, yEd.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default <patient>.<format>).",
)
@click.option("--version", "twin_version", type=TWIN_VERSION, help="Twin version (latest).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def export(
    patient_id: str,
    fmt: Literal["cyjs", "graphml"],
    out_file: Path | None,
    twin_version: int | None,
    as_json: bool,
) -> None:
    """Export the patient's twin graph for Cytoscape desktop or Gephi.

    \b
    Example: medtwin export GSM389703 --format graphml --out twin.graphml
    """
    from medtwin.loaders.patient_rows import validate_patient_id
    from medtwin.platform import twins
    from medtwin.platform.export import to_cyjs, to_graphml

    pid = validate_patient_id(patient_id)
    with open_store(without_pandas=True) as store:
        graph = twins.twin_graph(store, pid, twin_version)
    text = (json.dumps(to_cyjs(graph), indent=1) + "\n") if fmt == "cyjs" else to_graphml(graph)
    path = output_path(out_file or Path(f"{pid}.{fmt}"))
    _write_whole(path, text)
    if as_json:
        echo_json(
            {
                "patient_id": pid,
                "twin_id": graph.twin_id,
                "format": fmt,
                "path": str(path),
                "bytes": path.stat().st_size,
                "nodes": len(graph.nodes),
                "edges": len(graph.edges),
            }
        )
        return
    click.echo(f"{graph.twin_id}: {len(graph.nodes)} nodes, {len(graph.edges)} edges -> {path}")


@click.group("api-key", cls=Group)
def api_key() -> None:
    """API keys for `medtwin serve` (only their sha256 is configured)."""


_ENABLE = (
    "`medtwin api-key new NAME` prints the MEDTWIN_API_KEYS=… line to put in .env or the "
    "environment (the keys are read from there)"
)


@api_key.command("new")
@click.argument("name")
@click.option(
    "--scope",
    type=click.Choice(["read", "write"]),
    default="read",
    show_default=True,
    help="read: GET routes; write: also add, build, rank, delete.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Machine-readable output: name, scope, key, sha256 and the MEDTWIN_API_KEYS value.",
)
def api_key_new(name: str, scope: Literal["read", "write"], as_json: bool) -> None:
    """Create a key: prints the key once, and the MEDTWIN_API_KEYS line that enables it.

    An existing key of the same NAME is replaced in the printed line.

    \b
    Example: medtwin api-key new alice --scope write
    """
    from medtwin.api_keys import new_key, parse_api_keys

    secret, key = new_key(name, scope)
    kept = [k for k in parse_api_keys(settings().api_keys) if k.name != name]
    entries = ",".join(k.settings_entry() for k in [*kept, key])
    if as_json:
        echo_json(
            {
                "name": name,
                "scope": scope,
                "key": secret,
                "sha256": key.sha256,
                "medtwin_api_keys": entries,
            }
        )
        return
    click.echo(f"API key for {name} ({scope}); shown once, store it now:\n  {secret}\n")
    click.echo(f"Enable it (.env or environment):\n  MEDTWIN_API_KEYS={entries}")


@api_key.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def api_key_list(as_json: bool) -> None:
    """The configured keys: name and scope (a hash prefix to tell keys apart; never a secret)."""
    from medtwin.api_keys import parse_api_keys

    keys = parse_api_keys(settings().api_keys)
    if as_json:
        echo_json([{"name": k.name, "scope": k.scope, "sha256": k.sha256} for k in keys])
        return
    for k in keys:
        click.echo(f"{k.name:<24} {k.scope:<6} sha256 {k.sha256[:12]}…")
    click.echo(
        f"keys in MEDTWIN_API_KEYS: {len(keys)}" if keys else f"no key configured; {_ENABLE}"
    )


@api_key.command("revoke")
@click.argument("name")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Machine-readable output: the name and the MEDTWIN_API_KEYS value without it.",
)
def api_key_revoke(name: str, as_json: bool) -> None:
    """Print the MEDTWIN_API_KEYS line without NAME's key (restart `medtwin serve` after it).

    \b
    Example: medtwin api-key revoke alice
    """
    from medtwin.api_keys import parse_api_keys

    keys = parse_api_keys(settings().api_keys)
    kept = [k for k in keys if k.name != name]
    if len(kept) == len(keys):
        names = ", ".join(k.name for k in keys)
        # with none configured, the key made a moment ago was never enabled: say how
        hint = f"configured keys: {names}" if keys else f"no key is configured; {_ENABLE}"
        raise InputError(f"no API key named {name!r}", hint=hint)
    entries = ",".join(k.settings_entry() for k in kept)
    if as_json:
        echo_json({"name": name, "medtwin_api_keys": entries})
        return
    click.echo(f"Without {name} (.env or environment; restart `medtwin serve`):")
    click.echo(f"  MEDTWIN_API_KEYS={entries}")
