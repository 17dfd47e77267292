"""A seeded synthetic graph with the real reference's shapes, for ``make bench-load SYNTH=``.

The row types, id namespaces and property shapes are the real loaders' (``loaders/rows.py``);
the relationship mix follows the full reference (LINCS perturbations ≈ 55 %, phenotype
annotations ≈ 25 %, interactions ≈ 7 %, …) scaled to the requested size, and node counts are
scaled with it. Rows are generated on demand from ``random.Random(seed)`` per group, so the MERGE
path and the bulk path see identical streams without holding them in memory. Each group's pairs
are distinct (as the real loaders guarantee: a first load CREATEs the edges of the largest
layers, :data:`medtwin.store.row_queries._FRESH_QUERIES`), drawn without replacement by an affine
permutation of the group's pair space, so every relationship row becomes one relationship in
both paths.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from medtwin.loaders.rows import (
    DiseaseGeneRow,
    DiseasePhenotypeRow,
    DiseaseRow,
    DrugRow,
    DrugTargetRow,
    GenePhenotypeRow,
    GeneRow,
    InteractionRow,
    PerturbationRow,
    PhenotypeIsARow,
    PhenotypeRow,
    RegulationRow,
)

__all__ = [
    "SynthGraph",
    "distinct_pairs",
    "distinct_unordered_pairs",
    "parse_size",
    "perturbation_rows",
]

# Relationships per row type in the full reference (make bench-load, 2026-12): the mix to scale.
_MIX = {
    "PERTURBS": 1_144_260,
    "HAS_PHENOTYPE_GENE": 259_012,
    "HAS_PHENOTYPE_DISEASE": 253_328,
    "INTERACTS_WITH": 138_427,
    "ASSOCIATED_WITH": 64_597,
    "TARGETS": 31_475,
    "IS_A": 23_392,
    "REGULATES": 13_024,
}
_NODES = {"Protein": 57_636, "Drug": 8_029, "Disease": 14_204, "Phenotype": 19_034}
_SOURCE = "synthetic"
_VERSION = "bench"


def _drug_id(i: int) -> str:
    """The ``i``-th synthetic drug's id: node rows and relationship rows name it alike."""
    return f"DB{i:05d}"


def _disease_id(i: int) -> str:
    return f"MESH:D{i:06d}"


def _phenotype_id(i: int) -> str:
    return f"HP:{i:07d}"


def distinct_pairs(rng: random.Random, n_a: int, n_b: int, count: int) -> Iterator[tuple[int, int]]:
    """``count`` distinct pairs ``(i, j)``, ``0 <= i < n_a``, ``0 <= j < n_b``, in seeded order.

    The ``k``-th pair is the index ``(m k + c) mod n_a n_b`` with ``m`` coprime to the space
    size: an affine bijection of the index space, so no pair repeats for ``k`` below the size,
    and nothing is held in memory (a seen-set at 10 M pairs would take gigabytes).
    """
    size = n_a * n_b
    if count > size:
        raise ValueError(f"{count:,} distinct pairs asked of a space of {size:,}")
    while True:
        m = rng.randrange(size // 3, size) | 1
        if math.gcd(m, size) == 1:
            break
    c = rng.randrange(size)
    for k in range(count):
        yield divmod((m * k + c) % size, n_b)


def distinct_unordered_pairs(rng: random.Random, n: int, count: int) -> Iterator[tuple[int, int]]:
    """``count`` distinct pairs ``i < j`` below ``n``, no self-pairs, seeded.

    Pair ``(i, d)`` of the space ``n x floor((n - 1) / 2)`` stands for ``{i, (i + d) mod n}``
    with ``1 <= d <= floor((n - 1) / 2)``: every unordered pair appears at most once (the
    circulant decomposition of the complete graph), so a distinct ``(i, d)`` is a distinct edge.
    """
    half = (n - 1) // 2
    for i, d in distinct_pairs(rng, n, half, count):
        j = (i + 1 + d) % n
        yield (i, j) if i < j else (j, i)


def parse_size(text: str) -> int:
    """``10M`` / ``500k`` / ``2000000`` -> an int."""
    t = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if factor > 1 else t) * factor)


@dataclass(frozen=True)
class SynthGraph:
    """``relationships`` distinct relationship rows in the reference's mix, seeded."""

    relationships: int
    seed: int = 20261202

    @property
    def scale(self) -> float:
        """Size relative to the full reference's relationship rows."""
        return self.relationships / sum(_MIX.values())

    def _n(self, label: str) -> int:
        return max(50, round(_NODES[label] * self.scale))

    def _count(self, kind: str) -> int:
        return round(_MIX[kind] * self.scale)

    def groups(self, *, aside: bool = False) -> list[Callable[[], Iterator[BaseModel]]]:
        """Row-group factories in load order (nodes before the relationships that match them).

        ``aside``: without the perturbations (the last group), which :func:`perturbation_rows`
        gives a bulk import's other process, as the real reference's LINCS dataset is built.
        """
        if aside:
            return self.groups()[:-1]
        return [
            self._genes,
            self._interactions,
            self._drugs,
            self._targets,
            self._diseases,
            self._disease_genes,
            self._phenotypes,
            self._is_a,
            self._disease_phenotypes,
            self._gene_phenotypes,
            self._regulations,
            self._perturbations,
        ]

    def rows(self) -> int:
        """Rows over all groups (node rows included)."""
        return sum(self._count(k) for k in _MIX) + sum(self._n(label) for label in _NODES)

    def _rng(self, salt: int) -> random.Random:
        return random.Random(self.seed * 100 + salt)

    def _pairs(self, salt: int, a: str, b: str, kind: str) -> Iterator[tuple[int, int]]:
        """``kind``'s distinct 1-based ``(a, b)`` index pairs."""
        pairs = distinct_pairs(self._rng(salt), self._n(a), self._n(b), self._count(kind))
        return ((i + 1, j + 1) for i, j in pairs)

    def _genes(self) -> Iterator[BaseModel]:
        rng = self._rng(1)
        for i in range(1, self._n("Protein") + 1):
            yield GeneRow(
                entrez=str(i),
                symbol=f"G{i}",
                name=f"synthetic gene {i}",
                synonyms=tuple(f"S{i}_{k}" for k in range(rng.randrange(3))),
                hgnc=f"HGNC:{i}" if rng.random() < 0.7 else None,
                ensembl=None,
                gene_type="protein-coding",
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _interactions(self) -> Iterator[BaseModel]:
        pairs = distinct_unordered_pairs(
            self._rng(2), self._n("Protein"), self._count("INTERACTS_WITH")
        )
        for i, j in pairs:
            yield InteractionRow(
                a=str(i + 1),
                b=str(j + 1),
                evidence=("binary",),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _drugs(self) -> Iterator[BaseModel]:
        rng = self._rng(3)
        for i in range(1, self._n("Drug") + 1):
            yield DrugRow(
                id=_drug_id(i),
                name=f"drug {i}",
                drug_type="small molecule",
                inchikey=None,
                groups=("approved",) if rng.random() < 0.3 else (),
                atc_codes=(),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _targets(self) -> Iterator[BaseModel]:
        rng = self._rng(104)
        for drug, gene in self._pairs(4, "Drug", "Protein", "TARGETS"):
            yield DrugTargetRow(
                drug_id=_drug_id(drug),
                entrez=str(gene),
                actions=("inhibitor",) if rng.random() < 0.4 else (),
                direction="inhibit",
                category="target",
                known_action=None,
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _diseases(self) -> Iterator[BaseModel]:
        for i in range(1, self._n("Disease") + 1):
            yield DiseaseRow(
                id=_disease_id(i),
                name=f"disease {i}",
                mesh_id=f"D{i:06d}",
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _disease_genes(self) -> Iterator[BaseModel]:
        for disease, gene in self._pairs(5, "Disease", "Protein", "ASSOCIATED_WITH"):
            yield DiseaseGeneRow(
                disease_id=_disease_id(disease),
                entrez=str(gene),
                evidence="curated",
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _phenotypes(self) -> Iterator[BaseModel]:
        for i in range(1, self._n("Phenotype") + 1):
            yield PhenotypeRow(
                id=_phenotype_id(i), name=f"phenotype {i}", source=_SOURCE, source_version=_VERSION
            )

    def _is_a(self) -> Iterator[BaseModel]:
        for child, parent in self._pairs(6, "Phenotype", "Phenotype", "IS_A"):
            yield PhenotypeIsARow(
                child=_phenotype_id(child),
                parent=_phenotype_id(parent),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _disease_phenotypes(self) -> Iterator[BaseModel]:
        for disease, phenotype in self._pairs(7, "Disease", "Phenotype", "HAS_PHENOTYPE_DISEASE"):
            yield DiseasePhenotypeRow(
                disease_id=_disease_id(disease),
                phenotype_id=_phenotype_id(phenotype),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _gene_phenotypes(self) -> Iterator[BaseModel]:
        for gene, phenotype in self._pairs(8, "Protein", "Phenotype", "HAS_PHENOTYPE_GENE"):
            yield GenePhenotypeRow(
                entrez=str(gene),
                phenotype_id=_phenotype_id(phenotype),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _regulations(self) -> Iterator[BaseModel]:
        rng = self._rng(109)
        for tf_index, target_index in self._pairs(9, "Protein", "Protein", "REGULATES"):
            tf, target = str(tf_index), str(target_index)
            yield RegulationRow(
                tf_entrez=tf,
                tf_symbol=f"G{tf}",
                target_entrez=target,
                target_symbol=f"G{target}",
                mor=rng.choice((-1.0, 1.0)),
                confidence=rng.choice(("A", "B", "C")),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _perturbations(self) -> Iterator[BaseModel]:
        rng = self._rng(110)
        for drug, gene in self._pairs(10, "Drug", "Protein", "PERTURBS"):
            yield PerturbationRow(
                drug_id=_drug_id(drug),
                entrez=str(gene),
                z=round(rng.gauss(0.0, 2.0), 4),
                source=_SOURCE,
                source_version=_VERSION,
            )


def perturbation_rows(graph: SynthGraph) -> tuple[list[Iterator[BaseModel]], dict[str, int]]:
    """The synthetic perturbations alone, for :meth:`LocalBulkImporter.start_aside`.

    The real reference's largest dataset (LINCS, ``PERTURBS``) is built in a second process
    (:class:`medtwin.store.bulk_aside.AsideProcess`); its synthetic counterpart (55 % of the rows)
    goes the same way. Module level, of a picklable argument: the process is spawned. The rows
    are generated as they are applied, so that process holds no list of them either.
    """
    return [graph._perturbations()], {"PerturbationRow": graph._count("PERTURBS")}  # noqa: SLF001
