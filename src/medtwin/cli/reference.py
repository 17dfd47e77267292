"""``medtwin data fetch``, ``medtwin load`` and ``medtwin describe``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from tqdm import tqdm

from medtwin.cli.common import echo_json, settings
from medtwin.loaders.fetch import FetchedFile, fetch_all, load_pins
from medtwin.platform import reference
from medtwin.store.neo4j import Neo4jStore


@contextmanager
def open_store() -> Iterator[Neo4jStore]:
    """Open the store for one CLI command and close it after.

    A command that names patients (``patient_id``/``patient_ids`` arguments) is audited like an
    API request: one ``AuditEvent`` per patient, actor ``os:<user>``, route ``cli: <command>``,
    status 0 (done) or 1 (failed).
    """
    from medtwin.cli.common import audit_cli

    store = Neo4jStore.open(settings())
    ok = False
    try:
        yield store
        ok = True
    finally:
        try:
            audit_cli(store, ok=ok)
        finally:
            store.close()


@click.group()
def data() -> None:
    """Reference data files (pinned in sources.toml)."""


@data.command("fetch")
@click.option("--only", multiple=True, help="Source name(s) to fetch (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def fetch(only: tuple[str, ...], as_json: bool) -> None:
    """Fetch pinned files into <home>/data (from MEDTWIN_DATA_MIRROR or upstream); check sha256."""
    s = settings()
    pins = load_pins_default()
    total = len([p for p in pins if not only or p.source in only])
    with tqdm(total=total, desc="fetch", unit="file", leave=False, disable=as_json) as bar:

        def advance(_: FetchedFile) -> None:
            bar.update(1)

        got = fetch_all(s.data_dir, s.data_mirror, set(only) or None, advance)
    rows = [
        {"source": f.pin.source, "file": f.pin.name, "action": f.action, "sha256": f.pin.sha256}
        for f in got
    ]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['action']:>10}  {r['source']}/{r['file']}  sha256 {r['sha256'][:12]}…")
    click.echo(f"{len(rows)} files in {s.data_dir} (checksums verified)")


def load_pins_default() -> list[Any]:
    """The pins of the repository's sources.toml."""
    from medtwin.loaders.fetch import default_pins_path

    return load_pins(default_pins_path())


@click.command()
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(reference.dataset_names()),
    help="Dataset(s) to load (repeatable); default all, in dependency order.",
)
@click.option(
    "--force", is_flag=True, help="Reload datasets already complete with the same checksums."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def load(only: tuple[str, ...], force: bool, as_json: bool) -> None:
    """Load the reference graph into Neo4j (idempotent; a rerun skips complete datasets)."""
    s = settings()
    bars: dict[str, tqdm[Any]] = {}

    def progress(name: str, done: int, total: int) -> None:
        bar = bars.get(name)
        if bar is None:
            bar = bars[name] = tqdm(
                total=total, desc=name, unit="rows", leave=False, disable=as_json
            )
        bar.n = done
        bar.refresh()

    t0 = time.perf_counter()
    with open_store() as store:
        results = reference.load_reference(
            store, s.data_dir, only=only or None, force=force, progress=progress
        )
    for bar in bars.values():
        bar.close()
    if as_json:
        echo_json([r.__dict__ for r in results])
        return
    for r in results:
        rows = sum(r.counts.values())
        click.echo(f"{r.action:>8}  {r.name:<28} {rows:>9,} rows  {r.seconds:6.1f} s")
    click.echo(f"reference graph ready in {time.perf_counter() - t0:.1f} s")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Stable JSON (sorted keys) for diffing.")
def describe(as_json: bool) -> None:
    """Counts per label and relationship type (and per source), and the loaded datasets."""
    with open_store() as store:
        counts = store.counts()
        datasets = store.datasets()
    keep = ("id", "version", "status", "sha256", "licence", "url", "rows", "counts", "loaded_at")
    summary = {
        "layers": counts["layers"],
        "nodes": counts["nodes"],
        "relationships": counts["relationships"],
        "datasets": [{k: d.get(k) for k in keep} for d in datasets],
    }
    if as_json:
        echo_json(summary)
        return
    click.echo("Nodes")
    for label, c in sorted(counts["nodes"].items()):
        src = ", ".join(f"{k} {v:,}" for k, v in sorted(c["by_source"].items()))
        click.echo(f"  {label:<12} {c['total']:>9,}   ({src})")
    click.echo("Relationships")
    for rtype, c in sorted(counts["relationships"].items()):
        src = ", ".join(f"{k} {v:,}" for k, v in sorted(c["by_source"].items()))
        click.echo(f"  {rtype:<18} {c['total']:>9,}   ({src})")
    click.echo("Layers")
    for key, value in counts["layers"].items():
        click.echo(f"  {key:<22} {value:>9,}")
    click.echo("Datasets")
    for d in datasets:
        click.echo(
            f"  {d.get('id'):<28} {d.get('status'):<9} {d.get('version')}  "
            f"sha256 {str(d.get('sha256'))[:12]}…"
        )
