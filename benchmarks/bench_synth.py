"""A seeded synthetic graph with the real reference's shapes, for ``make bench-load SYNTH=``.

The row types, id namespaces and property shapes are the real loaders' (``loaders/rows.py``);
the relationship mix follows the full reference (LINCS perturbations ≈ 55 %, phenotype
annotations ≈ 25 %, interactions ≈ 7 %, …) scaled to the requested size, and node counts are
scaled with it. Rows are generated on demand from ``random.Random(seed)`` per group, so the MERGE
path and the bulk path see identical streams without holding them in memory. Pairs are drawn at
random, so a few repeat: both paths merge them the same way, and the benchmark reports the
relationship count the database holds.
"""

from __future__ import annotations

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

__all__ = ["SynthGraph", "parse_size"]

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


def parse_size(text: str) -> int:
    """``10M`` / ``500k`` / ``2000000`` -> an int."""
    t = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if factor > 1 else t) * factor)


@dataclass(frozen=True)
class SynthGraph:
    """``relationships`` rows in the reference's mix (duplicates merge), seeded."""

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

    def groups(self) -> list[Callable[[], Iterator[BaseModel]]]:
        """Row-group factories in load order (nodes before the relationships that match them)."""
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

    def _protein(self, rng: random.Random) -> str:
        return str(1 + rng.randrange(self._n("Protein")))

    def _drug(self, rng: random.Random) -> str:
        return f"DB{1 + rng.randrange(self._n('Drug')):05d}"

    def _disease(self, rng: random.Random) -> str:
        return f"MESH:D{1 + rng.randrange(self._n('Disease')):06d}"

    def _phenotype(self, rng: random.Random) -> str:
        return f"HP:{1 + rng.randrange(self._n('Phenotype')):07d}"

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
        rng = self._rng(2)
        for _ in range(self._count("INTERACTS_WITH")):
            a, b = sorted((self._protein(rng), self._protein(rng)), key=int)
            if a == b:
                continue
            yield InteractionRow(
                a=a, b=b, evidence=("binary",), source=_SOURCE, source_version=_VERSION
            )

    def _drugs(self) -> Iterator[BaseModel]:
        rng = self._rng(3)
        for i in range(1, self._n("Drug") + 1):
            yield DrugRow(
                id=f"DB{i:05d}",
                name=f"drug {i}",
                drug_type="small molecule",
                inchikey=None,
                groups=("approved",) if rng.random() < 0.3 else (),
                atc_codes=(),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _targets(self) -> Iterator[BaseModel]:
        rng = self._rng(4)
        for _ in range(self._count("TARGETS")):
            yield DrugTargetRow(
                drug_id=self._drug(rng),
                entrez=self._protein(rng),
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
                id=f"MESH:D{i:06d}",
                name=f"disease {i}",
                mesh_id=f"D{i:06d}",
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _disease_genes(self) -> Iterator[BaseModel]:
        rng = self._rng(5)
        for _ in range(self._count("ASSOCIATED_WITH")):
            yield DiseaseGeneRow(
                disease_id=self._disease(rng),
                entrez=self._protein(rng),
                evidence="curated",
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _phenotypes(self) -> Iterator[BaseModel]:
        for i in range(1, self._n("Phenotype") + 1):
            yield PhenotypeRow(
                id=f"HP:{i:07d}", name=f"phenotype {i}", source=_SOURCE, source_version=_VERSION
            )

    def _is_a(self) -> Iterator[BaseModel]:
        rng = self._rng(6)
        for _ in range(self._count("IS_A")):
            yield PhenotypeIsARow(
                child=self._phenotype(rng),
                parent=self._phenotype(rng),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _disease_phenotypes(self) -> Iterator[BaseModel]:
        rng = self._rng(7)
        for _ in range(self._count("HAS_PHENOTYPE_DISEASE")):
            yield DiseasePhenotypeRow(
                disease_id=self._disease(rng),
                phenotype_id=self._phenotype(rng),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _gene_phenotypes(self) -> Iterator[BaseModel]:
        rng = self._rng(8)
        for _ in range(self._count("HAS_PHENOTYPE_GENE")):
            yield GenePhenotypeRow(
                entrez=self._protein(rng),
                phenotype_id=self._phenotype(rng),
                source=_SOURCE,
                source_version=_VERSION,
            )

    def _regulations(self) -> Iterator[BaseModel]:
        rng = self._rng(9)
        for _ in range(self._count("REGULATES")):
            tf, target = self._protein(rng), self._protein(rng)
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
        rng = self._rng(10)
        for _ in range(self._count("PERTURBS")):
            yield PerturbationRow(
                drug_id=self._drug(rng),
                entrez=self._protein(rng),
                z=round(rng.gauss(0.0, 2.0), 4),
                source=_SOURCE,
                source_version=_VERSION,
            )
