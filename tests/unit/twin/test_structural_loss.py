"""A deleted exon, transcript or gene is a driver loss, from the VCF to the scores.

Until twin and ranking rules 2, ``exon_loss_variant`` (the ``<DEL>`` of ``CDKN2A&CDKN2B`` that
SnpEff writes), ``transcript_ablation`` and ``feature_ablation`` counted as a coding change of
unknown direction (+1/2): a homozygous CDKN2A deletion was a half-weight gain, its inhibitor
scored +1/2 by ``driver`` and the regulator walk started from it at half weight. Hand-made VCFs
(SnpEff ``ANN`` and VEP ``CSQ``); the values are computed by hand.
"""

from __future__ import annotations

from medtwin.loaders.patient_vcf import read_vcf
from medtwin.platform.gene_evidence import driver_calls, driver_evidence
from medtwin.platform.ranking.base import DrugTargets
from medtwin.platform.ranking.driver_rank import DriverRank
from medtwin.platform.regulator_centrality import rank_rows, upstream_seeds
from medtwin.platform.regulator_views import regulator_models
from medtwin.store.regulator_network import RegulatorCentrality
from tests.unit.patient.conftest import FakeGenes

IDS = {"CDKN2A": "1029", "CDKN2B": "1030", "RB1": "5925", "PTEN": "5728", "KRAS": "3845",
       "BRAF": "673"}  # fmt: skip
GENES = FakeGenes(IDS)
SYMBOLS = {v: k for k, v in IDS.items()}
ANN = (
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
    "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
    "Transcript_BioType | Rank | HGVS.c | HGVS.p' \">"
)
CSQ = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl '
    'VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene">'
)
COLUMNS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR"


def _ann(allele: str, consequence: str, impact: str, gene: str) -> str:
    return f"ANN={allele}|{consequence}|{impact}|{gene}|ENSG|transcript|ENST|protein_coding|1/2||"


def _vcf(path, header: str, records: list[str]):
    path.write_text("\n".join(["##fileformat=VCFv4.2", header, COLUMNS, *records]) + "\n")
    return path


def _snpeff(tmp_path):
    return _vcf(
        tmp_path / "sv_snpeff.vcf",
        ANN,
        [
            "chr9\t21967752\tsv1\tN\t<DEL>\t99\tPASS\tSVTYPE=DEL;"
            + _ann("<DEL>", "exon_loss_variant", "HIGH", "CDKN2A&CDKN2B") + "\tGT\t1/1",
            "chr13\t48303000\tsv2\tN\t<DEL>\t99\tPASS\tSVTYPE=DEL;"
            + _ann("<DEL>", "feature_ablation", "HIGH", "RB1") + "\tGT\t0/1",
            # an exon of the 5' UTR deleted: the protein may be intact, no loss is claimed
            "chr12\t25250000\tsv3\tN\t<DEL>\t99\tPASS\tSVTYPE=DEL;"
            + _ann("<DEL>", "5_prime_UTR_truncation&exon_loss_variant", "MODERATE", "KRAS")
            + "\tGT\t0/1",
            "chr7\t140753336\trs113488022\tA\tT\t99\tPASS\t"
            + _ann("T", "missense_variant", "MODERATE", "BRAF") + "\tGT\t0/1",
        ],
    )  # fmt: skip


def test_the_svs_of_a_snpeff_vcf_are_losses_and_a_missense_keeps_half_weight(tmp_path):
    p = read_vcf(_snpeff(tmp_path), "P1", GENES)
    drivers, calls = driver_evidence(p.changes), driver_calls(p.changes)
    named = {SYMBOLS[g]: w for g, w in drivers.items()}
    # before: every one of them 0.5
    assert named == {"CDKN2A": -1.0, "CDKN2B": -1.0, "RB1": -1.0, "KRAS": 0.5, "BRAF": 0.5}
    assert {SYMBOLS[g]: c for g, c in calls.items()} == {
        "CDKN2A": "exon_loss_variant",
        "CDKN2B": "exon_loss_variant",
        "RB1": "feature_ablation",
        "KRAS": "5_prime_UTR_truncation&exon_loss_variant",
        "BRAF": "missense_variant",
    }


def test_a_vep_transcript_ablation_is_a_loss(tmp_path):
    path = _vcf(
        tmp_path / "sv_vep.vcf",
        CSQ,
        ["chr10\t87863000\tsv9\tN\t<DEL>\t99\tPASS\tSVTYPE=DEL;CSQ=<DEL>|transcript_ablation|"
         "HIGH|PTEN|ENSG00000171862\tGT\t1/1"],
    )  # fmt: skip
    p = read_vcf(path, "P1", GENES)
    assert driver_evidence(p.changes) == {"5728": -1.0}  # before: 0.5


def test_the_loss_reaches_the_stored_regulators_and_the_driver_scores(tmp_path):
    changes = read_vcf(_snpeff(tmp_path), "P1", GENES).changes
    drivers, calls = driver_evidence(changes), driver_calls(changes)
    cdkn2a, braf = IDS["CDKN2A"], IDS["BRAF"]
    # twin build: the regulator walk starts from the lost gene at full weight (3 |g|; was 1.5)
    assert upstream_seeds({}, drivers)[cdkn2a] == 3.0
    cent = RegulatorCentrality(
        scores={cdkn2a: 0.3, braf: 0.2}, communities={}, engine="in_process", graph=""
    )
    rows = rank_rows({}, {g: drivers[g] for g in (cdkn2a, braf)}, cent, q_max=0.05, calls=calls)
    lost, mutated = regulator_models(rows, SYMBOLS)
    assert lost.words.startswith("CDKN2A driver (exon_loss_variant: loss, weight 1)")
    assert mutated.words.startswith(
        "BRAF driver (missense_variant: coding variant, direction not given, weight 0.5)"
    )
    # ranking: an inhibitor of the lost gene scores -1 (was +0.5), an activator +1 (was -0.5)
    drugs = {
        "inhibitor": DrugTargets("inhibitor", (cdkn2a,), ("inhibit",)),
        "activator": DrugTargets("activator", (cdkn2a,), ("activate",)),
        "braf_inhibitor": DrugTargets("braf_inhibitor", (braf,), ("inhibit",)),
    }
    got = {d: s.value for d, s in DriverRank().score(drugs, drivers).items()}
    assert got == {"inhibitor": -1.0, "activator": 1.0, "braf_inhibitor": 0.5}
