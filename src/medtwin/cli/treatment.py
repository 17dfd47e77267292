"""``medtwin rank``, ``medtwin explain`` and ``medtwin screen``: in-silico treatment."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import click

from medtwin.cli import Command
from medtwin.cli.common import (
    MAX_SAMPLES,
    SEED,
    TWIN_VERSION,
    BatchFailure,
    audit_patients,
    echo_batch_json,
    echo_json,
    end_batch,
    number,
    open_store,
    output_path,
    settings,
    yes_no,
)
from medtwin.cli.progress import StepProgress, on_terminal
from medtwin.command_lines import version_option
from medtwin.errors import GraphStoreUnavailable, InputError, MedtwinError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from medtwin.platform.first_screen import ScreenLine
    from medtwin.platform.models import RankingResult, RankParams
    from medtwin.store.base import GraphStore

__all__ = [
    "TARGETS",
    "TARGET_SOURCES",
    "RankingMethod",
    "TargetSource",
    "explain",
    "params_from_options",
    "print_ranking",
    "rank",
    "ranking_options",
    "screen",
]


class RankingMethod(click.ParamType[str, str]):
    """A ranking method, checked against :data:`medtwin.platform.ranking.REGISTRY` (the one list).

    The registry is imported when a value is checked (the command runs), not for ``--help``, so
    that ``medtwin rank --help`` does not import the ranking stack.
    """

    name = "method"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """``METHOD`` (the names are in the option's help)."""
        return "METHOD"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """``value`` if the registry has it, else a usage error listing the registry's names."""
        from medtwin.platform.ranking import REGISTRY

        if value not in REGISTRY:
            self.fail(f"{value!r} is not a ranking method; valid: {', '.join(sorted(REGISTRY))}")
        return value


class TargetSource(click.ParamType[str, str]):
    """``--targets``: a drug–target source, a dataset id or a file (``rank``, ``screen``).

    An unknown source word is a usage error naming the option (exit 2), at parse, from every
    command that takes one: ``screen --targets nosuch`` said it as an ``InputError`` (exit 1)
    after opening the database, and ``rank``'s "invalid value:" named no option (stop 60's CLI
    probe). A path that is no readable file passes here and is the readers' one line (exit 1)
    when the command reads it, as ``--de`` and ``--gmt`` say theirs.
    """

    name = "text"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """``value``, or a usage error naming it and the valid sources."""
        from medtwin.errors import SourceFormatError
        from medtwin.platform.arguments import names_file
        from medtwin.platform.rank_params import parse_targets

        if names_file(value):  # a file: read (and its sha256 taken) by the command only
            return value
        try:
            parse_targets(value)
        except SourceFormatError:  # a path: the readers' words when the command reads it
            return value
        except InputError as e:
            self.fail(e.message, param, ctx)
        return value


TARGETS = TargetSource()
"""The type of ``rank``'s, ``cohort run``'s and ``screen``'s ``--targets``."""

TARGET_SOURCES = ("drugbank", "drugcentral", "guney2016")
"""Keys of :data:`medtwin.platform.rank_params.TARGET_SOURCES`, here for ``--help`` (a unit test
keeps them equal)."""


def print_ranking(r: RankingResult, top: int, screen: Sequence[ScreenLine] | None = None) -> None:
    """Print the top of a ranking as a table (``top`` 0: every drug in ``r``).

    With ``screen`` (:func:`medtwin.platform.first_screen.screen_of`) drugs with the same targets
    are one line ("+6 with the same targets: …") and each line says which evidence placed it.
    Names and ids are printed without bidirectional control characters (issue 19).
    """
    from medtwin.platform.first_screen import first_screen, scope_note
    from medtwin.platform.safe_text import printable

    click.echo(
        f"Ranking {r.id}: {r.n_drugs} drugs ({r.params.targets}), methods "
        f"{', '.join(r.params.methods)}, {r.params.n_samples} samples, seed "
        f"{r.params.seed}, {r.seconds:.2f} s"
    )
    if r.module_note:
        click.echo(f"NOTE {r.module_note}")
    if r.patient_note:
        click.echo(printable(f"NOTE (patient) {r.patient_note}"))
    if r.stale_note:
        click.echo(printable(f"NOTE {r.stale_note}"))
    for method, why in r.no_score.items():
        click.echo(f"NOTE {method} scored no drug: {why}")
    if r.target_expression_note:
        click.echo(f"NOTE {r.target_expression_note}")
    click.echo(f"order: {scope_note(r.params)}")
    click.echo(f"personal evidence: {r.personal_evidence}")
    click.echo(
        f"{'rank':>4}  {'drug':<9} {'name':<24} {'d_c':>5} {'z':>6} {'q':>7} "
        f"{'cover':>6} {'direction':<17} {'act_rev':>7} {'deg#':>5}  targets in module"
    )
    lines = screen if screen is not None else first_screen(r.drugs, None, r.params, lines=top)

    shown = lines[: top or None]
    for line in shown:
        d = line.drug
        # the word alone: "not computed (add --method direction)" overflowed the 17-wide column
        # and moved act_rev and deg# off their headers; the fix is said once under the table
        word = d.direction_word if d.direction_computed else "not computed"
        direction = f"{number(d.direction, '+.2f')} {word}"
        click.echo(
            printable(
                f"{d.rank:>4}  {d.drug_id:<9} {(d.drug_name or '')[:24]:<24} "
                f"{number(d.d_c, '5.2f'):>5} {number(d.z, '6.2f'):>6} {number(d.q, '7.3g'):>7} "
                f"{number(d.centrality, '6.3f'):>6} {direction:<17} "
                f"{number(d.activity_reversal, '+.2f'):>7} {d.degree_baseline_rank or '—':>5}  "
                f"{', '.join((d.targets_in_module_symbols or d.targets_in_module)[:4])}"
            )
        )
        click.echo(f"{'':>6}placed by: {line.evidence}")
        if line.same_targets:
            click.echo(printable(f"{'':>6}{line.same_targets_text}"))
    if any(not line.drug.direction_computed for line in shown):
        click.echo("direction not computed: the ranking did not run it (add --method direction)")
    click.echo(
        "direction: counteracts = the drug pushes its targets against the patient's change "
        "(e.g. inhibits an up-regulated gene); aggravates = the reverse. Drugs with the same "
        "targets are one line (the first in the ranking's order leads); a prior or filter is "
        "the same for every patient, not a finding."
    )
    click.echo(
        "cover = share of the twin's PageRank on the drug's targets and their interactome "
        "neighbours (centrality; higher reaches more of the twin); deg# = rank by the targets' "
        "degree alone (hub-bias check); d_c, z, q = proximity: closest distance to the module, "
        "its z against degree-matched random targets, BH q; act_rev = activity_reversal: "
        "-Spearman of the patient's TF and pathway activities and the drug's LINCS ones (— when "
        "the ranking did not run it, `--method activity_reversal`, or the drug has no LINCS "
        "signature)."
    )


RANKING_OPTIONS = (
    click.option(
        "--method",
        "methods",
        multiple=True,
        type=RankingMethod(),
        help="Method(s) computed and shown (repeatable; default degree, proximity, "
        "target_expression, direction, centrality, disruption; more: regulator, "
        "regulator_network, pathway, pathway_proximity, driver, reversal, activity_reversal). "
        "The degree-only baseline is always shown beside them.",
    ),
    click.option(
        "--order",
        "order",
        multiple=True,
        type=RankingMethod(),
        help="Method(s) whose percentiles order the drugs (repeatable); default degree (a prior), "
        "proximity, target_expression: the order chosen on the development data "
        "(docs/validation.md). Without --order: the default order's methods among --method.",
    ),
    click.option(
        "--tier",
        type=click.Choice(["approved", "none"]),
        default="approved",
        show_default=True,
        help="approved: approved drugs (and your own, status unknown) before the others; none: "
        "one list.",
    ),
    click.option(
        "--targets",
        default="drugbank",
        show_default=True,
        type=TARGETS,
        help="Drug–target source (drugbank, drugcentral, guney2016) or a TSV file of your own "
        "drugs: columns drug_id, gene (HGNC symbol or Entrez id), optional drug_name and action "
        "(inhibitor, agonist, ...); one row per drug–target pair, a combination is one drug_id "
        "with several genes.",
    ),
    click.option(
        "--samples",
        default=1000,
        show_default=True,
        type=click.IntRange(min=10, max=MAX_SAMPLES),
        help="Null-model samples.",
    ),
    click.option(
        "--max-samples",
        default=100_000,
        show_default=True,
        type=click.IntRange(min=1, max=MAX_SAMPLES),
        help="Proximity: drugs whose p sits at the floor 1/(n+1) are resampled x10 up to this.",
    ),
    click.option(
        "--seed",
        default=0,
        show_default=True,
        type=SEED,
        help="Seed of the null models.",
    ),
    click.option("--approved-only", is_flag=True, help="Only DrugBank-approved drugs."),
)
"""The options of a ranking, shared by ``medtwin rank`` and ``medtwin cohort run``."""


def ranking_options(f: Callable[..., None]) -> Callable[..., None]:
    """Add :data:`RANKING_OPTIONS` to a command (their values: :func:`params_from_options`)."""
    for option in reversed(RANKING_OPTIONS):
        f = option(f)
    return f


def params_from_options(
    *,
    methods: tuple[str, ...],
    order: tuple[str, ...],
    tier: str,
    targets: str,
    samples: int,
    max_samples: int,
    seed: int,
    approved_only: bool,
) -> RankParams:
    """The ranking's parameters from :data:`RANKING_OPTIONS` (``rank_params.rank_params``)."""
    from medtwin.errors import InputError, SourceFormatError
    from medtwin.platform.rank_params import rank_params

    try:
        return rank_params(
            methods=methods,
            order=order,
            tier="none" if tier == "none" else "approved",
            targets=targets,
            n_samples=samples,
            max_samples=max_samples,
            seed=seed,
            approved_only=approved_only,
        )
    except SourceFormatError:
        # a --targets file that is missing, a folder or unreadable: the readers' one line (exit
        # 1), as --de or --gmt say it, not a usage error
        raise
    except InputError as e:
        raise click.BadParameter(e.message) from e


def _rankings() -> ModuleType:
    """The rankings use case (imports the ranking stack: only when a command computes)."""
    from medtwin.platform import rankings

    return rankings


@click.command(cls=Command)
@click.argument("patient_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Rank for every patient with a twin.")
@click.option(
    "--version",
    type=TWIN_VERSION,
    help="Twin version ranked (default: latest); every patient named must have it.",
)
@ranking_options
@click.option(
    "--require-module",
    is_flag=True,
    help="Refuse twins whose module is not more connected than random genes "
    "(module z < 1.6 or p > 0.05) instead of ranking them as exploratory.",
)
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Drugs to print (table and --json); 0 = every drug.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every drug of the ranking, one row each, to this TSV (one patient only).",
)
@click.option(
    "--rerank",
    is_flag=True,
    help="Compute a new ranking even when the twin's latest ranking has these exact parameters "
    "(by default that stored ranking is shown: same twin version, parameters and seed give the "
    "same table).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def rank(
    patient_ids: tuple[str, ...],
    all_: bool,
    version: int | None,
    require_module: bool,
    top: int,
    out: Path | None,
    rerank: bool,
    as_json: bool,
    **ranking: Any,
) -> None:
    """Screen every drug against a patient's twin and store the ranking with the twin.

    \b
    Examples:
      medtwin rank P1 --out p1_ranking.tsv
      medtwin rank P1 --targets trial_drugs.tsv --top 0 --json
      medtwin rank P1 --version 1

    With several patients, one that fails (no twin, a --require-module refusal) is reported and
    the others are ranked; the command then exits 1. With --json, each failure is one JSON line
    on stderr, and each ranking's `warnings` say what the reader of a --targets file did with it
    (rows skipped, genes not in the database; also logged on stderr).
    """
    from medtwin.platform import patients

    params = params_from_options(**ranking)
    # Before, no id and no --all ranked nobody and exited 0, and ids with --all ranked everyone.
    if not patient_ids and not all_:
        raise InputError("name patient ids or use --all")
    if patient_ids and all_:
        raise InputError("name patient ids or use --all, not both")
    if out is not None and len(patient_ids) < 2:
        # Its folder made and written to (a probe) now: before, a --out that cannot be written
        # failed after the ranking was computed and stored.
        output_path(out)
    # A stored ranking with these parameters is shown without the ranking stack; a reuse miss
    # ranks with the same (lean) driver, whose values are plain Python (pydantic rows).
    reuse = not rerank and not require_module
    results: list[RankingResult] = []
    failures: list[BatchFailure] = []
    with open_store(lean=reuse) as store:
        ids = list(dict.fromkeys(patient_ids))  # `rank A A` ranks A once
        if all_:
            ids = [p.id for p in patients.list_patients(store) if p.twin_versions]
            if not ids and not as_json:
                click.echo("no patient has a twin yet (`medtwin twin build --all`)", err=True)
        if out is not None and len(ids) != 1:
            raise click.UsageError(f"--out writes one patient's ranking; got {len(ids)} patients")
        # a batch: one line (or bar) per ranking; one patient: a bar of the ranking's steps on
        # a terminal (its 10-60 s were silent), nothing elsewhere (the table follows)
        one = len(ids) == 1
        with StepProgress(
            quiet=as_json or (one and not on_terminal()), units={"rankings": "rankings"}
        ) as progress:
            for i, pid in enumerate(ids, 1):
                try:
                    r = _rank_one(
                        store, pid, params, version=version, reuse=reuse,
                        require_module=require_module, top=top, out=out, as_json=as_json,
                        progress=progress.steps(f"ranking {pid}") if one else None,
                    )  # fmt: skip
                    results.append(r)
                except GraphStoreUnavailable:
                    raise  # every later patient would fail the same way
                except MedtwinError as e:
                    if len(ids) == 1:
                        raise  # printed by the top-level handler, as before
                    # one patient without a twin, or a --require-module refusal, stops none
                    failures.append(BatchFailure.of(pid, e))
                if not one:
                    progress("rankings", i, len(ids))
        audit_patients(ids if all_ else (), failed=[f.patient_id for f in failures])
    if as_json:
        rows = [r.model_dump(mode="json") for r in results]
        echo_batch_json(rows, done=len(results), failed=len(failures))
    end_batch(failures, len(ids), "rankings not made", as_json=as_json)


def _rank_one(
    store: GraphStore,
    pid: str,
    params: RankParams,
    *,
    version: int | None,
    reuse: bool,
    require_module: bool,
    top: int,
    out: Path | None,
    as_json: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> RankingResult:
    """``rank`` for one patient: its ranking (stored, or made now), printed unless ``as_json``.

    ``progress`` hears the steps of a ranking made now (none for a stored one). ``version``:
    the twin version ranked (``None``: the latest).
    """
    from medtwin.platform import stored_rankings
    from medtwin.platform.context import reference_context
    from medtwin.platform.read_warnings import ranking_made

    t0 = time.perf_counter()
    first_page = stored_rankings.FIRST_PAGE
    r = (
        # The page a fresh ranking returns (inside the stored top, read from relationships), not
        # only the `top` rows shown: the first screen groups the drugs with the same targets over
        # it, and a shorter page grouped fewer ("+3 with the same targets" where the ranking
        # just made said "+15").
        stored_rankings.reusable_ranking(
            store, reference_context(), pid, params, version=version, limit=max(top, first_page)
        )
        if reuse
        else None
    )
    stored = r is not None
    if r is None:
        rankings = _rankings()
        r = rankings.rank_drugs(
            store,
            pid,
            params,
            cache_dir=settings().cache_dir,
            version=version,
            require_module=require_module,
            full=out is not None or top == 0 or top > rankings.FIRST_PAGE,
            progress=progress,
        )
        if out is not None:  # the ranking just made, not "the latest" read back
            n = rankings.write_ranking_tsv(r, output_path(out))
            click.echo(f"{n} drugs → {out}", err=as_json)
    else:
        if len(r.drugs) < r.total and (top == 0 or top > first_page):  # as rank_drugs' `full`
            r = _rankings().full_ranking(store, pid, version=version)
        if out is not None:  # the stored ranking is the twin's latest one
            n = _rankings().export_ranking(store, pid, output_path(out), version=version)
            click.echo(f"{n} drugs → {out}", err=as_json)
        # No file was read (a targets file is never reused): nothing to say, but --json keeps
        # one shape, the `warnings` of a ranking made now included.
        r = ranking_made(r, ())
    screen = None
    if not as_json:
        from medtwin.platform.first_screen import screen_of

        screen = screen_of(store, r, lines=top)  # the page, before the cut
    r = r.model_copy(update={"drugs": r.drugs[: top or None]})
    if not as_json:
        print_ranking(r, top, screen)
        took = time.perf_counter() - t0
        # the command that computes it again, of the same twin version (alone, --rerank
        # ranked the latest twin)
        again = " ".join(["--rerank", *version_option(version)])
        click.echo(
            f"(stored ranking of {r.created_at:%Y-%m-%d %H:%M}, read in {took:.1f} s; "
            f"{again} computes it again)\n"
            if stored
            else f"({took:.1f} s with storage)\n"
        )
    return r


def target_lines(targets: Sequence[Mapping[str, Any]]) -> list[str]:
    """``explain``'s lines on a drug's targets: those the ranking used, then the others by role.

    Before, an enzyme or transporter was printed as ``target CYP3A4``, though the ranking does not
    use it (:func:`medtwin.platform.explain.ranking_use`); its role is now named.

    Examples
    --------
    A direction that DrugCentral filled in for DrugBank (as the ranking does) names its source.

    >>> row = {"direction": "inhibit", "in_twin": True, "in_module": False, "log2fc": 1.234}
    >>> for x in target_lines([{**row, "symbol": "ABCB1", "role": "transporter"},
    ...                        {**row, "symbol": "CYP3A4", "role": "enzyme"},
    ...                        {**row, "symbol": "ABL1", "role": "target"},
    ...                        {**row, "symbol": "LCK", "role": "target",
    ...                         "direction_source": "drugcentral_2016"}]):
    ...     print(x)
      target ABL1       inhibit  in twin yes  in module no  log2fc +1.23
      target LCK        inhibit (DrugCentral) in twin yes  in module no  log2fc +1.23
      not used for ranking:
        enzyme      CYP3A4     inhibit  in twin yes  in module no  log2fc +1.23
        transporter ABCB1      inhibit  in twin yes  in module no  log2fc +1.23
    """
    from medtwin.platform.target_sets import TargetAction

    def line(t: Mapping[str, Any], role: str) -> str:
        action = TargetAction(str(t["direction"]), t.get("direction_source")).words
        return (
            f"{role} {t['symbol'] or t['entrez']:<10} {action + ' ':<9}in twin "
            f"{yes_no(t['in_twin'])}  in module {yes_no(t['in_module'])}  "
            f"log2fc {number(t['log2fc'], '+.2f')}"
            + (f"  changed in {t['changed_in']}" if t.get("changed_in") else "")
        )

    used = [t for t in targets if t.get("role", "target") == "target"]
    order = ("enzyme", "transporter", "carrier", "fc/complement")
    others = sorted(
        (t for t in targets if t.get("role", "target") != "target"),
        key=lambda t: order.index(t["role"]) if t["role"] in order else len(order),
    )
    width = max((len(str(t["role"])) for t in others), default=0)
    return (
        [f"  {line(t, 'target')}" for t in used]
        + (["  not used for ranking:"] if others else [])
        + [f"    {line(t, str(t['role']).ljust(width))}" for t in others]
    )


@click.command(cls=Command)
@click.argument("patient_id")
@click.argument("drug_id")
@click.option(
    "--version",
    type=TWIN_VERSION,
    help="Twin version, with its latest ranking (default: latest).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def explain(patient_id: str, drug_id: str, version: int | None, as_json: bool) -> None:
    """Explain a drug for a patient: targets, module genes reached, shortest paths.

    \b
    Examples:
      medtwin explain GSM389703 DB00563
      medtwin explain GSM389703 DB00563 --version 1
    """
    from medtwin.platform.explanations import explain_drug
    from medtwin.platform.safe_text import printable

    # lean: the paths walk the kept interactome without numpy (platform/explain_paths.py)
    with open_store(lean=True) as store:
        e = explain_drug(store, patient_id, drug_id, version=version)
    if as_json:
        echo_json(e.model_dump(mode="json"))
        return
    s = e.score
    click.echo(printable(f"{e.drug_id} {e.drug_name or ''} for twin {e.twin_id}"))
    if e.ranking_note:
        click.echo(printable(f"  note: {e.ranking_note}"))
    if s:
        click.echo(
            f"  rank {s.rank}  d_c {number(s.d_c, '.2f')}  z {number(s.z, '+.2f')}  "
            f"q {number(s.q, '.3g')}  direction {number(s.direction, '+.2f')} {s.direction_word}"
        )
    if e.placed_by:
        click.echo(f"  placed by: {e.placed_by}")
    for line in e.method_lines:
        click.echo(printable(f"  {line}"))
    if e.target_expression_note:
        click.echo(f"  NOTE {e.target_expression_note}")
    for line in target_lines(e.targets):
        click.echo(line)
    if e.cell_types:
        click.echo(f"  targets changed in (tissue/cell type): {', '.join(e.cell_types)}")
    click.echo(f"  central module genes within 2 hops: {', '.join(e.central_genes_reached) or '—'}")
    for p in e.paths[:8]:
        click.echo(
            "  path: " + " – ".join(sym or n for n, sym in zip(p.nodes, p.symbols, strict=True))
        )
    click.echo(
        "  Cypher for Neo4j Browser:\n" + "\n".join("    " + x for x in e.cypher.splitlines())
    )


@click.command(cls=Command)
@click.option(
    "--gmt",
    # existence and readability: the readers' check and words (exit 1), as --de and --targets
    type=click.Path(dir_okay=False, readable=False, path_type=Path),
    required=True,
    help="Gene sets: name<TAB>description<TAB>gene<TAB>gene…",
)
@click.option(
    "--targets",
    default="guney2016",
    show_default=True,
    type=TARGETS,
    help="drugbank | drugcentral | guney2016, a drug-target table as for rank --targets "
    "(drug_id, gene, …), or a GMT-like file drug<TAB>name<TAB>genes…",
)
@click.option(
    "--samples",
    default=1000,
    show_default=True,
    type=click.IntRange(min=2, max=MAX_SAMPLES),
    help="Null-model samples.",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=SEED,
    help="Seed of the null model's draws.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Output TSV."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Machine-readable summary: the TSV written, its row, gene-set and drug counts, the gene "
    "sets skipped, the readers' warnings (the rows themselves are in --out).",
)
def screen(gmt: Path, targets: str, samples: int, seed: int, out: Path, as_json: bool) -> None:
    """Proximity of every drug to every gene set of a GMT file (Guney et al. 2016).

    \b
    Example: medtwin screen --gmt sets.gmt --targets guney2016 --out screen.tsv
    """
    from medtwin.platform.screen import SkippedGeneSetsWarning, screen_gmt

    with (
        open_store() as store,
        StepProgress(quiet=as_json, units={"gene sets": "gene sets"}) as progress,
        # for Python callers; the command names each skipped set below (and in --json): the
        # warning printed its source line, `result = screen_gene_sets(`, to the terminal too
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", SkippedGeneSetsWarning)
        result = screen_gmt(
            store,
            gmt,
            targets,
            n_samples=samples,
            seed=seed,
            # made before the screen, which writes at its end: a folder that cannot be made
            # fails now, not after the computation
            out=output_path(out),
            cache_dir=settings().cache_dir,
            progress=progress.callback("gene sets"),
        )
    if as_json:
        # A summary, not the rows: a screen has gene sets x drugs rows (10^5 and more), streamed
        # to the TSV; a script reads them there.
        echo_json(
            {
                "out": str(out),
                "rows": result.rows,
                "gene_sets": result.gene_sets,
                "drugs": result.drugs,
                "skipped": list(result.skipped),
                "samples": samples,
                "seed": seed,
                "targets": targets,
                "seconds": result.seconds,
                "warnings": list(result.warnings),
            }
        )
        return
    click.echo(
        f"{result.rows} rows for {result.gene_sets} gene sets × {result.drugs} drugs "
        f"in {result.seconds:.1f} s → {out}"
    )
    for name in result.skipped:
        click.echo(f"skipped gene set {name}: no gene in the interactome", err=True)
