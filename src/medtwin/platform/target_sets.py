"""Which targets of each drug a ranking uses: the source's target categories, the effector filter.

Light on purpose (no numpy, no ranking stack): :mod:`medtwin.platform.treatment` builds the
ranking's candidates from :func:`drug_target_sets`, and the first screen of a *stored* ranking
(:mod:`medtwin.platform.first_screen`) groups drugs by the same sets without importing the
ranking code, so ``medtwin rank P --top 10`` on a stored ranking starts fast (issue 21).
"""

from __future__ import annotations

from dataclasses import dataclass

from medtwin.errors import NotFoundError
from medtwin.platform.effector import keep_targets
from medtwin.platform.kept_json import KeptJson
from medtwin.platform.models import RankParams
from medtwin.platform.rank_params import (
    TargetsFile,
    is_loaded_source,
    parse_targets,
)
from medtwin.store.base import GraphStore

__all__ = [
    "CATEGORIES",
    "KEPT_TARGET_SETS",
    "DIRECTION_FALLBACK",
    "DIRECTION_SOURCE_NAMES",
    "DrugTargetSet",
    "TargetAction",
    "drug_target_sets",
    "ranked_target_sets",
    "resolve_target_source",
    "target_actions",
]

CATEGORIES: dict[str, list[str] | None] = {"drugbank_dhimmel": ["target"]}
"""DrugBank lists enzymes, transporters and carriers besides targets; Guney 2016 used targets."""

DIRECTION_FALLBACK: dict[str, str] = {"drugbank_dhimmel": "drugcentral_2016"}
"""Where a source names no action for a (drug, target) pair, the source whose direction stands in.

DrugBank 4.2 gives no action word for 6,666 of its 10,695 human target pairs; DrugCentral 2016
lists curated mechanism-of-action types (Ursu 2017, doi:10.1093/nar/gkw993) and fills 120 of
them for the same drug and gene (stop 25, with DrugCentral's drugs joined to DrugBank by name where
they carry several DrugBank ids; the lowest id gave 126, 6 of them on DrugBank's duplicate
development-code records E7389, MDV3100 and XL184) — e.g. ipilimumab → CTLA4 ("antibody binding" →
inhibit; DrugCentral lists ipilimumab with DB06186, DrugBank gives the pair no action), which
direction-aware methods (``target_expression``, ``direction``) could not score before. Pairs on
which the two sources disagree (28) keep DrugBank's direction. The fill applies when the fallback
source is loaded (``medtwin load`` loads both)."""


DIRECTION_SOURCE_NAMES: dict[str, str] = {"drugcentral_2016": "DrugCentral"}
"""How a direction that a fallback source filled in is credited (``inhibit (DrugCentral)``)."""


@dataclass(frozen=True)
class TargetAction:
    """A drug's action on one target, and the source that filled it in (None: its own source)."""

    direction: str
    filled_by: str | None = None

    @property
    def words(self) -> str:
        """``inhibit``, or ``inhibit (DrugCentral)`` for a direction a fallback filled in."""
        if self.filled_by is None:
            return self.direction
        return f"{self.direction} ({DIRECTION_SOURCE_NAMES.get(self.filled_by, self.filled_by)})"


@dataclass(frozen=True)
class DrugTargetSet:
    """One drug's targets (Entrez ids) and their directions as a ranking uses them."""

    name: str | None
    targets: tuple[str, ...]
    directions: tuple[str, ...]
    approved: bool


def resolve_target_source(name: str) -> str:
    """Map ``drugbank|drugcentral|guney2016`` (or a Dataset id) to the Dataset id."""
    source = parse_targets(name, files=False)
    assert not isinstance(source, TargetsFile)  # noqa: S101 -- files=False
    return source.dataset


def drug_target_sets(
    store: GraphStore,
    source: str,
    *,
    approved_only: bool = False,
    effector_filter: bool = False,
    drug_ids: list[str] | None = None,
) -> dict[str, DrugTargetSet]:
    """Drugs of one target source with their targets and directions.

    ``effector_filter``: leave out Fc-receptor / complement targets that are not the drug's known
    action (:mod:`medtwin.platform.effector`); a drug left with no target is left out.
    ``drug_ids``: only these drugs (none of them found is no error then).
    """
    rows = store.reference.drug_targets(
        source,
        categories=CATEGORIES.get(source),
        approved_only=approved_only,
        direction_fallback=DIRECTION_FALLBACK.get(source),
        drug_ids=drug_ids,
    )
    if not rows and drug_ids is None:
        raise NotFoundError(
            f"no drug targets from {source} in the database",
            hint=f"run `medtwin load --only {source}`",
        )
    out: dict[str, DrugTargetSet] = {}
    for r in rows:
        targets, directions = list(r["targets"]), list(r["directions"])
        if effector_filter and r.get("symbols") is not None:
            keep = keep_targets(r["symbols"], r.get("known_actions") or [None] * len(targets))
            targets = [t for t, k in zip(targets, keep, strict=True) if k]
            directions = [d for d, k in zip(directions, keep, strict=True) if k]
            if not targets:
                continue
        out[r["drug_id"]] = DrugTargetSet(
            name=r["name"],
            targets=tuple(targets),
            directions=tuple(directions),
            approved="approved" in (r["groups"] or ()),
        )
    return out


def target_actions(
    store: GraphStore, source: str, drug_ids: list[str]
) -> dict[str, dict[str, TargetAction]]:
    """Drug -> Entrez id -> action on each of its ``source`` targets, by the ranking's rule.

    The same query as :func:`drug_target_sets` (hence the same :data:`DIRECTION_FALLBACK`), over
    every category (enzymes, transporters, carriers too), so that ``explain`` and the biomarker
    chains give a target the action the ranking scored it with. Before, they read ``source``
    alone: Dasatinib → LCK was ``+0.50 counteracts`` in the ranking (DrugCentral: inhibit) and
    "action unknown" in both (DrugBank names none).
    """
    if not drug_ids:
        return {}
    rows = store.reference.drug_targets(
        source,
        categories=None,
        approved_only=False,
        direction_fallback=DIRECTION_FALLBACK.get(source),
        drug_ids=drug_ids,
    )
    return {
        r["drug_id"]: {
            t: TargetAction(d or "unknown", None if by == source else by)
            for t, d, by in zip(r["targets"], r["directions"], r["direction_sources"], strict=True)
        }
        for r in rows
    }


def ranked_target_sets(
    store: GraphStore, params: RankParams, drug_ids: list[str] | None = None
) -> dict[str, tuple[str, ...]] | None:
    """Drug id -> the targets a ranking with ``params`` used (first screen grouping).

    ``None`` for a ranking from a ``--targets`` file: the database does not hold its targets.
    ``drug_ids``: only these drugs (the page shown; every drug of the source by default).
    """
    if not is_loaded_source(params.targets):
        return None
    drugs = drug_target_sets(
        store,
        resolve_target_source(params.targets),
        approved_only=params.approved_only,
        effector_filter=params.effector_filter,
        drug_ids=drug_ids,
    )
    return {d: t.targets for d, t in drugs.items()}


def _encode_sets(sets: dict[str, DrugTargetSet]) -> dict[str, list[object]]:
    return {d: [t.name, list(t.targets), list(t.directions), t.approved] for d, t in sets.items()}


def _decode_sets(table: object) -> dict[str, DrugTargetSet]:
    """The target sets of a kept file, or ``ValueError`` for content of the wrong shape.

    Examples
    --------
    >>> _decode_sets({"DB1": ["Aspirin", ["5742"], ["inhibit"], True]})["DB1"]
    DrugTargetSet(name='Aspirin', targets=('5742',), directions=('inhibit',), approved=True)
    >>> _decode_sets({"DB1": ["Aspirin", ["5742"], [], "yes"]})
    Traceback (most recent call last):
    ...
    ValueError: kept target set of DB1 is not (name, targets, directions, approved)
    """
    if not isinstance(table, dict):
        raise ValueError("kept target sets are not an object")
    out: dict[str, DrugTargetSet] = {}
    for drug, row in table.items():
        ok = isinstance(row, list) and len(row) == 4
        if ok:
            name, targets, directions, approved = row
            ok = (
                (name is None or isinstance(name, str))
                and isinstance(targets, list)
                and isinstance(directions, list)
                and all(isinstance(x, str) for x in (*targets, *directions))
                and isinstance(approved, bool)
            )
        if not ok:
            raise ValueError(
                f"kept target set of {drug} is not (name, targets, directions, approved)"
            )
        out[drug] = DrugTargetSet(name, tuple(targets), tuple(directions), approved)
    return out


KEPT_TARGET_SETS: KeptJson[dict[str, DrugTargetSet]] = KeptJson(
    "drug targets", "drug-targets-", _encode_sets, _decode_sets
)
"""How :func:`drug_target_sets` of a whole source is kept between processes
(:meth:`~medtwin.platform.context.ReferenceContext.reference_table`): reading the ~4,700 drugs of
DrugBank from Neo4j took ~0.85 s of a fresh ``medtwin rank``."""
