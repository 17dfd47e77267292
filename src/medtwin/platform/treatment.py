"""In-silico treatment of a twin: screen every drug of a target source, store and explain it.

Scores come from :mod:`medtwin.platform.ranking` (proximity with degree-matched nulls after
Guney et al. 2016, centrality coverage, module disruption, action direction, and the degree-only
baseline shown beside them). This module gathers their inputs from the store, records the
ranking with the twin version, parameters and seed, and builds per-drug explanations (targets in
the module, central module genes reached, shortest PPI paths).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csgraph

from medtwin.cypher.catalog import query
from medtwin.errors import InputError, NotFoundError
from medtwin.platform.algorithms.distances import load_or_compute
from medtwin.platform.algorithms.network import Network
from medtwin.platform.custom_targets import CustomCandidates, custom_candidates, is_targets_file
from medtwin.platform.models import (
    DrugExplanation,
    DrugScore,
    ExplanationPath,
    RankingResult,
    RankParams,
)
from medtwin.platform.ranking import REGISTRY
from medtwin.platform.ranking.base import DrugTargets, RankContext
from medtwin.platform.ranking.combine import rank_all
from medtwin.store.neo4j import Neo4jStore
from medtwin.store.rankings import RankingStore
from medtwin.store.reference_reads import ReferenceStore
from medtwin.store.twins import TwinStore

__all__ = ["TARGET_SOURCES", "explain_drug", "get_ranking", "rank_drugs", "resolve_target_source"]

log = logging.getLogger(__name__)

# User-facing names of the drug–target sources (CLI --targets) → Dataset ids.
TARGET_SOURCES: dict[str, str] = {
    "drugbank": "drugbank_dhimmel",
    "drugcentral": "drugcentral_2016",
    "guney2016": "guney2016_network_medicine",
}
# DrugBank lists enzymes, transporters and carriers besides targets; Guney 2016 used targets.
_CATEGORIES: dict[str, list[str] | None] = {"drugbank_dhimmel": ["target"]}
_DIST: dict[str, npt.NDArray[np.uint8]] = {}
_PAGE_CACHE_SIZE = 512
_PAGES: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()
_PAGE_LOCK = threading.Lock()


def resolve_target_source(name: str) -> str:
    """Map ``drugbank|drugcentral|guney2016`` (or a Dataset id) to the Dataset id."""
    if name in TARGET_SOURCES.values():
        return name
    if name in TARGET_SOURCES:
        return TARGET_SOURCES[name]
    raise InputError(f"unknown target source {name!r}; valid: {', '.join(sorted(TARGET_SOURCES))}")


def distances(network: Network, cache_dir: Path) -> npt.NDArray[np.uint8]:
    """All-pairs distances of the interactome, cached on disk by checksum and in memory."""
    key = network.checksum
    if key not in _DIST:
        _DIST.clear()
        _DIST[key] = load_or_compute(network, cache_dir)
    return _DIST[key]


def candidate_drugs(
    store: Neo4jStore, source: str, *, approved_only: bool = False
) -> dict[str, DrugTargets]:
    """Drugs of one target source with their targets and directions."""
    rows = ReferenceStore(store).drug_targets(
        source, categories=_CATEGORIES.get(source), approved_only=approved_only
    )
    if not rows:
        raise NotFoundError(
            f"no drug targets from {source} in the database",
            hint=f"run `medtwin load --only {source}`",
        )
    return {
        r["drug_id"]: DrugTargets(
            name=r["name"],
            targets=tuple(r["targets"]),
            directions=tuple(r["directions"]),
            approved="approved" in (r["groups"] or ()),
        )
        for r in rows
    }


def method_params(params: RankParams) -> dict[str, dict[str, object]]:
    """Per-method overrides that :class:`RankParams` carries (adaptive proximity sampling)."""
    if "proximity" not in params.methods:
        return {}
    return {"proximity": {"max_samples": params.max_samples}}


def _ranking_id(twin_id: str, params: RankParams) -> str:
    digest = hashlib.sha256(params.model_dump_json().encode()).hexdigest()[:12]
    return f"{twin_id}/{digest}"


def _clean(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def rank_drugs(
    store: Neo4jStore,
    network: Network,
    cache_dir: Path,
    patient_id: str,
    params: RankParams,
    *,
    version: int | None = None,
) -> RankingResult:
    """Screen every drug of ``params.targets`` against the patient's twin and store the ranking."""
    unknown = sorted(set(params.methods) - set(REGISTRY))
    if unknown:
        from medtwin.errors import UnknownMethodError

        raise UnknownMethodError(
            f"unknown ranking method(s) {', '.join(unknown)}; valid: {', '.join(sorted(REGISTRY))}"
        )
    t0 = time.perf_counter()
    custom = _custom_candidates(store, params)
    if custom is not None:
        params = params.model_copy(update={"targets": custom.label})
    source = custom.label if custom is not None else resolve_target_source(params.targets)
    twins = TwinStore(store)
    twin = twins.twin(patient_id, version)
    genes = twins.genes(twin["id"])
    module = tuple(g["entrez"] for g in genes if g["in_module"] and g["entrez"] in network.index)
    if not module:
        raise InputError(f"twin {twin['id']} has no module gene in the interactome")
    ctx = RankContext(
        network=network,
        dist=distances(network, cache_dir),
        module=module,
        seeds={g["entrez"]: g["log2fc"] for g in genes if g["log2fc"] is not None},
        centrality={g["entrez"]: g["pagerank"] for g in genes if g["pagerank"] is not None},
        drugs=custom.drugs
        if custom is not None
        else candidate_drugs(store, source, approved_only=params.approved_only),
        n_samples=params.n_samples,
    )
    scores = rank_all(
        ctx,
        params.methods,
        seed=params.seed,
        params=method_params(params),
        order=params.order,
        tier=params.tier,
    )
    symbol = _symbols(store, {t for s in scores for t in s.targets_in_module})
    seconds = time.perf_counter() - t0
    rid = _ranking_id(twin["id"], params)
    rows = []
    for s in scores:
        row = {k: _clean(v) if isinstance(v, float) else v for k, v in s.model_dump().items()}
        row.pop("direction_word", None)  # derived from direction when read
        if custom is None:
            row.pop("drug_name", None)  # a Drug node holds it; a CustomDrug node takes it
        row["targets_in_module"] = list(s.targets_in_module)
        row["targets_in_module_symbols"] = [symbol.get(t, t) for t in s.targets_in_module]
        rows.append({k: v for k, v in row.items() if v is not None})
    # Built under a temporary id and published in one transaction (see RankingStore).
    RankingStore(store).save_ranking(
        twin["id"],
        rid,
        {
            "methods": list(params.methods),
            "targets": source,
            "params_json": params.model_dump_json(),
            "seed": params.seed,
            "n_samples": params.n_samples,
            "n_drugs": len(scores),
            "seconds": round(seconds, 3),
            "module_size": len(module),
        },
        rows,
        custom=custom is not None,
    )
    log.info("ranked %d drugs for %s in %.2f s", len(scores), twin["id"], seconds)
    return get_ranking(store, patient_id, version=version, limit=50)


def _custom_candidates(store: Neo4jStore, params: RankParams) -> CustomCandidates | None:
    """The drugs of ``params.targets`` when it names a file (``rank --targets FILE``)."""
    if not is_targets_file(params.targets, set(TARGET_SOURCES) | set(TARGET_SOURCES.values())):
        return None
    if params.approved_only:
        raise InputError(
            "--approved-only filters DrugBank drugs; it does not apply to a targets file "
            f"({params.targets}): list only the drugs you want ranked"
        )
    from medtwin.platform import services  # services imports this module

    custom = custom_candidates(Path(params.targets), services.gene_index(store))
    return custom


def _symbols(store: Neo4jStore, ids: set[str]) -> dict[str, str]:
    return ReferenceStore(store).protein_symbols(sorted(ids))


def _score(drug_name: str | None, props: dict[str, Any]) -> DrugScore:
    data = dict(props)
    data["targets_in_module"] = tuple(data.get("targets_in_module") or ())
    data["targets_in_module_symbols"] = tuple(data.get("targets_in_module_symbols") or ())
    return DrugScore(drug_name=drug_name, **data)


def get_ranking(
    store: Neo4jStore,
    patient_id: str,
    *,
    version: int | None = None,
    offset: int = 0,
    limit: int = 50,
    drug_id: str | None = None,
) -> RankingResult:
    """The latest stored ranking of the patient's twin (a page of it).

    A complete ranking never changes (a re-ranking is a new node), so its pages are cached in
    process by ranking id and creation time; each call still looks the latest ranking up.
    """
    rankings = RankingStore(store)
    got = rankings.latest_ranking(patient_id, version)
    if got is None:
        TwinStore(store).twin(patient_id, version)  # raises the "no twin" NotFoundError
        raise NotFoundError(f"patient {patient_id} has no twin")
    twin, r = got
    twin_id = twin["id"]
    if r is None:
        raise NotFoundError(
            f"twin {twin_id} has not been ranked", hint=f"run `medtwin rank {patient_id}`"
        )
    created = r["created_at"]
    key = (r["id"], str(created), offset, limit, drug_id)
    with _PAGE_LOCK:
        page = _PAGES.get(key)
        if page is not None:
            _PAGES.move_to_end(key)
    if page is None:
        page = rankings.ranking_page(r, offset=offset, limit=limit, drug_id=drug_id)
        with _PAGE_LOCK:
            _PAGES[key] = page
            while len(_PAGES) > _PAGE_CACHE_SIZE:
                _PAGES.popitem(last=False)
    return RankingResult(
        id=r["id"],
        twin_id=twin_id,
        params=RankParams.model_validate_json(r["params_json"]),
        created_at=created.to_native() if hasattr(created, "to_native") else created,
        n_drugs=int(r["n_drugs"]),
        seconds=float(r["seconds"]),
        module_z=twin.get("module_z"),
        module_p=twin.get("module_p"),
        total=int(r["n_drugs"]),
        offset=offset,
        drugs=tuple(_score(p["drug_name"], p["score"]) for p in page),
    )


def _paths(
    network: Network, targets: list[str], genes: list[str], max_paths: int = 10
) -> list[list[str]]:
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


def explain_drug(
    store: Neo4jStore, network: Network, patient_id: str, drug_id: str
) -> DrugExplanation:
    """Why a drug ranks where it does: targets, module genes reached, shortest paths."""
    twins = TwinStore(store)
    twin = twins.twin(patient_id)
    info = ReferenceStore(store).drug_info(drug_id)
    if info is None:
        raise NotFoundError(f"no drug {drug_id}", hint="drug ids are DrugBank ids, e.g. DB00945")
    try:
        ranking = get_ranking(store, patient_id, drug_id=drug_id, limit=1)
        score = ranking.drugs[0] if ranking.drugs else None
        source = ranking.params.targets
    except NotFoundError:
        score, source = None, "drugbank_dhimmel"
    if source not in set(TARGET_SOURCES) | set(TARGET_SOURCES.values()):
        raise NotFoundError(
            f"the latest ranking of {patient_id} comes from a targets file ({source}); "
            f"the database holds no targets of {drug_id} to explain",
            hint=f"see its row in `medtwin rank {patient_id} --out FILE.tsv`",
        )
    source = resolve_target_source(source)
    genes = {g["entrez"]: g for g in twins.genes(twin["id"])}
    module = [g for g, r in genes.items() if r["in_module"]]
    central = sorted(module, key=lambda g: -(genes[g]["pagerank"] or 0.0))[:20]
    targets = [t for t in info["targets"] if t["source"] == source]
    target_ids = [t["entrez"] for t in targets]
    paths = _paths(network, target_ids, central)
    symbols: dict[str, str | None] = {g: r["symbol"] for g, r in genes.items()}
    symbols.update(_symbols(store, {n for p in paths for n in p} | set(target_ids)))
    reached = sorted({p[-1] for p in paths if len(p) <= 3}, key=lambda g: central.index(g))
    cell_types = sorted({c for t in target_ids if t in genes for c in genes[t]["cell_types"] or ()})
    return DrugExplanation(
        patient_id=patient_id,
        twin_id=twin["id"],
        drug_id=drug_id,
        drug_name=info["name"],
        score=score,
        targets=tuple(
            {
                "entrez": t["entrez"],
                "symbol": t["symbol"],
                "direction": t["direction"],
                "in_twin": t["entrez"] in genes,
                "in_module": bool(genes.get(t["entrez"], {}).get("in_module")),
                "log2fc": genes.get(t["entrez"], {}).get("log2fc"),
            }
            for t in targets
        ),
        central_genes_reached=tuple(symbols.get(g) or g for g in reached),
        paths=tuple(
            ExplanationPath(
                nodes=tuple(p), symbols=tuple(symbols.get(n) for n in p), length=len(p) - 1
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
            + query("query/paths_drug_to_twin")
        ),
    )
