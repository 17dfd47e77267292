"""``explain``'s method lines: each regulator-era method that scored the drug, from the twin.

Reads what :func:`~medtwin.platform.method_words.method_lines` words (the twin's stored upstream
regulators and pathway activities, the regulon edges, the pathway cores) only for the methods
that scored the drug; the words themselves are pure, in :mod:`medtwin.platform.method_words`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from medtwin.platform.method_words import method_lines
from medtwin.platform.pathway_cores import PATHWAY_CORES
from medtwin.platform.ranking_models import DrugScore, RankParams
from medtwin.platform.regulator_views import stored_regulators
from medtwin.store.base import GraphStore

__all__ = ["REGULATOR_ERA", "stored_method_lines"]

REGULATOR_ERA = ("regulator", "regulator_network", "driver", "pathway", "pathway_proximity",
                  "reversal", "target_expression", "activity_reversal")  # fmt: skip


def stored_method_lines(
    store: GraphStore,
    twin: Mapping[str, Any],
    kept: dict[str, Any],
    score: DrugScore | None,
    params: RankParams | None,
    targets: Sequence[dict[str, Any]],
) -> tuple[str, ...]:
    """:func:`~medtwin.platform.method_words.method_lines` from what the twin stores.

    Reads only what a scored method needs: the twin's URs and pathway activities, the regulon
    edges (for a ``regulator`` score) and the pathway cores (for a ``pathway`` score).
    ``twin``: the stored twin's properties; ``kept``: the reads of earlier calls for the same
    twin (filled here), so a report that explains several drugs reads them once.
    """
    if score is None or params is None:
        return ()
    scored = [m for m in REGULATOR_ERA if m in params.methods and getattr(score, m) is not None]
    if not scored:
        return ()
    if "urs" not in kept:  # a report explains several drugs of one twin
        kept["urs"] = stored_regulators(store, twin["id"], twin=twin)
    urs = kept["urs"]
    pathways = {str(p.get("name") or p["id"]): p for p in urs.pathways}
    regulons: dict[str, dict[str, float]] = {}
    if "regulator" in scored and "regulons" not in kept:
        layers = store.reference.regulator_layers()
        columns = (layers.get("tf", []), layers.get("target", []), layers.get("mor", []))
        for tf, target, mor in zip(*columns, strict=True):
            regulons.setdefault(tf, {})[target] = float(mor)
        kept["regulons"] = regulons
    regulons = kept.get("regulons", {})
    cores: dict[str, frozenset[str]] = {}
    if "pathway" in scored:
        cores = {p: frozenset(members) for p, members in PATHWAY_CORES.items()}
    return method_lines(score, params, targets, urs.regulators, pathways, regulons, cores)
