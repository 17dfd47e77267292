"""Annotated VCF → a patient's variant layer.

medtwin does not annotate variants itself: it reads the gene annotation that SnpEff (``ANN``,
Cingolani et al. 2012, doi:10.4161/fly.19695) or Ensembl VEP (``CSQ``, McLaren et al. 2016,
doi:10.1186/s13059-016-0974-4) wrote into the INFO column, and keeps, per record, the genes hit
with an impact in ``impacts`` (default HIGH and MODERATE: protein-altering). Records that did
not pass the filters (FILTER not ``PASS``/``.``) and, when a sample is named, records where that
sample carries no alternative allele (GT ``0/0``, ``./.``) are skipped and counted. Each kept
(gene, variant) becomes a change on the ``variant`` layer with ``log2fc = 0`` (variants weigh 1
when a twin is seeded), the variant id (``ID`` or ``chrom:pos:ref:alt``) and the consequence.
An SnpEff gene field naming several genes with ``&`` (a deletion of ``CDKN2A&CDKN2B``, a
``gene_fusion`` of ``BCR&ABL1``) gives each gene the change (:func:`_gene_names`). A record
has one annotation per transcript: a gene hit by several keeps the consequence of the most
severe, as written (``stop_gained&splice_region_variant``), by the one rule of
:mod:`medtwin.loaders.consequences` (before stop 48 it kept the first, which VEP does not sort:
a ``missense_variant`` of one transcript hid the ``stop_gained`` of another).

**Which allele.** Each ANN/CSQ annotation describes one ALT allele, named in its ``Allele``
field (VEP's ``ALLELE_NUM``, when present, numbers it). An annotation is kept only when the
sample's genotype holds that allele: a multi-allelic record ``A>T,G`` with GT ``0/2`` keeps the
``G`` allele's annotations, not the ``T`` allele's missense. ``Allele`` is matched to ALT as
written (SnpEff) or with the first base that REF and every ALT share removed, ``-`` when
nothing is left (VEP's form for indels). With one ALT every annotation is that allele's; on a
multi-allelic record an annotation whose allele matches no ALT (or without an ``Allele``
field) is skipped (counted). Without a genotype (a sites-only VCF) every allele counts as
carried. A multi-allelic record without an ``ID`` gets the id ``chrom:pos:ref:<that allele>``.

**Impact.** An annotation is kept when its impact is in ``impacts``. The impact is the file's
(SnpEff's ``Annotation_Impact``, VEP's ``IMPACT``) when the annotation gives one of HIGH,
MODERATE, LOW, MODIFIER: the annotator rates its consequence in context (SnpEff rates the
``exon_loss_variant`` of a UTR exon MODERATE, not HIGH), and a VCF says which release rated it
(VEP before 110 rated ``feature_truncation`` MODIFIER). When the annotation has no impact (an
empty field, an unknown word, or a ``CSQ`` format without ``IMPACT``, as VEP's ``--fields``
can write), the impact of its most severe consequence term in Ensembl's table is used
(:data:`medtwin.loaders.consequences.CONSEQUENCES`); a term not in the table then has none and
is not kept. Before, such annotations were all dropped, and a format without ``IMPACT`` was
refused. Annotations whose file impact differs from the table's are counted in the INFO line.

Limits: the file streams through :func:`~medtwin.loaders.limits.bounded_lines` (decompressed
bytes and line length checked as it is read) and at most ``MEDTWIN_MAX_INPUT_ROWS`` records are
read (413 past that). A file whose header names sample columns must give every record its
FORMAT and sample columns (a record without them is refused, since its genotype cannot be
checked); a sites-only VCF (no FORMAT/sample columns in the header) is read without a genotype
check, every record counting as carried. A sample named by several columns of the ``#CHROM`` line
is refused (which column is the patient's cannot be told): rename them
(``bcftools reheader --samples``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from medtwin.errors import SourceFormatError
from medtwin.loaders.consequences import IMPACTS, consequence_rank, term_impact
from medtwin.loaders.gene_names import warn_mouse_case
from medtwin.loaders.limits import FileDigest, bounded_lines, current_limits, shown, shown_list
from medtwin.loaders.patient_rows import (
    GeneChange,
    GeneResolver,
    PatientProfile,
    UnmappedNames,
    resolve_gene,
    validate_patient_id,
)

__all__ = ["VCF_ROWS", "read_vcf"]

log = logging.getLogger(__name__)

VCF_ROWS = "VCF records"
"""What a VCF's row limit counts, as its refusals name them (``more than N VCF records``)."""

# SnpEff: Description="Functional annotations: 'Allele | Annotation | ...' ";
# VEP: Description="Consequence annotations from Ensembl VEP. Format: Allele|Consequence|...".
_FORMAT = re.compile(r'##INFO=<ID=(ANN|CSQ),.*Description="[^"]*:\s*([^"]+)"', re.IGNORECASE)
# Field names of the gene symbol, consequence and impact in SnpEff ANN and VEP CSQ.
_GENE_KEYS = ("Gene_Name", "SYMBOL")
_CONSEQUENCE_KEYS = ("Annotation", "Consequence")
_IMPACT_KEYS = ("Annotation_Impact", "IMPACT")


def _layout(path: Path, line: int, text: str) -> tuple[str, dict[str, int]] | None:
    m = _FORMAT.match(text)
    if m is None:
        return None
    names = [f.strip() for f in m.group(2).strip().strip("' ").split("|")]
    index = {n: i for i, n in enumerate(names)}
    # no impact field is needed: the consequence's impact stands in (module docstring, "Impact")
    for keys in (_GENE_KEYS, _CONSEQUENCE_KEYS):
        if not any(k in index for k in keys):
            raise SourceFormatError(
                path, line, f"the {m.group(1)} format lacks one of {', '.join(keys)}: {names}"
            )
    return m.group(1).upper(), index


def _pick(fields: list[str], index: dict[str, int], keys: tuple[str, ...]) -> str:
    for k in keys:
        i = index.get(k)
        if i is not None and i < len(fields):
            return fields[i]
    return ""


def _allele_numbers(ref: str, alts: list[str]) -> dict[str, int]:
    """Each ALT's 1-based number under its VCF spelling and its VEP spelling.

    >>> _allele_numbers("A", ["T", "G"])
    {'T': 1, 'G': 2}
    >>> _allele_numbers("T", ["TA", "TAA"])  # VEP writes inserted bases without the anchor
    {'TA': 1, 'A': 1, 'TAA': 2, 'AA': 2}
    >>> _allele_numbers("CT", ["C"])  # ... and a deletion as "-"
    {'C': 1, '-': 1}
    """
    numbers: dict[str, int] = {}
    shared = len({a[:1] for a in [ref, *alts]}) == 1 and all(len(a) > 0 for a in [ref, *alts])
    for n, alt in enumerate(alts, 1):
        numbers.setdefault(alt, n)
        if shared:
            numbers.setdefault(alt[1:] or "-", n)
    return numbers


def _carried(gt: str | None, n_alts: int) -> set[int]:
    """ALT numbers a genotype holds (every one without a genotype: a sites-only VCF).

    >>> sorted(_carried("0/2", 2)), sorted(_carried("1|1", 1)), sorted(_carried(None, 3))
    ([2], [1], [1, 2, 3])
    """
    if gt is None:
        return set(range(1, n_alts + 1))
    return {int(a) for a in re.split(r"[/|]", gt) if a.isdigit() and a != "0"}


def _gene_names(field: str) -> list[str]:
    """The genes of an annotation's gene field: SnpEff joins several with ``&``.

    A structural variant over several genes (``exon_loss_variant`` of ``CDKN2A&CDKN2B``) or a
    fusion (``gene_fusion`` of ``BCR&ABL1``) names each gene; the change applies to each. A
    ``-`` is not split: it is part of symbols (``HLA-A``, ``NKX2-1``), and SnpEff writes it
    between the flanking genes of an ``intergenic_region``, a MODIFIER annotation.

    >>> _gene_names("CDKN2A&CDKN2B"), _gene_names("HLA-A"), _gene_names("TP53")
    (['CDKN2A', 'CDKN2B'], ['HLA-A'], ['TP53'])
    """
    return [name.strip() for name in field.split("&") if name.strip()]


def _allele_number(
    parts: list[str], index: dict[str, int], numbers: dict[str, int], n_alts: int
) -> int | None:
    """The ALT number an annotation describes (``None``: it names no ALT of the record)."""
    given = _pick(parts, index, ("ALLELE_NUM",))
    if given.isdigit() and 1 <= int(given) <= n_alts:
        return int(given)
    if n_alts == 1 or "Allele" not in index:
        return 1 if n_alts == 1 else None
    return numbers.get(_pick(parts, index, ("Allele",)))


def _impact(given: str, consequence: str | None, counts: dict[str, int]) -> str:
    """The annotation's impact: the file's when it gives one, else its consequence's (docstring).

    >>> counts = {"table": 0, "differs": 0}
    >>> _impact("HIGH", "missense_variant", counts), _impact("", "stop_gained", counts)
    ('HIGH', 'HIGH')
    >>> _impact("", "made_up_term", counts), counts
    ('', {'table': 2, 'differs': 1})
    """
    listed = term_impact(consequence)
    if given in IMPACTS:
        counts["differs"] += listed is not None and listed != given
        return given
    counts["table"] += 1
    return listed or ""


def _records(path: Path, digest: FileDigest) -> Iterator[tuple[int, str, list[str]]]:
    """Yield (line, kind, fields) with kind 'meta', 'header' or 'record'."""
    for number, text in bounded_lines(path, digest, rows=VCF_ROWS):
        if not text:
            continue
        if text.startswith("##"):
            yield number, "meta", [text]
        elif text.startswith("#"):
            yield number, "header", text[1:].split("\t")
        else:
            yield number, "record", text.split("\t")


def _names(samples: list[str], first: int = 10) -> str:
    """The VCF's sample names for an error message (the first ``first``, each cut by ``shown``).

    >>> _names(["P001"]), _names([]), _names([f"S{i}" for i in range(12)], first=2)
    ("'P001'", 'none (no sample columns)', "'S0', 'S1' and 10 more")
    """
    if not samples:
        return "none (no sample columns)"
    return shown_list(samples, first)


def _refuse_repeated_sample(path: Path, line: int, columns: list[str], sample: str) -> None:
    """Refuse a ``sample`` that names several columns: which is the patient's cannot be told."""
    numbers = [i + 1 for i, name in enumerate(columns) if i >= 9 and name == sample]
    if len(numbers) > 1:
        raise SourceFormatError(
            path,
            line,
            f"sample {shown(sample)} names {len(numbers)} columns of the #CHROM line (columns "
            f"{', '.join(map(str, numbers))}), so which one is this patient's cannot be told; "
            "give the samples unique names (e.g. bcftools reheader --samples names.txt) and "
            "name this patient's column with --vcf-sample",
        )


def read_vcf(
    path: Path,
    patient_id: str,
    genes: GeneResolver,
    *,
    sample: str | None = None,
    impacts: tuple[str, ...] = ("HIGH", "MODERATE"),
    metadata: Mapping[str, str] | None = None,
) -> PatientProfile:
    """Read an SnpEff- or VEP-annotated VCF (plain or gzip) into a variant-layer profile.

    Parameters
    ----------
    path
        The VCF.
    patient_id
        Id of the resulting profile.
    genes
        Resolves gene symbols to Entrez ids.
    sample
        Sample column whose genotype must carry an alternative allele (default: the only
        sample, or no genotype check when the file has no sample column; a file of several
        samples needs one named).
    impacts
        Annotation impacts kept (SnpEff/VEP: HIGH, MODERATE, LOW, MODIFIER; module docstring,
        "Impact").
    metadata
        Stored with the profile.

    Returns
    -------
    PatientProfile

    Raises
    ------
    SourceFormatError
        No ``##INFO=<ID=ANN|CSQ`` header (annotate first), no ``#CHROM`` line, a record with
        fewer than 8 columns, a non-numeric POS, a record without the FORMAT/sample columns its
        header names, an unknown ``sample`` or one that names several columns, or several
        samples and none named.
    InputTooLarge
        More records than ``MEDTWIN_MAX_INPUT_ROWS``, or a size limit of
        :mod:`medtwin.loaders.limits`.
    """
    pid = validate_patient_id(patient_id)
    layout: tuple[str, dict[str, int]] | None = None
    columns: list[str] | None = None
    sample_i: int | None = None
    kept: dict[tuple[str, str], GeneChange] = {}
    unmapped = UnmappedNames()  # the first names and the count: a VCF may name any number
    skipped = {"filter": 0, "genotype": 0, "impact": 0, "allele": 0}
    impact_from = {"table": 0, "differs": 0}  # annotations rated by the table / unlike it
    wanted = {i.upper() for i in impacts}
    limits = current_limits()
    records = 0
    digest = FileDigest()
    line = 0
    for line, kind, fields in _records(path, digest):
        if kind == "meta":
            layout = layout or _layout(path, line, fields[0])
            continue
        if kind == "header":
            columns = fields
            if layout is None:
                raise SourceFormatError(
                    path,
                    line,
                    "no ##INFO=<ID=ANN> or <ID=CSQ> header: annotate the VCF with "
                    "SnpEff or Ensembl VEP first",
                )
            samples = columns[9:]
            if sample is not None:
                if sample not in samples:
                    raise SourceFormatError(
                        path,
                        line,
                        f"sample {shown(sample)} not in the VCF; its samples: {_names(samples)}",
                    )
                _refuse_repeated_sample(path, line, columns, sample)
                sample_i = columns.index(sample)
            elif len(samples) == 1:
                sample_i = 9
            elif samples:
                # every record's variants would be the patient's, whoever carries them
                raise SourceFormatError(
                    path,
                    line,
                    f"{len(samples)} samples and none chosen: name this patient's column with "
                    f"--vcf-sample (API: vcf_sample); its samples: {_names(samples)}",
                )
            continue
        if columns is None or layout is None:
            raise SourceFormatError(
                path,
                line,
                "a record before the #CHROM header line: give the VCF whole, its ## meta and "
                "#CHROM header lines first",
            )
        if len(fields) < 8:
            raise SourceFormatError(
                path,
                line,
                f"expected ≥ 8 tab-separated columns (CHROM to INFO), got {len(fields)}; a VCF "
                "is tab-separated (spaces or commas are not read): write it with tabs",
            )
        records += 1
        if records > limits.max_rows:
            raise limits.too_many_rows(path, VCF_ROWS)
        if len(columns) > 9 and len(fields) < len(columns):
            raise SourceFormatError(
                path,
                line,
                f"the record has {len(fields)} columns but the header names "
                f"{len(columns) - 9} sample(s) ({len(columns)} columns): its FORMAT and sample "
                "columns are missing, so its genotype cannot be checked; fix or drop the record",
            )
        chrom, pos, vid, ref, alt, _, flt, info = fields[:8]
        if not pos.isdigit():
            raise SourceFormatError(path, line, f"POS must be a positive integer, got {shown(pos)}")
        if flt not in {"PASS", "."}:
            skipped["filter"] += 1
            continue
        gt: str | None = None
        if sample_i is not None and len(fields) > sample_i:
            gt = fields[sample_i].split(":", 1)[0]
            if not any(a not in {"0", "."} for a in re.split(r"[/|]", gt)):
                skipped["genotype"] += 1
                continue
        key, index = layout
        entries = next(
            (kv[len(key) + 1 :] for kv in info.split(";") if kv.upper().startswith(key + "=")), ""
        )
        alts = alt.split(",")
        numbers = _allele_numbers(ref, alts)
        carried = _carried(gt, len(alts))
        for entry in entries.split(","):
            parts = entry.split("|")
            gene = _pick(parts, index, _GENE_KEYS)
            given = _pick(parts, index, _IMPACT_KEYS).strip().upper()
            consequence = _pick(parts, index, _CONSEQUENCE_KEYS) or None
            if not gene:
                continue
            number = _allele_number(parts, index, numbers, len(alts))
            if number is None or number not in carried:
                skipped["allele"] += 1
                continue
            variant = vid if vid not in {"", "."} else f"{chrom}:{pos}:{ref}:{alts[number - 1]}"
            impact = _impact(given, consequence, impact_from)
            if impact not in wanted:
                skipped["impact"] += 1
                continue
            for name in _gene_names(gene):
                entrez, symbol = resolve_gene(genes, name)
                if entrez is None:
                    unmapped.add(name)
                    continue
                held = kept.get((entrez, variant))
                # one annotation per transcript: the gene keeps its most severe (VEP lists
                # them in transcript order, not by severity)
                if held is None or consequence_rank(consequence) < consequence_rank(
                    held.consequence
                ):
                    kept[(entrez, variant)] = GeneChange.variant(
                        entrez, symbol, variant, consequence
                    )
    if columns is None and line == 0:
        raise SourceFormatError(
            path, None, "the file is empty (no #CHROM header line); give the annotated VCF"
        )
    if columns is None:
        raise SourceFormatError(path, None, "no #CHROM header line: is this a VCF?")
    log.info(
        "%s: %d gene variant(s) kept; skipped %d filtered record(s), %d without the sample's "
        "alternative allele, %d annotation(s) of an allele the sample does not carry, %d of "
        "other impact; %d annotation(s) without an impact rated by Ensembl's consequence table, "
        "%d rated otherwise by the file than by the table (the file's impact used)",
        path.name,
        len(kept),
        skipped["filter"],
        skipped["genotype"],
        skipped["allele"],
        skipped["impact"],
        impact_from["table"],
        impact_from["differs"],
    )
    unmapped_names, unmapped_count = unmapped.finish(path.name)
    warn_mouse_case(path.name, (c.symbol for c in kept.values()))
    return PatientProfile(
        patient_id=pid,
        changes=tuple(kept.values()),
        metadata=dict(metadata or {}),
        input_checksums={path.name: digest.hexdigest()},  # of the bytes read
        unmapped=unmapped_names,
        unmapped_count=unmapped_count,
    )
