"""The reference graph a test gives the in-memory store: genes, interactions, drugs, regulators.

:class:`MemorySeeding` is the base of :class:`~medtwin.store.memory.MemoryStore`; seeding marks
the datasets it stands for loaded, each with a new sha256 (caches keyed on it refresh).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from medtwin.store.memory.state import MemoryData, now

__all__ = ["MemorySeeding"]


class MemorySeeding(MemoryData):
    """:class:`~medtwin.store.memory.state.MemoryData` with the verbs that seed its reference."""

    def add_reference(
        self,
        *,
        genes: dict[str, str],
        ppi: Sequence[tuple[str, str]] = (),
        lr_pairs: Sequence[tuple[str, str]] = (),
        phenotypes: dict[str, tuple[str, Sequence[str]]] | None = None,
        drugs: dict[str, tuple[str, Sequence[tuple[str, str]]]] | None = None,
        disease_genes: dict[str, dict[str, tuple[str, Sequence[str]]]] | None = None,
        cooccurrences: Sequence[tuple[str, str, float, str]] = (),
    ) -> None:
        """Seed reference data and mark its datasets loaded.

        Parameters
        ----------
        genes
            Entrez id -> symbol.
        ppi
            Interactions ``a -> b`` as loaded (each unordered pair once; self-loops dropped).
        lr_pairs
            (ligand, receptor) pairs.
        phenotypes
            Term id -> (name, annotated Entrez genes).
        drugs
            Drug id -> (name, [(Entrez target, direction)]), all of source ``drugbank_dhimmel``
            and approved.
        disease_genes
            Source -> disease id -> (name, genes).
        cooccurrences
            Symptom/phenotype co-occurrence edges ``(a, b, weight, kind)``, kind ``Symptom`` or
            ``Phenotype`` (the label of ``a``).
        """
        for entrez, symbol in genes.items():
            self.genes[entrez] = {"symbol": symbol, "synonyms": [], "hgnc": None}
        seen = {frozenset(e) for e in self.ppi}
        for a, b in ppi:  # kept as given (the loader's orientation), each unordered pair once
            if a != b and frozenset((a, b)) not in seen:
                seen.add(frozenset((a, b)))
                self.ppi.add((a, b))
        self.lr_pairs.extend(lr_pairs)
        self.cooccurrences.extend(cooccurrences)
        for pid, (name, members) in (phenotypes or {}).items():
            self.phenotypes[pid] = {"name": name, "genes": set(members)}
        for did, (name, targets) in (drugs or {}).items():
            self.drugs[did] = {
                "name": name,
                "groups": ["approved"],
                "targets": [
                    {
                        "entrez": t,
                        "source": "drugbank_dhimmel",
                        "direction": d,
                        "category": "target",
                    }
                    for t, d in targets
                ],
            }
        for source, sets in (disease_genes or {}).items():
            self.disease_genes.setdefault(source, {}).update(
                {d: (n, set(g)) for d, (n, g) in sets.items()}
            )
        loaded = now().isoformat()
        for name in ("ncbi_gene_info", "menche2015_interactome", "liana"):
            self.datasets_[name] = {
                "id": name,
                "status": "complete",
                "sha256": uuid.uuid4().hex,  # new reference data: caches keyed on it refresh
                "loaded_at": loaded,
                "version": "memory",
            }

    def add_regulator_layers(
        self,
        regulons: Mapping[str, Mapping[str, float]],
        footprints: Mapping[str, Mapping[str, float]] | None = None,
    ) -> None:
        """Seed REGULATES (TF -> target: mor) and FOOTPRINT (pathway -> gene: weight) edges.

        Marks ``dorothea_hs`` and ``progeny_2018`` loaded (a new sha256: caches refresh).
        """
        t = self.regulator_tables
        for tf, targets in regulons.items():
            for g, mor in targets.items():
                t["tf"].append(tf)
                t["target"].append(g)
                t["mor"].append(float(mor))
        for pathway, genes in (footprints or {}).items():
            for g, w in genes.items():
                t["pathway"].append(pathway)
                t["gene"].append(g)
                t["weight"].append(float(w))
        for name in ("dorothea_hs", "progeny_2018"):
            self.datasets_[name] = {
                "id": name,
                "status": "complete",
                "sha256": uuid.uuid4().hex,
                "loaded_at": now().isoformat(),
                "version": "memory",
            }
