"""One patient's mutation and copy-number calls (``medtwin patient add P --mutations FILE``).

The file is a TSV/CSV (gz allowed) with a ``gene`` column (HGNC symbol or Entrez id) and a
``category`` column, one row per (gene, category); other columns are ignored. Categories are those
of Gao et al. 2015 (PDX Encyclopedia, Nat Med 21:1318, doi:10.1038/nm.3954, sheet
``pdxe_mut_and_cn2``); each becomes a change on the patient's ``variant`` layer with the evidence
weight below (on the |z| scale of :func:`medtwin.platform.gene_evidence.change_evidence`, so a
known-functional mutation weighs as a coding variant from ``--vcf``/``--variants``, 3.0):

=======================  ========  =====================================================
category                 evidence  meaning
=======================  ========  =====================================================
``MutKnownFunctional``   3.0       coding mutation of known function
``MutLikelyFunctional``  2.0       coding mutation, likely functional
``MutNovel``             1.0       coding mutation of unknown function (mostly passengers)
``Amp8``                 3.0       copy number >= 8 (high-level amplification)
``Amp5``                 2.0       copy number >= 5
``Del0.8``               3.0       deep (homozygous) deletion
=======================  ========  =====================================================

The weights are fixed in advance (not tuned on any outcome): the strongest call of each kind
weighs as a coding variant, the next one less, mutations of unknown function least.
Per gene the strongest category wins (one ``variant`` change per gene and category is kept; the
twin builder takes the strongest per gene). Category names are matched case-insensitively.

**MAF files** (``Hugo_Symbol``, ``Variant_Classification``, ``Tumor_Sample_Barcode``; GDC/TCGA,
cBioPortal, vcf2maf) are read too. A MAF row is a VEP annotation in other words (vcf2maf maps
VEP's consequences to ``Variant_Classification``), so it is read as ``--vcf`` reads the same
variant, not as a Gao category, whose "known" / "likely functional" needs knowledge a MAF does
not carry: the protein-altering classes become that SO consequence (:data:`MAF_CONSEQUENCES`;
evidence 3.0, truncating ones a loss, as a HIGH/MODERATE ``--vcf`` variant; docs/patients.md's
MAF table gives each class its sign), and the others
(``Silent``, UTR, intron, flank, ``IGR``, ``RNA``, ``Splice_Region``, ...) are left out like
``--vcf``'s LOW/MODIFIER annotations, counted in one line. ``Splice_Site`` does not say donor or
acceptor: it becomes ``splice_site_variant``, a coding change of unknown effect. The variant id
is ``<gene>:<HGVSp_Short>``, else ``chrom:pos:ref:alt`` (``Chromosome``, ``Start_Position``,
``Reference_Allele``, ``Tumor_Seq_Allele2``), else ``<gene>:<consequence>``.

**Whose rows.** A sample column (``model``, ``patient``, ``patient_id``, ``sample``, a MAF's
``Tumor_Sample_Barcode``), when
present, must name the patient: its rows are the patient's, and the rows of other samples are
left out (counted in one WARNING), so a cohort table such as PDXE's ``mutations_cn.tsv.gz`` can
be given whole, as ``--vcf-sample`` picks a VCF's column. A file none of whose rows name the
patient is refused, naming its samples: it is another patient's file (before, a file of
``X-9999`` was added to any patient it was given to). An empty sample cell stops the read at
its line. A file without a sample column is the patient's.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import MappingProxyType

from medtwin.errors import SourceFormatError
from medtwin.loaders.gene_names import warn_mouse_case
from medtwin.loaders.limits import shown
from medtwin.loaders.mutation_categories import (
    CATEGORY_EVIDENCE,
    CATEGORY_SPELLING,
    mutation_evidence,
)
from medtwin.loaders.patient_io import TableHeader, stream_table
from medtwin.loaders.patient_rows import (
    GeneChange,
    GeneResolver,
    PatientProfile,
    UnmappedNames,
    resolve_gene,
    validate_patient_id,
)
from medtwin.loaders.patient_tables import GENE_ALIASES

__all__ = ["CATEGORY_EVIDENCE", "mutation_evidence", "read_mutations"]

MAF_CONSEQUENCES = MappingProxyType(
    {
        "frame_shift_del": "frameshift_variant",
        "frame_shift_ins": "frameshift_variant",
        "nonsense_mutation": "stop_gained",
        # extends the protein (SO:0001578): a change of unknown direction, not a loss
        # (medtwin.platform.gene_evidence.LOSS gives the sources)
        "nonstop_mutation": "stop_lost",
        "translation_start_site": "start_lost",
        "splice_site": "splice_site_variant",
        "missense_mutation": "missense_variant",
        "in_frame_del": "inframe_deletion",
        "in_frame_ins": "inframe_insertion",
    }
)
"""MAF ``Variant_Classification`` (lower case) -> the SO consequence read (module docstring)."""

MAF_LEFT_OUT = frozenset(
    {
        "silent",
        "3'utr",
        "5'utr",
        "3'flank",
        "5'flank",
        "igr",
        "intron",
        "rna",
        "lincrna",
        "splice_region",
        "targeted_region",
        "de_novo_start_inframe",
        "de_novo_start_outofframe",
        "unknown",
    }
)
"""MAF classes that do not alter the protein: left out, as ``--vcf`` leaves LOW/MODIFIER."""

log = logging.getLogger(__name__)

_PATIENT_ALIASES = (
    "model",
    "patient",
    "patient_id",
    "patient.id",
    "sample",
    "tumor_sample_barcode",
)


class _MafColumns:
    """Where a MAF keeps what makes a variant id (module docstring)."""

    def __init__(self, table: TableHeader) -> None:
        def find(name: str) -> int | None:
            return table.column(name, (name.lower(),), required=False)

        self.hgvsp = find("HGVSp_Short")
        self.site = [
            find(n)
            for n in ("Chromosome", "Start_Position", "Reference_Allele", "Tumor_Seq_Allele2")
        ]

    def variant_id(self, fields: tuple[str, ...], gene: str, consequence: str) -> str:
        if self.hgvsp is not None and fields[self.hgvsp].strip():
            return f"{gene}:{fields[self.hgvsp].strip()}"
        site = [fields[i].strip() if i is not None else "" for i in self.site]
        return ":".join(site) if all(site) else f"{gene}:{consequence}"


def _check_samples(
    path: Path, column: str, patient_id: str, others: dict[str, int], n_rows: int
) -> None:
    """Refuse a file with no row of the patient; log the other samples' rows left out."""
    named = ", ".join(f"{shown(who)} ({n} row(s))" for who, n in list(others.items())[:5])
    more = f" and {len(others) - 5} more" if len(others) > 5 else ""
    if sum(others.values()) == n_rows:
        raise SourceFormatError(
            path,
            None,
            f"its {column!r} column names {named}{more}, not patient {shown(patient_id)}: this "
            f"is another patient's file. Add it to that patient (patient add <id> --mutations "
            f"{path.name}); if these are {patient_id}'s calls under another name, set the "
            f"column to {patient_id!r} or drop it",
        )
    log.warning(
        "%s: took the rows of patient %s; left out %d row(s) of %d other sample(s) in column "
        "%r: %s%s",
        path.name,
        shown(patient_id),
        sum(others.values()),
        len(others),
        column,
        named,
        more,
    )


def read_mutations(path: Path, patient_id: str, genes: GeneResolver) -> PatientProfile:
    """Read one patient's mutation / copy-number calls as ``variant``-layer changes.

    Parameters
    ----------
    path
        TSV/CSV with ``gene`` and ``category`` columns, or a MAF (module docstring).
    patient_id
        The patient; with a sample column, only its rows are read (module docstring).
    genes
        Maps symbols / Entrez ids to Entrez ids.

    Returns
    -------
    PatientProfile
        One change per (gene, category): ``layer="variant"``, ``log2fc=0.0``,
        ``consequence`` = the category, ``variant_id`` = ``"<gene>:<category>"`` (a MAF: one
        per (gene, variant), ``consequence`` = the SO term of its class).

    Raises
    ------
    SourceFormatError
        A missing column, an empty gene or sample, an unknown category or MAF class (the
        message lists the valid ones), each naming the file and line; or a sample column that
        never names the patient.
    """
    patient_id = validate_patient_id(patient_id)
    table = stream_table(path)  # row by row: a table held whole cost ~25 times its bytes
    gene_i = table.column("gene", (*GENE_ALIASES, "hugo_symbol"))
    kind_i = table.column("category", ("category",), required=False)
    maf = None
    if kind_i is None:  # a MAF, or a clear error naming both formats
        kind_i = table.column("category", ("category", "variant_classification"))
        maf = _MafColumns(table)
    who_i = table.column("model", _PATIENT_ALIASES, required=False)
    assert gene_i is not None
    assert kind_i is not None
    left_out: dict[str, int] = {}
    others: dict[str, int] = {}
    changes: dict[tuple[str, str], GeneChange] = {}
    unmapped = UnmappedNames()  # the first names and the count: a table may name any number
    n_rows = 0
    for line, fields in table.rows:
        n_rows += 1
        gene, raw = fields[gene_i].strip(), fields[kind_i].strip()
        if who_i is not None:
            who = fields[who_i].strip()
            if not who:
                raise SourceFormatError(
                    path,
                    line,
                    f"empty {table.header[who_i]!r} for gene {gene!r}; give the sample of every "
                    "row, or drop the column if the whole file is this patient's",
                )
            if who != patient_id:
                others[who] = others.get(who, 0) + 1
                continue
        if not gene:
            raise SourceFormatError(path, line, "empty gene; give an HGNC symbol or Entrez id")
        if maf is not None:
            consequence = MAF_CONSEQUENCES.get(raw.lower())
            if consequence is None and raw.lower() in MAF_LEFT_OUT:
                left_out[raw] = left_out.get(raw, 0) + 1
                continue
            if consequence is None:
                raise SourceFormatError(
                    path,
                    line,
                    f"unknown Variant_Classification {shown(raw)} for gene {gene!r}; a MAF names "
                    f"one of {', '.join(sorted({*MAF_CONSEQUENCES, *MAF_LEFT_OUT}))} "
                    "(case-insensitive)",
                )
        else:
            consequence = CATEGORY_SPELLING.get(raw.lower())
            if consequence is None:
                raise SourceFormatError(
                    path,
                    line,
                    f"unknown category {raw!r} for gene {gene!r}; use one of "
                    f"{', '.join(CATEGORY_EVIDENCE)}",
                )
        entrez, symbol = resolve_gene(genes, gene)
        if entrez is None:
            unmapped.add(gene)
            continue
        name = symbol or gene
        variant = maf.variant_id(fields, name, consequence) if maf else f"{name}:{consequence}"
        changes.setdefault(
            (entrez, variant if maf else consequence),
            GeneChange.variant(entrez, symbol, variant, consequence),
        )
    if others and who_i is not None:
        _check_samples(path, table.header[who_i], patient_id, others, n_rows)
    if left_out:
        log.info(
            "%s: left out %d MAF row(s) that do not alter the protein: %s",
            path.name,
            sum(left_out.values()),
            ", ".join(f"{k} {n}" for k, n in sorted(left_out.items())),
        )
    if not changes and not unmapped:
        if left_out:
            raise SourceFormatError(
                path,
                None,
                "no protein-altering MAF row of the patient (only "
                + ", ".join(sorted(left_out))
                + "); nothing to add",
            )
        raise SourceFormatError(path, None, "no mutation rows after the header")
    names, count = unmapped.finish(path.name)
    warn_mouse_case(path.name, (c.symbol for c in changes.values()))
    return PatientProfile(
        patient_id=patient_id,
        changes=tuple(changes.values()),
        input_checksums={path.name: table.digest.hexdigest()},  # of the bytes read
        unmapped=names,
        unmapped_count=count,
    )
