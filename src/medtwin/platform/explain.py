"""Why a drug ranks where it does for one patient: targets, module genes reached, shortest paths.

:func:`explain_drug` reads the patient's twin and latest ranking, the drug's targets of the
ranking's source, and finds the shortest interactome paths from the targets to the twin's most
central module genes (:func:`shortest_paths`); it also gives the Cypher that draws the same
paths in Neo4j Browser.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy.sparse import csgraph

from medtwin.errors import NotFoundError
from medtwin.platform.algorithms.network import Network
from medtwin.platform.context import ReferenceContext
from medtwin.platform.effector import keep_targets
from medtwin.platform.first_screen import evidence_words
from medtwin.platform.models import (
    DrugExplanation,
    DrugScore,
    ExplanationPath,
    RankingResult,
    RankParams,
)
from medtwin.platform.rank_params import TARGET_SOURCES
from medtwin.platform.stored_rankings import get_ranking
from medtwin.platform.target_sets import resolve_target_source
from medtwin.store.base import GraphStore

__all__ = ["explain_drug", "explain_drugs", "ranking_use", "shortest_paths"]


def shortest_paths(
    network: Network, targets: list[str], genes: list[str], max_paths: int = 10
) -> list[list[str]]:
    """The ``max_paths`` shortest unweighted paths from any target to any of ``genes``.

    Breadth-first search from each target (``scipy.sparse.csgraph.shortest_path``, unweighted);
    paths are ordered by length, then by target and gene node index; ids not in the network are
    ignored. Returns node-id lists, target first.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "d")])
    >>> shortest_paths(net, ["a"], ["d", "b", "zz"])
    [['a', 'b'], ['a', 'b', 'c', 'd']]
    """
    src, _ = network.indices_of(targets)
    dst, _ = network.indices_of(genes)
    if src.size == 0 or dst.size == 0:
        return []
    dist, pred = csgraph.shortest_path(
        network.adjacency, unweighted=True, directed=False, indices=src, return_predecessors=True
    )
    found = []
    for row, s in enumerate(src):
        for d in dst:
            if math.isfinite(dist[row, d]):
                found.append((dist[row, d], int(s), int(d), row))
    found.sort()
    out = []
    for _, s, d, row in found[:max_paths]:
        path = [d]
        while path[-1] != s:
            path.append(int(pred[row, path[-1]]))
        out.append([network.nodes[i] for i in reversed(path)])
    return out


def ranking_use(targets: list[dict[str, object]]) -> dict[str, str]:
    """Role of each drug–target pair in the ranking.

    ``target`` (used for ranking), ``enzyme``, ``transporter``, ``carrier`` (DrugBank
    categories, not used), or ``fc/complement`` (an antibody's effector binding, not used unless
    DrugBank's known action; :mod:`medtwin.platform.effector`).

    Examples
    --------
    >>> ranking_use([{"entrez": "1", "symbol": "NR3C1", "category": "target"},
    ...              {"entrez": "2", "symbol": "CYP3A4", "category": "enzyme"},
    ...              {"entrez": "3", "symbol": "FCGR3A", "category": "target",
    ...               "known_action": "unknown"},
    ...              {"entrez": "4", "symbol": "X", "category": None}])
    {'1': 'target', '2': 'enzyme', '3': 'fc/complement', '4': 'target'}
    """
    out: dict[str, str] = {}
    for t in targets:
        category = str(t.get("category") or "target")
        symbol = t.get("symbol")
        known = t.get("known_action")
        if (
            category == "target"
            and not keep_targets(
                [symbol if isinstance(symbol, str) else None],
                [known if isinstance(known, str) else None],
            )[0]
        ):
            category = "fc/complement"
        out[str(t["entrez"])] = category
    return out


@dataclass(frozen=True)
class _TwinView:
    """What every explanation of one twin reads: the interactome, the twin and its genes."""

    network: Network
    twin: dict[str, Any]
    genes: dict[str, dict[str, Any]]
    central: list[str]

    @classmethod
    def read(cls, store: GraphStore, ctx: ReferenceContext, patient_id: str) -> _TwinView:
        network = ctx.interactome(store)
        twin = store.twins.twin(patient_id)
        genes = {g["entrez"]: g for g in store.twins.genes(twin["id"])}
        module = [g for g, r in genes.items() if r["in_module"]]
        central = sorted(module, key=lambda g: -(genes[g]["pagerank"] or 0.0))[:20]
        return cls(network, twin, genes, central)


def _drug_info(store: GraphStore, drug_id: str) -> dict[str, Any]:
    info = store.reference.drug_info(drug_id)
    if info is None:
        raise NotFoundError(f"no drug {drug_id}", hint="drug ids are DrugBank ids, e.g. DB00945")
    return info


def _latest_score(
    store: GraphStore, ctx: ReferenceContext, patient_id: str, drug_id: str
) -> tuple[DrugScore | None, RankParams | None]:
    """The drug's row of the twin's latest ranking and its parameters (``None`` if unranked)."""
    try:
        ranking = get_ranking(store, ctx, patient_id, drug_id=drug_id, limit=1)
    except NotFoundError:
        return None, None
    return (ranking.drugs[0] if ranking.drugs else None), ranking.params


def _target_source(patient_id: str, drug_id: str, params: RankParams | None) -> str:
    """The loaded target source to explain with: the ranking's (DrugBank when unranked)."""
    source = params.targets if params is not None else "drugbank_dhimmel"
    if source not in set(TARGET_SOURCES) | set(TARGET_SOURCES.values()):
        raise NotFoundError(
            f"the latest ranking of {patient_id} comes from a targets file ({source}); "
            f"the database holds no targets of {drug_id} to explain",
            hint=f"see its row in `medtwin rank {patient_id} --out FILE.tsv`",
        )
    return resolve_target_source(source)


def explain_drug(
    store: GraphStore, ctx: ReferenceContext, patient_id: str, drug_id: str
) -> DrugExplanation:
    """Why a drug ranks where it does: targets, module genes reached, shortest paths."""
    view = _TwinView.read(store, ctx, patient_id)
    info = _drug_info(store, drug_id)
    score, params = _latest_score(store, ctx, patient_id, drug_id)
    source = _target_source(patient_id, drug_id, params)
    return _explanation(store, view, patient_id, drug_id, info, score, params, source)


def explain_drugs(
    store: GraphStore,
    ctx: ReferenceContext,
    patient_id: str,
    drug_ids: Sequence[str],
    *,
    ranking: RankingResult | None = None,
) -> list[DrugExplanation]:
    """:func:`explain_drug` of several drugs, reading the twin and its genes once.

    A drug of ``ranking`` (a page of the twin's latest ranking) takes its row from there instead
    of reading it again. Drugs that cannot be explained (not in the database, or the latest
    ranking comes from a targets file) are left out, in the order given otherwise.
    """
    view = _TwinView.read(store, ctx, patient_id)
    on_page = {d.drug_id: d for d in ranking.drugs} if ranking is not None else {}
    out = []
    for drug_id in drug_ids:
        score: DrugScore | None
        params: RankParams | None
        try:
            info = _drug_info(store, drug_id)
            if drug_id in on_page and ranking is not None:
                score, params = on_page[drug_id], ranking.params
            else:
                score, params = _latest_score(store, ctx, patient_id, drug_id)
            source = _target_source(patient_id, drug_id, params)
        except NotFoundError:
            continue
        out.append(_explanation(store, view, patient_id, drug_id, info, score, params, source))
    return out


def _explanation(
    store: GraphStore,
    view: _TwinView,
    patient_id: str,
    drug_id: str,
    info: dict[str, Any],
    score: DrugScore | None,
    params: RankParams | None,
    source: str,
) -> DrugExplanation:
    twin, genes, central = view.twin, view.genes, view.central
    placed_by = evidence_words(score, params) if score is not None and params is not None else None
    targets = [t for t in info["targets"] if t["source"] == source]
    used = ranking_use(targets)
    target_ids = [t["entrez"] for t in targets]
    # paths from the targets the ranking used (not enzymes/transporters/carriers or Fc/complement)
    paths = shortest_paths(view.network, [t for t in target_ids if used[t] == "target"], central)
    names: dict[str, str | None] = {g: r["symbol"] for g, r in genes.items()}
    names.update(
        store.reference.protein_symbols(sorted({n for p in paths for n in p} | set(target_ids)))
    )
    reached = sorted({p[-1] for p in paths if len(p) <= 3}, key=lambda g: central.index(g))
    cell_types = sorted({c for t in target_ids if t in genes for c in genes[t]["cell_types"] or ()})
    return DrugExplanation(
        patient_id=patient_id,
        twin_id=twin["id"],
        drug_id=drug_id,
        drug_name=info["name"],
        score=score,
        placed_by=placed_by,
        targets=tuple(
            {
                "entrez": t["entrez"],
                "symbol": t["symbol"],
                "direction": t["direction"],
                "in_twin": t["entrez"] in genes,
                "in_module": bool(genes.get(t["entrez"], {}).get("in_module")),
                "log2fc": genes.get(t["entrez"], {}).get("log2fc"),
                # "<tissue>/<cell type>" for multi-tissue twins, the cell type otherwise.
                "changed_in": "; ".join(genes.get(t["entrez"], {}).get("cell_types") or ()) or None,
                "category": t.get("category"),
                "used_for_ranking": used[t["entrez"]] == "target",
                "role": used[t["entrez"]],
            }
            for t in targets
        ),
        central_genes_reached=tuple(names.get(g) or g for g in reached),
        paths=tuple(
            ExplanationPath(
                nodes=tuple(p), symbols=tuple(names.get(n) for n in p), length=len(p) - 1
            )
            for p in paths
        ),
        cell_types=tuple(cell_types),
        cypher=(
            ":param {"
            + ", ".join(
                f"{k}: {json.dumps(v)}"
                for k, v in {
                    "drug_id": drug_id,
                    "twin_id": twin["id"],
                    "source": source,
                    "max_hops": 3,
                }.items()
            )
            + "}\n"
            + store.reference.paths_statement()
        ),
    )
