"""Why a drug ranks where it does for one patient: targets, module genes reached, shortest paths.

:func:`explain_drug` reads the patient's twin and latest ranking, the drug's targets of the
ranking's source, and finds the shortest interactome paths from the targets to the twin's most
central module genes (:func:`~medtwin.platform.explain_paths.shortest_paths`); it also gives the
Cypher that draws the same paths in Neo4j Browser, and a line per regulator-era method that
scored the drug (:mod:`medtwin.platform.explain_methods`). ``shortest_paths`` is re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from medtwin.command_lines import patient_command, version_option
from medtwin.errors import NotFoundError
from medtwin.loaders.gene_names import listed_names
from medtwin.platform.algorithms.network_lists import NetworkLists
from medtwin.platform.context import ReferenceContext
from medtwin.platform.effector import keep_targets
from medtwin.platform.explain_methods import stored_method_lines
from medtwin.platform.explain_paths import shortest_paths
from medtwin.platform.first_screen import evidence_words
from medtwin.platform.models import (
    DrugExplanation,
    DrugScore,
    ExplanationPath,
    RankingResult,
    RankParams,
)
from medtwin.platform.rank_params import LOADED_SOURCES, is_loaded_source
from medtwin.platform.stored_rankings import get_ranking
from medtwin.platform.target_sets import TargetAction, resolve_target_source, target_actions
from medtwin.store.base import GraphStore

__all__ = ["explain_drug", "explain_drugs", "ranking_use", "shortest_paths"]


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

    network: NetworkLists
    twin: dict[str, Any]
    genes: dict[str, dict[str, Any]]
    central: list[str]
    kept: dict[str, Any] = field(default_factory=dict)  # stored_method_lines' reads, once

    @classmethod
    def read(
        cls, store: GraphStore, ctx: ReferenceContext, patient_id: str, version: int | None
    ) -> _TwinView:
        network = ctx.interactome_lists(store)
        twin = store.twins.twin(patient_id, version)
        genes = {g["entrez"]: g for g in store.twins.genes(twin["id"])}
        module = [g for g, r in genes.items() if r["in_module"]]
        central = sorted(module, key=lambda g: -(genes[g]["pagerank"] or 0.0))[:20]
        return cls(network, twin, genes, central)


def _drug_info(store: GraphStore, drug_id: str, ranking_note: str | None = None) -> dict[str, Any]:
    info = store.reference.drug_info(drug_id)
    if info is None:
        where = f"; {ranking_note}" if ranking_note else ""
        # quoted and cut as a file's names are: the CLI takes any word here (a name, a line
        # break, a terminal's escape sequence), unlike a patient id, which has a rule
        shown = listed_names([drug_id])
        raise NotFoundError(f"no drug {shown}{where}", hint=_drug_id_hint(store, drug_id))
    return info


def _drug_id_hint(store: GraphStore, drug_id: str) -> str:
    """The fix for an unknown drug id: the drugs it names, when it is (part of) a drug's name."""
    named = store.reference.drugs_named(drug_id) if len(drug_id) >= 3 else []
    if not named:
        return "drug ids are DrugBank ids, e.g. DB00945"
    meant = ", ".join(
        f"{d_id} ({name})" if matched is None else f"{d_id} ({name}, also {matched})"
        for d_id, name, matched in named
    )
    return f"drug ids are DrugBank ids; by name: {meant}"


def _latest_score(
    store: GraphStore, ctx: ReferenceContext, patient_id: str, drug_id: str, version: int | None
) -> tuple[DrugScore | None, RankingResult | None, str | None]:
    """The drug's row of the twin's latest ranking and that ranking (``None`` if unranked).

    The twin is version ``version`` of the patient's (``None``: the latest).

    When the latest ranking comes from a user's targets file ("what if" drugs, which the
    database does not hold) and does not score the drug, the row comes from the latest ranking
    made with a loaded source instead, and the third item says so. Before, every database drug
    was refused until the patient was ranked again.
    """
    try:
        latest = get_ranking(store, ctx, patient_id, version=version, drug_id=drug_id, limit=1)
    except NotFoundError:
        return None, None, None
    if latest.drugs or is_loaded_source(latest.params.targets):
        return (latest.drugs[0] if latest.drugs else None), latest, None
    file = latest.params.targets.split(" sha256:")[0]
    note = f"the latest ranking ({latest.id}) comes from a targets file ({file})"
    try:
        ranking = get_ranking(
            store, ctx, patient_id, version=version, drug_id=drug_id, limit=1,
            targets=LOADED_SOURCES,
        )  # fmt: skip
    except NotFoundError:  # explained unranked, with DrugBank's targets
        return None, None, f"{note} without {drug_id}, and no ranking of a loaded source scored it"
    return (
        (ranking.drugs[0] if ranking.drugs else None),
        ranking,
        f"{note} without {drug_id}; shown: ranking {ranking.id} ({ranking.params.targets})",
    )


def _target_source(
    patient_id: str, drug_id: str, params: RankParams | None, version: int | None
) -> str:
    """The loaded target source to explain with: the ranking's (DrugBank when unranked).

    ``version``: the twin version asked for, which the hint's ``rank --out`` carries.
    """
    source = params.targets if params is not None else "drugbank_dhimmel"
    if not is_loaded_source(source):
        raise NotFoundError(
            f"the latest ranking of {patient_id} comes from a targets file ({source}); "
            f"the database holds no targets of {drug_id} to explain",
            hint="see its row in "
            f"`{patient_command('rank', patient_id, '--out FILE.tsv', *version_option(version))}`",
        )
    return resolve_target_source(source)


def explain_drug(
    store: GraphStore,
    ctx: ReferenceContext,
    patient_id: str,
    drug_id: str,
    *,
    version: int | None = None,
) -> DrugExplanation:
    """Why a drug ranks where it does: targets, module genes reached, shortest paths.

    For twin version ``version`` of the patient and its latest ranking (``None``: the latest).
    """
    view = _TwinView.read(store, ctx, patient_id, version)
    score, ranking, note = _latest_score(store, ctx, patient_id, drug_id, version)
    # a drug of a targets file is not in the database: say where its row is, not "no drug"
    source = _target_source(patient_id, drug_id, ranking.params if ranking else None, version)
    info = _drug_info(store, drug_id, note)
    return _explanation(store, view, patient_id, drug_id, info, score, ranking, source, note)


def explain_drugs(
    store: GraphStore,
    ctx: ReferenceContext,
    patient_id: str,
    drug_ids: Sequence[str],
    *,
    ranking: RankingResult | None = None,
    version: int | None = None,
) -> list[DrugExplanation]:
    """:func:`explain_drug` of several drugs, reading the twin and its genes once.

    A drug of ``ranking`` (a page of the twin's latest ranking) takes its row from there instead
    of reading it again. Drugs that cannot be explained (not in the database, or the latest
    ranking comes from a targets file) are left out, in the order given otherwise.
    """
    view = _TwinView.read(store, ctx, patient_id, version)
    on_page = {d.drug_id: d for d in ranking.drugs} if ranking is not None else {}
    out = []
    for drug_id in drug_ids:
        score: DrugScore | None
        row_of: RankingResult | None
        note: str | None = None
        try:
            info = _drug_info(store, drug_id)
            if drug_id in on_page and ranking is not None:
                score, row_of = on_page[drug_id], ranking
            else:
                score, row_of, note = _latest_score(store, ctx, patient_id, drug_id, version)
            source = _target_source(patient_id, drug_id, row_of.params if row_of else None, version)
        except NotFoundError:
            continue
        out.append(
            _explanation(store, view, patient_id, drug_id, info, score, row_of, source, note)
        )
    return out


def _explanation(
    store: GraphStore,
    view: _TwinView,
    patient_id: str,
    drug_id: str,
    info: dict[str, Any],
    score: DrugScore | None,
    ranking: RankingResult | None,
    source: str,
    ranking_note: str | None = None,
) -> DrugExplanation:
    twin, genes, central = view.twin, view.genes, view.central
    params = ranking.params if ranking is not None else None
    placed_by = (
        score.placed_by or evidence_words(score, params)  # a stored row's words (its no_score)
        if score is not None and params is not None
        else None
    )
    targets = [t for t in info["targets"] if t["source"] == source]
    used = ranking_use(targets)
    # the ranking's direction rule (DrugCentral fills DrugBank's missing actions), not the raw edge
    found = target_actions(store, source, [drug_id]).get(drug_id, {})
    actions = {t["entrez"]: found.get(t["entrez"]) or TargetAction(t["direction"]) for t in targets}
    target_ids = [t["entrez"] for t in targets]
    # paths from the targets the ranking used (not enzymes/transporters/carriers or Fc/complement)
    paths = shortest_paths(view.network, [t for t in target_ids if used[t] == "target"], central)
    names: dict[str, str | None] = {g: r["symbol"] for g, r in genes.items()}
    names.update(
        store.reference.protein_symbols(sorted({n for p in paths for n in p} | set(target_ids)))
    )
    reached = sorted({p[-1] for p in paths if len(p) <= 3}, key=lambda g: central.index(g))
    cell_types = sorted({c for t in target_ids if t in genes for c in genes[t]["cell_types"] or ()})
    rows = tuple(
        {
            "entrez": t["entrez"],
            "symbol": t["symbol"],
            "direction": actions[t["entrez"]].direction,
            # the source that filled the direction in (None: the explained source's own)
            "direction_source": actions[t["entrez"]].filled_by,
            # as rank/explain/biomarkers word it ("inhibit (DrugCentral)"); the viewer shows it
            "action_words": actions[t["entrez"]].words,
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
    )
    return DrugExplanation(
        patient_id=patient_id,
        twin_id=twin["id"],
        drug_id=drug_id,
        drug_name=info["name"],
        score=score,
        placed_by=placed_by,
        ranking_note=ranking_note,
        targets=rows,
        method_lines=stored_method_lines(store, twin, view.kept, score, params, rows),
        # the ranking's caution on a panel of genes, where this drug's target_expression shows
        target_expression_note=ranking.target_expression_note
        if ranking is not None and score is not None and score.target_expression is not None
        else None,
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
