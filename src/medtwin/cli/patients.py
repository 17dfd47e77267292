"""``medtwin patient …``: inputs (add, remove one), list, audit trail, deletion (twins: .twins)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtwin.cli import LazyCommand, LazyGroup
from medtwin.cli.common import audit_patients, echo_json, open_store
from medtwin.cli.progress import StepProgress

if TYPE_CHECKING:
    from medtwin.platform.patient_models import InputSummary, PatientStored

# Existence and readability are checked by the readers' one check (loaders.limits
# require_regular_file: a broken link, a name too long, no permission, each with its fix, exit
# 1), not by click, which said "does not exist" of each (exit 2); a folder is still click's.
_FILE = click.Path(dir_okay=False, readable=False, path_type=Path)


# `patient similar` lives with the cohort commands (it reads SIMILAR_TO); imported only when it
# runs, since that module imports the ranking models (~40 % of `patient show`'s imports).
_SIMILAR = LazyCommand(
    "medtwin.cli.cohort",
    "similar",
    "Patients like this one (SIMILAR_TO from `medtwin cohort stratify`), most similar first.",
)


# `patient delete` (one patient, several, or a cohort) lives in its own module.
_DELETE = LazyCommand(
    "medtwin.cli.patient_delete",
    "delete",
    "Delete patients completely (inputs, twins, cell types, rankings); reference data stays.",
)


@click.group(cls=LazyGroup, lazy={"similar": _SIMILAR, "delete": _DELETE})
def patient() -> None:
    """Patients: add inputs, list, show, remove an input, audit trail, delete."""


@patient.command("add")
@click.argument("patient_id")
@click.option(
    "--de",
    type=_FILE,
    help="Differential-expression table: gene; log2fc and/or z (z, stat, t, wald; z stands in "
    "for a missing log2fc); padj, or a raw p column (p, pvalue, P.Value, pval) adjusted by "
    "Benjamini-Hochberg over this patient's rows; with neither, every row is kept.",
)
@click.option("--proteins", type=_FILE, help="Protein table (gene, log2ratio).")
@click.option("--variants", type=_FILE, help="Variant table (gene, variant_id, consequence).")
@click.option(
    "--vcf", type=_FILE, help="SnpEff- or VEP-annotated VCF (HIGH/MODERATE impacts kept)."
)
@click.option(
    "--vcf-sample",
    help="VCF sample column of this patient (needed when the VCF has several).",
)
@click.option(
    "--mutations",
    type=_FILE,
    help="Mutation / copy-number calls of this patient (gene, category: MutKnownFunctional, "
    "MutLikelyFunctional, MutNovel, Amp8, Amp5, Del0.8), read as the variant layer.",
)
@click.option(
    "--h5ad",
    type=_FILE,
    multiple=True,
    help="Single-cell AnnData file (multicellular twin); repeat with --tissue for several tissues.",
)
@click.option(
    "--tissue",
    "tissues",
    multiple=True,
    help="Tissue of each --h5ad, in the same order (multi-tissue twin): --h5ad FILE1 --tissue "
    "blood --h5ad FILE2 --tissue synovium.",
)
@click.option("--tissue-key", help="obs column naming each cell's tissue (one multi-tissue h5ad).")
@click.option("--cell-type-key", default="cell_type", show_default=True, help="obs column (h5ad).")
@click.option("--condition-key", help="obs column with the condition (h5ad; omit: markers mode).")
@click.option("--case", help="Case value of --condition-key (h5ad).")
@click.option("--control", help="Control value of --condition-key (h5ad).")
@click.option("--fhir", type=_FILE, help="FHIR R4 Bundle (JSON): Patient, Condition, Observation.")
@click.option("--symptoms", help="Comma-separated HPO ids/names or MeSH ids, or a file of them.")
@click.option(
    "--padj-max",
    default=0.05,
    show_default=True,
    help="DE: keep padj ≤ this (given, or BH of raw p).",
)
@click.option(
    "--note",
    help="A caveat kept with the patient and shown with each of its rankings and reports "
    "(e.g. 'blood and biopsy from two donors').",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Remove, in the same write, the patient's earlier inputs read from files of the same "
    "names, or of the same kind and labels as a new one (kind: --de, --vcf, --h5ad, "
    "--symptoms, ...; labels: its tissues, time points and a table's cell types), e.g. the "
    "earlier DE table of that tissue under another name; each replaced input is named. "
    "Default: keep them beside the new ones.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def add(
    patient_id: str,
    de: Path | None,
    proteins: Path | None,
    variants: Path | None,
    vcf: Path | None,
    vcf_sample: str | None,
    mutations: Path | None,
    h5ad: tuple[Path, ...],
    tissues: tuple[str, ...],
    tissue_key: str | None,
    cell_type_key: str,
    condition_key: str | None,
    case: str | None,
    control: str | None,
    fhir: Path | None,
    symptoms: str | None,
    padj_max: float,
    note: str | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Add a patient's data (any combination of inputs); genes are resolved to Entrez ids.

    \b
    Examples, with files `medtwin data fetch` (and so `medtwin demo`) copies, run in the folder
    holding .medtwin (with MEDTWIN_HOME set: its data/ folder), and a sample of the checkout:
      medtwin patient add P1 --de .medtwin/data/omics_ra_pbmc_gse15573/deg_table.tsv --symptoms HP:0001369,HP:0002829
      medtwin patient add SC1 --h5ad .medtwin/data/omics_pbmc68k_scanpy/10x_pbmc68k_reduced.h5ad --cell-type-key bulk_labels
      medtwin patient add X-9001 --mutations tests/data/patient/mutations_X-9001.tsv
      medtwin patient add MT1 --h5ad .medtwin/data/omics_pbmc68k_scanpy/10x_pbmc68k_reduced.h5ad --tissue blood --cell-type-key bulk_labels
    (a second tissue: another --h5ad FILE --tissue NAME in the same command, or a later add)
    """  # noqa: E501 - the examples are whole command lines to paste
    from medtwin.loaders.gene_names import listed_names, unmapped_hint
    from medtwin.platform import patients
    from medtwin.platform.gene_data import needs_gene_data
    from medtwin.platform.inputs import InputOptions
    from medtwin.platform.patient_files import READ_STEP, refuse_files_past_limits

    # a file past a limit is refused before the store is opened (the driver, the gene index)
    listed = Path(symptoms) if symptoms and Path(symptoms).is_file() else None
    named = {"de": de, "proteins": proteins, "variants": variants, "vcf": vcf, "fhir": fhir}
    refuse_files_past_limits(named | {"mutations": mutations, "symptoms": listed, "h5ad": h5ad})
    options = InputOptions(
        padj_max=padj_max,
        vcf_sample=vcf_sample,
        cell_type_key=cell_type_key,
        condition_key=condition_key,
        case=case,
        control=control,
        tissue_key=tissue_key,
    )
    storing = "storing the inputs"
    # an h5ad file took 15-50 s, silent: one bar naming the file read or the step under way
    # (on a terminal); closed before the lines below, so that they are not drawn over
    with open_store() as store, StepProgress(quiet=as_json) as progress:
        bar = progress.steps(f"patient add {patient_id}", (READ_STEP, storing))
        # the reading path of notebooks too (a --symptoms naming a file is read as that file)
        profiles = patients.read_patient_files(
            store, patient_id, de=de, proteins=proteins, variants=variants, vcf=vcf,
            mutations=mutations, h5ad=h5ad, fhir=fhir, symptoms=symptoms, tissues=tissues,
            options=options, progress=bar,
        )  # fmt: skip
        for kind, profile in profiles:
            if profile.unmapped:
                hint = unmapped_hint(profile.unmapped)
                click.echo(
                    f"{kind}: {profile.unmapped_total} genes not resolved: "
                    f"{listed_names(profile.unmapped[:10])}"
                    f"{' …' if profile.unmapped_total > 10 else ''}"
                    f"{f' ({hint})' if hint else ''}",
                    err=True,
                )
        summary = patients.add_patient_inputs(
            store, patient_id, profiles, replace=replace, metadata={"note": note} if note else {}
        )
        bar(storing, 2, 2)
    if as_json:
        echo_json(summary.model_dump(mode="json"))
    else:
        # a gene input that keeps no gene is refused, so 0 genes means symptoms only so far
        step = (
            f"build the twin with `medtwin twin build {summary.id}`"
            if summary.genes
            else f"no twin can be built yet: {needs_gene_data(summary.id)}"
        )
        unresolved = f", unresolved genes {summary.unmapped}" if summary.unmapped else ""
        click.echo(
            f"patient {summary.id}: {_did(summary)}; inputs {summary.inputs}, gene changes "
            f"{summary.genes}, symptoms {len(summary.symptoms)}{unresolved}; {step}"
        )
        _say_replaced(summary.replaced)


def _did(stored: PatientStored) -> str:
    """'1 input added, 1 unchanged' (a rerun: '0 inputs added, 2 unchanged')."""
    n = stored.inputs_added
    words = f"{n} input{'s' * (n != 1)} added, {stored.inputs_unchanged} unchanged"
    return words + (f", {len(stored.replaced)} replaced" if stored.replaced else "")


def _say_replaced(replaced: tuple[InputSummary, ...], who: str = "") -> None:
    """'replaced 1 earlier input: b68516793aade677 (de a.tsv: 2 genes, added …)'."""
    if not replaced:
        return
    from medtwin.platform.safe_text import printable

    n = len(replaced)
    listed = "; ".join(f"{r.short_id} ({_described(r)})" for r in replaced)
    click.echo(printable(f"{who}replaced {n} earlier input{'s' * (n != 1)}: {listed}"))


# --sample-sheet was --samples, which elsewhere (rank, screen, twin diseases) counts null samples
@patient.command("add-cohort", renamed={"--samples": "--sample-sheet"})
@click.option("--expression", type=_FILE, required=True, help="Genes × samples matrix (log scale).")
@click.option(
    "--sample-sheet", type=_FILE, required=True, help="Sample sheet (columns sample, group)."
)
@click.option("--group-column", default="group", show_default=True)
@click.option(
    "--control-label",
    default="healthy",
    show_default=True,
    help="Group of the reference samples; 'none' = leave-one-out over all samples.",
)
@click.option(
    "--z-min",
    default=0.0,
    show_default=True,
    help="Keep genes with |Crawford–Howell t| ≥ this.",
)
@click.option(
    "--p-max",
    default=0.05,
    show_default=True,
    help="Keep genes with nominal p ≤ this (seeds are then chosen by BH-adjusted p).",
)
@click.option(
    "--log-transform",
    type=click.Choice(["auto", "yes", "no"]),
    default="auto",
    show_default=True,
    help="Read values as log2(x+1); auto = when all ≥ 0 and some > 50 (counts, FPKM, TPM).",
)
@click.option("--symptoms", help="Comma-separated HPO ids given to every patient of the cohort.")
@click.option(
    "--cohort",
    metavar="NAME",
    help="The cohort's name (what `cohort run|summary|stratify --cohort` take); default: the "
    "name of the matrix's folder.",
)
@click.option(
    "--wait",
    "wait",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    metavar="SECONDS",
    help="When another process is adding this cohort, wait up to this long for it to finish "
    "(a status line every 10 s), then add; 0 = stop at once.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace what a matrix and sheet of these names, or any matrix of this cohort (the "
    "slot), gave the samples before (other thresholds, an edited or renamed matrix), each in "
    "the write that stores its new input, and list it per patient; default: keep both.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Machine-readable output (one row per patient)."
)
def add_cohort(
    expression: Path,
    sample_sheet: Path,
    group_column: str,
    control_label: str,
    z_min: float,
    p_max: float,
    log_transform: str,
    symptoms: str | None,
    cohort: str | None,
    wait: float,
    replace: bool,
    as_json: bool,
) -> None:
    """Add one patient per case sample of a cohort.

    Crawford–Howell t against the controls, BH per patient; 'none' as control label compares
    each sample with all others.

    \b
    Example:
      medtwin patient add-cohort --expression expr.tsv --sample-sheet samples.tsv --p-max 0.01
    """
    from medtwin.platform.cohort_files import add_cohort_files
    from medtwin.platform.patient_files import refuse_files_past_limits

    refuse_files_past_limits({"cohort": [expression, sample_sheet]})  # before the store opens
    control = None if control_label.lower() == "none" else control_label
    with open_store() as store:
        # What an incomplete cohort's refusal tells the user to run again (absolute paths).
        rerun = shlex.join(
            [
                "medtwin", "patient", "add-cohort", "--expression", str(expression.resolve()),
                "--sample-sheet", str(sample_sheet.resolve()), "--group-column", group_column,
                "--control-label", control_label, "--z-min", str(z_min), "--p-max", str(p_max),
                "--log-transform", log_transform, *(["--symptoms", symptoms] if symptoms else []),
                *(["--cohort", cohort] if cohort else []), *(["--replace"] if replace else []),
            ]
        )  # fmt: skip
        with StepProgress(units={"patients": "patients"}, quiet=as_json) as progress:
            got = add_cohort_files(
                store,
                expression,
                sample_sheet,
                group_column=group_column,
                control_label=control,
                z_min=z_min,
                p_max=p_max,
                log_transform=log_transform,
                symptoms=symptoms or None,
                cohort=cohort,
                progress=lambda i, n: progress("patients", i, n),
                command=rerun,
                thresholds=f"--p-max {p_max} --z-min {z_min}",
                wait=wait,
                waiting=progress.status,
                replace=replace,
            )
        audit_patients([p.id for p in got.added])
    if as_json:
        echo_json(got.model_dump(mode="json"))
        return
    # a rerun stores nothing and says so (before: "18 patients added" whatever was stored)
    counts = f"{got.n_added} added, {got.n_unchanged} unchanged"
    counts += f", {got.n_replaced} replaced" if replace or got.n_replaced else ""
    click.echo(f"{len(got.added)} patients: {counts}")
    for p in got.added:
        _say_replaced(p.replaced, f"patient {p.id}: ")
    empty = got.no_gene_kept
    if empty:
        shown = ", ".join(empty[:5]) + (f" and {len(empty) - 5} more" if len(empty) > 5 else "")
        fate = "added with their symptoms only" if symptoms else "not added"
        click.echo(
            f"{len(empty)} sample(s) kept no changed gene at --p-max {p_max} --z-min {z_min} "
            f"({shown}): {fate}, no twin can be built for them; loosen the thresholds to "
            "include them",
            err=True,
        )


@patient.command("list")
@click.option(
    "--limit", type=click.IntRange(min=1), help="List at most this many (by id; default: all)."
)
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0), help="Skip.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_(limit: int | None, offset: int, as_json: bool) -> None:
    """List patients with their inputs and twin versions, by id.

    \b
    Example: medtwin patient list --limit 50 --offset 50
    """
    from medtwin.platform import patient_reads as patients  # the reads: not the readers of inputs

    with open_store(lean=True) as store:
        rows = patients.list_patients(store, offset=offset, limit=limit)
        total = patients.count_patients(store) if limit is not None or offset else len(rows)
    if as_json:
        echo_json([r.model_dump(mode="json") for r in rows])
        return
    for r in rows:
        versions = ",".join(map(str, r.twin_versions)) or "-"
        click.echo(
            f"{r.id:<24} inputs {r.inputs:>2}  genes {r.genes:>5}  symptoms "
            f"{len(r.symptoms):>2}  twins v{versions}"
        )
    if len(rows) == total:
        click.echo(f"{total} patients")
    else:
        click.echo(f"{len(rows)} of {total} patients (from number {offset + 1} by id)")
    stale = [r.id for r in rows if r.endotype_note]
    if stale:
        click.echo(
            f"NOTE the endotypes of {len(stale)} patient(s) ({_few(stale)}) predate the deletion "
            "of patients of their stratification; `medtwin patient show ID` names the command "
            "that refreshes them"
        )


def _few(ids: list[str]) -> str:
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


@patient.command("show")
@click.argument("patient_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show_patient(patient_id: str, as_json: bool) -> None:
    """One patient: inputs, genes, symptoms, metadata and twin versions.

    \b
    Example: medtwin patient show GSM389703 --json
    """
    from medtwin.platform import patient_reads as patients  # as `patient list`
    from medtwin.platform.safe_text import printable

    with open_store(lean=True) as store:
        p = patients.get_patient(store, patient_id, with_inputs=True)
    if as_json:
        echo_json(p.model_dump(mode="json"))
        return
    added = f", added {p.created_at:%Y-%m-%d %H:%M} UTC" if p.created_at else ""
    click.echo(printable(f"Patient {p.id}{added}"))
    symptoms = ", ".join(p.symptoms) or "none"
    click.echo(f"  inputs {p.inputs}, genes {p.genes}, symptoms {len(p.symptoms)}: {symptoms}")
    for i in p.input_list or ():
        # the id first: what `patient remove-input` takes (a unique prefix of it too)
        click.echo(printable(f"    input {i.short_id}  {_described(i)}"))
        click.echo(printable(f"      {_slot_line(i)}"))
    if p.unmapped:
        click.echo(printable(f"  unresolved genes {p.unmapped} (in no twin): {_names(p)}"))
    if p.twin_versions:
        versions = ", ".join(f"v{v}" for v in p.twin_versions)
        click.echo(f"  twins {versions} (the latest: `medtwin twin show {p.id}`)")
    else:
        click.echo(f"  no twin yet (`medtwin twin build {p.id}`)")
    if p.endotype_note is not None:
        click.echo(f"  NOTE {p.endotype_note}")
    if p.endotype_method is not None:
        click.echo(
            f"  endotype {p.endotype} of stratification {p.endotype_method} "
            f"(`medtwin patient similar {p.id}`)"
        )
    for key, value in sorted(p.metadata.items()):
        click.echo(printable(f"  {key}: {value}"))


def _described(i: InputSummary) -> str:
    """'de p1_de.tsv: 120 genes, time points w0, w12, added 2026-12-06 21:00 UTC'."""
    from medtwin.platform.safe_text import shortened

    what = [_counted(i.genes, "gene"), _counted(i.symptoms, "symptom")]
    what += [f"time points {', '.join(i.time_points)}"] if i.time_points else []
    what += [f"added {i.added_at:%Y-%m-%d %H:%M} UTC"] if i.added_at else []
    kind = i.kind or "?"
    name = f" {shortened(i.name, 80)}" if i.name and i.name != kind else ""  # symptoms: its kind
    return f"{kind}{name}: {', '.join(w for w in what if w)}"


def _slot_line(i: InputSummary) -> str:
    """'slot de tissue=blood time=w12; file p1_de.tsv sha256 1a2b3c4d5e6f' (--replace's key)."""
    from medtwin.platform.safe_text import shortened

    slot = f"slot {i.slot}" if i.slot else "no slot recorded"  # the demo's, a profile, an old one
    files = ", ".join(f"{shortened(n, 80)} sha256 {s[:12]}" for n, s in sorted(i.files.items()))
    return f"{slot}; {'file' + 's' * (len(i.files) != 1)} {files}" if files else slot


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}" if n else ""


def _names(summary: object) -> str:
    """The first unresolved gene names of a patient summary, '…' when there are more."""
    names: tuple[str, ...] = getattr(summary, "unmapped_genes", ())
    more = " …" if getattr(summary, "unmapped", 0) > len(names) else ""
    return ", ".join(names) + more


@patient.command("audit")
@click.argument("patient_id")
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Events per page, the newest first.",
)
@click.option(
    "--offset",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Skip the newest this many (the next page: --offset 20 after --limit 20).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def audit(patient_id: str, limit: int, offset: int, as_json: bool) -> None:
    """Who read, changed or deleted the patient's data, newest first (kept after deletion).

    \b
    Example: medtwin patient audit P1 --limit 50
    """
    from dataclasses import asdict

    from medtwin.platform import patient_reads as patients  # as `patient list`
    from medtwin.platform.safe_text import printable

    with open_store(lean=True) as store:
        events = patients.audit_trail(store, patient_id, limit=limit, offset=offset)
    if as_json:
        echo_json([asdict(e) for e in events])
        return
    for e in events:
        click.echo(printable(f"{e.at}  {e.action:<6} {e.status:>3}  {e.actor:<20} {e.route}"))
    click.echo(f"{len(events)} events, newest first (this look is recorded too, after it)")


@patient.command("remove-input")
@click.argument("patient_id")
@click.argument("input_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def remove_input(patient_id: str, input_id: str, as_json: bool) -> None:
    """Remove one input of a patient (its id as `patient show` lists it, or a unique prefix).

    Everything the input gave goes with it, in one write (the metadata keys only it gave too);
    the patient keeps its other inputs, its --note and its twins, which then predate its inputs
    until the twin is built again.
    A prefix of several inputs' ids is refused with the candidates listed.

    \b
    Example: medtwin patient remove-input P1 956b2486
    """
    from medtwin.platform import patients

    with open_store(lean=True) as store:
        got = patients.remove_input(store, patient_id, input_id)
    if as_json:
        echo_json(got.model_dump(mode="json"))
        return
    from medtwin.platform.safe_text import printable

    click.echo(
        printable(
            f"patient {got.patient_id}: removed input {got.removed.short_id} "
            f"({_described(got.removed)}); inputs left {got.inputs_left}"
        )
    )
    if got.stale_note:
        click.echo(f"NOTE {got.stale_note}")
