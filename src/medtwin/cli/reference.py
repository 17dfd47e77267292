"""``medtwin data fetch``, ``medtwin load`` and ``medtwin describe``."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from medtwin.cli import Command, Group
from medtwin.cli.common import echo_json, open_store, settings
from medtwin.cli.progress import StepProgress

if TYPE_CHECKING:
    from medtwin.loaders.fetch import FetchedFile

__all__ = ["DATASETS", "FETCHED_SOURCES", "data", "describe", "load"]

DATASETS = (
    "ncbi_gene_info",
    "menche2015_interactome",
    "drugbank_dhimmel",
    "drugcentral_2016",
    "guney2016_network_medicine",
    "hsdn_zhou2014",
    "hpo",
    "dorothea_hs",
    "progeny_2018",
    "lincs_l1000_dhimmel",
    "liana_consensus",
)
"""The loadable datasets in load order, for ``load --only`` without importing the loaders
(a unit test keeps this equal to :func:`medtwin.platform.reference_datasets.dataset_names`)."""


FETCHED_SOURCES = (
    "dorothea_hs",
    "drugbank_dhimmel",
    "drugcentral_2016",
    "guney2016_network_medicine",
    "hsdn_zhou2014",
    "indications_dev",
    "lincs_l1000_dhimmel",
    "menche2015_interactome",
    "ncbi_gene_info",
    "omics_pbmc68k_scanpy",
    "omics_ra_pbmc_gse15573",
    "omics_ra_synovium_peac",
    "progeny_2018",
)
"""The sources of sources.toml's ``[[file]]`` pins, sorted, for ``data fetch --only`` without
reading the file at start-up; ``hpo`` and ``liana`` are Python packages, not fetched files (a unit
test keeps this equal to the pins)."""


@click.group(cls=Group)
def data() -> None:
    """Reference data files (pinned in sources.toml)."""


@data.command("fetch")
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(FETCHED_SOURCES),
    help="Source(s) to fetch (repeatable); default all.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def fetch(only: tuple[str, ...], as_json: bool) -> None:
    """Fetch pinned files into <home>/data (from MEDTWIN_DATA_MIRROR or upstream); check sha256.

    \b
    Example: medtwin data fetch --only ncbi_gene_info --only dorothea_hs
    """
    from medtwin.loaders.fetch import fetch_all

    s = settings()
    pins = load_pins_default()
    total = len([p for p in pins if not only or p.source in only])
    with StepProgress(quiet=as_json, units={"fetch": "files"}) as progress:
        done = 0

        def advance(f: FetchedFile) -> None:
            nonlocal done
            done += 1
            said = f"{f.pin.source}/{f.pin.name} ({_size(f.path.stat().st_size)}, {f.action})"
            progress("fetch", done, total, detail=said)

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


def _size(n: int) -> str:
    """``n`` bytes as ``12.3 MB``, ``45 kB`` or ``8 B`` (the pinned files span 1 kB to 400 MB).

    >>> [_size(n) for n in (8, 45_200, 2_500_000, 412_345_678)]
    ['8 B', '45 kB', '2.5 MB', '412.3 MB']
    """
    if n >= 1_000_000:
        return f"{n / 1e6:,.1f} MB"
    return f"{n / 1e3:.0f} kB" if n >= 1000 else f"{n} B"


def load_pins_default() -> list[Any]:
    """The pins of the repository's sources.toml."""
    from medtwin.loaders.fetch import default_pins_path, load_pins

    return load_pins(default_pins_path())


@click.command(cls=Command)
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(DATASETS),
    help="Dataset(s) to load (repeatable); default all, in dependency order.",
)
@click.option(
    "--force", is_flag=True, help="Reload datasets already complete with the same checksums."
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Fill an EMPTY local database with neo4j-admin's bulk importer (server stopped for it; "
    "on the full reference ~2.5x faster than MERGE, ~7x when an earlier bulk load's files are "
    "cached: `make bench-load`); refused when the database holds data. Without it: incremental "
    "MERGE.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="With --bulk: parse the files again instead of importing the CSV files kept from the "
    "last bulk import of the same files and code (<home>/cache/bulk).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def load(only: tuple[str, ...], force: bool, bulk: bool, no_cache: bool, as_json: bool) -> None:
    """Load the reference graph into Neo4j (idempotent; a rerun skips complete datasets).

    \b
    Example: medtwin load --only dorothea_hs --force
    """
    from medtwin.platform import datasets

    s = settings()
    t0 = time.perf_counter()
    phases: dict[str, Any] = {}
    if bulk:
        from medtwin.platform.reference import BULK_UNITS

        with open_store() as store, StepProgress(quiet=as_json, units=BULK_UNITS) as progress:
            results = datasets.load_reference_bulk(
                store,
                s.data_dir,
                only=only or None,
                use_cache=not no_cache,
                report=phases,
                progress=progress,
            )
    else:
        with open_store() as store, StepProgress(quiet=as_json) as progress:
            results = datasets.load_reference(
                store, s.data_dir, only=only or None, force=force, progress=progress
            )
    if as_json:
        echo_json([r.__dict__ for r in results])
        return
    for r in results:
        rows = sum(r.counts.values())
        click.echo(f"{r.action:>8}  {r.name:<28} {rows:>9,} rows  {r.seconds:6.1f} s")
    if phases:
        click.echo(bulk_phases(phases))
    click.echo(f"reference graph ready in {time.perf_counter() - t0:.1f} s")


_PHASES = (
    ("parse", "parse_seconds"),
    ("in-memory MERGE", "graph_seconds"),
    ("CSV", "csv_seconds"),
    ("other process (its datasets' parse, MERGE, CSV)", "aside_seconds"),
    ("wait for it", "aside_wait_seconds"),
    ("wait for server stop", "stop_wait_seconds"),
    ("neo4j-admin import", "import_seconds"),
    ("keep database files", "keep_seconds"),
    ("copy kept database files", "restore_seconds"),
    ("server start", "start_seconds"),
    ("schema", "schema_seconds"),
    ("Dataset nodes", "datasets_seconds"),
    ("counts for describe", "counts_seconds"),
)


def bulk_phases(phases: dict[str, Any]) -> str:
    """One line: the seconds of each phase of a bulk import (``load --bulk``)."""
    cached = bool(phases.get("cached"))
    parts = [
        f"{'checksums' if cached and key == 'parse_seconds' else name} {phases[key]:.1f}"
        for name, key in _PHASES
        if key in phases
    ]
    source = "cached CSV files" if cached else "files parsed"
    if "restore_seconds" in phases:
        source = "cached database files"
    return f"bulk import phases ({source}), s: " + ", ".join(parts)


@click.command(cls=Command)
@click.option("--json", "as_json", is_flag=True, help="Stable JSON (sorted keys) for diffing.")
def describe(as_json: bool) -> None:
    """Counts per label and relationship type (and per source), and the loaded datasets."""
    from medtwin.platform import datasets

    with open_store(lean=True) as store:  # counts only: no numpy/pandas in the driver
        summary = datasets.describe(store)
    counts, loaded = summary, summary["datasets"]
    if as_json:
        echo_json(summary)
        return
    # one column width per table, from its longest name (fixed widths of 12 and 18 pushed
    # PhenotypeModule and HAS_PHENOTYPE_MODULE's counts out of their column)
    for title, table in (("Nodes", counts["nodes"]), ("Relationships", counts["relationships"])):
        click.echo(title)
        width = max(map(len, table), default=0)
        for name, c in sorted(table.items()):
            src = ", ".join(f"{k} {v:,}" for k, v in sorted(c["by_source"].items()))
            click.echo(f"  {name:<{width}} {c['total']:>9,}   ({src})")
    click.echo("Layers")
    for key, value in counts["layers"].items():
        click.echo(f"  {key:<22} {value:>9,}")
    click.echo("Datasets")
    for d in loaded:
        click.echo(
            f"  {d.get('id'):<28} {d.get('status'):<9} {d.get('version')}  "
            f"sha256 {str(d.get('sha256'))[:12]}…"
        )
