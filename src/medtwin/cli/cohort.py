"""``medtwin cohort run|summary|activities|stratify``, ``medtwin patient similar``."""

from __future__ import annotations

from typing import Any

import click

from medtwin.cli import Command, Group
from medtwin.cli.common import (
    SEED,
    BatchFailure,
    audit_patients,
    echo_batch_json,
    echo_json,
    end_batch,
    open_store,
    output_path,
    settings,
    store_factory,
)
from medtwin.cli.progress import StepProgress
from medtwin.cli.renamed import Moved
from medtwin.cli.treatment import params_from_options, ranking_options

__all__ = ["FEATURES", "GENE_SETS", "SIMILARITY", "cohort", "similar"]

# Static copies, so that `--help` imports neither the use cases nor the science stack (a unit test
# keeps them equal to medtwin.platform.stratify). Ranking methods are checked against the registry.
SIMILARITY = ("jaccard", "signed_jaccard", "separation")
GENE_SETS = ("twin", "module")
FEATURES = ("genes", "activities", "pathways")


@click.group(cls=Group)
def cohort() -> None:
    """Cohorts: build and rank many patients in parallel (Dask), summarise, stratify."""


@cohort.command("run")
@click.argument("patient_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every patient in the database.")
@click.option("--cohort", "cohort_name", help="Patients whose metadata.cohort is NAME.")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(min=0),
    help="Worker processes of the local Dask cluster (0: in this process, no Dask).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Use an existing Dask scheduler (tcp://host:8786) instead of a local cluster; its "
    "workers need medtwin installed, the same MEDTWIN_* settings and the Neo4j URI reachable.",
)
@ranking_options
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def run(
    patient_ids: tuple[str, ...],
    all_: bool,
    cohort_name: str | None,
    workers: int,
    scheduler: str | None,
    as_json: bool,
    **ranking: Any,
) -> None:
    """Build missing or stale twins and rank every patient of a cohort, in parallel.

    Resumable: patients whose latest twin matches their inputs and the twin parameters and
    already carries a complete ranking with these parameters are skipped, so rerunning a
    killed run finishes the rest. One patient's failure is reported at the end.

    \b
    Examples:
      medtwin cohort run --all --workers 2
      medtwin cohort run --cohort omics_ra_synovium_peac --approved-only
      medtwin cohort run --cohort trial7 --scheduler tcp://10.0.0.5:8786 --json
    """
    from medtwin.domain import TwinParams
    from medtwin.platform import cohort as cohorts
    from medtwin.platform.cohort_loads import completeness_note
    from medtwin.platform.dask_cluster import checked_scheduler

    rank_params = params_from_options(**ranking)
    checked_scheduler(scheduler)  # before the database: run_cohort checks it after the reads
    s = settings()
    with (
        open_store() as store,
        StepProgress(quiet=as_json, units={"patients": "patients"}) as steps,
    ):
        ids = cohorts.cohort_patients(store, patient_ids, all_patients=all_, cohort=cohort_name)
        unrecorded = completeness_note(store, cohort_name)
        if unrecorded:  # said before the run (which takes minutes), and on stderr: --json is data
            click.echo(f"NOTE {unrecorded}", err=True)
        result = cohorts.run_cohort(
            store,
            s,
            ids,
            open_store=store_factory(),
            twin_params=TwinParams(),
            rank_params=rank_params,
            workers=workers,
            scheduler=scheduler,
            progress=None if as_json else steps.callback("patients"),
        )
        audit_patients(ids, failed=[f.patient_id for f in result.failed])
    if as_json:
        failed_n = result.count("failed")
        echo_batch_json(
            result.model_dump(mode="json"), done=len(result.patients) - failed_n, failed=failed_n
        )
    else:
        click.echo(
            f"{len(result.patients)} patients on {result.scheduler}: {result.count('done')} done, "
            f"{result.count('skipped')} already done (skipped), {result.count('failed')} failed "
            f"in {result.seconds:.1f} s"
        )
    # Each failure on stderr as `twin build A B` and `rank --all` report theirs: one JSON line
    # per patient under --json (the text "FAILED" lines on stdout were not JSON, and a worker's
    # log line said it a second time), "patient Q3: InputError: ..." and a hint in text.
    failed = [
        BatchFailure(
            f.patient_id,
            f.error_type or "MedtwinError",
            (f.error or "").removeprefix(f"{f.error_type}: "),
            f.hint,
        )
        for f in result.failed
    ]
    end_batch(failed, len(result.patients), "patients failed", as_json=as_json)


# --top was the k of top k and --drugs the rows printed, where every other --top is the rows
# printed; the k is --top-drugs, as in biomarkers and twin trajectory (the API's top_drugs)
@cohort.command(
    "summary",
    renamed={"--drugs": "--top"},
    moved={"--top": Moved("--top-drugs", "the drugs printed")},
)
@click.option(
    "--cohort", "cohort_name", help="Patients whose metadata.cohort is NAME (default all)."
)
@click.option(
    "--top-drugs",
    "top_drugs",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="The top N drugs of each patient's latest ranking, counted per drug (its top k).",
)
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Drugs printed, the most counted first (--json: all of them).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def summary(cohort_name: str | None, top_drugs: int, top: int, as_json: bool) -> None:
    """Per drug: patients with it in their top k (with q < 0.05, counteracting); per patient.

    The top k of a patient is the top --top-drugs drugs of its latest ranking.

    \b
    Example: medtwin cohort summary --cohort omics_ra_synovium_peac --top-drugs 20 --top 10
    """
    from medtwin.platform import cohort_summary as cohorts
    from medtwin.platform.kept_reads import kept_cohort_reads

    with open_store(lean=True) as opened:
        store = kept_cohort_reads(opened)  # the metadata and add records: one read each
        ids = cohorts.cohort_patients(store, all_patients=cohort_name is None, cohort=cohort_name)
        got = cohorts.cohort_summary(store, ids, top_drugs=top_drugs, cohort=cohort_name)
        audit_patients(ids)
    if as_json:
        echo_json(cohorts.summary_json(got))
        return
    click.echo(
        f"{got.cohort or 'all patients'}: {got.ranked} of {got.patients} patients ranked; "
        f"drugs in a top {got.top_drugs}"
    )
    if got.stale_note:
        click.echo(f"NOTE {got.stale_note}")
    if got.rankings_note:
        click.echo(f"NOTE {got.rankings_note}")
    if got.unranked_note:
        click.echo(f"NOTE {got.unranked_note}")
    if got.completeness_note:
        click.echo(f"NOTE {got.completeness_note}")
    click.echo(f"{'drug':<10} {'name':<28} {'top k':>6} {'q<0.05':>7} {'counter':>8} {'best':>5}")
    for d in got.drugs[:top]:
        click.echo(
            f"{d.drug_id:<10} {(d.drug_name or '')[:28]:<28} {d.top_k:>6} {d.significant:>7} "
            f"{d.counteracting:>8} {d.best_rank:>5}"
        )
    click.echo("per patient (best 3):")
    for p in got.per_patient:
        best = ", ".join(f"{x['drug_name'] or x['drug_id']}" for x in p.drugs[:3])
        click.echo(f"  {p.patient_id:<12} {best}")


@cohort.command("activities")
@click.argument("patient_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every patient in the database.")
@click.option("--cohort", "cohort_name", help="Patients whose metadata.cohort is NAME.")
@click.option(
    "--kind",
    type=click.Choice(["all", "tf", "pathway"]),
    default="all",
    show_default=True,
    help="TF activities, pathway activities or both.",
)
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Write the table here.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of TSV.")
def activities(
    patient_ids: tuple[str, ...],
    all_: bool,
    cohort_name: str | None,
    kind: str,
    out_path: str | None,
    as_json: bool,
) -> None:
    """Patients × regulators table of activity t (TF ULM, pathway MLM) of each latest twin.

    Streamed in batches of patients (memory bounded by a batch); a regulator a twin did not score
    is empty (TSV) or null (JSON).

    \b
    Example: medtwin cohort activities --cohort omics_ra_synovium_peac --out peac_activities.tsv
    """
    import sys

    from medtwin.platform import cohort_activities as acts
    from medtwin.platform import cohort_summary as cohorts
    from medtwin.platform.kept_reads import kept_cohort_reads
    from medtwin.platform.twin_currency import cohort_currency

    with open_store(lean=True) as opened:
        store = kept_cohort_reads(opened)  # the metadata and add records: one read each
        ids = cohorts.cohort_patients(store, patient_ids, all_patients=all_, cohort=cohort_name)
        currency = cohort_currency(store, ids, cohort=cohort_name)
        if out_path is None:
            n, cols = acts.write_activity_table(
                store, ids, sys.stdout, kind=kind, as_json=as_json, currency=currency
            )
        else:
            from medtwin.atomic import PATIENT_FILE_MODE, atomic_output

            # whole or not at all: a failure midway left a table that read as complete
            written = output_path(out_path)
            with atomic_output(written, text=True, mode=PATIENT_FILE_MODE) as fh:
                n, cols = acts.write_activity_table(
                    store, ids, fh, kind=kind, as_json=as_json, currency=currency
                )
        audit_patients(ids)
    if out_path is not None and as_json:
        # the table is in the file: the summary is the data on stdout, as `export --json` says
        # it (before, text on stderr and nothing on stdout); its notes are keys, not NOTE lines
        echo_json(
            {
                "path": str(written),
                "bytes": written.stat().st_size,
                "kind": kind,
                "patients": len(ids),
                "patients_with_activities": n,
                "regulators": cols,
                "stale_twins": len(currency.stale),
                "stale_note": currency.note,
                "completeness_note": currency.completeness,
            }
        )
        return
    click.echo(
        f"{n} of {len(ids)} patients with activities, {cols} regulators"
        + (f" -> {out_path}" if out_path else ""),
        err=True,
    )
    for note in (currency.note, currency.completeness):
        if note:
            click.echo(f"NOTE {note}", err=True)


# --similarity was --method, which in rank and cohort run names drug-ranking methods
@cohort.command("stratify", renamed={"--method": "--similarity"})
@click.option(
    "--cohort", "cohort_name", required=True, help="Patients whose metadata.cohort is NAME."
)
@click.option(
    "--similarity",
    "method",
    type=click.Choice(SIMILARITY),
    default="jaccard",
    show_default=True,
    help="Similarity of two patients' gene sets (separation: Menche 2015 s_AB).",
)
@click.option(
    "--genes",
    type=click.Choice(GENE_SETS),
    default="twin",
    show_default=True,
    help="Each patient's gene set: every gene of its latest twin, or its module genes.",
)
@click.option("-k", "k", default=10, show_default=True, help="Neighbours kept per patient.")
@click.option(
    "--features",
    type=click.Choice(FEATURES),
    default="genes",
    show_default=True,
    help="Compare gene sets (--similarity, --genes), or correlate TF / pathway activity vectors.",
)
@click.option("--labels", "labels_key", help="Metadata key of a known grouping to compare with.")
@click.option(
    "--permutations",
    default=1000,
    show_default=True,
    type=click.IntRange(min=1),
    help="For the ARI p-value.",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=SEED,
    help="Seed of the permutations.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def stratify(
    cohort_name: str,
    method: str,
    genes: str,
    k: int,
    features: str,
    labels_key: str | None,
    permutations: int,
    seed: int,
    as_json: bool,
) -> None:
    """Patient similarity graph (SIMILAR_TO) and its GDS Louvain communities (endotypes).

    \b
    Example (the demo's RA synovium cohort vs its histological pathotypes):
      medtwin cohort stratify --cohort omics_ra_synovium_peac --labels pathotype
    """
    from medtwin.platform import cohort as cohorts
    from medtwin.platform import stratify as strat

    with open_store() as store:
        ids = cohorts.cohort_patients(store, cohort=cohort_name)
        got = strat.stratify_cohort(
            store,
            ids,
            method=method,
            genes=genes,
            k=k,
            cache_dir=settings().cache_dir,
            cohort=cohort_name,
            labels_key=labels_key,
            permutations=permutations,
            seed=seed,
            features=features,
        )
        audit_patients(ids)  # their similarities and endotypes are written
    if as_json:
        echo_json(got.model_dump(mode="json"))
        return
    click.echo(
        f"{got.patients} patients ({len(got.without_twin)} without twin), {got.similarities} "
        f"SIMILAR_TO ({got.method}, k={got.k}), {len(got.sizes)} communities: "
        f"{', '.join(map(str, got.sizes))}"
    )
    for note in (got.stale_note, got.completeness_note):
        if note:
            click.echo(f"NOTE {note}")
    if got.ari is not None:
        labels = sorted({lab for row in got.contingency.values() for lab in row})
        click.echo(f"{'community':>9}  " + "  ".join(f"{x:>9}" for x in labels))
        for c, row in sorted(got.contingency.items(), key=lambda kv: int(kv[0])):
            click.echo(f"{c:>9}  " + "  ".join(f"{row.get(x, 0):>9}" for x in labels))
        verdict = (
            "better than chance"
            if got.p_value is not None and got.p_value < 0.05
            else "NOT better than chance"
        )
        click.echo(
            f"ARI vs {got.labels_key}: {got.ari:.3f}, permutation p = {got.p_value:.3g} "
            f"({got.permutations} permutations, seed {got.seed}): {verdict}"
        )


# --top was --limit, which elsewhere (patient list, patient audit) is a page's size beside --offset
@click.command("similar", cls=Command, renamed={"--limit": "--top"})
@click.argument("patient_id")
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="The most similar patients shown.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def similar(patient_id: str, top: int, as_json: bool) -> None:
    """Patients like this one (SIMILAR_TO from `medtwin cohort stratify`), most similar first.

    \b
    Example: medtwin patient similar SYN001 --top 5
    """
    from medtwin.platform.similar_patients import similar_patients

    with open_store(lean=True) as store:  # a read: no numpy/pandas in the driver
        got = similar_patients(store, patient_id, limit=top)
    if as_json:
        echo_json([g.model_dump(mode="json") for g in got])
        return
    if not got:
        click.echo(f"no similar patient left for {patient_id}: its neighbours were deleted")
    for note in dict.fromkeys(g.endotype_note for g in got if g.endotype_note):
        click.echo(f"NOTE {note}")  # once per stratification run, not per neighbour
    for g in got:
        click.echo(
            f"{g.patient_id:<12} {g.score:.3f}  {g.method:<15} endotype {g.endotype}  "
            f"{', '.join(f'{k}={v}' for k, v in sorted(g.metadata.items()))}"
        )
