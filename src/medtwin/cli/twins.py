"""``medtwin twin …``: build a patient's twin and inspect it (versions, diff, diseases, URs)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import click

from medtwin.cli import LazyCommand, LazyGroup
from medtwin.cli.common import (
    MAX_SAMPLES,
    SEED,
    TWIN_VERSION,
    BatchFailure,
    audit_patients,
    audit_wrote,
    echo_batch_json,
    echo_json,
    end_batch,
    number,
    open_store,
    yes_no,
)
from medtwin.cli.progress import StepProgress, on_terminal
from medtwin.errors import InputError

MAX_EXPAND = 2000
"""Most genes ``--expand`` adds (the API's limit is 500, DIAMOnD's 200): ``--expand 100000`` on a
patient of 2 genes ran DIAMOnD for 10 minutes and more with no output."""

BUILD_DEFAULTS = {
    "max_seeds": 400,
    "seed_fdr": 0.05,
    "min_seeds": 20,
    "expansion": "none",
    "expand": 0,
    "module_samples": 1000,
}
"""``TwinParams``' defaults as ``twin build --help`` shows them, without importing pydantic for a
help text (~0.15 s of CPU); ``tests/unit/cli/test_startup.py`` keeps them ``TwinParams()``'s."""

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from medtwin.platform.models import TwinSummary
    from medtwin.platform.twin_batch import TwinBuildOutcome
    from medtwin.platform.twin_models import TwinDetail, UpstreamRegulator

# `twin trajectory` lives with the other insight commands (imported only when it runs).
_TRAJECTORY = LazyCommand(
    "medtwin.cli.insights",
    "trajectory",
    "A twin per time point: module and ranking changes over time, and early genes.",
)


@click.group(cls=LazyGroup, lazy={"trajectory": _TRAJECTORY})
def twin() -> None:
    """Digital twins: build, show, diff, diseases, regulators, trajectory."""


@twin.command("build")
@click.argument("patient_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Build a twin for every patient.")
@click.option(
    "--max-seeds",
    default=BUILD_DEFAULTS["max_seeds"],
    show_default=True,
    type=click.IntRange(min=1),  # TwinParams' bound, said at parse (not pydantic's words)
    help="Seeds: the genes with most evidence (|z|, padj) passing --seed-fdr.",
)
@click.option(
    "--seed-fdr",
    default=BUILD_DEFAULTS["seed_fdr"],
    show_default=True,
    help="Changes with a larger adjusted p are not seeds.",
)
@click.option(
    "--min-seeds",
    default=BUILD_DEFAULTS["min_seeds"],
    show_default=True,
    type=click.IntRange(min=1),  # TwinParams' bound, said at parse (not pydantic's words)
    help="Fill up to this many seeds by evidence when too few pass --seed-fdr.",
)
@click.option(
    "--expansion",
    type=click.Choice(["none", "diamond", "rwr"]),
    default=BUILD_DEFAULTS["expansion"],
    show_default=True,
    help="Add non-seed genes by DIAMOnD or a degree-normalised random walk (off: no gain).",
)
@click.option(
    "--expand",
    default=BUILD_DEFAULTS["expand"],
    show_default=True,
    type=click.IntRange(min=0, max=MAX_EXPAND),
    help="Genes added by --expansion (each DIAMOnD step is a pass over the module's neighbours).",
)
@click.option(
    "--module-samples",
    default=BUILD_DEFAULTS["module_samples"],
    show_default=True,
    type=click.IntRange(min=10, max=MAX_SAMPLES),
    help="Random degree-matched gene sets for the module z-score.",
)
@click.option("--time-point", help="Use only inputs of this time point.")
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=SEED,
    help="Seed of the stochastic steps.",
)
@click.option(
    "--skip-current",
    is_flag=True,
    help="Keep a patient's newest twin when it was built from the same inputs, options and "
    "reference data (rerun a batch without a second version of every twin).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def build(
    patient_ids: tuple[str, ...],
    all_: bool,
    max_seeds: int,
    seed_fdr: float,
    min_seeds: int,
    expansion: str,
    expand: int,
    module_samples: int,
    time_point: str | None,
    seed: int,
    skip_current: bool,
    as_json: bool,
) -> None:
    """Build a new twin version (seeds by evidence, module + z, GDS centralities).

    With several patients, one that fails (no inputs, a build already running) is reported and
    the others are built; the command then exits 1. With --json, each failure is one JSON line
    on stderr.

    \b
    Example: medtwin twin build --all --skip-current
    """
    from pydantic import ValidationError

    from medtwin.domain import TwinParams  # not platform.models: its ranking models cost start-up
    from medtwin.platform import patients, twin_batch

    if expand and expansion == "none":
        raise InputError("--expand needs --expansion diamond or rwr")
    try:
        params = TwinParams(
            max_seeds=max_seeds,
            seed_fdr=seed_fdr,
            min_seeds=min_seeds,
            expansion=expansion,
            expand=expand,
            module_samples=module_samples,
            time_point=time_point,
            seed=seed,
        )
    except ValidationError as e:  # the options are named as the fields: --max-seeds = max_seeds
        raise click.BadParameter(
            "; ".join(
                f"--{str(err['loc'][0]).replace('_', '-')} {err['input']!r}: {err['msg']}"
                for err in e.errors(include_url=False)
            )
        ) from e
    if not patient_ids and not all_:
        raise InputError("name patient ids or use --all")
    if patient_ids and all_:  # `--all Q1` built every patient and said nothing of Q1
        raise InputError("name patient ids or use --all, not both")
    with open_store() as store:
        ids = [p.id for p in patients.list_patients(store)] if all_ else list(patient_ids)
        if not ids:
            raise InputError("no patient yet: add one with `medtwin patient add`")
        done_count = itertools.count(1)
        # a batch: one line (or bar) per twin; one twin: a bar of its build's steps on a
        # terminal (its 10-60 s were silent), nothing elsewhere (its result line follows)
        one = len(ids) == 1
        quiet = as_json or (one and not on_terminal())
        with StepProgress(quiet=quiet, units={"twins": "twins"}) as progress:

            def done(o: TwinBuildOutcome) -> None:
                # Each twin as it is built, so that a long batch shows its results (and an
                # interrupted one what it finished) and the audit names each patient at once.
                audit_patients(
                    [o.patient_id] if all_ else (), failed=[o.patient_id] if o.failed else []
                )
                if o.twin is not None and not as_json:
                    _print_built(o.twin, current=o.status == "current")
                if not one:
                    progress("twins", next(done_count), len(ids))

            outcomes = twin_batch.build_twins(
                store,
                ids,
                params,
                skip_current=skip_current,
                on_done=done,
                progress=progress.steps(f"twin {ids[0]}") if one else None,
            )
    failed = [
        BatchFailure(o.patient_id, o.error_type or "MedtwinError", o.error or "", o.hint)
        for o in outcomes
        if o.status == "failed"
    ]
    if as_json:  # each twin with what the build did: "built", or "current" (kept)
        built = [
            {**o.twin.model_dump(mode="json"), "status": o.status}
            for o in outcomes
            if o.twin is not None
        ]
        echo_batch_json(built, done=len(built), failed=len(failed))
    end_batch(failed, len(ids), "twins not built", as_json=as_json)


def _print_built(t: TwinSummary, *, current: bool) -> None:
    z = f"{t.module_z:.2f}" if t.module_z is not None else "n/a"
    took = "current, kept" if current else f"{t.seconds or 0:.2f} s"
    click.echo(
        f"{t.id:<28} seeds {t.n_seeds:>4}  genes {t.n_genes:>4}  module "
        f"{t.module_size:>4} (z {z})  {took}"
    )


def print_twin_detail(d: TwinDetail) -> None:
    """Print a twin: summary, central genes, communities, cell types, symptoms."""
    t = d.twin
    z = f"{t.module_z:.2f}" if t.module_z is not None else "n/a"
    p = f"{t.module_p:.3g}" if t.module_p is not None else "n/a"
    click.echo(
        f"Twin {t.id} (created {t.created_at:%Y-%m-%d %H:%M}, params {t.params_hash}, "
        f"seed {t.params.seed})"
    )
    click.echo(
        f"  seeds {t.n_seeds}, genes {t.n_genes}, module size {t.module_size} (LCC z {z}, p {p})"
    )
    click.echo(f"  {t.module_note or 'module significant: more connected than random genes'}")
    if d.stale_note:
        click.echo(f"NOTE {d.stale_note}")
    if t.input_conflicts:
        click.echo(f"NOTE {t.input_conflicts}")
    if t.activity_note:
        click.echo(f"NOTE no twin-level TF/pathway activity: {t.activity_note}")
    click.echo("  Top central genes (PageRank in the twin):")
    for g in d.top_genes[:10]:
        fc = f"{g.log2fc:+.2f}" if g.log2fc is not None else "   —"
        click.echo(
            f"    {g.symbol or g.entrez:<10} PR {g.pagerank or 0:.4f}  betweenness "
            f"{g.betweenness or 0:8.1f}  log2fc {fc}  community {g.community}  {g.role}"
        )
    click.echo("  Communities (Louvain):")
    for c in d.communities[:6]:
        click.echo(f"    #{c.id:<6} {c.size:>4} genes: {', '.join(c.top_genes)}")
    if d.cell_types:
        click.echo("  Cell types by centrality in the signalling network:")
        for cell in d.cell_types:
            click.echo(
                f"    {cell.name:<28} PR {cell.pagerank:.3f}  genes {cell.n_genes:>3}  "
                f"out {cell.out_signals}  in {cell.in_signals}"
            )
    if d.tissues:
        _print_tissues(d)
    if d.symptoms:
        click.echo("  Symptoms (genes annotated in twin / in module):")
        for s in d.symptoms:
            click.echo(
                f"    {s.get('id')} {s.get('name', '')}: {s.get('genes_in_twin', 0)} / "
                f"{s.get('genes_in_module', 0)}"
            )
    if d.phenotype_module:
        _print_phenotype_module(d)


def _print_tissues(d: TwinDetail) -> None:
    layer = d.tissues
    assert layer is not None
    click.echo(
        f"  Tissues by meta-network centrality (reverse PageRank, damping {layer.damping}; "
        f"{layer.n_cross_tissue_signals} cross-tissue, {layer.n_within_tissue_signals} "
        "within-tissue signalling links):"
    )
    for t in layer.tissues:
        click.echo(
            f"    #{t.rank} {t.name:<20} score {t.score:.3f}  cell types {len(t.cell_types)}"
        )
        for c in t.cell_types[:5]:
            click.echo(
                f"        {c.name:<28} score {c.score:.3f}  genes {c.n_genes:>3}  sends to "
                f"{c.out_within} within / {c.out_cross} cross  receives from {c.in_within} / "
                f"{c.in_cross}"
            )
    for s in [s for s in layer.signals if s.cross_tissue][:5]:
        click.echo(
            f"    cross-tissue: {s.source} ({s.source_tissue}) -> {s.target} ({s.target_tissue}): "
            f"{', '.join(s.pair_symbols[:4])}{' …' if len(s.pairs) > 4 else ''}"
        )
    if layer.top_genes:
        genes = ", ".join(str(g.get("symbol") or g.get("entrez")) for g in layer.top_genes[:10])
        click.echo(f"    central genes: {genes}")


def _print_phenotype_module(d: TwinDetail) -> None:
    m = d.phenotype_module
    assert m is not None
    z = f"{m.z:+.2f}" if m.z is not None else "n/a"
    p = f"{m.p:.3g}" if m.p is not None else "n/a"
    co = [t for t in m.terms if t.role == "co-occurring"]
    click.echo(
        f"  Phenotype module: {len(m.terms) - len(co)} symptom(s) + {len(co)} co-occurring; "
        f"{m.overlap} of {m.n_genes} phenotype genes in the module (null mean {m.mu:.2f}, z {z}, "
        f"p {p}, {m.n_samples} samples, seed {m.seed}): "
        f"{'linked' if m.significant else 'not linked beyond chance'}"
    )
    for t in co[:8]:
        click.echo(f"    + {t.id} {t.name or ''} (co-occurrence {t.weight:.2f})")
    if m.overlap_genes:
        genes = ", ".join(str(g.get("symbol") or g.get("entrez")) for g in m.overlap_genes[:12])
        click.echo(f"    genes: {genes}")


@twin.command("show")
@click.argument("patient_id")
@click.option("--version", type=TWIN_VERSION, help="Twin version (default: latest).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show(patient_id: str, version: int | None, as_json: bool) -> None:
    """Show a twin: module, central genes, communities, cell types, symptoms.

    \b
    Example: medtwin twin show GSM389703 --version 1
    """
    from medtwin.platform import twins

    with open_store(lean=True) as store:
        detail = twins.show_twin(store, patient_id, version)
    if as_json:
        echo_json(detail.model_dump(mode="json"))
    else:
        print_twin_detail(detail)


@twin.command("diff")
@click.argument("patient_id")
@click.option("--from", "from_", type=TWIN_VERSION, required=True, help="Older version.")
@click.option("--to", type=TWIN_VERSION, required=True, help="Newer version.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def diff(patient_id: str, from_: int, to: int, as_json: bool) -> None:
    """Show what changed between two twin versions.

    \b
    Example: medtwin twin diff P1 --from 1 --to 2
    """
    from medtwin.platform import twins

    with open_store(lean=True) as store:  # reads by id: no numpy/pandas in the driver
        d = twins.diff_twins(store, patient_id, from_, to)
    if as_json:
        echo_json(d.model_dump(mode="json"))
        return
    click.echo(f"{patient_id}: v{d.from_version} → v{d.to_version}")
    if d.stale_note:
        click.echo(f"NOTE {d.stale_note}")
    click.echo(f"  inputs changed: {yes_no(d.inputs_changed)}")
    for k, (a, b) in d.params_changed.items():
        click.echo(f"  param {k}: {a} → {b}")
    click.echo(
        f"  module size {d.module_size[0]} → {d.module_size[1]}; "
        f"z {number(d.module_z[0], '+.2f')} → {number(d.module_z[1], '+.2f')}"
    )
    click.echo(
        f"  genes added {len(d.genes_added)}, removed {len(d.genes_removed)}, "
        f"values changed {len(d.changed_values)}"
    )
    if d.tissues_added or d.tissues_removed or any(d.most_central_tissue):
        click.echo(
            f"  tissues added {', '.join(d.tissues_added) or '-'}, removed "
            f"{', '.join(d.tissues_removed) or '-'}; most central "
            f"{d.most_central_tissue[0] or '-'} → {d.most_central_tissue[1] or '-'}"
        )
    if (
        d.phenotype_terms_added
        or d.phenotype_terms_removed
        or any(p is not None for p in d.phenotype_module_p)
    ):
        click.echo(
            f"  phenotype module terms added {', '.join(d.phenotype_terms_added) or '-'}, "
            f"removed {', '.join(d.phenotype_terms_removed) or '-'}; "
            f"p {number(d.phenotype_module_p[0], '.3g')} → {number(d.phenotype_module_p[1], '.3g')}"
        )


@twin.command("list")
@click.argument("patient_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def versions(patient_id: str, as_json: bool) -> None:
    """List a patient's twin versions (a NOTE when the newest predates the patient's inputs).

    \b
    Example: medtwin twin list GSM389703
    """
    from medtwin.platform import twins

    # the twins' stored properties, as `twin show` reads them: the lean driver (no numpy/pandas)
    with open_store(lean=True) as store:
        rows = twins.twin_versions(store, patient_id)
    if as_json:
        echo_json([r.model_dump(mode="json") for r in rows])
        return
    for t in rows:
        click.echo(
            f"v{t.version}  {t.created_at:%Y-%m-%d %H:%M}  params {t.params_hash}  "
            f"module {t.module_size}  genes {t.n_genes}"
        )
    # the newest only, the patient's twin (--json: the note of each version)
    if rows and rows[0].stale_note:
        click.echo(f"NOTE {rows[0].stale_note}")


@twin.command("diseases")
@click.argument("patient_id")
@click.option("--version", type=TWIN_VERSION, help="Twin version (default: latest).")
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Diseases shown (0 = all).",
)
@click.option(
    "--samples",
    default=1000,
    show_default=True,
    type=click.IntRange(min=2, max=MAX_SAMPLES),
    help="Null samples per disease.",
)
@click.option("--seed", default=0, show_default=True, type=SEED, help="Seed of the null.")
@click.option("--refresh", is_flag=True, help="Recompute even when a result is stored on the twin.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def diseases(
    patient_id: str,
    version: int | None,
    top: int,
    samples: int,
    seed: int,
    refresh: bool,
    as_json: bool,
) -> None:
    """Which known diseases the twin resembles: proximity z and separation to 299 modules.

    Computed once per twin version (and --samples/--seed) and stored on the twin; later calls
    read it back.

    \b
    Example: medtwin twin diseases GSM389703 --top 10
    """
    from medtwin.platform.stored_insights import stored_resemblance
    from medtwin.settings import get_settings

    # A stored result is shown without the science stack; a miss computes it with the same
    # (lean) driver, whose parameters are plain Python (diseases.twin_diseases).
    with open_store(lean=True) as store:
        rows = (
            None
            if refresh
            else stored_resemblance(
                store, patient_id, version=version, n_samples=samples, seed=seed
            )
        )
        if rows is None:
            from medtwin.platform.diseases import DISEASE_STEPS, twin_diseases
            from medtwin.platform.python_audit import on_writes

            # a write only if this run computes: inside the lock the use case looks again, and
            # reads back what another process stored since our look (then this run is a read);
            # computing takes 7-60 s, which were silent: one bar of its steps, on a terminal
            with on_writes(audit_wrote), StepProgress(quiet=as_json) as progress:
                rows = twin_diseases(
                    store,
                    patient_id,
                    get_settings().cache_dir,
                    version=version,
                    n_samples=samples,
                    seed=seed,
                    refresh=refresh,
                    progress=progress.steps(f"twin diseases {patient_id}", DISEASE_STEPS),
                )
    shown = rows if top == 0 else rows[:top]
    if as_json:
        echo_json([r.model_dump(mode="json") for r in shown])
        return
    click.echo(
        f"{rows[0].twin_id if rows else patient_id}: {len(rows)} reference disease modules "
        "(Menche 2015), closest first; z < 0 = closer than degree-matched random genes"
    )
    for r in shown:
        z = f"{r.z:+.2f}" if r.z is not None else "  n/a"
        s_ab = f"{r.s_ab:+.2f}" if r.s_ab is not None else "  n/a"
        click.echo(
            f"{r.rank:>4}  {r.name[:44]:<44} z {z}  q {r.q:.3f}  s_AB {s_ab}  "
            f"shared {r.shared:>3}/{r.n_genes}"
        )


@twin.command("regulators")
@click.argument("patient_id")
@click.option("--version", type=TWIN_VERSION, help="Twin version (default: latest).")
@click.option(
    "--q",
    "q_max",
    default=0.05,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="TF activity q at most (as the API: 0 < q <= 1).",
)
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Regulators shown, also in --json (0 = all).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "gds", "in_process"]),
    default="auto",
    show_default=True,
    help="auto: the ranking stored at the build (default --q), else GDS when available.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--by",
    type=click.Choice(["cell-type", "tissue"]),
    help="Upstream regulators per cell type (h5ad twins) or per tissue (multi-tissue twins).",
)
def regulators(
    patient_id: str,
    version: int | None,
    q_max: float,
    top: int,
    engine: str,
    as_json: bool,
    by: str | None,
) -> None:
    """Upstream regulators (TF activity q <= --q, drivers) by PageRank, in Louvain groups.

    \b
    Example: medtwin twin regulators pbmc68k_donorA --by cell-type
    """
    from medtwin.platform.regulator_views import stored_regulator_report

    if by is not None:
        _context_regulators(patient_id, version, q_max, top, as_json, by)
        return
    # auto: most often the report the build stored, read without numpy (a lean driver); what
    # is computed here passes the store plain values (ids, floats), which a lean driver takes
    with open_store(lean=engine == "auto", without_pandas=True) as store:
        # what the build stored, read without the science stack; else computed
        got = (
            stored_regulator_report(store, patient_id, version=version, q=q_max, top=top or None)
            if engine == "auto"
            else None
        )
        if got is None:
            from medtwin.platform import twin_regulators

            got = twin_regulators.twin_regulators(
                store, patient_id, version=version, q=q_max, top=top or None,
                engine=engine,  # type: ignore[arg-type]
            )  # fmt: skip
        r = got
    if as_json:
        echo_json(r.model_dump(mode="json"))
        return
    if r.note:
        click.echo(f"{r.twin_id}: {r.note}")
        return
    how = "stored" if r.stored else "computed"
    central = {"gds": "centrality in GDS", "in_process": "centrality in process"}
    click.echo(
        f"{r.twin_id}: {r.n_regulators} upstream regulators ({r.n_tfs_scored} TFs scored on "
        f"{r.n_genes_with_statistic} genes with a statistic; {how}, "
        f"{central.get(r.engine, 'no centrality needed')}, {r.seconds:.2f} s)"
    )
    if r.gene_set_note:
        click.echo(f"NOTE {r.gene_set_note}")
    _echo_regulators(r.regulators, r.pathways)


def _echo_regulators(
    regulators: Sequence[UpstreamRegulator], pathways: Mapping[str, Mapping[str, float]]
) -> None:
    # a twin's list and each cell type's or tissue's (--by) are printed alike
    from medtwin.platform.regulator_views import p_words

    for u in regulators:
        click.echo(f"  {u.rank:>3}. {u.words}")
    if pathways:
        click.echo(
            "  pathways: "
            + ", ".join(f"{p} {v['score']:+.1f} (q {p_words(v['q'])})" for p, v in pathways.items())
        )


def _context_regulators(
    patient_id: str, version: int | None, q_max: float, top: int, as_json: bool, by: str
) -> None:
    from medtwin.platform import cell_regulators

    # computes with numpy (PageRank per context) but passes no pandas value: as the twin's
    with open_store(without_pandas=True) as store:
        r = cell_regulators.context_regulators(
            store, patient_id, by, version=version, q=q_max, top=top or None
        )
    if as_json:
        echo_json(r.model_dump(mode="json"))
        return
    n = sum(c.n_regulators for c in r.contexts)
    click.echo(
        f"{r.twin_id}: {n} upstream regulators in {len(r.contexts)} "
        f"{'cell type' if r.by == 'cell_type' else 'tissue'}"
        f"{'' if len(r.contexts) == 1 else 's'} ({r.seconds:.2f} s)"
    )
    if r.note:
        click.echo(f"NOTE {r.note}")
    for c in r.contexts:
        click.echo(f"{c.context}: {c.n_regulators} of {c.n_tfs_scored} TFs scored")
        _echo_regulators(c.regulators, c.pathways)
