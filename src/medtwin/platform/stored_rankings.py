"""Reading stored drug rankings: pages of the latest ranking, and reuse of an identical one.

Kept apart from :mod:`medtwin.platform.treatment` (which computes rankings and imports the
ranking stack and numpy; it re-exports these names) so that showing a stored ranking
(``medtwin rank P1 --top 10`` when the twin was ranked with the same parameters, a ranking page)
imports none of it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from typing import Any

from medtwin.command_lines import patient_command, version_option
from medtwin.errors import NotFoundError, UnsupportedByStore
from medtwin.loaders.patient_rows import validate_patient_id
from medtwin.platform.arguments import count, twin_version
from medtwin.platform.context import ReferenceContext, reference_context
from medtwin.platform.first_screen import evidence_words
from medtwin.platform.models import DrugScore, RankingResult, RankParams
from medtwin.platform.patient_reads import get_patient
from medtwin.platform.python_audit import audited
from medtwin.platform.rank_params import is_loaded_source
from medtwin.platform.twin_currency import older_rules, stale_note
from medtwin.store.base import GraphStore

__all__ = [
    "FIRST_PAGE",
    "drug_score",
    "get_ranking",
    "latest_ranking_page",
    "ranking_id",
    "ranking_result",
    "reusable_ranking",
]


FIRST_PAGE = 50
"""Drugs a ranking returns unless asked for all (``full``): its first page."""


def ranking_id(twin_id: str, params: RankParams) -> str:
    """Id of the ranking of ``twin_id`` with ``params`` (a re-ranking with them replaces it)."""
    digest = hashlib.sha256(params.model_dump_json().encode()).hexdigest()[:12]
    return f"{twin_id}/{digest}"


def drug_score(drug_name: str | None, props: dict[str, Any]) -> DrugScore:
    """One stored row (its properties) as a :class:`DrugScore`."""
    data = {k: v for k, v in props.items() if k != "drug_name"}
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
    targets: Collection[str] | None = None,
) -> RankingResult:
    """The latest stored ranking of the patient's twin (a page of it).

    ``targets``: the latest of the rankings made with one of these target sources (``None``:
    any). A complete ranking never changes (a re-ranking is a new node), so its pages are cached
    in ``ctx`` by ranking id and creation time; each call still looks the latest ranking up.
    """
    got = store.rankings.latest_ranking(
        patient_id, version, None if targets is None else sorted(targets)
    )
    if got is None:
        store.twins.twin(patient_id, version)  # raises the "no twin" NotFoundError
        raise NotFoundError(f"patient {patient_id} has no twin")
    twin, r = got
    if r is None:
        raise NotFoundError(
            f"twin {twin['id']} has not been ranked",
            hint=f"run `{patient_command('rank', patient_id, *version_option(version))}`",
        )
    return _page(store, ctx, twin, r, offset=offset, limit=limit, drug_id=drug_id, version=version)


def _page(
    store: GraphStore,
    ctx: ReferenceContext,
    twin: dict[str, Any],
    r: dict[str, Any],
    *,
    offset: int = 0,
    limit: int = 50,
    drug_id: str | None = None,
    version: int | None = None,
) -> RankingResult:
    """A page of the stored ranking ``r`` of ``twin``, cached in ``ctx`` (:func:`get_ranking`).

    ``version``: the twin version asked for (``None``: the latest), which its notes' steps carry.
    """
    page = ctx.ranking_page(
        (r["id"], str(r["created_at"]), offset, limit, drug_id),
        lambda: store.rankings.ranking_page(r, offset=offset, limit=limit, drug_id=drug_id),
    )
    return ranking_result(
        twin,
        r,
        tuple(drug_score(p["drug_name"], p["score"]) for p in page),
        offset=offset,
        version=version,
    )


def ranking_result(
    twin: dict[str, Any],
    ranking: dict[str, Any],
    drugs: tuple[DrugScore, ...],
    *,
    offset: int = 0,
    version: int | None = None,
) -> RankingResult:
    """``drugs`` of the stored ``ranking`` (its properties) of ``twin`` as a result.

    Each drug gets ``placed_by``: which evidence placed it, in the words of the first screen,
    and ``direction_computed`` (whether the ranking ran ``direction``: without it every
    ``direction_word`` read "unknown"); ``no_score`` says why a method scored no drug
    (``no_score_json``, stored by the ranking); ``n_genes_with_statistic`` (stored too) gives
    ``target_expression_note``, its caution on a panel of genes.
    """
    params = RankParams.from_stored(ranking["params_json"])
    no_score = json.loads(ranking.get("no_score_json") or "{}")
    computed = "direction" in params.methods
    drugs = tuple(
        d.model_copy(
            update={
                "placed_by": evidence_words(d, params, no_score),
                "direction_computed": computed,
            }
        )
        for d in drugs
    )
    return RankingResult(
        id=ranking["id"],
        twin_id=twin["id"],
        params=params,
        created_at=ranking["created_at"],
        n_drugs=int(ranking["n_drugs"]),
        seconds=float(ranking["seconds"]),
        patient_note=ranking.get("patient_note"),
        # the twin's map carries the patient's inputs now when read with the ranking (no read)
        stale_note=stale_note(
            str(twin["patient_id"]), twin, twin.get("inputs"), ranking, version=version
        ),
        module_z=twin.get("module_z"),
        module_p=twin.get("module_p"),
        total=int(ranking["n_drugs"]),
        offset=offset,
        drugs=drugs,
        no_score=no_score,
        n_genes_with_statistic=ranking.get("n_genes_with_statistic"),
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
    if not is_loaded_source(params.targets):
        return None
    got = store.rankings.latest_ranking(patient_id, version)
    if got is None:
        return None
    twin, r = got
    if r is None or r["id"] != ranking_id(twin["id"], params):
        return None
    if r.get("params_json") != params.model_dump_json():  # a digest collision, or old rows
        return None
    if older_rules(r, "ranking"):  # by an earlier medtwin: computed again under today's rules
        return None
    # the ranking just looked up, not again
    return _page(store, ctx, twin, r, limit=limit, version=version)


@audited("read")
def latest_ranking_page(
    store: GraphStore,
    patient_id: str,
    *,
    offset: int = 0,
    limit: int = 50,
    version: int | None = None,
    ctx: ReferenceContext | None = None,
) -> RankingResult:
    """A page of the latest ranking of the patient's twin (the use case ``rankings.get_ranking``).

    ``version``: of that twin version (default: the latest twin). An unknown patient is "no
    patient" rather than "no twin" or "no ranking".
    """
    validate_patient_id(patient_id)
    version = twin_version(version, patient_id)
    offset = count(offset, "offset")
    limit = count(limit, "limit")
    try:
        return get_ranking(
            store, ctx or reference_context(), patient_id, version=version, offset=offset,
            limit=limit,
        )  # fmt: skip
    except (NotFoundError, UnsupportedByStore):
        get_patient(store, patient_id)  # "no patient" rather than "no twin", when that is why
        raise
