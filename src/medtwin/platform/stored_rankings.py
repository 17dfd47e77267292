"""Reading stored drug rankings: pages of the latest ranking, and reuse of an identical one.

Kept apart from :mod:`medtwin.platform.treatment` (which computes rankings and imports the
ranking stack and numpy; it re-exports these names) so that showing a stored ranking
(``medtwin rank P1 --top 10`` when the twin was ranked with the same parameters, a ranking page)
imports none of it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from medtwin.errors import NotFoundError
from medtwin.platform.models import DrugScore, RankingResult, RankParams
from medtwin.store.base import GraphStore

if TYPE_CHECKING:
    from medtwin.platform.context import ReferenceContext

__all__ = ["TARGET_SOURCES", "get_ranking", "ranking_id", "reusable_ranking"]

# User-facing names of the drug–target sources (CLI --targets) → Dataset ids.
TARGET_SOURCES: dict[str, str] = {
    "drugbank": "drugbank_dhimmel",
    "drugcentral": "drugcentral_2016",
    "guney2016": "guney2016_network_medicine",
}


def ranking_id(twin_id: str, params: RankParams) -> str:
    """Id of the ranking of ``twin_id`` with ``params`` (a re-ranking with them replaces it)."""
    digest = hashlib.sha256(params.model_dump_json().encode()).hexdigest()[:12]
    return f"{twin_id}/{digest}"


def _score(drug_name: str | None, props: dict[str, Any]) -> DrugScore:
    data = dict(props)
    data["targets_in_module"] = tuple(data.get("targets_in_module") or ())
    data["targets_in_module_symbols"] = tuple(data.get("targets_in_module_symbols") or ())
    return DrugScore(drug_name=drug_name, **data)


def get_ranking(
    store: GraphStore,
    ctx: ReferenceContext,
    patient_id: str,
    *,
    version: int | None = None,
    offset: int = 0,
    limit: int = 50,
    drug_id: str | None = None,
) -> RankingResult:
    """The latest stored ranking of the patient's twin (a page of it).

    A complete ranking never changes (a re-ranking is a new node), so its pages are cached in
    ``ctx`` by ranking id and creation time; each call still looks the latest ranking up.
    """
    rankings = store.rankings
    got = rankings.latest_ranking(patient_id, version)
    if got is None:
        store.twins.twin(patient_id, version)  # raises the "no twin" NotFoundError
        raise NotFoundError(f"patient {patient_id} has no twin")
    twin, r = got
    twin_id = twin["id"]
    if r is None:
        raise NotFoundError(
            f"twin {twin_id} has not been ranked", hint=f"run `medtwin rank {patient_id}`"
        )
    created = r["created_at"]
    page = ctx.ranking_page(
        (r["id"], str(created), offset, limit, drug_id),
        lambda: rankings.ranking_page(r, offset=offset, limit=limit, drug_id=drug_id),
    )
    return RankingResult(
        id=r["id"],
        twin_id=twin_id,
        params=RankParams.model_validate_json(r["params_json"]),
        created_at=created,
        n_drugs=int(r["n_drugs"]),
        seconds=float(r["seconds"]),
        module_z=twin.get("module_z"),
        module_p=twin.get("module_p"),
        total=int(r["n_drugs"]),
        offset=offset,
        drugs=tuple(_score(p["drug_name"], p["score"]) for p in page),
    )


def reusable_ranking(
    store: GraphStore,
    ctx: ReferenceContext,
    patient_id: str,
    params: RankParams,
    *,
    version: int | None = None,
    limit: int = 50,
) -> RankingResult | None:
    """The first page of the twin's latest ranking when it was made with exactly ``params``.

    A ranking is a function of the twin version, the parameters (seed included) and the
    reference graph the twin was built on, so recomputing it gives the same table
    (STYLE §1.5); its id is :func:`ranking_id`. Reused only when that ranking is the twin's
    *latest* one (so reading "the latest ranking" afterwards gives it) and its targets name a
    loaded source, not a file whose content may have changed. ``None`` otherwise, or when the
    patient has no complete twin.
    """
    if params.targets not in TARGET_SOURCES and params.targets not in TARGET_SOURCES.values():
        return None
    got = store.rankings.latest_ranking(patient_id, version)
    if got is None:
        return None
    twin, r = got
    if r is None or r["id"] != ranking_id(twin["id"], params):
        return None
    if r.get("params_json") != params.model_dump_json():  # a digest collision, or old rows
        return None
    return get_ranking(store, ctx, patient_id, version=version, limit=limit)
